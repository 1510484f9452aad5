"""Word arithmetic: analogies with arrows, their benchmark, semantic axes and a similarity heatmap."""

import time

import numpy as np
import pandas as pd
import streamlit as st

from arithmetic import why_trivial
from arithmetic.analogies import ANALOGY_PRESETS, AnalogyError, analogy_picture, solve_analogy
from arithmetic.axes import AXIS_PRESETS, PCA_AXIS_LABEL, AxisError, parse_words, place_on_axes
from arithmetic.benchmark import DEFAULT_RESTRICT_VOCAB, BenchmarkResult, evaluate_analogies, section_names
from arithmetic.similarity import MAX_HEATMAP_ITEMS, ORDERS, similarity_matrix
from charts.arithmetic import analogy_chart, axes_chart, similarity_heatmap
from inputs import wordlists
from ui.display import font_scale, show_chart, show_items
from ui.embedded import EMPTY_LIST, embedded_list
from ui.exports import export_buttons
from ui.frame import page_frame
from ui.methods import method_title, picked_embedder
from ui.sidebar import current_word_list

CUSTOM = "Your own"
BENCHMARKS_KEY = "arithmetic_benchmarks"

frame = page_frame(
    "Word arithmetic",
    about="Add and subtract word vectors, place words along directions of meaning, and compare every pair. "
    "All of it uses the original vectors (cosine similarity), never the 2-D pictures. An analogy "
    "**a is to b as c is to ?** is answered by the word whose vector is closest (cosine) to **b − a + c**: "
    "the offset from a to b, added to c. The classic *king − man + woman ≈ queen* reads here as "
    "*man is to king as woman is to ?*.")

method, embedder = picked_embedder(frame, "arithmetic_method")
trivial = why_trivial(method)
if trivial:
    frame.notes.warning(trivial)


# --- analogies -------------------------------------------------------------
def apply_analogy_preset() -> None:
    preset = next((p for p in ANALOGY_PRESETS if p.label == st.session_state["analogy_preset"]), None)
    if preset:
        st.session_state.update(analogy_a=preset.a, analogy_b=preset.b, analogy_c=preset.c)


def analogy_controls() -> tuple[str, str, str, int, bool]:
    """The analogy's words (preset or typed), how many candidates, and whether the inputs compete."""
    labels = [p.label for p in ANALOGY_PRESETS]
    if "analogy_a" not in st.session_state:
        st.session_state.update(analogy_a=ANALOGY_PRESETS[0].a, analogy_b=ANALOGY_PRESETS[0].b,
                                analogy_c=ANALOGY_PRESETS[0].c)
    st.selectbox("Analogy", [*labels, CUSTOM], key="analogy_preset", on_change=apply_analogy_preset)
    a = st.text_input("a (is to …)", key="analogy_a")
    b = st.text_input("b (as …)", key="analogy_b")
    c = st.text_input("c (is to ?)", key="analogy_c")
    with st.popover("Candidates", width="stretch", help="How many answers to list, and gensim's rule on inputs."):
        topn = st.slider("Candidates", 1, 30, 10, key="analogy_topn")
        include_inputs = st.toggle(
            "Let a, b and c compete", key="analogy_include_inputs",
            help="gensim's most_similar leaves the three input words out of the answers. "
                 "Turn this on to see whether one of them would have won.",
        )
    return a, b, c, topn, include_inputs


def analogy_section() -> None:
    """The frame's picture: the analogy as a parallelogram of arrows, its answer list below."""
    if not embedder.has_vocabulary:
        frame.picture.info(
            f"{embedder.title} has no vocabulary of its own: an analogy's answer is searched among a "
            "vocabulary's words, so analogies need GloVe, Word2Vec or FastText. "
            "Semantic axes and the heatmap below work on its vectors."
        )
        return
    with frame.controls:
        a, b, c, topn, include_inputs = analogy_controls()
    preset = next((p for p in ANALOGY_PRESETS if (p.a, p.b, p.c) == (a.strip().lower(), b.strip().lower(), c.strip().lower())), None)
    try:
        with frame.picture, st.spinner("Searching the vocabulary…"):
            answer = solve_analogy(embedder, a, b, c, topn=topn, include_inputs=include_inputs)
    except AnalogyError as error:
        with frame.picture:
            show_items("This analogy cannot be computed:", [str(error)], kind="error")
        return
    with frame.picture:
        with st.spinner("Projecting the analogy and its neighbours…"):
            picture = analogy_picture(embedder, answer)
        figure = analogy_chart(picture.words, picture.roles, picture.coords, picture.target,
                               title=f"{embedder.title} · {answer.b} − {answer.a} + {answer.c} ≈ {answer.answer}")
        show_chart(figure, key="analogy_chart", picture=True)

    with frame.notes:
        if preset:
            st.caption(preset.note)
            ranks = [cand.word for cand in answer.candidates if not cand.is_input]
            if preset.expected == answer.answer:
                st.success(f"The expected answer, “{preset.expected}”, comes first.")
            elif preset.expected in ranks:
                st.warning(f"The expected answer, “{preset.expected}”, comes number {ranks.index(preset.expected) + 1}.")
            else:
                st.warning(f"The expected answer, “{preset.expected}”, is not among the top {topn}.")
        if answer.generated:
            show_items(f"{embedder.title} never saw these words; it built their vectors from character n-grams:",
                       answer.generated, kind="info")
        st.caption(
            f"PCA fitted on the four words and their nearest neighbours keeps {picture.explained_variance:.0%} "
            "of their variance. PCA is linear, so the dashed parallelogram a, b, b − a + c, c is exact; the "
            "answer is the word nearest to the × (in all dimensions, not on this picture)."
        )
    st.subheader("The answers", anchor=False)
    left, right = st.columns([1, 2])
    left.code(f"{answer.b} − {answer.a} + {answer.c} ≈ {answer.answer}", language=None, wrap_lines=True)
    table = pd.DataFrame(
        [(rank, cand.word, cand.cosine, "input" if cand.is_input else "")
         for rank, cand in enumerate(answer.candidates, start=1)],
        columns=["rank", "word", "cosine to b − a + c", "note"],
    )
    right.dataframe(table, hide_index=True, width="stretch")
    winners = [cand for cand in answer.candidates[:1] if cand.is_input]
    if winners:
        left.info("Without gensim's rule an input word would have won (first row): the offset b − a is "
                  "small next to the words themselves, so b − a + c stays close to b or c.")
    elif include_inputs:
        left.caption("Even with a, b and c allowed, the answer beats them.")
    else:
        left.caption("As in gensim's most_similar, a, b and c are left out of the candidates.")


