"""Browser tests: the built site served on localhost, driven in Debian's Chromium by Playwright."""

import functools
import http.server
import os
import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("THUTUC_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium tries to reach Google at start-up.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-default-apps"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    from thutuc.website.build import build

    import datetime as dt

    tmp = tmp_path_factory.mktemp("browser-site")
    build(ROOT / "catalogue", tmp / "public", gen=tmp / "gen", as_of=dt.date(2026, 11, 26))
    return tmp / "public"


@pytest.fixture(scope="session")
def base_url(built_site):
    handler = functools.partial(_Quiet, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} not found: install Debian's chromium (see README)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()
