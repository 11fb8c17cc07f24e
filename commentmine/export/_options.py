"""The settings of a report, declared once (``report()``, ``prepare()`` and the CLI)."""

from __future__ import annotations

from dataclasses import dataclass, field

from commentmine import errors
from commentmine._quotes._options import QuoteOptions

DEFAULT_TITLE = "Themes in the comments"
#: Locale of a report: decides the paper size of the Word report (A4, or Letter for the
#: regions that use it).
DEFAULT_LOCALE = "en-GB"
#: Regions (the part after the "-" of a locale such as "en-US") whose paper is US Letter.
LETTER_REGIONS = frozenset({"US", "CA", "MX", "PH", "CL", "CO", "VE", "PR", "GT", "CR", "PA"})
FORMATS = ("md", "html", "docx", "xlsx", "qdpx", "csv")
DEFAULT_FORMATS = ("md", "html", "docx", "xlsx", "qdpx")


def paper_for(locale: str) -> str:
    """``"Letter"`` for a locale of a region that uses US Letter, else ``"A4"``.

    >>> paper_for("en-GB"), paper_for("en_US"), paper_for("fr-CA"), paper_for("cy")
    ('A4', 'Letter', 'Letter', 'A4')
    """
    parts = str(locale).replace("_", "-").split("-")
    if len(parts) < 2 or not parts[0].isalpha() or not 2 <= len(parts[0]) <= 3:
        if len(parts) == 1 and parts[0].isalpha() and 2 <= len(parts[0]) <= 3:
            return "A4"
        raise errors.bad_argument(
            f"locale {locale!r} is not a language tag such as 'en-GB' or 'en-US'."
        )
    return "Letter" if parts[1].upper() in LETTER_REGIONS else "A4"


@dataclass(frozen=True)
class ReportOptions:
    """What a report shows and how: its quote settings plus three of its own.

    Shared by :func:`commentmine.report` (which also takes each field, and each field of
    ``quoting``, as a keyword argument) and the ``report`` command. Values are checked when the
    object is made.

    Parameters
    ----------
    quoting : QuoteOptions
        How the report's quotes are picked, redacted and attributed; its ``by`` also breaks
        the numbers down, its ``redact`` (and ``names``, ``orgs``, ``allow``) also applies to
        the segment sheet and the QDA sources, its ``consent_col`` also blanks do-not-quote
        respondents' text in the spreadsheet, and its ``min_cell`` is the report's disclosure
        threshold: shares on a base under this size (in the overview, the sections, the
        charts and every table), group cells under it and attribution groups under it are
        suppressed or generalised.
    formats : sequence of str, default ("md", "html", "docx", "xlsx", "qdpx")
        Any of ``md`` (report.md + report_files/), ``html`` (report.html, self-contained),
        ``docx`` (report.docx), ``xlsx`` (quotes.xlsx), ``qdpx`` (project.qdpx),
        ``csv`` (quotes.csv).
    title : str
        Report title.
    locale : str, default "en-GB"
        The readers' locale, a language tag. It sets the Word report's paper: A4, or US
        Letter for regions that use it (``"en-US"``, ``"en-CA"``, ...).
    """

    quoting: QuoteOptions = field(default_factory=QuoteOptions)
    formats: tuple[str, ...] = DEFAULT_FORMATS
    title: str = DEFAULT_TITLE
    locale: str = DEFAULT_LOCALE

    def __post_init__(self) -> None:
        if not isinstance(self.quoting, QuoteOptions):
            raise errors.bad_argument(
                f"ReportOptions.quoting must be a QuoteOptions, got {type(self.quoting).__name__}"
            )
        if isinstance(self.formats, str):
            raise errors.bad_argument("formats must be a list of format names, not one string")
        fmts = tuple(str(f).strip().lower() for f in self.formats)
        for f in fmts:
            if f not in FORMATS:
                raise errors.unknown_format(f, FORMATS)
        object.__setattr__(self, "formats", fmts)
        paper_for(self.locale)  # a bad locale fails here

    @property
    def paper(self) -> str:
        """The Word report's paper size for :attr:`locale`."""
        return paper_for(self.locale)

    @property
    def min_cell(self) -> int:
        """The report's disclosure threshold (``quoting.min_cell``)."""
        return self.quoting.min_cell
