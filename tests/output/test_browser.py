"""The fact sheets in a real browser: headless Chromium loads each one from a file:// URL.

Checks: no console message (errors and Content-Security-Policy violations are logged there),
every image decodes, the conflict warning is laid out and visible, the page prints on A4.
A copy of each sheet gets a small probe script (allowed by a nonce added to its CSP) that
writes what it measured into ``<body data-*>``, read back from ``--dump-dom``: no DevTools
client is needed. Skipped, with the reason, only when no Chromium binary is installed
(Debian: ``apt-get install -y chromium``).
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from PIL import Image

from recap_nlp.output import factsheet, store

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM = os.environ.get("CHROMIUM_BIN") or next(
    (found for name in CANDIDATES if (found := shutil.which(name))), None
)
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium binary (apt-get install chromium)"),
]
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--enable-logging=stderr",
    "--v=0",
    "--virtual-time-budget=5000",
)
CONSOLE = re.compile(r":CONSOLE[:(]\d*\)?\]?\s*(.*)")
PROBE = """<script nonce="probe">
window.addEventListener("load", () => {
  const images = Array.from(document.images);
  const boxes = Array.from(document.querySelectorAll(".conflict"));
  const shown = (el) => {
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.display !== "none"
      && s.visibility !== "hidden" && Number(s.opacity) > 0;
  };
  document.body.dataset.probe = "done";
  document.body.dataset.linkTexts = JSON.stringify(
    Array.from(document.querySelectorAll("a")).map((a) => a.innerText.trim()));
  document.body.dataset.images = String(images.length);
  document.body.dataset.imagesOk = String(images.every((i) => i.complete && i.naturalWidth > 0));
  document.body.dataset.conflicts = String(boxes.length);
  document.body.dataset.conflictsVisible = String(boxes.filter(shown).length);
});
</script>"""


def chromium(url: str, *extra: str) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium on ``url`` with a fresh profile; fail on a hang."""
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        command = [CHROMIUM or "chromium", *FLAGS, f"--user-data-dir={profile}", *extra, url]
        return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def console_messages(stderr: str) -> list[str]:
    return [m.group(1) for line in stderr.splitlines() if (m := CONSOLE.search(line))]


def with_probe(sheet: Path, target_dir: Path) -> Path:
    """A copy of ``sheet`` whose CSP also allows the probe script, and which runs it."""
    html = sheet.read_text(encoding="utf-8")
    html = html.replace(
        "style-src 'unsafe-inline'", "style-src 'unsafe-inline'; script-src 'nonce-probe'"
    )
    html = html.replace("</body>", PROBE + "\n</body>")
    copy = target_dir / sheet.name
    copy.write_text(html, encoding="utf-8")
    return copy


def body_data(dom: str) -> dict[str, str]:
    match = re.search(r"<body([^>]*)>", dom)
    assert match, dom[:500]
    return dict(re.findall(r'data-([\w-]+)="([^"]*)"', match.group(1)))


@pytest.fixture(scope="module")
def sheets(seed_run: Path) -> Path:
    """The session's seed run: its HTML sheets were written with it."""
    return seed_run


def _mission_2017(out: Path) -> Path:
    events = store.read_table(out, "events")
    chosen = events[(events["kind"] == "mission") & events["start_date"].str.startswith("2017")]
    stem = factsheet.sheet_stem(chosen["event_id"].iloc[0])
    return out / "factsheets" / f"{stem}.html"


def test_console_capture_works(tmp_path: Path) -> None:
    """A page that logs an error is caught, so an empty capture below means something."""
    page = tmp_path / "noisy.html"
    page.write_text("<!DOCTYPE html><script>console.error('bruit')</script>", encoding="utf-8")
    result = chromium(page.as_uri(), "--dump-dom")
    assert any("bruit" in m for m in console_messages(result.stderr)), result.stderr[-2000:]


def test_every_sheet_loads_cleanly_with_images(
    sheets: Path, tmp_path: Path, doc_ids: set[str]
) -> None:
    pages = sorted((sheets / "factsheets").glob("*.html"))
    assert len(pages) >= 3
    for page in pages:
        result = chromium(with_probe(page, tmp_path).as_uri(), "--dump-dom")
        assert result.returncode == 0, result.stderr[-2000:]
        assert console_messages(result.stderr) == [], page.name
        data = body_data(result.stdout)
        assert data.get("probe") == "done", page.name
        assert data["images-ok"] == "true", page.name
        assert data["conflicts-visible"] == data["conflicts"], page.name
        shown = set(json.loads(html.unescape(data["link-texts"])))
        assert shown, page.name
        assert not shown & doc_ids, page.name  # a source link reads as the post's title


@pytest.fixture(scope="module")
def doc_ids(sheets: Path) -> set[str]:
    return set(store.read_table(sheets, "documents")["doc_id"])


def test_2017_warning_is_visible_and_screenshots(sheets: Path, tmp_path: Path) -> None:
    page = with_probe(_mission_2017(sheets), tmp_path)
    data = body_data(chromium(page.as_uri(), "--dump-dom").stdout)
    assert int(data["conflicts"]) >= 1
    assert data["conflicts-visible"] == data["conflicts"]
    for name, size in (("desktop", "1000,1600"), ("phone", "390,1600")):
        shot = tmp_path / f"{name}.png"
        chromium(page.as_uri(), f"--window-size={size}", f"--screenshot={shot}")
        with Image.open(shot) as image:
            assert image.width == int(size.split(",")[0])
            assert len(image.convert("RGB").getcolors(1 << 20) or []) > 10  # not blank


def test_2017_sheet_prints_on_a4(sheets: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "sheet.pdf"
    chromium(_mission_2017(sheets).as_uri(), f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert boxes, "no page size found"
    width, height = (float(v) for v in boxes[0])
    assert abs(width - 595) < 2 and abs(height - 842) < 2  # A4 in points
