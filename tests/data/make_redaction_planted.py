"""Planted personal data for the redaction benchmark and tests: WRITTEN FOR THIS PROJECT.

Every sentence here is invented for commentmine; no real person, organisation or response is in
it. Phone numbers use Ofcom's drama ranges (01632 960xxx, 07700 900xxx, 020 7946 0xxx ...),
e-mails use example domains.

Two parts, with different names and different sentence frames, so that the rules developed on
one can be scored fairly on the other:

* ``dev``: names drawn (seeded) from Faker's person lists of the matching locales (the same
  source as commentmine's person-name list) or, for Welsh and Arabic, from the short lists
  ``DEV_NAMES`` below; survey-answer frames (``DEV_FRAMES``).
* ``heldout``: names written by hand for this file (``HELDOUT_NAMES``), not looked up in any
  list, and interview-note frames (``HELDOUT_FRAMES``): speaker turns, bullets, possessives,
  lower-case starts.

Both parts also carry e-mails, UK phone numbers in many formats, postcodes, street addresses,
local organisations and small places. Regenerate with::

    python tests/data/make_redaction_planted.py     # writes tests/data/redaction_planted.csv

Columns: ``split, id, text, spans`` where ``spans`` is a JSON list of
``[start, end, type, group]`` (type: person, email, phone, postcode, address, organisation,
place; group: the origin group of a person's name, else "").
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

OUT = Path(__file__).with_name("redaction_planted.csv")
SEED = 1717

GROUPS = (
    "british",
    "welsh",
    "irish",
    "south_asian",
    "east_african",
    "west_african",
    "eastern_european",
    "chinese",
    "vietnamese",
    "arabic",
)

#: Faker locales per group for the development names.
DEV_LOCALES = {
    "british": ["en_GB"],
    "irish": ["en_IE", "ga_IE"],
    "south_asian": ["en_IN", "en_PK"],
    "east_african": ["en_KE", "sw"],
    "west_african": ["yo_NG", "ig_NG", "ha_NG", "tw_GH"],
    "eastern_european": ["pl_PL", "ro_RO", "cs_CZ", "lt_LT", "hu_HU"],
    "chinese": ["zh_CN", "zh_TW"],
    "vietnamese": ["vi_VN"],
}
DEV_NAMES = {
    "welsh": [
        "Rhys Bowen", "Cerys Hughes", "Dafydd Roberts", "Gwenllian Davies", "Iwan Pritchard",
        "Llinos Evans", "Aled Jenkins", "Sioned Thomas", "Gethin Lloyd", "Ffion Morgan",
        "Emyr Williams", "Nia Powell", "Owain Griffiths", "Bethan Parry", "Meinir Jones",
    ],
    "arabic": [
        "Ahmed Al-Sayed", "Fatima Haddad", "Yusuf Hamdan", "Mariam Saleh", "Hassan Nasser",
        "Amira Khalil", "Karim Mansour", "Salma Darwish", "Bilal Othman", "Zainab Al-Amin",
        "Mustafa Hijazi", "Rana Suleiman", "Ibrahim Qasim", "Leila Farouk", "Walid Ayoub",
    ],
}  # fmt: skip

#: Written by hand for the held-out part (not drawn from any list).
HELDOUT_NAMES = {
    "british": [
        "Gemma Thornbury", "Callum Pritchett", "Lorraine Ashworth", "Darren Heseltine",
        "Kirsty Blackwood", "Trevor Gosling", "Shona Whitaker", "Wayne Clitheroe",
        "Bernadette Oakes", "Jodie Ramsbottom",
    ],
    "welsh": [
        "Rhodri Pugh", "Angharad Prys", "Gwilym Bowen-Jones", "Eluned Gruffydd", "Iestyn Parri",
        "Nerys Vaughan", "Hywel ap Dafydd", "Branwen Llewelyn", "Aneurin Rees", "Carwyn Tudur",
    ],
    "irish": [
        "Aoife Ni Bhriain", "Padraig O'Shaughnessy", "Niamh McGuinness", "Ciaran Breathnach",
        "Orla Fitzgerald", "Donal Mac Carthaigh", "Sinead Kavanagh", "Eoin Dunleavy",
        "Grainne Cullinane", "Tadhg O'Donoghue",
    ],
    "south_asian": [
        "Harpreet Sandhu", "Rajinder Bains", "Nusrat Chowdhury", "Arjun Venkataraman",
        "Shabana Iqbal", "Kuldip Dhaliwal", "Meenakshi Subramanian", "Imran Qureshi",
        "Tahmina Akhtar", "Sanjeev Grewal",
    ],
    "east_african": [
        "Abdirahman Warsame", "Hodan Farah", "Tesfaye Bekele", "Mulugeta Haile",
        "Wanjiru Kamau", "Nakato Ssempala", "Faduma Abdullahi", "Yohannes Tesfamariam",
        "Achieng Odhiambo", "Kibet Rotich",
    ],
    "west_african": [
        "Oluwaseun Adebayo", "Chukwuemeka Nwachukwu", "Abena Asantewaa", "Kofi Boateng",
        "Folasade Ogunleye", "Ifeoma Ezeh", "Mamadou Diallo", "Fatoumata Bah", "Yaw Darko",
        "Temitope Akinola",
    ],
    "eastern_european": [
        "Grzegorz Wroblewski", "Agnieszka Brzozowska", "Tomasz Zielinski",
        "Ionut Constantinescu", "Mihaela Dumitrescu", "Jiri Dvorak", "Oksana Kovalenko",
        "Dmytro Shevchenko", "Vasile Munteanu", "Zsofia Kertesz",
    ],
    "chinese": [
        "Li Xiaoming", "Chen Jiayi", "Wong Ka Wai", "Zhou Xinyi", "Huang Zhiwei",
        "Lau Mei Ling", "Cheung Siu Fung", "Liu Yang", "Xu Haoran", "Tan Wei Ming",
    ],
    "vietnamese": [
        "Nguyen Thi Hoa", "Tran Van Duc", "Le Thi Thu Trang", "Pham Minh Tuan",
        "Hoang Bao Ngoc", "Vu Thanh Hai", "Dang Quoc Bao", "Bui Thi Lien", "Do Anh Khoa",
        "Ngo Thi Mai",
    ],
    "arabic": [
        "Abdulrahman Al-Khatib", "Yousef Haddadin", "Layla Mansouri", "Khalid bin Saeed",
        "Noor Al-Hashimi", "Omar Barakat", "Rania Khoury", "Samir El-Masri", "Huda Nasrallah",
        "Tariq Abdelaziz",
    ],
}  # fmt: skip

DEV_FRAMES = [
    "{name} from the OPCC never replied to my email.",
    "Please ask {name} about the tender, she knows the details.",
    "Our chair {name} raised it at the hustings.",
    "I spoke to {name} at the network meeting about the Community Safety Fund.",
    "{name} has been our main contact at the council for years.",
    "Thanks to {name} for all the support with the bid.",
    "The PCC's officer {name} visited us twice last year.",
    "We work closely with {name} on the domestic abuse pathway.",
]
HELDOUT_FRAMES = [
    "Q: Who did you deal with? A: Mostly {name}, the commissioning lead.",
    "We were introduced to {name} by another charity in the network.",
    "When {name} left, the relationship with the office went cold.",
    "The caseworker, {name}, chased the payment for months.",
    "Honestly {name} was the only one who understood our work.",
    "My colleague {name} wrote most of the application.",
    "- {name} (volunteer coordinator) organised the open day",
    "It was {name}'s idea to bid jointly with the youth project.",
    "we had a call with {name} last week and it went well",
    "Interviewer: And {name}? Respondent: moved to another force, sadly.",
]

EMAIL_FRAMES = {
    "dev": [
        "Email me on {email} if you want more detail.",
        "Contact: {email}",
    ],
    "heldout": [
        "(send the evidence pack to {email} please)",
        "My address is {email}.",
    ],
}
PHONE_FORMATS = [
    "07700 900{n:03d}", "07700900{n:03d}", "07700-900-{n:03d}", "+44 7700 900{n:03d}",
    "+44 (0)7700 900{n:03d}", "0044 7700 900{n:03d}", "01632 960{n:03d}", "(01632) 960{n:03d}",
    "020 7946 0{n:03d}", "(020) 7946 0{n:03d}", "0117 496 0{n:03d}", "0121 496 0{n:03d}",
    "028 9649 6{n:03d}", "029 2018 0{n:03d}", "0808 157 0{n:03d}", "0300 123 4{n:03d}",
]  # fmt: skip
PHONE_FRAMES = {
    "dev": ["Happy to discuss, ring me on {phone}.", "Tel: {phone}"],
    "heldout": ["You can reach the helpline on {phone} any weekday.", "mob {phone} (evenings)"],
}
POSTCODES = [
    "BS1 4ST", "LS6 2AB", "M14 5RT", "SW1A 1AA", "EC1A 1BB", "W1A 0AX", "CF10 3NQ", "B33 8TH",
    "NE1 7RU", "CR2 6XH", "DN55 1PT", "SA1 1DP", "LL57 2DG", "BT7 1NN", "E1 6AN", "N17 0AP",
    "cf24 4hq", "ls11 5dn", "NG71FD", "PL4 8AA",
]  # fmt: skip
POSTCODE_FRAMES = {
    "dev": ["We are based in {postcode} if anyone wants to visit.", "Postcode: {postcode}"],
    "heldout": ["Most referrals come from around {postcode}.", "(office moved to {postcode})"],
}
ADDRESSES = [
    "14 Mill Lane", "45 Acacia Avenue", "7a Station Road", "112 High Street", "3 Chapel Close",
    "21 Victoria Terrace", "9 Bryn Road", "60 Church Street", "18 Maes Y Coed Road",
    "2 Castle Court",
]  # fmt: skip
ADDRESS_FRAMES = {
    "dev": ["Our drop-in is at {address}, next to the library.", "Write to us at {address}."],
    "heldout": ["the hub at {address} closed in March", "Flat 2, {address} is our office."],
}
ORGS = [
    "Safer Streets Barnsley", "Kinmel Bay Youth Trust", "Hope House Rotherham",
    "Tredegar Mums Network", "Cleator Moor Food Bank", "Penwortham Recovery Hub",
    "Sparkbrook Women's Centre", "Ystrad Mynach Boxing Club", "Clacton Street Pastors",
    "Moss Side Sisters Collective",
]  # fmt: skip
ORG_FRAMES = {
    "dev": ["We deliver jointly with {org} on the estate.", "{org} lost its grant this year."],
    "heldout": ["a partner ({org}) does the outreach", "Without {org} we could not cope."],
}
PLACES = [
    "Llanidloes", "Ynysybwl", "Kirkby Stephen", "Blaenau Ffestiniog", "Cleator Moor",
    "Penmaenmawr", "Holmfirth", "Tow Law", "Brynmawr", "Haltwhistle",
]  # fmt: skip
PLACE_FRAMES = {
    "dev": ["Most of our volunteers live in {place}.", "Transport out to {place} is the problem."],
    "heldout": ["nothing reaches villages like {place} at all", "We run a session in {place}."],
}


def _dev_names(rng: random.Random, group: str, k: int) -> list[str]:
    if group in DEV_NAMES:
        return rng.sample(DEV_NAMES[group], k)
    import importlib
    import unicodedata

    def latin(v: object) -> bool:
        return isinstance(v, str) and all(
            c in " -'" or "LATIN" in unicodedata.name(c, "") for c in v
        )

    firsts: list[str] = []
    lasts: list[str] = []
    for loc in DEV_LOCALES[group]:
        prov = importlib.import_module(f"faker.providers.person.{loc}").Provider
        for attr in sorted(dir(prov)):
            if "pair" in attr or "kana" in attr or attr.startswith("_"):
                continue
            kind = "first" if attr.startswith("first") else "last" if "last" in attr else ""
            bucket = {"first": firsts, "last": lasts}.get(kind) if "name" in attr else None
            vals = getattr(prov, attr)
            if bucket is None or not isinstance(vals, (list, tuple, dict)):
                continue
            bucket.extend(v.title() if v.isupper() else v for v in vals if latin(v))
    firsts = sorted(set(firsts) - {"John", "Jane"})
    lasts = sorted(set(lasts) - {"Doe"})
    if group == "chinese":  # surname first, as written
        return [f"{rng.choice(lasts)} {rng.choice(firsts)}" for _ in range(k)]
    if group == "vietnamese":
        return [f"{rng.choice(lasts)} {rng.choice(firsts)}" for _ in range(k)]
    return [f"{rng.choice(firsts)} {rng.choice(lasts)}" for _ in range(k)]


def _fill(frame: str, key: str, value: str, typ: str, group: str) -> tuple[str, list[list]]:
    spans = []
    out = ""
    rest = frame
    token = "{" + key + "}"
    while token in rest:
        a, _, rest = rest.partition(token)
        out += a
        spans.append([len(out), len(out) + len(value), typ, group])
        out += value
    return out + rest, spans


def make_rows() -> list[dict[str, str]]:
    rng = random.Random(SEED)
    rows: list[dict[str, str]] = []
    for split in ("dev", "heldout"):
        frames = DEV_FRAMES if split == "dev" else HELDOUT_FRAMES
        n = 0
        for group in GROUPS:
            names = _dev_names(rng, group, 15) if split == "dev" else HELDOUT_NAMES[group]
            for k, name in enumerate(names):
                for frame in rng.sample(frames, 2 if split == "heldout" else 1):
                    text, spans = _fill(frame, "name", name, "person", group)
                    n += 1
                    rows.append(
                        {
                            "split": split,
                            "id": f"{split}-{n:04d}",
                            "text": text,
                            "spans": json.dumps(spans),
                        }
                    )
                del k
        for i in range(24):
            user = rng.choice(["jo.bloggs", "admin", "r.patel", "info", "k_nguyen", "ade.o"])
            dom = rng.choice(["example.org", "example.org.uk", "charity.example.co.uk"])
            kinds = [
                ("email", EMAIL_FRAMES, f"{user}{i}@{dom}"),
                ("phone", PHONE_FRAMES, PHONE_FORMATS[i % len(PHONE_FORMATS)].format(n=i)),
                ("postcode", POSTCODE_FRAMES, POSTCODES[i % len(POSTCODES)]),
                ("address", ADDRESS_FRAMES, ADDRESSES[i % len(ADDRESSES)]),
                ("organisation", ORG_FRAMES, ORGS[i % len(ORGS)]),
                ("place", PLACE_FRAMES, PLACES[i % len(PLACES)]),
            ]
            for typ, frame_sets, value in kinds:
                if typ in ("address", "organisation", "place") and i >= 10:
                    continue
                frame = frame_sets[split][i % 2]
                key = {"organisation": "org"}.get(typ, typ)
                text, spans = _fill(frame, key, value, typ, "")
                n += 1
                rows.append(
                    {
                        "split": split,
                        "id": f"{split}-{n:04d}",
                        "text": text,
                        "spans": json.dumps(spans),
                    }
                )
    return rows


def main() -> None:
    rows = make_rows()
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["split", "id", "text", "spans"], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"{len(rows)} sentences -> {OUT}")


if __name__ == "__main__":
    main()