# --- benchmark -------------------------------------------------------------
def benchmark_section() -> None:
    st.subheader("Benchmark it honestly", anchor=False)
    st.markdown(
        "One example proves little. gensim ships the analogy test set of the word2vec paper "
        "(`questions-words.txt`: 19,544 questions in 14 sections such as capitals, family, plurals and "
        "tenses). A question counts only when the closest word (inputs left out) is exactly the expected one."
    )
    if not embedder.has_vocabulary:
        st.info(f"{embedder.title} has no vocabulary to search for answers, so it cannot take this test.")
        return
    columns = st.columns([3, 1])
    sections = columns[0].multiselect("Sections", section_names(), default=section_names(), key="benchmark_sections")
    restrict = columns[1].select_slider(
        "Search the first … words", [10_000, DEFAULT_RESTRICT_VOCAB, 100_000], value=DEFAULT_RESTRICT_VOCAB,
        format_func=lambda n: f"{n:,}", key="benchmark_restrict",
        help="Like gensim's restrict_vocab. GloVe, Word2Vec and FastText list their words from the most "
             "frequent down, so this keeps common words and makes the test fast.",
    )
    results: dict[str, BenchmarkResult] = st.session_state.setdefault(BENCHMARKS_KEY, {})
    if st.button(f"Run the benchmark on {embedder.title}", key="benchmark_run", disabled=not sections):
        bar = st.progress(0.0, text="Starting…")
        started = time.monotonic()
        results[method] = evaluate_analogies(
            embedder, sections, restrict,
            progress=lambda fraction, message: bar.progress(fraction, text=f"{embedder.title}: {message}"),
        )
        bar.progress(1.0, text=f"{embedder.title}: done in {time.monotonic() - started:.1f} s")
    if method not in results:
        st.caption("Press the button to score this method; results stay here for comparison with other methods.")
    else:
        result = results[method]
        st.caption(result.restriction())
        rows = [(s.section, s.questions, s.evaluated, s.correct, s.accuracy) for s in [*result.sections, result.overall]]
        st.dataframe(
            pd.DataFrame(rows, columns=["section", "questions", "answerable", "correct", "accuracy"]),
            hide_index=True, width="stretch",
            column_config={"accuracy": st.column_config.ProgressColumn("accuracy", format="percent", min_value=0, max_value=1)},
        )
        st.caption("“answerable”: questions whose four words are all among the searched words; accuracy is "
                   "correct ÷ answerable. A small vocabulary answers fewer questions, and fewer of them right.")
    if len(results) > 1:
        st.subheader("Methods side by side", anchor=False)
        comparison = pd.DataFrame({
            method_title(name): {s.section: s.accuracy for s in [*r.sections, r.overall]} for name, r in results.items()
        })
        st.dataframe(comparison.style.format("{:.1%}", na_rep="–"), width="stretch")


# --- semantic axes ---------------------------------------------------------
def apply_axis_preset() -> None:
    preset = next((p for p in AXIS_PRESETS if p.title == st.session_state["axes_preset"]), None)
    if preset:
        st.session_state.update(axes_x_from=preset.x_from, axes_x_to=preset.x_to, axes_y_from=preset.y_from,
                                axes_y_to=preset.y_to, axes_y_mode="pca" if not preset.y_from else "words")


