"""Streaming and Dask tagging (commentmine.scale) and the progress helper."""

from __future__ import annotations

import importlib
import inspect
import io
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import commentmine as cm
from commentmine import accounting
from commentmine._cli.ingest import write_table
from commentmine._progress import NullProgress, progress, progress_enabled
from commentmine.errors import CommentmineError

scale = importlib.import_module("commentmine.scale")
# The scale package's parts, for the tests of its internals (the fit sample, the apply pass's
# order, what the Dask path reads and collects): commentmine._scale.
_chunk = importlib.import_module("commentmine._scale._chunk")
_dask_tag = importlib.import_module("commentmine._scale._dask_tag")
_file = importlib.import_module("commentmine._scale._file")
_output = importlib.import_module("commentmine._scale._output")
_sample = importlib.import_module("commentmine._scale._sample")
_sources = importlib.import_module("commentmine._scale._sources")
_tasks = importlib.import_module("commentmine._scale._tasks")

ANSWERS = [
    "Funding is short-term and we spend more time on bids than on services.",
    "The PCC never asks us before decisions are made. We learn about them afterwards.",
    "Our volunteers are exhausted; we cannot recruit enough staff.",
    "n/a",
    "We work well with other charities in the area, but competing for the same grants hurts.",
    "",
    "Commissioning cycles are too short to plan anything. Grants end after a year.",
    "Small groups are not represented on the board at all.",
    "Nothing to add.",
    "The new policy changes every year, so we cannot plan.",
    "Staff turnover is high and training costs money we do not have.",
    "We would like a seat at the table when priorities are set.",
    "Partnership working with the police has improved a lot.",
    "Grant applications are long and the criteria unclear. Feedback is rare.",
    "Our organisation relies on two part-time workers.",
    "Diverse communities are not heard by commissioners.",
    "We share premises and referrals with a housing charity.",
    "Bigger providers win the contracts; small ones are squeezed out.",
    "The food at the event was good.",
    "Long-term core funding would let us keep our staff.",
    "None",
    "Consultation happens after the strategy is written.",
    "We compete with our partners for the same small pots.",
    "Volunteering has dropped since the pandemic.",
    "Reporting requirements take a day a week.",
    "The commissioner visited once and listened carefully.",
    "Multi-year grants would change everything for us.",
    "Too many forms. Too little time.",
    "Our board is all volunteers and stretched thin.",
    "We co-deliver a victims service with two other groups.",
]
REGIONS = ["north", "south", "east"]
ROWS = pd.DataFrame(
    {
        "rid": [f"r{i:03d}" for i in range(len(ANSWERS))],
        "region": [REGIONS[i % 3] for i in range(len(ANSWERS))],
        "answer": ANSWERS,
    }
)


def _write(df: pd.DataFrame, path: Path) -> Path:
    ext = path.suffix
    if ext == ".csv":
        df.to_csv(path, index=False)
    elif ext == ".jsonl":
        df.to_json(path, orient="records", lines=True, force_ascii=False)
    else:
        df.to_parquet(path, index=False)
    return path


def _in_memory(src: Path, out: Path, **kw) -> None:
    comments = cm.read(src, text_cols=["answer"], id_col=kw.pop("id_col", "rid"))
    write_table(cm.tag(comments, "vcse-pcc", **kw), out)


# --------------------------------------------------------------------------- streaming


@pytest.mark.parametrize("ext", [".csv", ".jsonl", ".parquet"])
def test_stream_output_is_byte_identical_to_in_memory(tmp_path: Path, ext: str) -> None:
    src = _write(ROWS, tmp_path / f"in{ext}")
    _in_memory(src, tmp_path / "mem.csv")
    info = scale.tag_file(
        src, tmp_path / "st.csv", "vcse-pcc", text_cols=["answer"], id_col="rid", chunk_rows=4
    )
    assert (tmp_path / "st.csv").read_bytes() == (tmp_path / "mem.csv").read_bytes()
    assert info["chunks"] == 8
    acc = info["accounting"]
    assert acc["comments_in"] == len(ROWS)
    assert acc["comments_in"] == acc["tagged"] + acc["uncoded"] + sum(acc["skipped"].values())
    assert acc["skipped"]["empty"] == 1 and acc["skipped"]["non_answer"] >= 2


def test_stream_comment_level_row_numbers_and_jsonl_output(tmp_path: Path) -> None:
    src = _write(ROWS[["region", "answer"]], tmp_path / "in.csv")
    comments = cm.read(src, text_cols=["answer"])
    mem = cm.tag(comments, "vcse-pcc", level="comment")
    write_table(mem, tmp_path / "mem.jsonl")
    scale.tag_file(
        src,
        tmp_path / "st.jsonl",
        "vcse-pcc",
        text_cols="answer",
        level="comment",
        chunk_rows=7,
        progress=False,
    )
    assert (tmp_path / "st.jsonl").read_bytes() == (tmp_path / "mem.jsonl").read_bytes()
    assert mem["comment_id"].tolist()[-1] == str(len(ROWS))  # row numbers continue


