"""Benchmark: whole-process timings on synthetic catalogues of several sizes.

Run: make bench   (or: .venv/bin/python tests/bench/bench.py --sizes 100,1000,5000)
Prints a table and writes bench-out/bench.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tool"))

from thutuc.synthetic import make_catalogue  # noqa: E402


def timed(cmd: list[str], runs: int) -> dict:
    """Median wall time and the largest peak RSS of a command run as a whole process."""
    times, peaks = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        res = subprocess.run(cmd, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        peaks.append(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss or before)
        if res.returncode not in (0,):
            raise SystemExit(f"{' '.join(cmd)} failed:\n{res.stdout[-2000:]}{res.stderr[-2000:]}")
    return {"median_s": round(statistics.median(times), 3), "peak_rss_mb": round(max(peaks) / 1024, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100,1000,5000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", default=str(ROOT / "bench-out"))
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    thutuc = [sys.executable, "-m", "thutuc"]
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        cat = make_catalogue(ROOT / "catalogue", out / f"catalogue-{size}", size)
        row = {"procedures": size, "check": timed(thutuc + ["check", str(cat)], args.runs)}
        rows.append(row)
        print(f"{size:>6} procedures  check {row['check']['median_s']:>7.3f} s  "
              f"peak {row['check']['peak_rss_mb']:>7.1f} MB", flush=True)
    report = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform()},
        "runs": args.runs,
        "results": rows,
    }
    (out / "bench.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"written {out / 'bench.json'}")


if __name__ == "__main__":
    main()
