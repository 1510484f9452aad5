"""Projection of vectors to 2-D or 3-D, and how faithful such pictures are."""

from projection.align import align, align_to_words, fit_alignment
from projection.distortion import (
    ProjectionQuality,
    knn_recall,
    mean_overlap_matrix,
    neighbour_overlap,
    projection_quality,
    trustworthiness,
)
from projection.neighbours import NeighbourGraph, neighbour_graph
from projection.reducers import (
    PROJECTION_METHODS,
    UMAP_METRICS,
    UMAP_MIN_POINTS,
    ProjectionResult,
    graph_k,
    plan_projection,
    project,
    run_projection,
)

__all__ = ["PROJECTION_METHODS", "UMAP_METRICS", "UMAP_MIN_POINTS", "NeighbourGraph", "ProjectionResult", "graph_k",
           "neighbour_graph", "plan_projection", "project", "run_projection",
           "ProjectionQuality", "align", "align_to_words", "fit_alignment", "knn_recall", "mean_overlap_matrix",
           "neighbour_overlap", "projection_quality", "trustworthiness"]