def test_scale_options_are_the_keywords_of_tag_file_and_tag_dask(tmp_path: Path) -> None:
    # ScaleOptions declares the shared settings once: options= gives what the keywords give,
    # a keyword overrides its field, and both functions show every field in their signature.
    import dataclasses

    src = _write(ROWS[["region", "answer"]], tmp_path / "in.csv")
    kw = dict(text_cols="answer", seed=3)
    by_kw = scale.tag_file(
        src, tmp_path / "a.csv", "vcse-pcc", level="comment", chunk_rows=7, progress=False, **kw
    )
    opts = scale.ScaleOptions(level="comment", chunk_rows=7, progress=False, seed=3)
    by_opts = scale.tag_file(src, tmp_path / "b.csv", "vcse-pcc", text_cols="answer", options=opts)
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert by_kw["chunks"] == by_opts["chunks"] == -(-len(ROWS) // 7)
    assert by_kw["accounting"] == by_opts["accounting"]
    over = scale.tag_file(src, tmp_path / "c.csv", "vcse-pcc", options=opts, chunk_rows=20, **kw)
    assert over["chunks"] == -(-len(ROWS) // 20)  # chunk_rows=20 overrides the options' 7
    assert (tmp_path / "c.csv").read_bytes() == (tmp_path / "a.csv").read_bytes()
    for fn in (scale.tag_file, scale.tag_dask):
        params = inspect.signature(fn).parameters
        for f in dataclasses.fields(scale.ScaleOptions):
            assert params[f.name].default == f.default, (fn.__name__, f.name)
        assert "Other Parameters" in fn.__doc__ and "fit_sample : int" in fn.__doc__
    with pytest.raises(CommentmineError) as err:
        scale.tag_file(
            src, tmp_path / "d.csv", "vcse-pcc", options=scale.ScaleOptions(chunk_rows=0)
        )
    assert err.value.code == "E301"
    with pytest.raises(CommentmineError) as err:
        scale.tag_file(src, tmp_path / "d.csv", "vcse-pcc", options={"level": "comment"})
    assert err.value.code == "E301"


def test_stream_parquet_output_matches(tmp_path: Path) -> None:
    src = _write(ROWS, tmp_path / "in.csv")
    _in_memory(src, tmp_path / "mem.parquet")
    scale.tag_file(
        src, tmp_path / "st.parquet", "vcse-pcc", text_cols=["answer"], id_col="rid", chunk_rows=5
    )
    pd.testing.assert_frame_equal(
        pd.read_parquet(tmp_path / "st.parquet"), pd.read_parquet(tmp_path / "mem.parquet")
    )


def test_fit_sample_is_seeded_and_independent_of_chunk_rows(tmp_path: Path) -> None:
    src = _write(ROWS, tmp_path / "in.csv")
    chunks = list(scale.iter_comments(src, text_cols=["answer"], id_col="rid", chunk_rows=4))
    samples = []
    for size in (4, 9):
        acc = _sample.FitPass(10, 0, "rid")
        for c in scale.iter_comments(src, text_cols=["answer"], id_col="rid", chunk_rows=size):
            acc.add(c)
        samples.append(acc.result()["comment_id"].tolist())
    assert samples[0] == samples[1] and len(samples[0]) == 10
    assert samples[0] == sorted(samples[0])  # file order
    other = _sample.FitPass(10, 1, "rid")
    for c in chunks:
        other.add(c)
    assert other.result()["comment_id"].tolist() != samples[0]


def test_reader_is_lazy_and_apply_pass_interleaves(tmp_path: Path, monkeypatch) -> None:
    src = _write(ROWS, tmp_path / "in.csv")
    gen = scale.iter_comments(src, text_cols=["answer"], id_col="rid", chunk_rows=6)
    assert inspect.isgenerator(gen)
    first = next(gen)
    assert len(first) == 6 and first["comment_id"].iloc[0] == "r000"
    gen.close()

    events: list[str] = []
    real_iter, real_apply = _file.iter_comments, _file.tag_chunk

    def spy_iter(*a, **k):
        for chunk in real_iter(*a, **k):
            events.append("read")
            yield chunk

    def spy_apply(*a, **k):
        events.append("apply")
        return real_apply(*a, **k)

    monkeypatch.setattr(_file, "iter_comments", spy_iter)
    monkeypatch.setattr(_file, "tag_chunk", spy_apply)
    scale.tag_file(
        src, tmp_path / "o.csv", "vcse-pcc", text_cols=["answer"], id_col="rid", chunk_rows=6
    )
    # fit pass: 5 reads; apply pass: read, apply, read, apply ... (one chunk in memory)
    assert events == ["read"] * 5 + ["read", "apply"] * 5


def test_failed_run_leaves_no_output_and_keeps_the_old_one(tmp_path: Path, monkeypatch) -> None:
    src = _write(ROWS, tmp_path / "in.csv")
    out = tmp_path / "o.csv"
    out.write_text("old", encoding="utf-8")
    real_apply = _file.tag_chunk
    calls = {"n": 0}

    def boom(*a, **k):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real_apply(*a, **k)

    monkeypatch.setattr(_file, "tag_chunk", boom)
    with pytest.raises(KeyboardInterrupt):
        scale.tag_file(src, out, "vcse-pcc", text_cols=["answer"], id_col="rid", chunk_rows=4)
    assert out.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "o.csv"]


def test_duplicate_ids_across_chunks_are_e005_naming_them(tmp_path: Path) -> None:
    rows = ROWS.copy()
    rows.loc[20, "rid"] = "r002"  # chunk 6 repeats an id of chunk 1
    rows.loc[27, "rid"] = "r011"
    src = _write(rows, tmp_path / "in.csv")
    out = tmp_path / "o.csv"
    with pytest.raises(CommentmineError) as err:
        scale.tag_file(src, out, "vcse-pcc", text_cols=["answer"], id_col="rid", chunk_rows=4)
    assert err.value.code == "E005"
    assert "'r002'" in str(err.value) and "'r011'" in str(err.value)
    assert not out.exists()


def test_a_csv_read_twice_is_sniffed_once_per_content(tmp_path: Path, monkeypatch) -> None:
    ingest = importlib.import_module("commentmine._ingest._chunks")  # the CSV sniffer
    real, sniffed = ingest._sniff_delimiter, []

    def counting(text):
        sniffed.append(1)
        return real(text)

    monkeypatch.setattr(ingest, "_sniff_delimiter", counting)
    src = tmp_path / "in.csv"
    ROWS.to_csv(src, index=False, sep=";")
    kw = dict(text_cols=["answer"], id_col="rid", chunk_rows=7)
    scale.tag_file(src, tmp_path / "a.csv", "vcse-pcc", **kw)  # fit pass, apply pass
    assert len(sniffed) == 1
    ROWS.to_csv(src, index=False, sep="|")  # new content: sniffed again
    scale.tag_file(src, tmp_path / "b.csv", "vcse-pcc", **kw)
    assert len(sniffed) == 2
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_fit_pass_finds_every_repeat_across_many_chunks() -> None:
    ids = [f"c{i}" for i in range(3000)]
    ids[2999], ids[1500] = ids[0], ids[2998]  # chunk 29 repeats ids of chunks 0 and 15
    ids[750] = ids[720]  # within one chunk: read() reports those, not the fit pass
    acc = _sample.FitPass(50, 0, None)
    for lo in range(0, 3000, 100):
        chunk = ids[lo : lo + 100]
        acc.add(pd.DataFrame({"comment_id": chunk, "text": "x", "status": "ok"}))
    assert list(acc.dupes) == ["c2998", "c0"]  # in file order
    assert np.array_equal(acc.seen, np.sort(_sample.id_hashes(pd.Series(ids))))


def test_chunk_accountings_add_up_to_the_whole_tables() -> None:
    # tag_chunk on pieces of the comments: the rows are the whole table's, and the pieces'
    # Accounting records added with + are what accounting() counts of tag()'s table.
    from commentmine._tagging._public import Tagger

    comments = cm.read(ROWS, text_cols=["answer"], id_col="rid")
    whole = cm.tag(comments, "vcse-pcc", level="comment")
    tagger = Tagger("vcse-pcc").fit(cm.segment(comments, include_interviewer=True))
    total = _chunk.Accounting()
    rows = []
    for lo in range(0, len(comments), 7):
        out, acc = _chunk.tag_chunk(
            tagger, comments.iloc[lo : lo + 7], level="comment", include_interviewer=False
        )
        assert acc.comments_in == len(out) == len(comments.iloc[lo : lo + 7])
        rows.append(out)
        total += acc
    pd.testing.assert_frame_equal(pd.concat(rows, ignore_index=True), whole)
    assert total == accounting(whole)
    assert list(total.as_dict()) == list(accounting(whole).as_dict())  # the same key order
    empty = comments.iloc[:0]
    assert _chunk.Accounting() == accounting(cm.tag(empty, "vcse-pcc"), empty)


def test_stream_rejects_unstreamable_output(tmp_path: Path) -> None:
    src = _write(ROWS, tmp_path / "in.csv")
    with pytest.raises(CommentmineError) as err:
        scale.tag_file(src, tmp_path / "o.xlsx", "vcse-pcc", text_cols=["answer"])
    assert err.value.code == "E301"


def test_rowwise_dot_rows_do_not_depend_on_the_batch() -> None:
    import numpy as np

    from commentmine._blas import rowwise_dot

    rng = np.random.default_rng(0)
    a = rng.standard_normal((3000, 64)).astype(np.float32)
    b = rng.standard_normal((40, 64)).astype(np.float32)
    whole = rowwise_dot(a, b)
    parts = np.vstack([rowwise_dot(a[i : i + n], b) for i, n in ((0, 7), (7, 1), (8, 2992))])
    assert np.array_equal(whole, parts)
    assert np.allclose(whole, a.astype(np.float64) @ b.T.astype(np.float64))
    assert rowwise_dot(a[:0], b).shape == (0, 40)


# --------------------------------------------------------------------------- progress


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_tty_and_never_when_quiet() -> None:
    assert not progress_enabled(stream=io.StringIO())
    assert progress_enabled(stream=_Tty())
    assert not progress_enabled(stream=_Tty(), quiet=True)
    with progress(stream=io.StringIO()) as bar:
        assert isinstance(bar, NullProgress)
        bar.advance(bar.add_task("x", total=3), 1)
    tty = _Tty()
    with progress(stream=tty) as bar:
        bar.advance(bar.add_task("segment", total=2), 2)
    assert "segment" in tty.getvalue()


def test_counting_embedder_shows_progress_and_changes_nothing() -> None:
    from commentmine._progress import CountingEmbedder, counting_embedder
    from commentmine.embed import select_embedder

    comments = cm.read(ROWS, text_cols=["answer"], id_col="rid")
    emb = select_embedder(None)
    with progress(stream=io.StringIO()) as bar:
        assert counting_embedder(emb, bar, "embedded") is emb  # bars off: untouched
    tty = _Tty()
    with progress(stream=tty) as bar:
        counted = counting_embedder(emb, bar, "embedded")
        assert isinstance(counted, CountingEmbedder) and select_embedder(counted) is counted
        got = cm.tag(comments, "vcse-pcc", embedder=counted)
        n = bar.tasks[0].completed
    pd.testing.assert_frame_equal(got, cm.tag(comments, "vcse-pcc", embedder=emb))
    assert "embedded" in tty.getvalue()
    assert n >= got["segment_id"].nunique()  # the fit's texts, then every segment's


def test_tag_file_prints_nothing_when_stderr_is_not_a_tty(tmp_path: Path, capsys) -> None:
    src = _write(ROWS, tmp_path / "in.csv")
    scale.tag_file(src, tmp_path / "o.csv", "vcse-pcc", text_cols=["answer"], chunk_rows=10)
    assert capsys.readouterr().err == ""


# --------------------------------------------------------------------------- dask


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("distributed")
    # Threads, not processes: two workers start in well under a second and behave the same
    # (each task unpickles its own Tagger copy as a process worker would).
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    )
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


