"""Analyses on a list of vectors: k-means clusters with names, and what a selection on a map holds."""
