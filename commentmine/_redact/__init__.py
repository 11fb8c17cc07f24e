"""The parts of :mod:`commentmine.redact` (private; import from ``commentmine.redact``)."""