def test_dask_reports_its_window_with_the_result(client, tmp_path: Path) -> None:
    # The run's window comes back in the summary dict; the peak is what was on the cluster,
    # never over the window. The table carries no attrs.
    src = _write(ROWS, tmp_path / "in.csv")
    kw = dict(text_cols=["answer"], id_col="rid", chunk_rows=4, scheduler=client, window=3)
    info = scale.tag_dask(src, "vcse-pcc", output_path=tmp_path / "o.csv", **kw)
    table = scale.tag_dask(src, "vcse-pcc", **kw)
    got = info["window"]
    assert got["window"] == 3 and got["chunks"] == 8 and got["held"] == 1
    assert 1 <= got["peak"] <= 3
    assert table.attrs == {} and len(table) == info["rows_out"]


def test_dask_frame_equals_in_process(client, tmp_path: Path) -> None:
    dd = pytest.importorskip("dask.dataframe")
    wide = ROWS[["region", "answer"]]
    for level in ("segment", "comment"):
        mem = cm.tag(cm.read(wide, text_cols=["answer"]), "vcse-pcc", level=level)
        got = scale.tag_dask(
            dd.from_pandas(wide, npartitions=4),
            "vcse-pcc",
            text_cols=["answer"],
            scheduler=client,
            level=level,
            fit_on="client" if level == "segment" else "worker",
        )
        pd.testing.assert_frame_equal(got, mem)
        assert got.attrs == {}


