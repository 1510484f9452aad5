"""Atlas: a map of many items, built as a batch on Dask (``python -m atlas build``), opened and explored here."""

from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from atlas.explore import (
    QueryError,
    Region,
    cluster_centres,
    find_rows,
    load_method,
    map_coordinates,
    neighbours,
    search,
)
from atlas.folder import Atlas, AtlasError, atlas_folder, list_atlases, open_atlas
from charts.atlas import atlas_map
from settings import atlases_dir
from ui.display import font_scale, show_chart, show_items
from ui.frame import page_frame, picture_height
from ui.state import ATLAS_CHOICE

BUILD_HELP = ("Build one with a command, e.g. `python -m atlas example wikipedia-passages` (1,465 passages by MiniLM, "
              "about a minute), `python -m atlas example glove-words` (all 400,000 GloVe words, about two minutes), or "
              "`python -m atlas build passages.csv --text text --method minilm --out "
              f"{atlases_dir()}/my-atlas` for your own table; then reload this page.")
#: Which part of the map is shown (a box selection zooms into it), per atlas and projection; and the chart's
#: generation, counted up to clear its selection once the zoom is applied.
_REGION_KEY = "atlas_region"
_GENERATION_KEY = "atlas_chart_generation"
#: The item clicked last, per atlas and projection: its neighbours are shown.
_CLICKED_KEY = "atlas_clicked"

frame = page_frame(
    "Atlas",
    about="An atlas is a map of a whole collection (400,000 words build in under two minutes here), embedded, "
          "indexed, projected and clustered as a batch on a distributed engine (Dask) by `python -m atlas build`. "
          "Every item is drawn as density (grey), with a random sample as markers and each cluster's name at its "
          "centre; drag a box to zoom into a region, which is then drawn with its own points. Search embeds your "
          "query with the atlas's method and looks it up in the atlas's FAISS index (original space, cosine); "
          "click a marker for its nearest neighbours.")


@st.cache_resource(show_spinner=False, max_entries=4)
def opened(folder: str, built_at: str) -> Atlas:
    """The atlas, read once per server and build (atlases are built by whoever runs the server: shared data)."""
    return open_atlas(Path(folder))


root = atlases_dir()
summaries = list_atlases(root)
complete = [summary for summary in summaries if summary.problem is None]
broken = [summary for summary in summaries if summary.problem is not None]
if not complete:
    frame.picture.info(f"No atlas in {root} yet. {BUILD_HELP}")
    for summary in broken:
        frame.notes.warning(f"{summary.name}: {summary.problem}")
    st.stop()

names = [summary.name for summary in complete]
by_name = {summary.name: summary for summary in complete}
if st.session_state.get(ATLAS_CHOICE) not in names:
    asked = st.session_state.get(ATLAS_CHOICE)
    if asked:
        frame.notes.warning(f"The link names the atlas “{asked}”, which is not here; the most recent one is shown.")
    st.session_state[ATLAS_CHOICE] = names[0]  # the most recently built
with frame.controls:
    name = st.selectbox("Atlas", names, key=ATLAS_CHOICE,
                        format_func=lambda n: f"{n} ({by_name[n].items:,} items, {by_name[n].method})",
                        help="The atlases in the atlas folder (EMBEDDING_EXPLORER_ATLASES), newest first.")
    projection = st.segmented_control("Map", ["umap", "pca"], format_func=str.upper, default="umap",
                                      required=True, key="atlas_projection",
                                      help="UMAP keeps neighbourhoods; PCA keeps the two widest directions.")
    query = st.text_input("Search by meaning", key="atlas_query", max_chars=1000,
                          placeholder="A word or a sentence",
                          help="Embedded with the atlas's own method, searched in its index: the nearest items "
                               "are highlighted and listed under the map.").strip()
    found_text = st.text_input("Find a text", key="atlas_find", placeholder="An item's exact text",
                               help="Highlights the items with this text (case ignored).").strip()

try:
    atlas = opened(str(atlas_folder(root, name)), by_name[name].built_at)
except AtlasError as error:
    frame.picture.error(str(error))
    st.stop()
