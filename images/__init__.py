"""Images cut into patches, as a vision transformer reads them: each patch becomes a vector."""

from images.patches import (
    MAX_PATCH_SIZE,
    MIN_PATCH_SIZE,
    PatchGrid,
    colour_family,
    grid_image,
    patch_grid,
    patch_thumbnail,
    sample_image_names,
)

__all__ = ["MAX_PATCH_SIZE", "MIN_PATCH_SIZE", "PatchGrid", "colour_family", "grid_image", "patch_grid",
           "patch_thumbnail", "sample_image_names"]
