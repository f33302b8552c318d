"""Word lists of matching (synonyms, lower-is-better indicators, exclusive qualifiers), read once from data files."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def rows(name: str) -> tuple[tuple[str, ...], ...]:
    """The non-comment lines of a data file in tracker/match/data, split on tabs."""
    text = resources.files("tracker.match").joinpath("data", name).read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(tuple(w.strip() for w in line.split("\t") if w.strip()))
    return tuple(out)


@cache
def words(name: str) -> tuple[str, ...]:
    """The first column of a data file, longest first."""
    return tuple(sorted({r[0] for r in rows(name)}, key=len, reverse=True))


@cache
def synonyms() -> tuple[tuple[str, str], ...]:
    """(variant, canonical) pairs, longest variant first, so replacement prefers the longest match."""
    pairs: dict[str, str] = {}
    for row in rows("synonyms.txt"):
        canonical = row[0]
        for variant in row[1:]:
            pairs.setdefault(variant, canonical)
    return tuple(sorted(pairs.items(), key=lambda p: len(p[0]), reverse=True))


@cache
def exclusive_groups() -> tuple[tuple[str, ...], ...]:
    """Groups of qualifiers that tell different indicators apart ("登记" vs "调查")."""
    return rows("exclusive.txt")
