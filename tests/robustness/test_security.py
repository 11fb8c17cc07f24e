"""Security: safe YAML, safe zip members, no pickle, and redaction in every reader-facing output.

(The no-network proof of the default flow lives in tests/test_package.py; formula injection in
spreadsheet exports is checked in test_properties.py.)
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from _rb import ROOT, SEEDED_PII, cli, pii_survey

from commentmine.errors import CommentmineError, InputError
from commentmine.ingest import read

PKG = ROOT / "commentmine"


def _sources() -> list[tuple[Path, str]]:
    return [(p, p.read_text(encoding="utf-8")) for p in sorted(PKG.rglob("*.py"))]


def _code_lines(text: str) -> list[tuple[int, str]]:
    """Lines with comments and docstring-ish prose dropped (crude, on purpose)."""
    out = []
    for i, line in enumerate(text.splitlines(), start=1):
        code = line.split("#", 1)[0]
        if code.strip():
            out.append((i, code))
    return out


# --- YAML -----------------------------------------------------------------------------------

_UNSAFE_YAML = re.compile(
    r"yaml\.(unsafe_load|full_load|load_all|load)\s*\(|yaml\.(Unsafe|Full)?Loader\b|"
    r"Loader\s*=\s*yaml\.(Unsafe|Full)?Loader\b"
)


def test_yaml_is_only_read_with_the_safe_loader() -> None:
    hits = [
        f"{p.relative_to(ROOT)}:{i}: {line.strip()}"
        for p, text in _sources()
        for i, line in _code_lines(text)
        if _UNSAFE_YAML.search(line)
    ]
    assert hits == [], hits


def test_unsafe_yaml_tag_is_refused_not_run(tmp_path: Path) -> None:
    from commentmine.codebook import load_codebook

    marker = tmp_path / "PWNED"
    cb = tmp_path / "evil.yaml"
    cb.write_text(
        "name: evil\nthemes:\n  - id: x\n    label: !!python/object/apply:os.system "
        f'["touch {marker}"]\n',
        encoding="utf-8",
    )
    with pytest.raises(CommentmineError) as exc:
        load_codebook(cb)
    assert exc.value.code == "E104"
    assert not marker.exists()


# --- zip containers ---------------------------------------------------------------------------


def _docx_with(path: Path, extra: dict[str, bytes]) -> Path:
    """A real DOCX (from tests/data) with extra members added."""
    src = ROOT / "tests" / "data" / "interview.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info.filename))
        for name, data in extra.items():
            zout.writestr(name, data)
    return path


def test_zip_slip_docx_is_refused(tmp_path: Path) -> None:
    evil = _docx_with(tmp_path / "slip.docx", {"../../../../tmp/evil.sh": b"echo pwned\n"})
    with pytest.raises(InputError) as exc:
        read(evil)
    assert exc.value.code == "E002" and "unsafe member path" in str(exc.value)
    win = _docx_with(tmp_path / "slip_win.docx", {"..\\..\\evil.bat": b"x"})
    with pytest.raises(InputError, match=r"E002.*unsafe member path"):
        read(win)


def test_zip_bomb_like_xlsx_is_refused(tmp_path: Path) -> None:
    """A 64 MB member that compresses ~1000:1 (a decompression bomb in miniature)."""
    import openpyxl

    good = tmp_path / "good.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["id", "text"])
    wb.active.append(["1", "Funding is short."])
    wb.save(good)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info.filename))
        zout.writestr("xl/media/padding.bin", b"\0" * (64 << 20))
    assert bomb.stat().st_size < 1 << 20
    with pytest.raises(InputError) as exc:
        read(bomb)
    assert exc.value.code == "E002" and "expands" in str(exc.value)


def test_zip_member_count_bomb_is_refused(tmp_path: Path) -> None:
    many = tmp_path / "many.docx"
    with zipfile.ZipFile(many, "w", zipfile.ZIP_STORED) as zf:
        for i in range(20_001):
            zf.writestr(f"m/{i}", b"")
    with pytest.raises(InputError, match="E002.*members"):
        read(many)


def test_qdpx_bomb_is_refused_by_evaluate(tmp_path: Path) -> None:
    from commentmine._evaluate import load_codes

    bomb = tmp_path / "bomb.qdpx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "project.qde",
            b'<Project xmlns="urn:QDA-XML:project:1.0">' + b" " * (20 << 20) + b"</Project>",
        )
        zf.writestr("../../evil.txt", b"x")
    with pytest.raises(InputError) as exc:
        load_codes(bomb)
    assert exc.value.code == "E002"


# --- pickle -----------------------------------------------------------------------------------

_PICKLE = re.compile(
    r"\bpickle\.loads?\s*\(|\bjoblib\.load\s*\(|allow_pickle\s*=\s*True|\bdill\.loads?\s*\(|"
    r"\bcloudpickle\.loads?\s*\(|torch\.load\s*\((?![^)]*weights_only\s*=\s*True)|"
    r"pd\.read_pickle\s*\(|\.read_pickle\s*\(|\bshelve\.open\s*\("
)


#: Reviewed exceptions (file, code): not model files from disk. The scale package ships the
#: Tagger the same run just fitted to its own Dask workers as bytes (Dask pickles task data
#: anyway).
_PICKLE_ALLOWED = {("commentmine/_scale/_cluster.py", "pickle.loads(blob)")}


def test_no_pickle_loads_in_the_package() -> None:
    hits = [
        f"{p.relative_to(ROOT)}:{i}: {line.strip()}"
        for p, text in _sources()
        for i, line in _code_lines(text)
        if _PICKLE.search(line)
        and not any(str(p.relative_to(ROOT)) == f and code in line for f, code in _PICKLE_ALLOWED)
    ]
    assert hits == [], hits


def test_theme_model_folder_with_a_pickle_is_not_unpickled(tmp_path: Path) -> None:
    """A model folder holding only a malicious .pkl: loading must refuse, never unpickle."""
    import pickle

    from commentmine._training._public import load_theme_model

    marker = tmp_path / "UNPICKLED"

    class Evil:
        def __reduce__(self):  # noqa: ANN204
            return (Path.touch, (marker,))

    folder = tmp_path / "model"
    folder.mkdir()
    for name in ("model.pkl", "weights.pkl", "model.joblib"):
        (folder / name).write_bytes(pickle.dumps(Evil()))
    with pytest.raises(CommentmineError):
        load_theme_model(folder)
    assert not marker.exists()

    # a weights.npz that holds a pickled object array is refused too (allow_pickle=False)
    import numpy as np

    (folder / "weights.npz").write_bytes(b"")
    np.savez(folder / "weights.npz", w=np.array([Evil()], dtype=object))
    with pytest.raises(CommentmineError):
        load_theme_model(folder)
    assert not marker.exists()


# --- redaction in every reader-facing output --------------------------------------------------


def _texts_of(path: Path) -> str:
    """All text in an output: plain files as is, zip containers member by member."""
    data = path.read_bytes()
    if zipfile.is_zipfile(path):
        parts = []
        with zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                raw = zf.read(name)
                parts.append(name)
                parts.append(raw.decode("utf-8", "replace"))
        text = "\n".join(parts)
    else:
        text = data.decode("utf-8", "replace")
    # undo XML/HTML escaping and Word's run splitting well enough for a substring search
    text = re.sub(r"<[^>]+>", "", text)
    for a, b in (("&amp;", "&"), ("&#39;", "'"), ("&quot;", '"'), ("&lt;", "<"), ("&gt;", ">")):
        text = text.replace(a, b)
    return text


def _assert_no_pii(files: list[Path]) -> None:
    assert files
    leaks = []
    for f in files:
        text = _texts_of(f)
        squeezed = re.sub(r"\s+", " ", text)
        for secret in SEEDED_PII:
            if secret in text or secret in squeezed:
                leaks.append((f.name, secret))
    assert leaks == [], leaks


@pytest.mark.slow
def test_report_and_quotes_never_show_seeded_personal_data(tmp_path: Path) -> None:
    src = pii_survey(tmp_path / "survey.csv")
    common = ["--codebook", "vcse-pcc", "--id-col", "id", "--text-col", "answer", "--n", "10"]
    common += ["--min-cell", "1", "--quiet"]
    out = tmp_path / "report"
    formats = "md,html,docx,xlsx,qdpx,csv"
    attribution = "{org_type}, {region}"
    res = cli("report", src, *common, "--out-dir", out, "--formats", formats,
              "--attribution", attribution)  # fmt: skip
    assert res.exit_code == 0, (res.stderr, res.exception)
    written = [p for p in out.rglob("*") if p.is_file()]
    # the analyst's working file holds the originals by design: it is named so, and only it
    check = [p for p in written if "_CHECK_original_text_not_for_sharing" in p.name]
    assert [p.name for p in check] == ["redactions_CHECK_original_text_not_for_sharing.csv"]
    files = [p for p in written if p not in check]
    assert {"report.md", "report.html", "report.docx", "quotes.xlsx", "project.qdpx"} <= {
        p.name for p in files
    }
    assert "redactions.csv" in {p.name for p in files}
    _assert_no_pii(files)
    # the report did quote the comments that held the personal data (redacted)
    everything = "\n".join(_texts_of(p) for p in files)
    assert "[EMAIL]" in everything and "[PHONE]" in everything and "[NAME]" in everything

    quotes = tmp_path / "quotes.csv"
    res = cli("quotes", src, *common, "--out", quotes)
    assert res.exit_code == 0, (res.stderr, res.exception)
    _assert_no_pii([quotes, tmp_path / "quotes.manifest.json"])
    manifest = json.loads((tmp_path / "quotes.manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["redact"] == "names"  # the default level
