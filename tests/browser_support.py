"""Browser tests: the real app served over HTTP, driven by Playwright in the system Chromium.

Screenshots of every page visited go to `test-artifacts/screens/<test>/NN-name.png`
(ARCHIVE_TEST_ARTIFACTS moves them), to be looked at after a run.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

from werkzeug.serving import make_server

CHROMIUM = os.environ.get("ARCHIVE_TEST_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("ARCHIVE_TEST_ARTIFACTS", Path(__file__).parent.parent / "test-artifacts"))


class LiveServer:
    """The Flask app on a free port of 127.0.0.1, in a thread (threaded: polling works during a job)."""

    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "LiveServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.thread.join(10)


# Engineers' words a school's staff do not read: signature formats and standards, the backup
# format, checksums by algorithm, storage and key-store names, setting names, the command line.
JARGON = re.compile(r"PAdES|\bAdES\b|\bETSI\b|\bCRL\b|\bOCSP\b|\bB-(?:LTA|LT|T|B)\b|\bLTA\b|BagIt|(?<!\.)\bjsonl?\b|"
                    r"\bJSON\b|SHA-?256|\bS3\b|\bWORM\b|Object Lock|PKCS|\bARCHIVE_[A-Z_*]+|archive-service\b|"
                    r"\bBearer\b|\bAuthorization\b|openapi")


def jargon_in(text: str) -> list[str]:
    """The engineers' words in `text` (a page's visible text, a report), each once."""
    return sorted({m.group(0) for m in JARGON.finditer(text)})


# What a person must never read on a page (issue 17): period codes, the terminal's account, UTC,
# JSON paths, server folders, English error words.
TECHNICAL = {
    "a Latin period code": re.compile(r"\b(?:Q[1-4]|H[12]|T[1-3])\b|\byear\b"),
    "the terminal's account («cli:»)": re.compile(r"\bcli:"),
    "UTC": re.compile(r"\bUTC\b"),
    "a JSON path": re.compile(r"\(\$|\$\.|\$\["),
    "a server folder": re.compile(r"(?<![\w.:/])/(?:tmp|home|root|var|work|usr|etc|srv|opt)/"),
    "engineers' jargon": JARGON,
    "English error text": re.compile(r"\b(?:Error|Exception|Traceback|Internal Server|Not Found|Bad Request|"
                                     r"Forbidden|Request Line|Method Not Allowed|Unauthorized|None)\b"),
}


def technical_text(text: str) -> list[str]:
    """What of `TECHNICAL` the visible text of a page holds, each with its words."""
    found = []
    for what, pattern in TECHNICAL.items():
        match = pattern.search(text)
        if match:
            start = max(0, match.start() - 40)
            found.append(f"{what}: «…{text[start:match.end() + 40]}…»")
    return found


class Screens:
    """Numbered screenshots of one test's pages; the visible text of every page shot is read for
    technical words (`problems`: screenshot name → what was found)."""

    def __init__(self, name: str):
        self.folder = ARTIFACTS / "screens" / re.sub(r"[^\w.-]+", "_", name)
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()
        self.count = 0
        self.problems: dict[str, list[str]] = {}

    def shot(self, page, name: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        try:
            page.screenshot(path=str(path), full_page=True)
        except Exception:  # «Unable to capture screenshot» seen once on a loaded machine: try once more
            page.wait_for_timeout(500)
            page.screenshot(path=str(path), full_page=True)
        found = technical_text(page.inner_text("body"))
        if found:
            self.problems[path.name] = found
        return path


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])


def sign_in(page, base: str, login: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", password)
    page.click("button.primary")
    page.wait_for_load_state("networkidle")


def sign_out(page) -> None:
    page.click("header .who button")
    page.wait_for_load_state("networkidle")


# --- helpers of the whole-period test (tests/browser/test_whole_period.py) -------------------

PROGRESS_LOG = """
// Every width the live progress bar of a job takes, kept in sessionStorage across the reload
// that ends the job (progress.js reloads the page when the job is done).
new MutationObserver(function (changes) {
  changes.forEach(function (c) {
    if (c.target.matches && c.target.matches('[data-job] .progress > div')) {
      var seen = JSON.parse(sessionStorage.getItem('progress-widths') || '[]');
      seen.push(c.target.style.width);
      sessionStorage.setItem('progress-widths', JSON.stringify(seen));
    }
  });
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['style']});
"""


def record_progress(context) -> None:
    """Log the widths of every job progress bar the pages of this context show (see `progress_seen`)."""
    context.add_init_script(PROGRESS_LOG)


def progress_seen(page, reset: bool = True) -> list[float]:
    """The widths (percent) the progress bars took since the last call, in order."""
    widths = page.evaluate("() => JSON.parse(sessionStorage.getItem('progress-widths') || '[]')")
    if reset:
        page.evaluate("() => sessionStorage.removeItem('progress-widths')")
    return [float(w.rstrip("%")) for w in widths if w]


def download(page, locator, timeout: float = 60_000) -> tuple[str, bytes]:
    """Click what starts a download; its suggested file name and its bytes."""
    with page.expect_download(timeout=timeout) as info:
        locator.click()
    d = info.value
    return d.suggested_filename, Path(d.path()).read_bytes()


def image_loaded(page, selector: str, timeout: float = 60_000) -> None:
    """Wait until the image has arrived and decoded (a broken image has no natural width)."""
    page.wait_for_function(
        "s => { const i = document.querySelector(s); return i && i.complete && i.naturalWidth > 0; }",
        arg=selector, timeout=timeout)