@pytest.mark.parametrize("fit_on", ["auto", "client", "worker"])
def test_dask_file_equals_stream_bytes(client, tmp_path: Path, fit_on: str) -> None:
    src = _write(ROWS, tmp_path / "in.csv")
    _in_memory(src, tmp_path / "mem.csv")
    info = scale.tag_dask(
        src,
        "vcse-pcc",
        text_cols=["answer"],
        id_col="rid",
        scheduler=client,
        chunk_rows=4,
        output_path=tmp_path / "dask.csv",
        fit_on=fit_on,
    )
    assert (tmp_path / "dask.csv").read_bytes() == (tmp_path / "mem.csv").read_bytes()
    assert info["chunks"] == 8
    assert info["fit_on"] == {"auto": "worker"}.get(fit_on, fit_on)  # the fixture has 2 workers
    assert info["themes"] and info["codebook"] == "vcse-pcc"


@pytest.mark.parametrize("fit_on", ["auto", "worker"])
def test_dask_one_worker_fits_where_asked(tmp_path: Path, fit_on: str) -> None:
    # One worker: auto fits here; "worker" fits on it (no other worker to keep the fit
    # apart from, so the task is not pinned). Same bytes either way.
    distributed = pytest.importorskip("distributed")
    src = _write(ROWS, tmp_path / "in.csv")
    _in_memory(src, tmp_path / "mem.csv")
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as one,
    ):
        info = scale.tag_dask(
            src,
            "vcse-pcc",
            text_cols=["answer"],
            id_col="rid",
            scheduler=one,
            chunk_rows=4,
            output_path=tmp_path / "dask.csv",
            fit_on=fit_on,
            progress=False,
        )
    assert (tmp_path / "dask.csv").read_bytes() == (tmp_path / "mem.csv").read_bytes()
    assert info["fit_on"] == {"auto": "client"}.get(fit_on, fit_on)


@pytest.mark.parametrize("ext", [".jsonl", ".parquet"])
@pytest.mark.parametrize("level", ["segment", "comment"])
def test_dask_file_outputs_equal_the_stream(client, tmp_path: Path, ext: str, level: str) -> None:
    # The workers encode JSONL rows themselves (Parquet goes back as frames): same file.
    src = _write(ROWS, tmp_path / "in.jsonl")
    kw = dict(text_cols=["answer"], chunk_rows=7, level=level)
    scale.tag_file(src, tmp_path / f"stream{ext}", "vcse-pcc", **kw)
    scale.tag_dask(src, "vcse-pcc", scheduler=client, output_path=tmp_path / f"dask{ext}", **kw)
    assert (tmp_path / f"dask{ext}").read_bytes() == (tmp_path / f"stream{ext}").read_bytes()