coords = map_coordinates(atlas, projection)
texts = atlas.points["text"].tolist()
region_key = (atlas.name, atlas.record["built_at"], projection)
regions = st.session_state.setdefault(_REGION_KEY, {})
clicks = st.session_state.setdefault(_CLICKED_KEY, {})
# The chart's selection is read before the chart is drawn again, so that a zoom or a click costs one drawing.
generation = st.session_state.setdefault(_GENERATION_KEY, 0)
selection = (st.session_state.get(f"atlas_chart_{generation}") or {}).get("selection") or {}
if selection.get("box"):
    box = selection["box"][0]
    regions[region_key] = Region(tuple(sorted(box["x"])), tuple(sorted(box["y"])))
    generation = st.session_state[_GENERATION_KEY] = generation + 1  # a new chart: its selection starts empty
elif selection.get("points"):
    point = selection["points"][0]
    # The marker's row: the item nearest the clicked position (texts may repeat).
    clicks[region_key] = int(np.argmin(np.hypot(coords[:, 0] - point["x"], coords[:, 1] - point["y"])))
region: Region | None = regions.get(region_key)
shown = region.rows(coords) if region is not None else np.arange(len(coords))


def show_whole_map() -> None:
    regions.pop(region_key, None)
    st.session_state[_GENERATION_KEY] = generation + 1


with frame.controls:
    if region is not None:
        st.button("Show the whole map", key="atlas_whole_map", on_click=show_whole_map, width="stretch")

highlighted: list[int] = []
hits = None
if query:
    try:
        with frame.picture, st.spinner(f"Loading {atlas.method} to embed the query (once per server)…"):
            load_method(atlas)
        hits = search(atlas, query)
        highlighted += hits.rows.tolist()
    except QueryError as error:
        frame.notes.warning(str(error))
found = find_rows(atlas, found_text) if found_text else np.zeros(0, dtype=np.intp)
if found_text and len(found) == 0:
    frame.notes.warning(f"No item's text is “{found_text[:80]}”.")
highlighted += found.tolist()
clicked = clicks.get(region_key)
near = neighbours(atlas, clicked) if clicked is not None else None
if near is not None:
    highlighted += [clicked, *near.rows.tolist()]
# Highlighted items outside the zoomed region are drawn too, so that no result is hidden.
shown = np.union1d(shown, np.asarray(highlighted, dtype=np.intp))

centres, cluster_names = cluster_centres(atlas, coords, shown)
with frame.picture, st.spinner(f"Drawing {len(shown):,} items…"):
    chart = atlas_map(coords[shown], [texts[i] for i in shown], highlight=[texts[i] for i in highlighted],
                      centres=centres, names=cluster_names, height=picture_height(), font_scale=font_scale(),
                      title=f"{atlas.name} · {projection.upper()} · {len(shown):,} of {len(coords):,} items")
    show_chart(chart.figure, key=f"atlas_chart_{generation}", picture=True, on_select="rerun",
               selection_mode=("points", "box"))

with frame.notes:
    record = atlas.record
    project, index = record["steps"]["project"], record["steps"]["index"]
    st.caption(
        f"{len(coords):,} items by {record['parameters']['method']} ({record['parameters']['items']}); UMAP fitted on "
        f"{project['fitted_on']:,} and applied to the rest (trustworthiness {project['trustworthiness_umap']}, PCA "
        f"{project['trustworthiness_pca']}, k = {project['trustworthiness_k']} on {project['trustworthiness_sample']:,}"
        f" items); {index['kind']} index, recall@10 {index['recall_at_10']:.3f}. {chart.note() or ''} Drag a box to "
        "zoom; click a marker for its neighbours.")
    if hits is not None:
        st.markdown(f"**Nearest to “{query[:80]}”** ({hits.milliseconds:.0f} ms, original space)")
        st.dataframe(pd.DataFrame({"item": [texts[i] for i in hits.rows], "cosine": hits.similarities.round(3),
                                   "cluster": atlas.points["cluster_name"].to_numpy()[hits.rows]}),
                     hide_index=True, width="stretch", key="atlas_hits")
    if near is not None and clicked is not None:
        st.markdown("**Nearest neighbours of the clicked item** (original space)")
        st.text(texts[clicked][:300])
        st.dataframe(pd.DataFrame({"item": [texts[i] for i in near.rows], "cosine": near.similarities.round(3)}),
                     hide_index=True, width="stretch", key="atlas_neighbours")
    if broken:
        show_items("Not complete, so not listed:", [f"{b.name}: {b.problem}" for b in broken], kind="caption")

st.markdown(f"**Build your own.** {BUILD_HELP} `python -m atlas info FOLDER` says what an atlas holds.")