def axes_section() -> None:
    st.subheader("Semantic axes", anchor=False)
    st.markdown(
        "Each axis runs from one group of words to another. With every vector scaled to length 1 "
        "(ŵ = w / ‖w‖), the axis direction is d = mean(ĝ of the “to” words) − mean(ĝ of the “from” words), "
        "and a word lands at **x(w) = ŵ · d / ‖d‖**: how far it reaches along that direction. "
        "The y axis is a second such direction, or the first PCA component of what is left once the x "
        "direction is removed."
    )
    st.latex(r"x(w) = \hat{w} \cdot \frac{d}{\lVert d \rVert}, \qquad "
             r"d = \operatorname{mean}_{g \in \text{to}} \hat{g} - \operatorname{mean}_{g \in \text{from}} \hat{g}, "
             r"\qquad \hat{w} = \frac{w}{\lVert w \rVert}")
    if "axes_x_from" not in st.session_state:
        st.session_state["axes_preset"] = AXIS_PRESETS[0].title
        apply_axis_preset()
    preset_title = st.selectbox("Axes preset", [*(p.title for p in AXIS_PRESETS), CUSTOM], key="axes_preset",
                                on_change=apply_axis_preset)
    preset = next((p for p in AXIS_PRESETS if p.title == preset_title), None)
    if preset and preset.note:
        st.caption(preset.note)
    x_columns = st.columns(2)
    x_from = x_columns[0].text_input("x axis from (comma-separated)", key="axes_x_from")
    x_to = x_columns[1].text_input("x axis to", key="axes_x_to")
    y_mode = st.radio("y axis", ["words", "pca"], horizontal=True, key="axes_y_mode",
                      format_func={"words": "From words to words", "pca": PCA_AXIS_LABEL}.get)
    y_from = y_to = ""
    if y_mode == "words":
        y_columns = st.columns(2)
        y_from = y_columns[0].text_input("y axis from", key="axes_y_from")
        y_to = y_columns[1].text_input("y axis to", key="axes_y_to")

    sources = {"sidebar": "The sidebar list"}
    if preset is not None:
        sources = {"preset": f"The preset's list ({wordlists.preset_title(preset.word_list)})", **sources}
    source = st.radio("Words to place", list(sources), horizontal=True, key="axes_source",
                      format_func=sources.__getitem__)
    if source == "preset" and preset is not None:  # offered only with a preset
        word_list = wordlists.load_preset(preset.word_list, lowercase=True)
    else:
        word_list = current_word_list()
    if not word_list.items:
        st.info(EMPTY_LIST)
        return
    try:
        with st.spinner("Placing the words on the axes…"):
            placed = place_on_axes(embedder, word_list.items, parse_words(x_from), parse_words(x_to),
                                   parse_words(y_from), parse_words(y_to))
    except AxisError as error:
        st.error(str(error))
        return
    if placed.missing_end_words:
        show_items(f"Left out of the axis ends (no {embedder.title} vector):", placed.missing_end_words)
    if placed.missing_items:
        show_items(f"{len(placed.missing_items)} items have no {embedder.title} vector and are not shown:",
                   placed.missing_items)
    for note in placed.notes:
        st.info(note)
    group_of = word_list.group_of()
    groups = [group_of.get(w, "") for w in placed.words]
    figure = axes_chart(placed.words, groups, placed.x, placed.y, placed.x_label, placed.y_label,
                        title=f"{embedder.title} · semantic axes", font_scale=font_scale())
    show_chart(figure, key="axes_chart")
    export_buttons("axes", f"{embedder.title}-axes", placed.words, groups, np.column_stack([placed.x, placed.y]), figure)
    st.caption("Both coordinates are projections of the original vectors onto fixed directions: nothing is "
               "fitted to make the picture look tidy, so what you see is what the embedding says.")


# --- similarity heatmap ----------------------------------------------------
def heatmap_section() -> None:
    st.subheader("Similarity heatmap", anchor=False)
    st.markdown("The cosine similarity of every pair of items in the sidebar's word list, in the original vectors.")
    embedded = embedded_list(method, current_word_list())
    if embedded is None:
        return
    result = embedded.result
    if len(result.words) < 2:
        st.warning("A heatmap needs at least two items with vectors.")
        return
    words, vectors = result.words, result.vectors
    if len(words) > MAX_HEATMAP_ITEMS:
        st.warning(f"The list has {len(words):,} items with vectors; the heatmap shows the first "
                   f"{MAX_HEATMAP_ITEMS} (more cells would be too small to read).")
        words, vectors = words[:MAX_HEATMAP_ITEMS], vectors[:MAX_HEATMAP_ITEMS]
    groups = embedded.groups[: len(words)]
    has_groups = len(set(groups)) > 1
    order = st.segmented_control(
        "Order", list(ORDERS), default="group" if has_groups else "cluster", format_func=ORDERS.__getitem__,
        required=True, key="heatmap_order",
        help="Hierarchical clustering (average linkage on 1 − cosine) puts similar items next to each other.",
    )
    matrix = similarity_matrix(words, vectors, groups, order)
    figure = similarity_heatmap(matrix.words, matrix.groups, matrix.matrix, group_lines=order == "group",
                                title=f"{embedder.title} · cosine similarity")
    show_chart(figure, key="similarity_heatmap")
    st.caption("Hover over a cell for the exact value. Red: pointing the same way; blue: opposite; white: unrelated.")


analogy_section()
benchmark_section()
axes_section()
heatmap_section()
