"""`thutuc serve`: saving a YAML file updates the page; an error is shown and the server survives."""

import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from helpers import ROOT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, text: str, present: bool = True, timeout: float = 40) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            body = urllib.request.urlopen(url, timeout=5).read().decode("utf-8")
            if (text in body) == present:
                return body
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{text!r} never {'appeared at' if present else 'left'} {url}")


@pytest.fixture
def preview(tmp_path):
    cat = tmp_path / "catalogue"
    shutil.copytree(ROOT / "catalogue", cat)
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "thutuc", "serve", "--catalogue", str(cat),
                             "--build-dir", str(tmp_path / "preview"), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    yield cat, f"http://127.0.0.1:{port}", proc
    proc.terminate()
    proc.wait(timeout=10)


def test_edit_error_and_recovery(preview):
    cat, base, proc = preview
    page = f"{base}/thu-tuc/dang-ky-khai-sinh/"
    _wait_for(page, "Đăng ký khai sinh")
    f = cat / "procedures/ho-tich/dang-ky-khai-sinh.yaml"
    good = f.read_text(encoding="utf-8")
    f.write_text(good.replace("title: Đăng ký khai sinh", "title: Đăng ký khai sinh cho trẻ em"), encoding="utf-8")
    _wait_for(page, "Đăng ký khai sinh cho trẻ em")
    f.write_text(good.replace("levels: [xa]", "levels: [xa"), encoding="utf-8")
    body = _wait_for(page, "Danh mục đang có lỗi")
    assert "dang-ky-khai-sinh.yaml:" in body
    assert proc.poll() is None, "the preview server must keep running"
    f.write_text(good, encoding="utf-8")
    body = _wait_for(page, "Danh mục đang có lỗi", present=False)
    assert "<h1" in body and "Đăng ký khai sinh cho trẻ em" not in body
