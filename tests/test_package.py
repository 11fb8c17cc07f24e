"""Package-level behaviour: light import, offline default flow, every command documented."""

from __future__ import annotations

import os
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
    q = cm.quotes(tags, comments=sample, codebook="vcse-pcc", n=2)
    assert len(q) > 0
    cm.report(tags, sample, "vcse-pcc", tmp_path / "out", formats=("md", "html"))
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
