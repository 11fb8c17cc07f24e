"""Redaction: personal data out of text before it leaves the tool.

Every export meant for readers (quotes, reports, QDA projects) passes its text through
:func:`redact`. What becomes a typed placeholder:

==============  =============================================================================
``[EMAIL]``     e-mail addresses (regex)
``[URL]``       web addresses: ``http(s)://``, ``www.`` and bare domains such as ``x.org.uk``
``[PHONE]``     UK numbers (``07700 900123``, ``(01234) 567890``, ``+44 (0)20 7946 0018``,
                ``0044 ...``, ``0800 ...``) and ``+``-prefixed international numbers (regex)
``[POSTCODE]``  UK postcodes (``BS1 4ST``; lower case too unless it reads as "4th")
``[ADDRESS]``   a house number and street (``12 High Street``), with the town and postcode
                that follow it (``14 Mill Lane, Leeds LS6 2AB``)
``[NAME]``      people: spaCy NER ``PERSON``, the person-name list, the user's ``names``
``[ORG]``       organisations: NER ``ORG`` and the user's ``orgs`` list
``[PLACE]``     places: NER ``GPE``, ``LOC`` and ``FAC`` (and, at ``"strict"``, the police
                force areas)
==============  =============================================================================

Levels
------
The level says how far redaction goes. It follows the ICO's guidance on anonymisation and its
"motivated intruder" test: could a person with no special knowledge, but with the report, the
internet and some determination, pick out who said a quote?

``"identifiers"``
    Contact details (e-mail, web address, phone, postcode, street address) and people's names.
    Named organisations and places stay. For text whose readers already know the setting.
``"names"`` (the default)
    Also named local organisations and small places (towns, villages, estates): in a quote
    attributed "small charity, Wales", a named town plus the organisation type can point to one
    small organisation. Countries, nations and regions, national bodies and well-known national
    charities stay (see the allow-list below): they identify no one. Counties and police force
    areas ("Kent", "Thames Valley", "Dyfed-Powys") count as regions and stay: each covers
    hundreds of thousands of people or more and hundreds of voluntary organisations, so in a
    quote attributed "small charity, South East" the word "Kent" does not point to one of them.
    (Rutland and the Isles of Scilly are left off that list: small enough to narrow a quote
    down.) Places and organisations as well known as "Leeds" or "Tesco" stay too (see
    :data:`KNOWN_NAME_FLOOR`). A place is small below 20,000 residents, where the ONS's
    classification of built-up areas ends "small towns": the UK's towns and cities of 20,000
    or more ("Darlington", "Cramlington", "Bishop Auckland"; GeoNames) and the local authority
    districts of England and Wales ("Bassetlaw"; ONS) stay, and so does a general hospital
    named after one ("Darlington Hospital", "Cramlington A&E"): it serves the whole town and
    names no one more than the town does. Villages and small towns ("Llanidloes", "Hexham
    Hospital"), wards and units, and any other organisation named after a town ("Worksop Food
    Bank") are redacted. A town's name that may be a person's stays a person's: after a title
    ("Mr Darlington"), beside a person word ("I asked Preston"), or a listed first name the
    model reads as an organisation ("with Stanley yesterday").
``"strict"``
    Every named entity the model finds, the allow-listed national bodies, charities, countries
    and regions included (only the sector's own words, such as "PCC" or "Home Office" are
    kept when they are in the ``[domain]`` section, see below).

What is never redacted
----------------------
* The allow-list (``commentmine/data/redact/allow.txt``, plus ``countries.txt``): the sector's
  words (PCC, OPCC, VCSE, "Police and Crime Plan" ...), nations, countries, regions,
  counties and police force areas, national bodies ("Home Office", "National Lottery", "NHS") and well-known national charities
  ("Victim Support", "Women's Aid", "Barnardo's"). Extend it with ``allow=``. Role words and
  titles ("Chief Executive", "Commissioner", "Mr") are trimmed from the edges of an entity
  ("PCC John Smith" -> "PCC [NAME]").
* Common words that the NER model tags by mistake. A word counts as common when its lower-case
  form is an ordinary English word: in spaCy's English word-frequency table
  (``spacy-lookups-data``) the lower-case form is at least as frequent as the capitalised one
  and more frequent than :data:`COMMON_WORD_FLOOR` ("Black", "Mark's", "Calf", "Simpler" are;
  "John", "Okafor" are not). An entity made only of common words, of all-capital words ("LACK
  OF TRUST BY THE CUSTOMER", "ATM", "GP") or of lower-case words is kept, unless a title
  ("Mrs Grace") or a person word next to it ("Grace said", "ask Joy") says it is a person.
  A word of parts split by hyphens, dots or "!" is common when each part is an ordinary word
  or an acronym ("PE!Tachycardia").
* A word cut short where an export truncated the comment: the last word of a text, with no
  punctuation after it, four letters or more, no listed name, that begins a frequent English
  word, a well-known name or an allow-listed phrase ("...helped instead. Shou", "a large area
  in Northumbe").

Names of every background
-------------------------
The small English NER model misses or mistypes many names that are not Anglo-European
("Olumide Adeyemi" as a facility, "Chidinma Okonkwo" as an organisation). Two more sources
catch them, in the manner of Presidio's recognisers (patterns plus context words):

* a person-name list (``person_names.txt``: about 41,000 first names and surnames, Latin
  script, from the person lists of Faker's locales: British, Irish, Indian, Pakistani,
  Nigerian (Yoruba, Igbo, Hausa), Ghanaian, Kenyan, Swahili, Zulu, Polish, Romanian, Czech,
  Lithuanian, Hungarian, Turkish, Chinese and Japanese romanised, Vietnamese and more, plus
  a few common surnames Faker leaves out, see ``benchmarks/make_redact_lists.py``). An
  entity whose first word is a listed first name or whose last word is a listed surname is a
  person, whatever label the model gave it;
* the shape of a name: two or more capitalised words in a row, none of them a common word or
  an allow-listed phrase ("Tadesse Gebremariam"), or one listed name with a title or a person
  word beside it.

The redaction log
-----------------
:func:`find_redactions` returns, per text, every redaction with its placeholder and the reason
(which pattern, list or model rule made it). Reports write it as ``redactions.csv`` (no
original text) and a working file for the analyst with the original beside the redacted text.

Overlaps are resolved deterministically: regex spans first (e-mail, URL, phone, postcode,
address, in that order), then the user lists, then police area names (``"strict"`` only),
then allow-listed phrases (kept as they are), then names and entities; a later span keeps only
the parts that no earlier span covers. One exception: an allow-listed word that is a listed
name inside a person's name ("Sarah Kent", "Mrs Durham", "Devon Lewis") is redacted with the
name, so that no half of a name is left. Same-type spans separated only by spaces are joined ("[NAME]", not
"[NAME] [NAME]").
"""

