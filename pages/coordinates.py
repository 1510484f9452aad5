"""Your coordinates: a projection made elsewhere (x, y and optional z per word), drawn as it is."""

import numpy as np
import streamlit as st

from charts.presentation import SCALE
from charts.scatter import DENSITY_FROM, DENSITY_MARKERS, MAX_3D_POINTS, scatter_chart
from inputs import vectorfiles
from ui.display import show_chart
from ui.exports import export_buttons
from ui.frame import page_frame, picture_height
from ui.links import presentation_mode
from ui.session_cache import remembered

EXAMPLE_NAME = "example-digits-pca.csv"
FORMAT = (
    "A CSV or TSV file with a header row: columns x, y and optionally z, a word (or label, text, item) column, "
    "and any others to colour by. Every chart's “Coordinates (CSV)” download in this app is such a file."
)


@st.cache_data(show_spinner=False)
def example_file() -> bytes:
    """A coordinates file made elsewhere: scikit-learn's 1,797 handwritten digits (8 x 8 pixels), by PCA."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    pixels = digits.data - digits.data.mean(axis=0)
    coords = pixels @ np.linalg.svd(pixels, full_matrices=False)[2][:2].T
    names = [f"{digit} (image {index})" for index, digit in enumerate(digits.target)]
    return vectorfiles.to_coordinates_csv(names, coords, [f"digit {digit}" for digit in digits.target])


frame = page_frame(
    "Draw your own coordinates",
    about=f"{FORMAT} Nothing is embedded or projected here: the points are drawn where the file puts them, up to "
    f"{vectorfiles.MAX_COORDINATE_ROWS:,} of them, so a projection made elsewhere can be explored here. The file "
    "stays in your session.",
)
with frame.controls:
    upload = st.file_uploader("Coordinates file", type=["csv", "tsv", "txt"], key="coordinates_upload",
                              help=f"{FORMAT} Up to {vectorfiles.MAX_COORDINATE_ROWS:,} points.")
if upload is None:
    name = EXAMPLE_NAME
    frame.notes.info("An example until you choose a file: 1,797 handwritten digits placed by a PCA of their "
                     f"pixels, coloured by digit. {FORMAT}")
else:
    name = upload.name
try:
    if upload is None:
        points = vectorfiles.read_coordinates(example_file(), name)  # example_file is cached: no second build
    else:
        uploaded = upload  # a name that stays narrowed to a file inside the lambda below
        with frame.picture, st.spinner(f"Reading {name}…"):
            points = remembered("coordinates", (uploaded.file_id,),
                                lambda: vectorfiles.read_coordinates(uploaded.getvalue(), uploaded.name))
except vectorfiles.VectorFileError as error:
    frame.picture.error(str(error))
    frame.notes.caption(FORMAT)
    st.stop()

columns = [] if points.metadata is None else [str(column) for column in points.metadata.columns]
with frame.controls:
    # A file with one column besides the word and coordinates (this app's downloads: "group") is coloured by it.
    colour = st.selectbox("Colour by", [None, *columns], index=1 if len(columns) == 1 else 0,
                          format_func=lambda c: c or "(nothing)", key="coordinates_colour")
    found = st.text_input("Find a word", key="coordinates_find", placeholder="A word of the file",
                          help="Highlights the word, labels it and centres the chart on it.").strip()
    if found and found not in points.words:
        st.warning("That word is not in the file.")
        found = ""
metadata = points.metadata  # not None when a column is chosen: the columns come from it
groups = [""] * len(points) if colour is None or metadata is None else metadata[colour].fillna("").astype(str).tolist()

with frame.picture, st.spinner(f"Drawing {len(points):,} points…"):
    chart = scatter_chart(points.coords, points.words, groups, highlight=[found] if found else [],
                          centre_on=found or None, title=f"{name} · {points.coords.shape[1]}D",
                          height=picture_height(), font_scale=SCALE if presentation_mode() else 1.0)
    show_chart(chart.figure, key="coordinates_chart")
with frame.notes:
    if chart.note():
        st.caption(chart.note())
    st.caption(f"{len(points):,} points, drawn at the file's own coordinates.")
    for note in points.notes:
        st.caption(note)
with frame.controls:
    export_buttons("coordinates", name.rsplit(".", 1)[0], points.words, groups, points.coords, chart.figure)

st.markdown(
    f"**Large files.** Up to {DENSITY_FROM:,} points are all drawn as markers. Above that the chart shows their "
    f"density in grey with a random sample of {DENSITY_MARKERS:,} markers on top (plus the word found and the "
    "labelled ones): hover and Find reach those markers, and the density shows every point. A 3-D file draws "
    f"a random {MAX_3D_POINTS:,} of its points. Files hold at most {vectorfiles.MAX_COORDINATE_ROWS:,} points "
    f"and {vectorfiles.COORDINATE_LIMITS.max_bytes / 2**20:,.0f} MB."
)
if upload is None:
    text = example_file().decode()
    st.caption("The start of the example file (the Download menu beside the chart has all of it):")
    st.code(text[: text.index("\n", 300)] + "\n…", language=None)
