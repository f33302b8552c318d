"""Benchmark: extraction throughput on the city reports vs jieba's default segmentation of the same text.

Run: .venv/bin/python bench/bench_extract.py  (prints MB, MB/s, the ratio, and peak memory).
"""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

from tracker.extract import extract_commitments
from tracker.text import segment

CITY = Path(__file__).parent.parent / "fixtures" / "reports" / "city-2024"


def main() -> None:
    """Print the benchmark figures."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(CITY.glob("*.txt"))]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    extract_commitments(segment(texts[0]))  # word lists and regexes are built once, outside the timing
    t0 = time.perf_counter()
    n = sum(len(extract_commitments(segment(t))) for t in texts)
    ext = time.perf_counter() - t0
    tracemalloc.start()  # measured in a second pass: tracing slows the code it measures
    for t in texts:
        extract_commitments(segment(t))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    import jieba

    t0 = time.perf_counter()
    jieba.initialize()
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    for t in texts:
        jieba.lcut(t)
    jb = time.perf_counter() - t0
    print(f"city reports: {len(texts)} files, {mb:.2f} MB, {n} commitments")
    print(f"extraction (segment + extract): {mb / ext:.2f} MB/s ({ext:.3f} s)")
    print(f"jieba.lcut default mode: {mb / jb:.2f} MB/s ({jb:.3f} s); dictionary load {load:.2f} s (excluded)")
    print(f"ratio extraction / jieba: {jb / ext:.1f}x (target >= 4x)")
    print(f"peak memory of extraction (tracemalloc): {peak / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
