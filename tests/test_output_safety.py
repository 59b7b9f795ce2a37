"""Nothing a user types makes thutuc delete or overwrite what it did not create (issue 11).

Each test runs the command as a user would, in a throwaway project (its own catalogue, current
folder and home), and compares every file of that project before and after."""

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import ROOT, TODAY
from thutuc.cli import main

CHECKLIST = ["checklist", "2.000815", "-a", "so_trang=5", "-a", "so_ban=3", "--submitted", "2026-11-26 09:00"]


def snapshot(root: Path) -> dict[str, str]:
    """Every file and link under root, with its content hash (links by their target)."""
    out = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            p = Path(folder) / name
            rel = p.relative_to(root).as_posix()
            if p.is_symlink():
                out[rel] = "-> " + os.readlink(p)
            elif p.is_file():
                out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder with the bundled catalogue, a .git, the user's own files; it is the
    current folder, and its parent the home folder."""
    proj = tmp_path / "home" / "proj"
    shutil.copytree(ROOT / "catalogue", proj / "catalogue")
    (proj / ".git").mkdir()
    (proj / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (proj / "notes.txt").write_text("my notes\n")
    (proj / "docs").mkdir()
    (proj / "docs" / "index.md").write_text("# my docs\n")
    (proj / "mkdocs.yml").write_text("site_name: mine\n")
    monkeypatch.chdir(proj)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return proj


def run(*args: str) -> "click.testing.Result":
    return CliRunner().invoke(main, ["--lang", "en", *args])


@pytest.mark.parametrize("out", [".", "catalogue", "catalogue/forms", "~", "/", "..", "docs", "notes.txt"])
def test_build_refuses_an_out_folder_it_does_not_own(project, out):
    before = snapshot(project.parent)
    result = run("build", "--out", os.path.expanduser(out), "--no-pdf")
    assert result.exit_code in (1, 2)  # 2: click's own usage error for a file given as a folder
    assert any(w in result.output for w in ("refusing", "did not write", "is a file"))
    assert "internal error" not in result.output
    assert snapshot(project.parent) == before


@pytest.mark.parametrize("build_dir", [".", "catalogue", "docs", "~", "public"])
def test_build_refuses_a_build_folder_it_does_not_own(project, build_dir):
    (project / "public").mkdir()
    (project / "public" / "mine.html").write_text("<p>mine</p>")
    before = snapshot(project.parent)
    result = run("build", "--build-dir", os.path.expanduser(build_dir), "--no-pdf")
    assert result.exit_code == 1, result.output
    assert snapshot(project.parent) == before


def test_build_uses_its_own_folders_again_and_publishes_for_other_users(project):
    os.umask(0o022)
    assert run("build", "--no-pdf").exit_code == 0
    result = run("build")  # the second build replaces what the first one made
    assert result.exit_code == 0, result.output
    public = project / "public"
    assert (public / ".thutuc-site").is_file() and (project / "build" / "site" / ".thutuc-build").is_file()
    for folder, dirs, files in os.walk(public):
        assert os.stat(folder).st_mode & 0o777 == 0o755, folder
        for f in files:
            assert os.stat(os.path.join(folder, f)).st_mode & 0o777 == 0o644, f
    assert (public / "pdf" / "dang-ky-khai-sinh.pdf").is_file()
    assert (project / "docs" / "index.md").read_text() == "# my docs\n"
    assert (project / "mkdocs.yml").read_text() == "site_name: mine\n"
    assert not list(project.glob(".public.*"))


def test_forms_publish_only_referenced_files_and_never_follow_a_link_out(project):
    forms = project / "catalogue" / "forms"
    forms.mkdir(exist_ok=True)
    secret = project.parent / "secret.txt"
    secret.write_text("s3cr3t-7f9a\n")
    (forms / "passwd.pdf").symlink_to(secret)
    (forms / "unused.pdf").write_bytes(b"%PDF-1.4 unused")
    result = run("build", "--no-pdf")
    assert result.exit_code == 0, result.output
    published = {p.name for p in (project / "public").rglob("*")}
    assert "passwd.pdf" not in published and "unused.pdf" not in published
    assert not any(b"s3cr3t-7f9a" in p.read_bytes() for p in (project / "public").rglob("*") if p.is_file())


def test_a_catalogue_file_linked_out_of_the_catalogue_is_an_error(project):
    outside = project.parent / "elsewhere.yaml"
    shutil.copy(project / "catalogue" / "legal" / next(iter(sorted(os.listdir(project / "catalogue" / "legal")))),
                outside)
    (project / "catalogue" / "legal" / "linked.yaml").symlink_to(outside)
    result = run("check", "catalogue")
    assert result.exit_code == 1
    assert "catalogue/legal/linked.yaml:1:1: error: this file is a link to a file outside the catalogue" in result.output


def test_checklist_output_never_replaces_what_thutuc_did_not_write(project):
    before = snapshot(project)
    for target, message in [("catalogue/office.yaml", "refusing to write inside the catalogue"),
                            ("notes.txt", "already exists and thutuc did not write it"),
                            ("missing/x.pdf", "the folder missing does not exist"),
                            ("docs", "is a directory")]:  # click's own usage error (exit 2)
        result = run(*CHECKLIST, "-o", target)
        assert result.exit_code in (1, 2), (target, result.output)
        assert message in result.output and "internal error" not in result.output
        assert result.exit_code == 2 or result.output.count("\n") == 1, result.output  # one line
    os.symlink("notes.txt", "link.pdf")
    result = run(*CHECKLIST, "-o", "link.pdf")
    assert result.exit_code == 1 and "is a link" in result.output
    os.unlink("link.pdf")
    assert snapshot(project) == before


def test_checklist_replaces_its_own_output_but_not_an_edited_one(project):
    assert run(*CHECKLIST, "--format", "md", "-o", "list.md").exit_code == 0
    assert run(*CHECKLIST[:-2], "--submitted", "2026-11-27 09:00", "--format", "md", "-o", "list.md").exit_code == 0
    assert "27/11/2026" in Path("list.md").read_text()
    with open("list.md", "a") as f:
        f.write("my own line\n")
    result = run(*CHECKLIST, "--format", "md", "-o", "list.md")
    assert result.exit_code == 1 and "changed since" in result.output
    assert Path("list.md").read_text().endswith("my own line\n")


def test_a_thutuc_pdf_is_recognised_even_after_the_cache_was_cleared(project, monkeypatch, tmp_path):
    assert run(*CHECKLIST, "-o", "a.pdf").exit_code == 0
    monkeypatch.setenv("THUTUC_CACHE_DIR", str(tmp_path / "fresh-cache"))
    assert run(*CHECKLIST, "-o", "a.pdf").exit_code == 0


@pytest.mark.parametrize("command", [["review", "catalogue"], ["diff", "catalogue", "catalogue"],
                                     ["export", "--catalogue", "catalogue"]])
def test_reports_refuse_bad_places_with_one_line(project, command):
    before = snapshot(project)
    for target in ("catalogue/x.md", "missing/x.md", "notes.txt"):
        result = run(*command, "-o", target)
        assert result.exit_code == 1, (command, target, result.output)
        assert "internal error" not in result.output and result.output.strip().startswith("thutuc:")
    assert snapshot(project) == before


def test_batch_refuses_to_write_into_the_catalogue(project):
    Path("rows.csv").write_text("so_trang,so_ban\n5,3\n", encoding="utf-8")
    before = snapshot(project / "catalogue")
    result = run("checklist", "2.000815", "--batch", "rows.csv", "--out-dir", "catalogue/forms")
    assert result.exit_code == 1 and "refusing to write inside the catalogue" in result.output
    assert snapshot(project / "catalogue") == before


def test_schema_copies_update_our_own_files_only(project):
    assert run("schema", "--out", "schemas").exit_code == 0
    assert run("schema", "--out", "schemas").exit_code == 0  # again, e.g. after updating thutuc
    Path("schemas/procedure.schema.json").write_text('{"$id": "mine"}')
    result = run("schema", "--out", "schemas")
    assert result.exit_code == 1 and "did not write" in result.output
    assert Path("schemas/procedure.schema.json").read_text() == '{"$id": "mine"}'


# --- edits: links, line endings, byte-order marks, all or nothing ----------------------------------

def _windows(path: Path) -> bytes:
    data = b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(data)
    return data


def test_reviewed_keeps_a_link_crlf_and_bom(project):
    proc = project / "catalogue" / "procedures" / "ho-tich" / "dang-ky-khai-sinh.yaml"
    real = project.parent / "shared-khai-sinh.yaml"
    shutil.move(proc, real)
    # a link inside the catalogue to a file inside it is fine; keep the real file in the catalogue
    inside = project / "catalogue" / "procedures" / "ho-tich" / "real-khai-sinh.txt"
    shutil.move(real, inside)
    proc.symlink_to(inside.name)
    before = _windows(inside)
    result = run("reviewed", "dang-ky-khai-sinh", "--by", "Nguyễn Thị Lan", "--on", "2026-11-20",
                 "--catalogue", "catalogue")
    assert result.exit_code == 0, result.output
    assert proc.is_symlink()
    after = inside.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf") and b"\n" not in after.replace(b"\r\n", b"")
    lines = before.split(b"\r\n"), after.split(b"\r\n")
    assert len(lines[0]) == len(lines[1])
    changed = [b for a, b in zip(*lines) if a != b]
    assert changed == [b"  last_reviewed: 2026-11-20", "  reviewed_by: Nguyễn Thị Lan".encode()]


def test_fmt_keeps_a_link_crlf_and_bom(project):
    proc = project / "catalogue" / "procedures" / "ho-tich" / "dang-ky-khai-sinh.yaml"
    inside = proc.with_name("real.txt")
    shutil.move(proc, inside)
    proc.symlink_to(inside.name)
    before = _windows(inside)
    messy = before.replace(b"\r\n", b"   \r\n", 3)  # trailing spaces to tidy
    inside.write_bytes(messy)
    result = run("fmt", str(proc))
    assert result.exit_code == 0, result.output
    assert proc.is_symlink() and inside.read_bytes() == before


def test_reassign_writes_every_file_or_none(project, monkeypatch):
    from thutuc import outputs

    before = snapshot(project / "catalogue")
    calls = []
    real = outputs._stage

    def full_disk(path, data):
        calls.append(path)
        if len(calls) == 3:
            raise OSError(28, "No space left on device", str(path))
        return real(path, data)

    monkeypatch.setattr(outputs, "_stage", full_disk)
    result = run("reassign", "--from-agency", "ubnd-xa", "--to-agency", "cong-an-xa", "--catalogue", "catalogue")
    assert len(calls) == 3, result.output
    assert result.exit_code == 1
    assert "No space left on device" in result.output and "nothing was changed" in result.output
    assert "internal error" not in result.output
    assert snapshot(project / "catalogue") == before
    assert not [p for p in (project / "catalogue").rglob(".*") if p.is_file()]  # no temporary files left


# --- builds at the same time, builds killed ----------------------------------------------------------

def _thutuc(*args: str, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "thutuc", "--lang", "en", *args], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_a_build_waits_for_another_holding_its_folder(project):
    from thutuc.website.build import locked, prepare_build_dir

    prepare_build_dir(project / "build" / "site", project / "catalogue")
    with locked(project / "build" / "site" / ".lock"):
        second = _thutuc("build", "--no-pdf", cwd=project)
        time.sleep(3)
        assert second.poll() is None  # still waiting
    out = second.communicate(timeout=300)[0]
    assert second.returncode == 0 and "waiting for another build" in out, out


def test_two_builds_at_once_both_publish_a_whole_site(project):
    first = _thutuc("build", "--no-pdf", cwd=project)
    deadline = time.time() + 120
    while time.time() < deadline and not (project / "build" / "site" / "docs").is_dir():
        time.sleep(0.05)  # the first build holds the lock from here on
    second = _thutuc("build", "--no-pdf", cwd=project)
    outputs = [p.communicate(timeout=300)[0] for p in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outputs
    pages = {p.parent.name for p in (project / "public" / "thu-tuc").glob("*/index.html")}
    assert len(pages) == len(list((project / "catalogue" / "procedures").glob("*/*.yaml")))
    assert not list(project.glob(".public.*"))


def _workers(pid: int) -> set[int]:
    """The Python processes ``pid`` started (not git, which the build also runs)."""
    kids = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            python = b"python" in (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == pid and python:
            kids.add(int(stat.parent.name))
    return kids


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_killed_build_leaves_no_workers_and_the_next_build_cleans_up(project, monkeypatch):
    monkeypatch.setenv("THUTUC_CACHE_DIR", str(project.parent / "cold-cache"))  # PDFs to render
    build = _thutuc("build", cwd=project)
    deadline = time.time() + 120
    workers: set[int] = set()
    while time.time() < deadline and not workers:
        workers = _workers(build.pid)
        time.sleep(0.05)
    assert workers, "the build never started its PDF workers"
    staging = list(project.glob(".public.*"))
    assert staging
    os.kill(build.pid, signal.SIGKILL)
    build.wait()
    deadline = time.time() + 30
    while time.time() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.1)
    assert not any(_alive(w) for w in workers), "workers outlived the killed build"
    result = _thutuc("build", "--no-pdf", cwd=project)
    out = result.communicate(timeout=300)[0]
    assert result.returncode == 0, out
    assert "removed what an interrupted build left" in out
    assert not list(project.glob(".public.*"))


def test_a_terminated_build_removes_its_half_made_site(project):
    (project / "public").mkdir()
    build = _thutuc("build", cwd=project)
    deadline = time.time() + 120
    while time.time() < deadline and not list(project.glob(".public.*/index.html")):
        time.sleep(0.05)
    build.send_signal(signal.SIGTERM)
    build.wait(timeout=60)
    assert build.returncode != 0
    assert not list(project.glob(".public.*"))
    assert list((project / "public").iterdir()) == []  # the old (empty) site is untouched


def test_fmt_never_rewrites_what_is_not_a_yaml_file_of_the_folder(project):
    Path("conf.txt").write_text("x = 1\n")
    outside = project.parent / "outside.yaml"
    outside.write_text("a:    1\n")
    (project / "catalogue" / "legal" / "linked.yaml").symlink_to(outside)
    result = run("fmt", "conf.txt")
    assert result.exit_code == 1 and "not a YAML file" in result.output
    result = run("fmt", "catalogue")
    assert result.exit_code == 1 and "catalogue/legal/linked.yaml:1:1: error: this file is a link" in result.output
    assert Path("conf.txt").read_text() == "x = 1\n" and outside.read_text() == "a:    1\n"


def _with_form(project: Path, file: str) -> None:
    proc = project / "catalogue" / "procedures" / "ho-tich" / "dang-ky-khai-sinh.yaml"
    text = proc.read_text(encoding="utf-8")
    anchor = "      code: Tờ khai đăng ký khai sinh (mẫu ban hành kèm Thông tư 04/2020/TT-BTP)\n"
    assert anchor in text
    proc.write_text(text.replace(anchor, anchor + f"      file: {file}\n"), encoding="utf-8")


def test_a_referenced_form_is_published(project):
    (project / "catalogue" / "forms").mkdir()
    (project / "catalogue" / "forms" / "to-khai.pdf").write_bytes(b"%PDF-1.4 form")
    _with_form(project, "forms/to-khai.pdf")
    assert run("build", "--no-pdf").exit_code == 0
    assert (project / "public" / "forms" / "to-khai.pdf").read_bytes() == b"%PDF-1.4 form"


def test_a_forms_folder_linked_out_of_the_catalogue_is_never_published(project):
    elsewhere = project.parent / "etc"
    elsewhere.mkdir()
    (elsewhere / "passwd.pdf").write_bytes(b"%PDF-1.4 s3cr3t-7f9a")
    (project / "catalogue" / "forms").symlink_to(elsewhere)
    _with_form(project, "forms/passwd.pdf")
    result = run("check", "catalogue")
    assert result.exit_code == 1 and "catalogue/forms/ is a link out of the catalogue; make it a real folder" in result.output
    assert run("build", "--no-pdf").exit_code == 1
    assert not (project / "public").exists()


def test_a_read_only_place_to_publish_is_one_line_and_leaves_the_site(project, monkeypatch):
    from thutuc.website import build

    assert run("build", "--no-pdf").exit_code == 0
    before = snapshot(project)

    def read_only(*args, **kwargs):
        raise OSError(30, "Read-only file system", str(project / ".public.x"))

    monkeypatch.setattr(build.tempfile, "mkdtemp", read_only)
    result = run("build", "--no-pdf")
    assert result.exit_code == 1
    assert "Read-only file system; nothing was published" in result.output and "internal error" not in result.output
    assert {k: v for k, v in snapshot(project).items() if not k.startswith("build/")} == \
        {k: v for k, v in before.items() if not k.startswith("build/")}


WORKER_PARENT = """
import os, signal, sys, time
from concurrent.futures import ProcessPoolExecutor
from thutuc.website.sitepdf import die_with_parent
signal.signal(signal.SIGTERM, lambda *a: sys.exit(143))  # as `thutuc build` does
with ProcessPoolExecutor(2, initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
    futures = [pool.submit(time.sleep, 120) for _ in range(2)]
    print("busy", flush=True)
    time.sleep(120)
"""


def test_pdf_workers_in_the_middle_of_a_job_end_with_a_killed_build():
    parent = subprocess.Popen([sys.executable, "-c", WORKER_PARENT], stdout=subprocess.PIPE, text=True)
    assert parent.stdout.readline().strip() == "busy"
    deadline = time.time() + 30
    workers: set[int] = set()
    while time.time() < deadline and len(workers) < 2:
        workers = _workers(parent.pid)
        time.sleep(0.05)
    time.sleep(0.5)  # both are sleeping inside their job now
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.time() + 10
    while time.time() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.1)
    alive = [w for w in workers if _alive(w)]
    for w in alive:
        os.kill(w, signal.SIGKILL)
    assert workers and not alive, "workers outlived the killed build"
