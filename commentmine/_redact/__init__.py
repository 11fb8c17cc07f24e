"""Redaction (:func:`commentmine.redact`): ``_public`` holds the documented names, the other
modules their parts. Private: use ``commentmine.redact``."""
