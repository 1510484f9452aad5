"""Your coordinates: a projection made elsewhere (x, y and optional z per word), drawn as it is."""

import streamlit as st

import vectorfiles
from charts.scatter import scatter_chart
from ui.display import show_chart
from ui.exports import export_buttons
from ui.frame import ensure_app_frame
from ui.session_cache import remembered

ensure_app_frame()

st.title("Draw your own coordinates")
st.caption(
    "A CSV or TSV file with a header row: columns x, y and optionally z, a word (or label, text, item) column, "
    "and any others to colour by. Nothing is embedded or projected here: the points are drawn where the file "
    "puts them, so a projection of millions of points made elsewhere can be explored here. The file stays in "
    "your session."
)
upload = st.file_uploader("Coordinates file", type=["csv", "tsv", "txt"], key="coordinates_upload")
if upload is None:
    st.info("Choose a file. Every chart's “Coordinates (CSV)” download in this app is such a file.")
    st.stop()
try:
    points = remembered("coordinates", (upload.file_id,),
                        lambda: vectorfiles.read_coordinates(upload.getvalue(), upload.name))
except vectorfiles.VectorFileError as error:
    st.error(str(error))
    st.stop()
for note in points.notes:
    st.info(note)

columns = [] if points.metadata is None else [str(column) for column in points.metadata.columns]
left, right = st.columns(2)
colour = left.selectbox("Colour by", [None, *columns], format_func=lambda c: c or "(nothing)", key="coordinates_colour")
found = right.text_input("Find a word", key="coordinates_find", placeholder="Type a word of the file").strip()
if found and found not in points.words:
    st.warning("That word is not in the file.")
    found = ""
groups = [""] * len(points) if colour is None else points.metadata[colour].fillna("").astype(str).tolist()
chart = scatter_chart(points.coords, points.words, groups, highlight=[found] if found else [],
                      centre_on=found or None, title=f"{upload.name} · {points.coords.shape[1]}D")
show_chart(chart.figure, key="coordinates_chart")
if chart.note():
    st.caption(chart.note())
st.caption(f"{len(points):,} points, drawn at the file's own coordinates.")
export_buttons("coordinates", upload.name.rsplit(".", 1)[0], points.words, groups, points.coords, chart.figure)
