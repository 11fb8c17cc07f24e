"""The machinery behind :mod:`commentmine.scale` (private: the public names live there).

One job per module:

- ``_sample``: the fit pass's bookkeeping: ids checked across chunks and the seeded bottom-k
  sample, drawn from whole chunks (:class:`FitPass`) or from what Dask workers report
  (:class:`ScanSample`);
- ``_chunk``: tagging one chunk (:func:`tag_chunk`) and the comment counts it adds up
  (:class:`Accounting`), both from the tag layer, and the apply pass's embedding timer;
- ``_output``: the output formats, rows encoded for them and the append writer;
- ``_file``: :func:`commentmine.scale.tag_file`, the fit pass then the chunked apply pass;
- ``_cluster``: the Dask client, the warm-up, per-thread copies, the window of chunks;
- ``_tasks``: what runs on the workers;
- ``_sources``: a file or a Dask DataFrame as a stream of comment chunks on the cluster, and
  the fit sample segmented there;
- ``_dask_tag``: :func:`commentmine.scale.tag_dask`;
- ``_dask_discover``: :func:`commentmine.scale.discover_dask`.
"""
