"""Extraction (pure): number expressions, units, comparators, indicators, commitments and outcomes."""

from tracker.extract.commitments import extract_commitments, extract_sentence
from tracker.extract.numbers import NumberExpr, find_numbers, normalise

__all__ = ["NumberExpr", "extract_commitments", "extract_sentence", "find_numbers", "normalise"]
