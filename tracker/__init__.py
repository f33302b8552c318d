"""Policy-commitment tracker: quantitative commitments of government work reports and their outcomes."""

__version__ = "0.1.0"
