"""Extraction (pure): number expressions, units, comparators, indicators, commitments and outcomes."""
