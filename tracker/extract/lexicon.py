"""Word lists of the extraction grammar, read once from the data files shipped in the package."""

from __future__ import annotations

from functools import cache
from importlib import resources


def _rows(name: str) -> list[list[str]]:
    text = resources.files("tracker.extract").joinpath("data", name).read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


@cache
def words(name: str) -> tuple[str, ...]:
    """The first column of a word-list file, longest first (so regex alternations prefer it)."""
    return tuple(sorted({r[0] for r in _rows(name)}, key=len, reverse=True))


@cache
def table(name: str) -> dict[str, tuple[str, ...]]:
    """A word-list file as word -> the rest of its columns."""
    return {r[0]: tuple(r[1:]) for r in _rows(name)}
