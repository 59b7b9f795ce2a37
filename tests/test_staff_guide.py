"""The staff guide (site/huong-dan/) shows real excerpts and real commands: both are checked here.

A ```yaml block titled with a catalogue file must appear in that file word for word; a ```console
block is run, command by command, in a copy of the bundled catalogue, and what it prints must be
what the guide shows. After a deliberate change, UPDATE_GUIDE=1 rewrites the shown output (then
read the diff).
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT

GUIDE = ROOT / "site" / "huong-dan"
FENCE = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```\n", re.S | re.M)
TITLE = re.compile(r'title="([^"]+)"')


def _blocks(kind: str) -> list[tuple[str, str, str]]:
    out = []
    for page in sorted(GUIDE.glob("*.md")):
        for m in FENCE.finditer(page.read_text(encoding="utf-8")):
            if m.group(1) == kind:
                out.append((page.name, m.group(2), m.group(3)))
    return out


def test_the_guide_has_pages_excerpts_and_commands():
    assert {"index.md", "them-moi.md", "dieu-kien.md", "le-phi-va-thoi-han.md",
            "bai-bo-va-ra-soat.md"} <= {p.name for p in GUIDE.glob("*.md")}
    assert len(_blocks("yaml")) >= 8 and len(_blocks("console")) >= 5


@pytest.mark.parametrize("page,attrs,text", _blocks("yaml"), ids=lambda v: v if isinstance(v, str) and
                         v.endswith(".md") else "")
def test_every_yaml_excerpt_is_in_the_catalogue(page, attrs, text):
    title = TITLE.search(attrs)
    assert title, f"{page}: a yaml block must say which catalogue file it comes from (title=...)"
    source = ROOT / title.group(1)
    assert source.is_file(), f"{page}: {title.group(1)} does not exist"
    assert text in source.read_text(encoding="utf-8"), f"{page}: this excerpt is no longer in {title.group(1)}:\n{text}"


def _run(commands: list[str], cwd: Path) -> str:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"}
    out = ""
    for command in commands:
        res = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=cwd, env=env,
                             capture_output=True, text=True, timeout=300)
        out += res.stdout + res.stderr
    return out


@pytest.mark.parametrize("index", range(len(_blocks("console"))))
def test_every_command_prints_what_the_guide_shows(tmp_path, index):
    page, _, text = _blocks("console")[index]
    shutil.copytree(ROOT / "catalogue", tmp_path / "catalogue")
    commands = [line[2:] for line in text.splitlines() if line.startswith("$ ")]
    shown = "".join(line + "\n" for line in text.splitlines() if not line.startswith("$ "))
    printed = _run(commands, tmp_path)
    if os.environ.get("UPDATE_GUIDE"):
        path = GUIDE / page
        body = "".join(f"$ {c}\n" for c in commands) + printed
        path.write_text(path.read_text(encoding="utf-8").replace(text, body, 1), encoding="utf-8")
        return
    assert printed == shown, f"{page}: the guide shows other output than the commands print"