@pytest.mark.parametrize(("window", "fit_on"), [(1, "client"), (3, "worker"), (5, "auto")])
def test_dask_reads_ahead_only_as_far_as_the_window(
    client, tmp_path: Path, monkeypatch, window: int, fit_on: str
) -> None:
    # 30 one-row chunks through a window of 1-5: never more chunks on the cluster than the
    # window (the code's own count), the file never read further ahead of what is done with
    # (counted here, independently: results are collected in any order, appended in order),
    # and the same bytes as the stream.
    src = _write(ROWS, tmp_path / "in.csv")
    kw = dict(text_cols=["answer"], id_col="rid", chunk_rows=1)
    scale.tag_file(src, tmp_path / "stream.csv", "vcse-pcc", **kw)
    done = {"scanned": 0, "collected": 0, "written": 0, "calls": 0}
    reads: list[tuple[int, int, int, int]] = []  # (pass, chunk, scanned, collected) at each read
    real_iter, real_add = _sources.iter_wide_chunks, _sample.FitPass.add
    real_write, real_collect = _output.AppendWriter.write_encoded, _dask_tag.collect

    def counting_iter(*a, **k):
        done["calls"] += 1
        for i, chunk in enumerate(real_iter(*a, **k)):
            reads.append((done["calls"], i, done["scanned"], done["collected"]))
            yield chunk

    def counting_collect(*a, **k):
        got = real_collect(*a, **k)
        done["collected"] += len(got)
        assert done["collected"] - done["written"] <= 2 * window  # results held here, bounded
        return got

    def counting_add(self, *a, **k):
        done["scanned"] += 1
        return real_add(self, *a, **k)

    def counting_write(self, *a, **k):
        done["written"] += 1
        return real_write(self, *a, **k)

    monkeypatch.setattr(_sources, "iter_wide_chunks", counting_iter)  # the apply pass reads here
    chunks = importlib.import_module("commentmine._ingest._chunks")
    monkeypatch.setattr(chunks, "iter_wide_chunks", counting_iter)  # the scan, by iter_comments
    monkeypatch.setattr(_sample.FitPass, "add", counting_add)  # a file is scanned here
    monkeypatch.setattr(_output.AppendWriter, "write_encoded", counting_write)
    monkeypatch.setattr(_dask_tag, "collect", counting_collect)
    info = scale.tag_dask(
        src,
        "vcse-pcc",
        scheduler=client,
        output_path=tmp_path / "dask.csv",
        window=window,
        fit_on=fit_on,
        **kw,
    )
    assert (tmp_path / "dask.csv").read_bytes() == (tmp_path / "stream.csv").read_bytes()
    stats = info["window"]
    assert info["chunks"] == stats["chunks"] == len(ROWS)
    assert stats["window"] == window and 1 <= stats["peak"] <= window
    hold = stats["held"]
    assert hold < window
    assert done["calls"] == 2 and done["written"] == done["collected"] == len(ROWS)  # read twice
    for n_pass, i, scanned, collected in reads:
        on_cluster = i - max(0, scanned - hold) if n_pass == 1 else i - collected
        assert on_cluster < window, (n_pass, i, scanned, collected)


def test_dask_collects_results_as_they_finish_and_writes_them_in_order(
    client, tmp_path: Path, monkeypatch
) -> None:
    # The first chunk's tagging is slowed down: the other chunks' results are collected
    # before it (their window slots freed), and the file is still written in input order.
    src = _write(ROWS, tmp_path / "in.csv")
    kw = dict(text_cols=["answer"], id_col="rid", chunk_rows=4)
    scale.tag_file(src, tmp_path / "stream.csv", "vcse-pcc", **kw)
    from commentmine._tagging._public import Tagger

    real_predict, real_collect = Tagger.predict, _dask_tag.collect
    collected: list[int] = []

    def slow_first(self, segments, *, prepared=None):
        if "r000" in set(segments["comment_id"]):  # the first chunk (workers are threads here)
            import time

            time.sleep(1.0)
        return real_predict(self, segments, prepared=prepared)

    def recording_collect(*a, **k):
        got = real_collect(*a, **k)
        collected.extend(got)
        return got

    monkeypatch.setattr(Tagger, "predict", slow_first)
    monkeypatch.setattr(_dask_tag, "collect", recording_collect)
    scale.tag_dask(
        src, "vcse-pcc", scheduler=client, output_path=tmp_path / "dask.csv", window=4, **kw
    )
    assert (tmp_path / "dask.csv").read_bytes() == (tmp_path / "stream.csv").read_bytes()
    assert sorted(collected) == list(range(8)) and collected[0] != 0


