"""Cut a photograph into a grid of square patches and give each patch its raw pixels as a vector.

A vision transformer starts this way: the image becomes a sequence of patches, each
flattened to ``patch_size * patch_size * 3`` numbers (before a learned linear
projection, which this module does not have). The photographs are the two that
scikit-learn ships (china.jpg, flower.jpg), so nothing is downloaded.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

MIN_PATCH_SIZE = 4
MAX_PATCH_SIZE = 128
#: Mean brightness (0..1) below which a patch is called dark whatever its hue.
DARK_BELOW = 0.2
#: Saturation (HSV, 0..1) below which a patch has no clear hue: white or grey.
GREY_SATURATION_BELOW = 0.12
#: Brightness above which an unsaturated patch is called white rather than grey.
WHITE_ABOVE = 0.85
#: Below this brightness (HSV value) a yellow patch is called olive: dim yellow is how foliage often averages out.
OLIVE_BELOW = 0.55
#: Hue families by upper bound of the hue angle in degrees; red wraps around 360.
HUE_FAMILIES = (
    (15, "red"),
    (45, "orange / brown"),
    (70, "yellow"),
    (165, "green"),
    (195, "teal"),
    (255, "blue / sky-like"),
    (330, "purple / pink"),
    (360, "red"),
)


def sample_image_names() -> list[str]:
    """Names of the bundled sample photographs, in scikit-learn's order."""
    return list(_sample_images())


@lru_cache(maxsize=1)
def _sample_images() -> dict[str, np.ndarray]:
    # Decoding the JPEGs takes a noticeable moment; the arrays are shared, so they are made read-only.
    from pathlib import Path

    from sklearn.datasets import load_sample_images

    bunch = load_sample_images()
    images = {}
    for filename, image in zip(bunch.filenames, bunch.images):
        image = np.ascontiguousarray(image, dtype=np.uint8)
        image.flags.writeable = False
        images[Path(filename).stem] = image
    return images


@dataclass(frozen=True, eq=False)
class PatchGrid:
    """An image cut into ``rows x columns`` square patches and one vector per patch.

    ``vectors`` holds each patch's pixels, row by row then channel (RGB), scaled to
    0..1, patches in row-major order; ``labels`` name patches like "r3c5" (row 3,
    column 5, from 0). ``colours`` is each patch's colour family from its mean colour
    and brightness ("green", "grey", "dark", ...): a description of the pixels for
    colouring a chart, not a recognition of what the patch shows. ``cropped`` is the
    (bottom rows, right columns) of pixels dropped so whole patches fit, counted in
    the image after any downscaling.
    """

    image: np.ndarray
    patch_size: int
    rows: int
    columns: int
    vectors: np.ndarray
    labels: list[str]
    colours: list[str]
    cropped: tuple[int, int]
    name: str = ""
    downscale: int = 1

    def __len__(self) -> int:
        return self.rows * self.columns


def colour_family(rgb: np.ndarray) -> str:
    """The colour family of one mean colour (three values in 0..1): dark, white, grey or a hue name."""
    red, green, blue = (float(value) for value in rgb)
    if (red + green + blue) / 3 < DARK_BELOW:
        return "dark"
    hue, saturation, value = colorsys.rgb_to_hsv(red, green, blue)
    if saturation < GREY_SATURATION_BELOW:
        return "white" if value > WHITE_ABOVE else "grey"
    degrees = hue * 360
    family = next(family for bound, family in HUE_FAMILIES if degrees < bound or bound == 360)
    return "olive" if family == "yellow" and value < OLIVE_BELOW else family


def _downscaled(image: np.ndarray, factor: int) -> np.ndarray:
    """``image`` shrunk by an integer ``factor``: each output pixel is the mean of a factor x factor block."""
    if factor == 1:
        return image
    height, width = image.shape[0] // factor, image.shape[1] // factor
    blocks = image[: height * factor, : width * factor].reshape(height, factor, width, factor, 3)
    return np.rint(blocks.mean(axis=(1, 3))).astype(np.uint8)


def patch_grid(name: str = "china", patch_size: int = 32, downscale: int = 1) -> PatchGrid:
    """The sample image ``name`` (shrunk ``downscale`` times) cut into ``patch_size`` square patches.

    The right and bottom remainders that do not fill a whole patch are dropped
    (``PatchGrid.cropped`` says how many pixels). Raises ``ValueError`` for an
    unknown image, a patch size outside 4..128 or larger than the image, or a
    downscale factor below 1.
    """
    images = _sample_images()
    if name not in images:
        raise ValueError(f"Unknown sample image {name!r}; choose one of: {', '.join(images)}.")
    if not isinstance(downscale, (int, np.integer)) or isinstance(downscale, bool) or downscale < 1:
        raise ValueError(f"downscale must be a whole number of at least 1, got {downscale!r}.")
    if not isinstance(patch_size, (int, np.integer)) or isinstance(patch_size, bool):
        raise ValueError(f"patch_size must be a whole number, got {patch_size!r}.")
    if not MIN_PATCH_SIZE <= patch_size <= MAX_PATCH_SIZE:
        raise ValueError(f"patch_size must be between {MIN_PATCH_SIZE} and {MAX_PATCH_SIZE} pixels, got {patch_size}.")
    source = _downscaled(images[name], int(downscale))
    height, width = source.shape[:2]
    if patch_size > min(height, width):
        raise ValueError(
            f"A {patch_size}-pixel patch does not fit in the {width}x{height} image"
            + (f" (shrunk {downscale} times)" if downscale > 1 else "") + "."
        )
    patch_size, downscale = int(patch_size), int(downscale)
    rows, columns = height // patch_size, width // patch_size
    image = np.ascontiguousarray(source[: rows * patch_size, : columns * patch_size])
    image.flags.writeable = False
    patches = image.reshape(rows, patch_size, columns, patch_size, 3).transpose(0, 2, 1, 3, 4)
    vectors = patches.reshape(rows * columns, patch_size * patch_size * 3).astype(np.float32) / np.float32(255)
    vectors.flags.writeable = False
    means = vectors.reshape(rows * columns, -1, 3).mean(axis=1)
    return PatchGrid(
        image=image,
        patch_size=patch_size,
        rows=rows,
        columns=columns,
        vectors=vectors,
        labels=[f"r{row}c{column}" for row in range(rows) for column in range(columns)],
        colours=[colour_family(mean) for mean in means],
        cropped=(height - rows * patch_size, width - columns * patch_size),
        name=name,
        downscale=downscale,
    )


def grid_image(grid: PatchGrid, gap: int = 2) -> np.ndarray:
    """The cropped image with ``gap`` white pixels between neighbouring patches (none around the edge)."""
    if gap < 0:
        raise ValueError(f"gap must be 0 or more pixels, got {gap}.")
    size = grid.patch_size
    step = size + gap
    out = np.full((grid.rows * step - gap, grid.columns * step - gap, 3), 255, dtype=np.uint8)
    for row in range(grid.rows):
        for column in range(grid.columns):
            out[row * step : row * step + size, column * step : column * step + size] = grid.image[
                row * size : (row + 1) * size, column * size : (column + 1) * size
            ]
    return out


def patch_thumbnail(grid: PatchGrid, index: int) -> np.ndarray:
    """The pixels (``patch_size x patch_size x 3`` uint8) of patch ``index`` in row-major order."""
    if not 0 <= index < len(grid):
        raise IndexError(f"Patch {index} does not exist; the grid has {len(grid)} patches.")
    row, column = divmod(int(index), grid.columns)
    size = grid.patch_size
    return grid.image[row * size : (row + 1) * size, column * size : (column + 1) * size].copy()
