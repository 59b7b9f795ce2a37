"""`thutuc serve`: live preview for editors.

MkDocs' own server watches the generated folder and reloads the browser; a watcher thread here
re-checks the catalogue when a file changes and regenerates only the pages whose Markdown
changed. A catalogue with errors keeps the last good pages and shows the errors in the terminal
and above every page, and the server keeps running.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Callable

from thutuc.catalogue.model import load
from thutuc.i18n import _
from thutuc.problems import format_text
from thutuc.website.build import (
    generate,
    mkdocs_config,
    prepare_build_dir,
    write_if_changed,
)


def signature(root: Path) -> tuple:
    """What changed in the catalogue: every file's path, size and modification time."""
    return tuple(sorted((str(p), st.st_size, st.st_mtime_ns)
                        for p in root.rglob("*") if p.is_file() for st in [p.stat()]))


def regenerate(catalogue: Path, gen: Path, as_of: dt.date, echo: Callable[[str], None]) -> bool:
    """One preview update; True when the catalogue had no errors."""
    result, cat = load(catalogue, today=as_of)
    if cat is None:
        echo(format_text(result.problems))
        errors = [p.format() for p in result.problems if p.severity == "error"]
        write_if_changed(gen / "mkdocs.yml", mkdocs_config(gen, None, errors=errors[:50]))
        index = gen / "docs" / "index.md"
        if not index.exists():  # first run on a broken catalogue: still show something
            write_if_changed(index, "# Danh mục đang có lỗi\n\nXem danh sách lỗi ở trên.\n")
        return False
    pages = generate(cat, gen, as_of, cat.office.get("site_url"))
    echo(_("preview: {pages} pages up to date ({warnings} warning(s))").format(pages=pages, warnings=result.warnings))
    return True


def watch(catalogue: Path, gen: Path, as_of: dt.date, echo: Callable[[str], None],
          stop: threading.Event, interval: float = 0.5) -> None:
    last = signature(catalogue)
    while not stop.wait(interval):
        now = signature(catalogue)
        if now != last:
            last = now
            try:
                regenerate(catalogue, gen, as_of, echo)
            except Exception as exc:  # noqa: BLE001 - the preview must survive anything
                echo(_("preview: could not regenerate: {error}").format(error=exc))


def serve(catalogue: Path, gen: Path, host: str, port: int, as_of: dt.date,
          echo: Callable[[str], None]) -> None:
    import logging

    from mkdocs.commands.serve import serve as mkdocs_serve

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("mkdocs: %(levelname)s %(message)s"))
    logging.getLogger("mkdocs").addHandler(handler)
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    gen = prepare_build_dir(gen, catalogue)  # it is pruned on every save: refuse a folder that is not ours
    regenerate(catalogue, gen, as_of, echo)
    echo(_("preview on {address} — save a YAML file and the page reloads; Ctrl+C stops").format(
        address=f"http://{host}:{port}/"))
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(catalogue, gen, as_of, echo, stop), daemon=True)
    thread.start()
    try:
        mkdocs_serve(config_file=str(gen / "mkdocs.yml"), livereload=True, dev_addr=f"{host}:{port}")
    finally:
        stop.set()
