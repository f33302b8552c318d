"""Benchmark: `tracker ingest` of every fixture report into a fresh SQLite file, and `tracker --help`.

Runs the real command line in subprocesses, as a user would, and prints:
ingest throughput in MB/s of report text, best of three runs (target >= 1.5), the ingest process's peak memory
(target < 200 MB) and the start-up time of `tracker --help` (target < 0.5 s, best of 5).

The package's bytecode is compiled first (into its git-ignored __pycache__ folders), as `pip
install` does for an installed package: with PYTHONDONTWRITEBYTECODE set, as on some machines, an
editable checkout would otherwise compile every module from source on every run (about 0.2 s).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRACKER = [sys.executable, "-m", "tracker.cli"] if not (Path(sys.executable).parent / "tracker").exists() \
    else [str(Path(sys.executable).parent / "tracker")]


def main() -> None:
    """Run the measurements and print one line per figure."""
    reports = ROOT / "fixtures" / "reports"
    files = sorted(p for p in reports.rglob("*") if p.is_file())
    mb = sum(len(p.read_text(encoding="utf-8").encode("utf-8")) if p.suffix == ".txt" else p.stat().st_size
             for p in files) / 1e6
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "tracker")], check=True)
    runs = [_ingest(reports) for _ in range(3)]  # best of three: this is a shared machine
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    helps = []
    for _ in range(5):
        t0 = time.perf_counter()
        subprocess.run([*TRACKER, "--help"], capture_output=True, check=True)
        helps.append(time.perf_counter() - t0)
    imports = []
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import gc, tracker.cli, tracker.batch, tracker.db; gc.freeze()"],
                       check=True)
        imports.append(time.perf_counter() - t0)
    elapsed = min(runs)
    print(f"reports: {len(files)} files, {mb:.2f} MB of text")
    print(f"tracker ingest (fresh SQLite): best {elapsed:.2f} s of {len(runs)} (all: "
          f"{', '.join(f'{r:.2f}' for r in runs)}), {mb / elapsed:.2f} MB/s (target >= 1.5 MB/s)")
    startup = min(imports)
    print(f"  of which interpreter start-up and imports of the ingest path: {startup:.2f} s; "
          f"without it {mb / max(elapsed - startup, 1e-9):.2f} MB/s")
    print(f"peak memory of the ingest process: {peak_mb:.0f} MB (target < 200 MB)")
    print(f"tracker --help: best {min(helps):.3f} s of 5 (target < 0.5 s)")


def _ingest(reports: Path) -> float:
    """Seconds `tracker ingest` of the reports folder takes into a fresh SQLite file."""
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, TRACKER_DB_URL=f"sqlite:///{tmp}/bench.sqlite")
        subprocess.run([*TRACKER, "init"], env=env, check=True, capture_output=True)
        t0 = time.perf_counter()
        done = subprocess.run([*TRACKER, "ingest", str(reports)], env=env, capture_output=True, text=True)
        elapsed = time.perf_counter() - t0
    if done.returncode != 0:
        sys.exit(f"ingest failed: {done.stderr.strip()}")
    return elapsed


if __name__ == "__main__":
    main()
