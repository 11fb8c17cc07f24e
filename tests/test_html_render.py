"""Render the HTML report in headless Chromium and check what a reader sees."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import _fixtures_report as F
import pytest

from commentmine.export import report


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


CHROMIUM = _chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="headless Chromium not installed (Debian package 'chromium'; `make browser` "
    "installs it where apt-get and root are available)",
)


def _run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "profile"
    cmd = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        *args,
    ]
    env = {**os.environ, "HOME": str(tmp_path)}
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)


@pytest.fixture(scope="module")
def html_file(tmp_path_factory):
    out = tmp_path_factory.mktemp("html")
    c = F.comments()
    paths = report(
        F.tags(c),
        c,
        F.codebook(),
        out,
        formats=("html",),
        by="org_type",
        attribution="{org_type}, {region}",
        consent_col="consent",
        embedder=F.HashEmbedder(),
        title="Survey themes",
    )
    return paths["html"]


def test_reader_sees_headings_quotes_and_no_email(html_file, tmp_path):
    res = _run(["--dump-dom", html_file.as_uri()], tmp_path)
    assert res.returncode == 0, res.stderr[-2000:]
    dom = res.stdout
    # what the browser built (not just our file): headings, prevalence, quotes, images
    assert "<h1>Survey themes</h1>" in dom
    for heading in ("Overview", "Funding barriers", "Collaboration vs competition"):
        assert re.search(rf"<h2[^>]*>{re.escape(heading)}</h2>", dom), heading
    assert re.search(r"<h3[^>]*>Competition</h3>", dom)
    assert "9 of 12 respondents who answered (75%, 95% CI 47–91%; machine estimate)" in dom
    assert "Commissioning is slow and the grants are ring-fenced" in dom
    assert "— large charity, North East" in dom
    assert dom.count('src="data:image/png;base64,') == 5
    visible = re.sub(r"<[^>]+>", " ", re.sub(r'src="data:[^"]+"', "", dom))
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", visible), "an email address is visible"
    assert "bruising" not in visible  # do-not-quote respondent


def test_screenshot_renders(html_file, tmp_path):
    shot = tmp_path / "page.png"
    res = _run(
        ["--screenshot=" + str(shot), "--window-size=1000,1400", html_file.as_uri()], tmp_path
    )
    assert res.returncode == 0, res.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:4] == b"\x89PNG" and len(data) > 10_000  # a page with text and charts
