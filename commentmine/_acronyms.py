"""The domain acronyms (no imports: segment expands them, redaction keeps them)."""

#: Domain acronyms expanded in ``lemmas`` (for matching only; the text is never changed).
#: Key: the acronym as usually written (matched case-insensitively, also with a plural "s",
#: e.g. "PCCs"). Value: what it stands for; it is lemmatised like any text and appended after
#: the lower-cased acronym, so ``"PCC"`` -> ``"pcc police and crime commissioner"`` and both a
#: keyword "PCC" and a keyword "police and crime commissioner" match a segment saying "PCC".
#: "HO" (Home Office) is deliberately absent: "ho" / "Ho" also occur as a word and a surname.
ACRONYMS: dict[str, str] = {
    "PCC": "police and crime commissioner",
    "OPCC": "office of the police and crime commissioner",
    "PCP": "police and crime panel",
    "VCSE": "voluntary community and social enterprise",
    "VCS": "voluntary and community sector",
    "CSP": "community safety partnership",
    "CSF": "community safety fund",
    "MoJ": "ministry of justice",
    "MOPAC": "mayor's office for policing and crime",
    "HMPPS": "his majesty's prison and probation service",
    "CJS": "criminal justice system",
    "ASB": "anti-social behaviour",
    "VAWG": "violence against women and girls",
}