from __future__ import annotations

from commentmine._redact._api import (
    find_redactions,
    redact,
    redact_many,
    redaction_spans,
    redaction_spans_many,
)
from commentmine._redact._base import (
    DEFAULT_LEVEL,
    LEVELS,
    PLACEHOLDER_TYPES,
    Redaction,
)
from commentmine._redact._base import _check_level as _check_level  # for commentmine._redacted
from commentmine._redact._ner import NER_PIPELINE as NER_PIPELINE
from commentmine._redact._spans import apply_spans
from commentmine._redact._words import (
    COMMON_WORD_FLOOR,
    KNOWN_NAME_FLOOR,
    POLICE_AREAS,
    allow_list,
)
from commentmine._redact._words import is_common_word as is_common_word

__all__ = [
    "ALLOW",
    "COMMON_WORD_FLOOR",
    "KNOWN_NAME_FLOOR",
    "DEFAULT_LEVEL",
    "LEVELS",
    "PLACEHOLDER_TYPES",
    "POLICE_AREAS",
    "Redaction",
    "apply_spans",
    "allow_list",
    "find_redactions",
    "redact",
    "redact_many",
    "redaction_spans",
    "redaction_spans_many",
]


#: The phrases never redacted at the default level (:func:`allow_list` of ``"names"``).
ALLOW: frozenset[str] = allow_list(DEFAULT_LEVEL)

# the public class says where to import it from (help(), pickles)
Redaction.__module__ = __name__
