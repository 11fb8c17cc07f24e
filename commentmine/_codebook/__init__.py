"""The parts of :mod:`commentmine.codebook` (private; import from ``commentmine.codebook``)."""
