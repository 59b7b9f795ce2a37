"""Benchmark: whole-process timings on synthetic catalogues of several sizes.

Run: make bench   (or: .venv/bin/python tests/bench/bench.py --sizes 100,1000,5000 --runs 3)

For each size it times, as separate processes and taking the median of --runs runs:
`thutuc check` (after one first run with an empty cache, timed on its own), `thutuc build --no-pdf`, and a bare `mkdocs build` of the very Markdown that
thutuc generated — so the build's cost is also shown as a ratio to MkDocs' own. Then, once each:
the generic checklist PDFs of every procedure from an empty cache, and again after editing one
procedure (which must regenerate exactly one PDF). Last, one `thutuc checklist` to PDF. It records
each command's peak memory, the HTML bytes per procedure page, and the search index size per
procedure (gzip). Prints a table and writes bench-out/bench.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tool"))

from thutuc.catalogue.synthetic import make_catalogue  # noqa: E402


def run(cmd: list[str], output: list | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{out.decode()[-3000:]}")
    if output is not None:
        output.append(out.decode())
    return seconds, usage.ru_maxrss / 1024


def timed(cmd: list[str], runs: int, before=None) -> dict:
    results = []
    for _ in range(runs):
        if before:
            before()
        results.append(run(cmd))
    return {"median_s": round(statistics.median(r[0] for r in results), 3),
            "peak_rss_mb": round(max(r[1] for r in results), 1)}


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100,1000,5000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", default=str(ROOT / "bench-out"))
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    thutuc = [sys.executable, "-m", "thutuc", "--lang", "en"]  # the summary line is parsed below
    rows = []
    header = (f"{'procedures':>10} {'check cold s':>12} {'check s':>8} {'build s':>8} {'mkdocs s':>9} {'ratio':>6} "
              f"{'build MB':>9} {'html/page':>10} {'index gz/proc':>14} {'output MB':>10} "
              f"{'PDFs cold s':>12} {'1 edit s':>9} {'regen':>6} {'checklist s':>12}")
    print(header, flush=True)
    for size in [int(s) for s in args.sizes.split(",")]:
        cat = make_catalogue(ROOT / "catalogue", out / f"catalogue-{size}", size)
        public, gen, bare = out / f"public-{size}", out / f"gen-{size}", out / f"bare-{size}"
        os.environ["THUTUC_CACHE_DIR"] = str(out / f"cache-{size}")
        shutil.rmtree(out / f"cache-{size}", ignore_errors=True)
        check_cold = run(thutuc + ["check", str(cat)])  # first check after installing or upgrading thutuc
        check = timed(thutuc + ["check", str(cat)], args.runs)
        build_cmd = thutuc + ["build", "--catalogue", str(cat), "--out", str(public), "--build-dir", str(gen),
                              "--as-of", "2026-11-26"]
        build = timed(build_cmd + ["--no-pdf"], args.runs)
        mkdocs = timed([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(gen / "mkdocs.yml"),
                        "-d", str(bare)], args.runs, before=lambda: shutil.rmtree(bare, ignore_errors=True))
        pages = sorted((public / "thu-tuc").glob("*/index.html"))
        html_per_page = sum(p.stat().st_size for p in pages) / len(pages)
        index = (public / "search/search_index.json").read_bytes()
        row = {
            "procedures": size, "check_empty_cache": {"seconds": round(check_cold[0], 2)}, "check": check,
            "build": build, "bare_mkdocs": mkdocs,
            "build_to_mkdocs_ratio": round(build["median_s"] / mkdocs["median_s"], 2),
            "html_bytes_per_procedure_page": round(html_per_page),
            "search_index_gzip_bytes_per_procedure": round(len(gzip.compress(index, 9)) / size),
            "output_mb": round(folder_size(public) / 2**20, 1),
        }
        shutil.rmtree(gen / "pdf-cache", ignore_errors=True)
        cold = run(build_cmd)
        first = sorted(cat.glob("procedures/*/*.yaml"))[0]
        first.write_text(first.read_text(encoding="utf-8").replace("title: ", "title: Sửa ", 1), encoding="utf-8")
        said: list = []
        warm = run(build_cmd, said)
        regenerated = int(said[0].split(" PDFs regenerated")[0].rsplit(" ", 1)[1])
        one = timed(thutuc + ["checklist", "--catalogue", str(cat), "--generic", "--submitted", "2026-11-26 09:00",
                              "-o", str(out / "one.pdf"), "1.001193"], args.runs)
        row.update({
            "pdfs_cold": {"seconds": round(cold[0], 2), "peak_rss_mb": round(cold[1], 1)},
            "pdfs_after_one_edit": {"seconds": round(warm[0], 2), "regenerated": regenerated},
            "one_checklist_pdf": one,
        })
        rows.append(row)
        print(f"{size:>10} {check_cold[0]:>12.2f} {check['median_s']:>8.2f} {build['median_s']:>8.2f} {mkdocs['median_s']:>9.2f} "
              f"{row['build_to_mkdocs_ratio']:>6.2f} {build['peak_rss_mb']:>9.0f} {row['html_bytes_per_procedure_page']:>10} "
              f"{row['search_index_gzip_bytes_per_procedure']:>14} {row['output_mb']:>10.1f} "
              f"{cold[0]:>12.1f} {warm[0]:>9.1f} {regenerated:>6} {one['median_s']:>12.2f}", flush=True)
    report = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "runs": args.runs,
        "results": rows,
    }
    (out / "bench.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"written {out / 'bench.json'}")


if __name__ == "__main__":
    main()
