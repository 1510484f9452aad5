"""Projection of vectors to 2-D or 3-D, and how faithful such pictures are."""

from projection.reducers import (
    PROJECTION_METHODS,
    UMAP_METRICS,
    UMAP_MIN_POINTS,
    ProjectionResult,
    project,
    run_projection,
)
from projection.align import align, align_to_words, fit_alignment
from projection.quality import (
    ProjectionQuality,
    knn_recall,
    mean_overlap_matrix,
    neighbour_overlap,
    projection_quality,
    trustworthiness,
)

__all__ = ["PROJECTION_METHODS", "UMAP_METRICS", "UMAP_MIN_POINTS", "ProjectionResult", "project", "run_projection",
           "ProjectionQuality", "align", "align_to_words", "fit_alignment", "knn_recall", "mean_overlap_matrix",
           "neighbour_overlap", "projection_quality", "trustworthiness"]
