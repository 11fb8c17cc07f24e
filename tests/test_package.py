"""Package-level behaviour: light import, offline default flow, every command documented."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
SURVEY = ROOT / "corpora" / "vcse_pcc_survey.csv"

HEAVY = ("torch", "bertopic", "sentence_transformers", "umap", "hdbscan", "transformers")


def _modules_after(code: str) -> set[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys\nprint('\\n'.join(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
    ).stdout
    return set(out.split())


def test_import_is_light():
    mods = _modules_after("import commentmine")
    assert not [m for m in HEAVY if m in mods]
    assert "spacy" not in mods and "sklearn" not in mods


def test_tag_path_never_loads_torch_or_bertopic():
    code = (
        "import commentmine as cm\n"
        f"c = cm.read({str(SURVEY)!r}, id_col='respondent_id')\n"
        "s = cm.segment(c.head(40))\n"
        "t = cm.tag(c.head(40), codebook='vcse-pcc')\n"
    )
    mods = _modules_after(code)
    assert not [m for m in HEAVY if m in mods], [m for m in HEAVY if m in mods]


def test_default_flow_opens_no_network_socket(monkeypatch, tmp_path):
    """read -> segment -> tag -> quotes -> report with every socket connection refused."""
    import commentmine as cm

    attempts: list[object] = []

    def guard(self, address, *args, **kwargs):  # noqa: ANN001
        attempts.append(address)
        raise OSError("network disabled in test")

    monkeypatch.setattr(socket.socket, "connect", guard)
    monkeypatch.setattr(socket.socket, "connect_ex", guard)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: guard(None, a))

    comments = cm.read(SURVEY, id_col="respondent_id")
    sample = comments[comments["respondent_id"].isin(comments["respondent_id"].unique()[:60])]
    tags = cm.tag(sample, codebook="vcse-pcc")
    q = cm.quotes(tags, comments=sample, codebook="vcse-pcc", n=2, consent_col="consent_to_quote")
    assert len(q) > 0
    cm.report(
        tags, sample, "vcse-pcc", tmp_path / "out", formats=("md", "html"),
        consent_col="consent_to_quote",
    )  # fmt: skip
    assert attempts == []


def _commands(app) -> list[list[str]]:  # noqa: ANN001
    import typer.main

    click_app = typer.main.get_command(app)
    paths: list[list[str]] = []

    def walk(cmd, prefix):  # noqa: ANN001
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in sorted(subs.items()):
                walk(sub, [*prefix, name])
        else:
            paths.append(prefix)

    walk(click_app, [])
    return paths


def test_every_command_has_help():
    from commentmine.cli import app

    runner = CliRunner()
    commands = _commands(app)
    names = {" ".join(c) for c in commands}
    for expected in (
        "read",
        "segment",
        "tag",
        "quotes",
        "report",
        "discover",
        "evaluate",
        "train",
        "codebook validate",
        "codebook show",
        "codebook init",
    ):
        assert expected in names, f"missing command {expected!r}; have {sorted(names)}"
    for cmd in commands:
        result = runner.invoke(app, [*cmd, "--help"])
        assert result.exit_code == 0, (cmd, result.output)
        import typer.main

        click_cmd = typer.main.get_command(app)
        for part in cmd:
            click_cmd = click_cmd.commands[part]
        assert (click_cmd.help or "").strip(), f"command {' '.join(cmd)!r} has no help text"


def test_python_dash_m_runs():
    out = subprocess.run(
        [sys.executable, "-m", "commentmine", "--help"], capture_output=True, text=True, cwd=ROOT
    )
    assert out.returncode == 0 and "Usage" in out.stdout


def test_missing_command_input_is_one_line_exit_2(tmp_path):
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "commentmine",
            "read",
            str(tmp_path / "nope.csv"),
            "--out",
            str(tmp_path / "o.csv"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "o.csv").exists()


@pytest.mark.parametrize("name", ["__version__"])
def test_public_api_names(name):
    import commentmine as cm

    assert name in cm.__all__
    for public in cm.__all__:
        assert getattr(cm, public) is not None


def test_all_lists_every_public_name():
    import commentmine as cm

    assert sorted(cm.__all__) == sorted([*cm._EXPORTS, "__version__"])


# --- installing it like a library (issue 18) ------------------------------------------------

STATIC = "minilm-l6-static-256"


def _pyproject() -> dict:
    tomllib = pytest.importorskip("tomllib")
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_bundled_model_is_package_data(monkeypatch):
    import commentmine
    from commentmine._resources import bundled_model_path, bundled_models
    from commentmine.embed import select_embedder

    path = bundled_model_path(STATIC)
    assert path.parent == Path(commentmine.__file__).parent / "_models"
    assert STATIC in bundled_models()
    for name in ("model.safetensors", "tokenizer.json", "config.json", "LICENSE"):
        assert (path / name).is_file(), name
    monkeypatch.delenv("COMMENTMINE_MODEL_DIR", raising=False)
    assert select_embedder(cache=False).path == path  # the default embedder loads it


def test_unknown_bundled_model_says_what_is_bundled():
    from commentmine._resources import bundled_model_path
    from commentmine.errors import BackendError

    with pytest.raises(BackendError, match="E203") as info:
        bundled_model_path("no-such-model")
    assert STATIC in str(info.value)


def test_package_data_globs_cover_every_bundled_model_file():
    """Each file of each model folder (and any later one, e.g. an ONNX model) is matched by a
    package-data pattern, so wheels and sdists carry it."""
    pkg = ROOT / "commentmine"
    patterns = _pyproject()["tool"]["setuptools"]["package-data"]["commentmine"]
    matched = {p for pattern in patterns for p in pkg.glob(pattern) if p.is_file()}
    files = [
        p for p in (pkg / "_models").rglob("*") if p.is_file() and "__pycache__" not in p.parts
    ]
    assert files and [p for p in files if p not in matched] == []


def test_core_install_brings_no_torch_and_the_extras_are_named():
    project = _pyproject()["project"]
    names = {re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0].lower() for d in project["dependencies"]}
    assert not names & {"torch", "sentence-transformers", "transformers", "bertopic"}
    extras = project["optional-dependencies"]
    assert set(extras) == {"minilm", "dask", "dev"}
    assert any(d.startswith("sentence-transformers") for d in extras["minilm"])
    assert "models/LICENSE-Apache-2.0.txt" in project["license-files"]


def test_install_commands_agree_in_readme_makefile_and_errors():
    from commentmine._extras import (
        BERTOPIC_INSTALL,
        BERTOPIC_REQUIREMENT,
        MINILM_INSTALL,
        TORCH_CPU_INDEX,
    )

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert BERTOPIC_INSTALL in readme and f"BERTOPIC := {BERTOPIC_REQUIREMENT}" in makefile
    assert TORCH_CPU_INDEX in readme and TORCH_CPU_INDEX in MINILM_INSTALL


def test_discover_without_bertopic_gives_the_light_install_command(monkeypatch):
    import commentmine as cm
    from commentmine._extras import BERTOPIC_INSTALL
    from commentmine.errors import BackendError

    monkeypatch.setitem(sys.modules, "bertopic", None)  # as if not installed
    with pytest.raises(BackendError, match="E201") as info:
        cm.discover([f"comment number {i} about funding" for i in range(40)])
    assert str(info.value).endswith(BERTOPIC_INSTALL)


def test_cli_discover_without_bertopic_is_one_line_exit_2(tmp_path):
    code = (
        "import sys\n"
        "sys.modules['bertopic'] = None\n"
        "from commentmine.cli import main\n"
        f"sys.argv = ['commentmine', 'discover', {str(SURVEY)!r}, '--id-col', 'respondent_id',"
        f" '--out', {str(tmp_path / 'themes.yaml')!r}, '--quiet']\n"
        "main()\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert "[E201]" in out.stderr and "pip install --no-deps" in out.stderr
    assert not (tmp_path / "themes.yaml").exists()


def test_tag_with_a_trained_model_object_or_folder(tmp_path):
    """``commentmine.tag(comments, model=...)``: a model from ``cm.train`` or its saved folder
    tags a comments table as ``ThemeModel.tag`` does."""
    import pandas as pd
    from test_train import CODEBOOK, HashEmbedder, _coded

    import commentmine as cm
    from commentmine.errors import InputError

    model = cm.train(_coded(), CODEBOOK, embedder=HashEmbedder(), cv=3)
    assert isinstance(model, cm.ThemeModel)
    comments = pd.DataFrame(
        {"comment_id": ["a", "b"], "text": ["The price was high. The nurse was kind.", "ok"]}
    )
    by_object = cm.tag(comments, model=model)
    folder = model.save(tmp_path / "model")
    by_folder = cm.tag(comments, model=folder, embedder=HashEmbedder())
    pd.testing.assert_frame_equal(by_object, by_folder)
    pd.testing.assert_frame_equal(by_object, model.tag(comments))
    assert by_object.attrs == {}  # no run metadata in attrs
    from commentmine import accounting
    from commentmine._training._model import model_tag_run

    run = model_tag_run(model, comments)
    assert (run.codebook, run.warnings) == ("tiny", ())
    assert run.accounting == accounting(by_object, comments)
    tagged = by_object.loc[by_object["theme"] != "uncoded", "comment_id"].nunique()
    assert (run.accounting.comments_in, run.accounting.tagged) == (2, tagged)
    assert {"cost", "staff"} <= set(by_object["theme"])
    loaded = cm.load_theme_model(folder, embedder=HashEmbedder())
    per_comment = cm.tag(comments, model=loaded, level="comment")
    assert list(per_comment["comment_id"]) == ["a", "b"] and "status" in per_comment
    for bad in (
        {"codebook": CODEBOOK, "model": model},  # both
        {"model": model, "threshold": 0.3},  # tagger option
        {},  # neither
    ):
        with pytest.raises(InputError, match="E301"):
            cm.tag(comments, **bad)