def test_dask_file_is_scanned_by_the_client_and_finds_repeated_ids(
    client, tmp_path: Path, monkeypatch
) -> None:
    # A file is scanned here (only the kept chunks are shipped during the scan): no chunk is
    # scanned on a worker, and ids repeated across chunks are still E005 naming them.
    monkeypatch.setattr(_dask_tag, "part_scan", None)  # a worker scan would fail
    rows = ROWS.copy()
    rows.loc[20, "rid"] = "r002"
    rows.loc[27, "rid"] = "r011"
    src = _write(rows, tmp_path / "in.csv")
    kw = dict(text_cols=["answer"], id_col="rid", chunk_rows=4, scheduler=client)
    with pytest.raises(CommentmineError) as err:
        scale.tag_dask(src, "vcse-pcc", output_path=tmp_path / "o.csv", **kw)
    assert err.value.code == "E005"
    assert "'r002'" in str(err.value) and "'r011'" in str(err.value)
    assert not (tmp_path / "o.csv").exists()
    info = scale.tag_dask(_write(ROWS, tmp_path / "ok.csv"), "vcse-pcc", window=3, **kw)
    comments = cm.read(ROWS, text_cols=["answer"], id_col="rid")
    assert len(info) and accounting(info, comments).comments_in == len(ROWS)


def test_dask_keeps_the_fitting_worker_free_of_chunks_until_the_fit_is_done(
    client, tmp_path: Path, monkeypatch
) -> None:
    # Fitted on a worker, the fit is pinned to one worker and the chunks segmented before it
    # is done go to the others (loosely: any worker may still take them); later ones anywhere.
    src = _write(ROWS, tmp_path / "in.csv")
    kw = dict(text_cols=["answer"], id_col="rid", chunk_rows=2)
    scale.tag_file(src, tmp_path / "stream.csv", "vcse-pcc", **kw)
    calls: list[tuple[str, dict]] = []
    real_submit = client.submit

    def recording_submit(fn, *a, **k):
        name = getattr(fn, "__name__", "")
        if name in ("part_segments", "fit_task"):
            calls.append((name, {x: k.get(x) for x in ("workers", "allow_other_workers")}))
        return real_submit(fn, *a, **k)

    monkeypatch.setattr(client, "submit", recording_submit)
    info = scale.tag_dask(
        src,
        "vcse-pcc",
        scheduler=client,
        output_path=tmp_path / "dask.csv",
        fit_on="worker",
        window=6,
        **kw,
    )
    assert (tmp_path / "dask.csv").read_bytes() == (tmp_path / "stream.csv").read_bytes()
    names = sorted(client.scheduler_info()["workers"])
    fit_at = [i for i, (name, _) in enumerate(calls) if name == "fit_task"]
    assert len(fit_at) == 1 and calls[fit_at[0]][1]["workers"] == [names[0]]
    before = [k for name, k in calls[: fit_at[0]] if name == "part_segments"]
    assert len(before) == info["window"]["held"] == 4  # the kept chunks
    assert all(k["workers"] == names[1:] and k["allow_other_workers"] for k in before)
    segs = [k for name, k in calls if name == "part_segments"]
    assert len(segs) == info["chunks"] and segs[-1]["workers"] is None  # after the fit: any


def test_dask_window_is_checked() -> None:
    pytest.importorskip("distributed")
    with pytest.raises(CommentmineError) as err:
        scale.tag_dask("x.csv", "vcse-pcc", window=0)
    assert err.value.code == "E301" and "window" in str(err.value)


def test_dask_frame_duplicate_ids_e005(client) -> None:
    dd = pytest.importorskip("dask.dataframe")
    rows = ROWS.copy()
    rows.loc[25, "rid"] = "r001"
    with pytest.raises(CommentmineError) as err:
        scale.tag_dask(
            dd.from_pandas(rows, npartitions=3),
            "vcse-pcc",
            text_cols=["answer"],
            id_col="rid",
            scheduler=client,
        )
    assert err.value.code == "E005" and "'r001'" in str(err.value)


def test_dask_fit_on_is_checked() -> None:
    pytest.importorskip("distributed")
    with pytest.raises(CommentmineError) as err:
        scale.tag_dask("x.csv", "vcse-pcc", fit_on="gpu")
    assert err.value.code == "E301" and "fit_on" in str(err.value)


