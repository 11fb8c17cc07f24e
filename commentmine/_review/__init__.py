"""The parts of :mod:`commentmine.review` (private; import from ``commentmine.review``)."""
