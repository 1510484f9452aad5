"""Projection of vectors to 2-D or 3-D, and how faithful such pictures are."""

from projection.reducers import (
    PROJECTION_METHODS,
    UMAP_METRICS,
    UMAP_MIN_POINTS,
    ProjectionResult,
    project,
    run_projection,
)

__all__ = ["PROJECTION_METHODS", "UMAP_METRICS", "UMAP_MIN_POINTS", "ProjectionResult", "project", "run_projection"]
