"""Policy areas of commitments from a word list (data/areas.txt), matched on indicator and chapter."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

OTHER = "other"


@dataclass(frozen=True)
class Area:
    """One policy area: its key (stored in Commitment.area), a label for reports, and its keywords."""

    key: str
    label: str
    keywords: tuple[str, ...]


@lru_cache(maxsize=1)
def areas() -> tuple[Area, ...]:
    """The policy areas in the order of the word list, loaded once."""
    text = resources.files("tracker.scorecard").joinpath("data/areas.txt").read_text(encoding="utf-8")
    out: list[Area] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, label, words = (part.strip() for part in line.split("|", 2))
        out.append(Area(key, label, tuple(words.split())))
    return tuple(out)


def area_label(key: str | None) -> str:
    """A person-readable label of an area key ("agriculture_rural" -> "农业农村 agriculture_rural")."""
    for a in areas():
        if a.key == key:
            return a.label
    return "其他" if key in (None, OTHER) else str(key)


@lru_cache(maxsize=1)
def _keywords_by_first_char() -> dict[str, list[tuple[str, int]]]:
    """Each keyword with the rank of the first area that lists it, grouped by first character, longest
    first: a scan of a text then tries only the few keywords that can start at each character."""
    rank: dict[str, int] = {}
    for i, a in enumerate(areas()):
        for word in a.keywords:
            rank.setdefault(word, i)
    index: dict[str, list[tuple[str, int]]] = {}
    for word in sorted(rank, key=len, reverse=True):
        index.setdefault(word[0], []).append((word, rank[word]))
    return index


@lru_cache(maxsize=4096)
def _best(text: str) -> str | None:
    """The area whose longest keyword found in `text` is longest; ties go to the earlier area."""
    index = _keywords_by_first_char()
    best_len, best_rank = 0, -1
    for i, c in enumerate(text):
        for word, rank in index.get(c, ()):
            if text.startswith(word, i):
                # the longest keyword starting here; a longer one elsewhere or an earlier area wins
                if len(word) > best_len or (len(word) == best_len and rank < best_rank):
                    best_len, best_rank = len(word), rank
                break
    return areas()[best_rank].key if best_len else None


def area_of(indicator: str, chapter: str | None) -> str:
    """The policy area of a commitment: its indicator decides, else its chapter, else "other"."""
    # The indicator names what is measured; the chapter heading is broad ("着力推进城乡融合发展"),
    # so it only decides when the indicator says nothing.
    return _best(indicator or "") or _best(chapter or "") or OTHER
