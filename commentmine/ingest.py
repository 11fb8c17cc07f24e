"""Read survey exports and interview notes into the comments table.

This is the first stage of the flow (comments -> segments -> tags -> ...). Two kinds of input
become the same long table, documented in :mod:`commentmine._tables`:

* **Survey exports** (CSV/TSV, XLSX, JSON, JSONL, Parquet): one row per respondent and one column
  per question ("wide"). Each (respondent, free-text column) pair becomes one comment; every
  other column is carried along as metadata.
* **Interview notes** (TXT, Markdown, DOCX, or a folder of them): one comment per speaker turn;
  headings become the ``question``; interviewer turns are kept and flagged.

Nothing is dropped: blank answers get ``status="empty"`` and non-answers such as "N/A" or
"none" get ``status="non_answer"`` (see :data:`NON_ANSWERS`). Every value is read as text, so
numeric or date-like ids survive unchanged.
"""

from commentmine._ingest._api import read, read_interviews
from commentmine._ingest._base import (
    DEFAULT_INTERVIEWER_LABELS,
    INTERVIEW_EXTENSIONS,
    INTERVIEW_METADATA,
    NON_ANSWERS,
    SURVEY_EXTENSIONS,
    answer_status,
)
from commentmine._ingest._base import ENCODINGS as ENCODINGS
from commentmine._ingest._files import check_zip as check_zip
from commentmine._ingest._wide import MIN_VALUES_TO_JUDGE as MIN_VALUES_TO_JUDGE
from commentmine._ingest._wide import detect_text_columns
from commentmine._tables import STATUS_NON_ANSWER as STATUS_NON_ANSWER  # tag imports it from here

__all__ = [
    "DEFAULT_INTERVIEWER_LABELS",
    "INTERVIEW_EXTENSIONS",
    "INTERVIEW_METADATA",
    "NON_ANSWERS",
    "SURVEY_EXTENSIONS",
    "answer_status",
    "detect_text_columns",
    "read",
    "read_interviews",
]
