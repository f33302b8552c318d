"""Scorecards: aggregation of commitment views (build, pure) and renderers to Markdown, HTML, CSV, JSON and XLSX.

Import the modules themselves: `areas` is used by ingestion workers, which must not load the
database layer that `build` reads through.
"""