def test_missing_dask_is_e201(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(CommentmineError) as err:
        scale.tag_dask("x.csv", "vcse-pcc")
    assert err.value.code == "E201" and "commentmine[dask]" in str(err.value)


def test_tagger_pickles_and_predicts_the_same() -> None:
    import pickle

    from commentmine._segment import segment
    from commentmine._tagging._public import Tagger

    segs = segment(cm.read(ROWS, text_cols=["answer"], id_col="rid"))
    tagger = Tagger("vcse-pcc").fit(segs)
    copy = pickle.loads(pickle.dumps(tagger))
    pd.testing.assert_frame_equal(copy.predict(segs), tagger.predict(segs))


@pytest.mark.parametrize("include_interviewer", [False, True])
def test_a_chunk_prepared_before_the_fit_tags_the_same(include_interviewer: bool) -> None:
    # tag_dask's workers match keywords and embed a chunk with an unfitted Tagger set up from
    # the same codebook and options (while the Tagger is fitted elsewhere); the fitted one
    # then tags it from that: the same table as predicting from scratch.
    from commentmine._segment import segment
    from commentmine._tagging._public import Tagger
    from commentmine.codebook import load_codebook

    comments = cm.read(ROWS, text_cols=["answer"], id_col="rid")
    segs = segment(comments, include_interviewer=True)
    segs.loc[segs.index[::5], "is_interviewer"] = True  # some turns an interviewer's
    kw = dict(include_interviewer=include_interviewer, embedder=None, threshold=None)
    tagger = Tagger("vcse-pcc", fit_sample=100, seed=3, **kw).fit(segs)
    spec = _tasks.setup_spec(load_codebook("vcse-pcc"), 100, 3, kw)
    unfitted = _tasks.set_up_tagger(*spec)
    assert not hasattr(unfitted, "thresholds_")
    assert _tasks.set_up_tagger(*spec) is unfitted  # once per worker thread
    for part in (segs, segs.iloc[:7], segs.iloc[:0]):
        prepared = unfitted.prepare(part)
        pd.testing.assert_frame_equal(tagger.predict(part, prepared=prepared), tagger.predict(part))
    opts = dict(level="comment", include_interviewer=include_interviewer)
    out, acc = _chunk.tag_chunk(
        tagger, comments, segments=segs, prepared=unfitted.prepare(segs), **opts
    )
    want, want_acc = _chunk.tag_chunk(tagger, comments, segments=segs, **opts)
    pd.testing.assert_frame_equal(out, want)
    assert acc == want_acc
    with pytest.raises(CommentmineError) as err:
        tagger.predict(segs, prepared=unfitted.prepare(segs.iloc[:7]))
    assert err.value.code == "E301"


def test_dask_tags_every_chunk_from_what_the_workers_prepared(
    client, tmp_path: Path, monkeypatch
) -> None:
    from commentmine._tagging._public import Tagger

    src = _write(ROWS, tmp_path / "in.csv")
    kw = dict(text_cols=["answer"], id_col="rid", chunk_rows=4)
    scale.tag_file(src, tmp_path / "stream.csv", "vcse-pcc", **kw)
    seen: list[bool] = []
    real_predict = Tagger.predict

    def recording_predict(self, segments, *, prepared=None):
        seen.append(prepared is not None)
        return real_predict(self, segments, prepared=prepared)

    monkeypatch.setattr(Tagger, "predict", recording_predict)  # the workers are threads here
    info = scale.tag_dask(
        src, "vcse-pcc", scheduler=client, output_path=tmp_path / "dask.csv", **kw
    )
    assert (tmp_path / "dask.csv").read_bytes() == (tmp_path / "stream.csv").read_bytes()
    assert seen == [True] * info["chunks"]


def test_discover_dask_fits_on_a_sample_and_assigns_every_segment(client) -> None:
    from commentmine._segment import segment

    segs = segment(cm.read(ROWS, text_cols=["answer"], id_col="rid"))
    whole = cm.discover(segs, n_themes=3, min_theme_size=2)
    same = scale.discover_dask(
        segs, fit_sample=len(segs), scheduler=client, n_themes=3, min_theme_size=2
    )
    pd.testing.assert_frame_equal(same.assignments, whole.assignments)

    part = scale.discover_dask(segs, fit_sample=20, scheduler=client, n_themes=3, min_theme_size=2)
    got = part.assignments
    assert got["segment_id"].tolist() == segs["segment_id"].tolist()
    known = set(part.themes["id"]) | {"outlier"}
    assert set(got["theme"]) <= known and got["theme"].notna().all()
    assert set(part.comment_assignments["comment_id"]) == set(segs["comment_id"])
    for cid, theme in part.comment_assignments.itertuples(index=False):  # segments' majority
        mine = got.loc[got["comment_id"] == cid, "theme"].tolist()
        real = [t for t in mine if t != "outlier"]
        best = max(real.count(t) for t in real) if real else 0
        assert theme == (min(t for t in real if real.count(t) == best) if real else "outlier")


def test_discover_dask_former_names_warn_and_still_reach_the_run() -> None:
    pytest.importorskip("distributed")
    rows = pd.DataFrame({"comment_id": ["1"], "text": ["a comment"]})
    for old in ("sample", "partition_rows"):  # now fit_sample and chunk_rows, as tag_file's
        with (
            pytest.warns(DeprecationWarning, match="the old name will be removed"),
            pytest.raises(CommentmineError, match="fit_sample and chunk_rows must be >= 1"),
        ):
            scale.discover_dask(rows, **{old: 0})


def test_discover_dask_takes_a_dask_frame(client) -> None:
    dd = pytest.importorskip("dask.dataframe")
    comments = cm.read(ROWS, text_cols=["answer"], id_col="rid")
    opts = dict(scheduler=client, n_themes=3, min_theme_size=2)
    mem = scale.discover_dask(comments, fit_sample=20, chunk_rows=7, **opts)
    for parts in (1, 3):
        got = scale.discover_dask(
            dd.from_pandas(comments, npartitions=parts), fit_sample=20, **opts
        )
        pd.testing.assert_frame_equal(got.assignments, mem.assignments)
        pd.testing.assert_frame_equal(got.comment_assignments, mem.comment_assignments)
        pd.testing.assert_frame_equal(got.themes, mem.themes)
    assert len(mem.assignments) > 20  # the rest were assigned on the workers
    whole = cm.discover(comments, n_themes=3, min_theme_size=2)
    every = scale.discover_dask(dd.from_pandas(comments, npartitions=3), fit_sample=10**6, **opts)
    pd.testing.assert_frame_equal(every.assignments, whole.assignments)


def test_discover_dask_ships_a_window_of_slices(client) -> None:
    # One segment per slice: more slices than the window; at most a window of them is out at
    # once, and the assignments are those of one big slice.
    comments = cm.read(ROWS, text_cols=["answer"], id_col="rid")
    opts = dict(scheduler=client, fit_sample=8, n_themes=2, min_theme_size=2)
    big = scale.discover_dask(comments, chunk_rows=10**6, **opts)
    stats: dict[str, int] = {}
    small = scale.discover_dask(comments, chunk_rows=1, stats=stats, **opts)
    assert stats["chunks"] == len(small.assignments) - 8 > stats["window"] == 8
    assert stats["peak"] == stats["window"]
    pd.testing.assert_frame_equal(small.assignments, big.assignments)


def test_discover_dask_rejects_a_wide_table(client) -> None:
    with pytest.raises(CommentmineError) as err:
        scale.discover_dask(ROWS, scheduler=client)
    assert err.value.code == "E301" and "commentmine.read" in str(err.value)


# --------------------------------------------------------------------------- CLI


def _cli(*args: str):
    from typer.testing import CliRunner

    from commentmine.cli import app

    return CliRunner().invoke(app, ["tag", *args])


def test_cli_stream_writes_the_same_file(tmp_path: Path) -> None:
    src = _write(ROWS, tmp_path / "in.csv")
    base = [str(src), "--text-col", "answer", "--id-col", "rid", "-c", "vcse-pcc", "-q"]
    for level in ("segment", "comment"):
        a, b = tmp_path / f"mem_{level}.csv", tmp_path / f"st_{level}.csv"
        res = _cli(*base, "--level", level, "--out", str(a))
        assert res.exit_code == 0, res.output
        res = _cli(*base, "--level", level, "--out", str(b), "--chunk-rows", "4")
        assert res.exit_code == 0, res.output
        assert a.read_bytes() == b.read_bytes()


def test_cli_dask_engine_on_a_given_scheduler(client, tmp_path: Path) -> None:
    src = _write(ROWS, tmp_path / "in.csv")
    base = [str(src), "--text-col", "answer", "--id-col", "rid", "-c", "vcse-pcc"]
    assert _cli(*base, "-q", "--out", str(tmp_path / "mem.csv")).exit_code == 0
    res = _cli(
        *base,
        "--engine",
        "dask",
        "--scheduler",
        client.scheduler.address,
        "--chunk-rows",
        "6",
        "--out",
        str(tmp_path / "dask.csv"),
    )
    assert res.exit_code == 0, res.output
    assert "comments in 30" in res.output
    assert (tmp_path / "dask.csv").read_bytes() == (tmp_path / "mem.csv").read_bytes()


def test_cli_streams_big_inputs_by_itself_and_refuses_bad_combinations(
    tmp_path: Path, monkeypatch
) -> None:
    from commentmine._cli.scale import use_scaled_path

    src = _write(ROWS, tmp_path / "in.csv")
    assert not use_scaled_path(src, stream=False, chunk_rows=None, engine="local")
    monkeypatch.setattr(scale, "STREAM_THRESHOLD_BYTES", 100)
    assert use_scaled_path(src, stream=False, chunk_rows=None, engine="local")
    assert not use_scaled_path(src, stream=False, chunk_rows=None, engine="local", model="m")
    res = _cli(
        str(src),
        "--text-col",
        "answer",
        "-c",
        "vcse-pcc",
        "--stream",
        "--out",
        str(tmp_path / "o.xlsx"),
    )
    assert res.exit_code == 2 and "E301" in res.output
    res = _cli(
        str(src),
        "--text-col",
        "answer",
        "-c",
        "vcse-pcc",
        "--engine",
        "spark",
        "--out",
        str(tmp_path / "o.csv"),
    )
    assert res.exit_code == 2 and "E301" in res.output
    assert not (tmp_path / "o.csv").exists()


def test_tag_accepts_a_dask_frame_and_uses_the_active_client(client) -> None:
    dd = pytest.importorskip("dask.dataframe")
    comments = cm.read(ROWS, text_cols=["answer"], id_col="rid")
    got = cm.tag(dd.from_pandas(comments, npartitions=3), "vcse-pcc")
    pd.testing.assert_frame_equal(got, cm.tag(comments, "vcse-pcc"))


def test_cli_discover_on_dask(client, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from commentmine.cli import app

    src = _write(ROWS, tmp_path / "in.csv")
    res = CliRunner().invoke(
        app,
        [
            "discover",
            str(src),
            "--text-col",
            "answer",
            "--id-col",
            "rid",
            "--n-themes",
            "3",
            "--engine",
            "dask",
            "--scheduler",
            client.scheduler.address,
            "--fit-sample",
            "25",
            "--assignments",
            str(tmp_path / "a.csv"),
            "--out",
            str(tmp_path / "d.yaml"),
        ],
    )
    assert res.exit_code == 0, res.output
    got = pd.read_csv(tmp_path / "a.csv", dtype=str)
    segs = cm.segment(cm.read(src, text_cols=["answer"], id_col="rid"))
    assert got["segment_id"].tolist() == segs["segment_id"].tolist()
    assert cm.load_codebook(tmp_path / "d.yaml").themes
