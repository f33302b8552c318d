"""Scorecards: aggregation of commitment views (pure) and renderers to Markdown, HTML, CSV, JSON and XLSX."""

from tracker.scorecard.areas import area_of
from tracker.scorecard.build import Comparison, Row, Scorecard, Tally, build_comparison, build_scorecard

__all__ = ["Comparison", "Row", "Scorecard", "Tally", "area_of", "build_comparison", "build_scorecard"]
