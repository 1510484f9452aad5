"""Plotly figure builders: pure functions from arrays and labels to figures."""

from charts.labels import plain, short
from charts.scatter import scatter

__all__ = ["plain", "scatter", "short"]
