"""A real Chromium, driven by Playwright, against pytest-django's live server.

The browser is Debian's ``chromium`` package (CI installs it); Playwright's own
browser download is never used. A missing browser fails the tests with a message
saying what to install: these tests are never skipped.
"""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to
# run inside one unless told that this thread may (the test code is synchronous).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's package "
            "(apt-get install chromium) or set NEWSROOM_CHROMIUM to its path.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """``new_page(width=…, javascript=…)``: a page in a fresh context, closed after the test."""
    contexts = []

    def make(*, width=1280, height=900, javascript=True, **options):
        context = browser.new_context(
            viewport={"width": width, "height": height}, java_script_enabled=javascript, **options
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def screenshots_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
