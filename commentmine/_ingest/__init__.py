"""The parts of :mod:`commentmine.ingest` (private; import from ``commentmine.ingest``)."""
