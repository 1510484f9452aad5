"""The live view of each story step, one small function per kind, drawn with the app's own core and charts.

Every view turns a failure into a message on the page: a lesson must never end in a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import numpy as np
import pandas as pd
import streamlit as st

from charts.palette import group_colours
from charts.scatter import add_query_marker, scatter_chart
from charts.tradeoffs import quality_against_size
from charts.transformer import attention_heatmap, context_scatter
from common.vectors import pairwise_cosine
from inputs.wordlists import WordList
from projection import PROJECTION_METHODS
from story.steps import (
    ATTENTION_CANDIDATES,
    ATTENTION_SENTENCE,
    ATTENTION_WORD,
    CONTEXT_WORD,
    PATCH_IMAGE,
    PATCH_SIZE,
    PRECISION_WORDS,
    SEARCH_K,
    SEARCH_QUERY,
    TOKENS_TEXT,
    Step,
    head_linking,
    step_word_list,
)
from ui.display import font_scale, load_with_progress, show_chart
from ui.embedded import EmbeddedList, embedded_list
from ui.methods import load_embedder
from ui.projections import projected
from ui.session_cache import remembered
from ui.tokens import gpt_chips, token_chips, token_table

logger = logging.getLogger(__name__)

#: Colour families of ``images.patches`` drawn in their own colour, so a "green" patch is a green dot.
PATCH_COLOURS = {
    "red": "#d62728", "orange / brown": "#b5651d", "yellow": "#e6c619", "olive": "#808000", "green": "#2ca02c",
    "teal": "#17becf", "blue / sky-like": "#1f77b4", "purple / pink": "#b04fc0", "dark": "#222222",
    "white": "#f4f4f4", "grey": "#999999",
}
RECALL = "recall@10"
#: The neighbours the "where the map lies" step compares, in the original space and on the map.
MAP_LIES_K = 5
#: Sentences make long labels: a few, one per region of the chart, stay readable; hover shows the rest.
SENTENCE_LABELS = 12
#: The width in px of a step's view (the frame's picture column at 1440 x 900), shared by its panels.
VIEW_WIDTH = 700


def render(step: Step) -> None:
    """Draw the live view of ``step`` (chosen by ``step.show``), or say why it cannot be drawn."""
    view = VIEWS.get(step.show)
    if view is None:
        st.error(f"This step asks for a view called “{step.show}”, which does not exist.")
        return
    try:
        view(step)
    except Exception as error:  # Streamlit's stop and rerun are BaseExceptions and pass through
        logger.exception("Story step %r: the view %r failed", step.key, step.show)
        st.error(f"This view could not be drawn: {error}")


def _transformer_ready() -> bool:
    """MiniLM's bare model (tokenizer, hidden states, attention), loaded with progress; False after an error."""
    from transformer_inside import model

    return model.loaded() or load_with_progress("all-MiniLM-L6-v2 with its attention weights", model.load)


def tokens_view(step: Step) -> None:
    """The chips of a sentence's WordPiece tokens with their ids, GPT-4's cl100k pieces of it below them, and the
    words that were cut."""
    from tokenization import gpt
    from transformer_inside.tokens import tokenize

    if not _transformer_ready():
        return
    tokenization = tokenize(TOKENS_TEXT)
    gpt_tokens = gpt.tokenize(TOKENS_TEXT)
    st.text(TOKENS_TEXT)
    st.caption(f"MiniLM · WordPiece: {len(tokenization.pieces)} tokens")
    token_chips(tokenization)
    st.caption(f"GPT-4 · byte-level BPE ({gpt.DISPLAY_NAME}): {len(gpt_tokens.pieces)} tokens")
    gpt_chips(gpt_tokens)
    token_table(tokenization, key=f"story_{step.key}")
    st.caption("Blue: a piece that starts a word. Orange: a “##” piece that continues the word before it (GPT-4: "
               f"a piece glued to the one before; “{gpt.VISIBLE_SPACE}” is the space a GPT piece carries). Grey: "
               "[CLS] and [SEP], added to every input. The number under each token is its row in MiniLM's table, "
               "drawn above: 384 numbers per row, before the model has read any context.")
    split = tokenization.split_words()
    if split:
        st.caption("Words cut into pieces:")
        st.text("\n".join(f"{word} → {' '.join(pieces)}" for word, pieces in split.items()))


def patches_view(step: Step) -> None:
    """The photograph cut into patches, beside a map of the patches' raw-pixel vectors."""
    from images import grid_image, patch_grid

    grid = patch_grid(PATCH_IMAGE, PATCH_SIZE)
    picture, chart = st.columns([2, 3])
    picture.image(grid_image(grid), width="stretch",
                  caption=f"{grid.rows} × {grid.columns} = {len(grid)} patches of {PATCH_SIZE} × {PATCH_SIZE} pixels")
    settings = step.view.projection
    with chart:
        projection = projected(grid.vectors, **settings.arguments())
        if projection is None:
            return
        # Patch names (r3c5) on 260 dots would hide them: hover shows each name instead.
        figure = scatter_chart(projection.coords, grid.labels, grid.colours, label_budget=0, height=460,
                               title=f"{len(grid)} patches · {PROJECTION_METHODS[settings.method]} of raw pixels").figure
        for family, colour in PATCH_COLOURS.items():
            figure.update_traces(marker=dict(color=colour, line=dict(color="#555", width=0.5)),
                                 selector=dict(name=family))
        figure.update_layout(legend=dict(title="mean colour"))
        show_chart(figure, key=f"story_{step.key}")
    st.caption(
        f"Each patch is {grid.vectors.shape[1]:,} numbers (pixels × red, green, blue), coloured here by its mean "
        "colour. A vision transformer *learns* how to turn a patch into a vector; this map uses the raw pixels, so "
        "it can only group patches that look alike, not patches that mean the same."
    )


def _groups(word_list: WordList, embedded: EmbeddedList, rows: np.ndarray) -> list[str]:
    """The list's groups, or for a list without any, whether the method knew the word or built it from pieces."""
    if any(word_list.groups):
        return [embedded.groups[i] for i in rows]
    generated = set(embedded.result.generated)
    return ["never seen: built from pieces" if embedded.items[i] in generated else "seen in training" for i in rows]


def transition_view(step: Step) -> None:
    """The step's list moving from method to method: one animated, aligned map (``ui.transitions``)."""
    from ui.transitions import draw_method_transition

    notes = st.container()
    with st.container():
        draw_method_transition(step_word_list(step), step.methods, height=520, key=f"story_{step.key}",
                               settings=step.view.projection, notes=notes)


def map_lies_view(step: Step) -> None:
    """The step's map coloured by neighbourhood kept, with lines from its worst-placed word to its true
    neighbours."""
    from projection.distortion import worst_placed
    from ui.distortion import KEPT_TITLE, draw_true_neighbours, found_word_neighbours, kept_on_map

    chart_slot, notes = st.container(), st.container()
    embedded = embedded_list(step.view.method, step_word_list(step), brief=True, notes=notes)
    if embedded is None:
        return
    projection = projected(embedded.vectors, notes=notes, **step.view.projection.arguments())
    if projection is None or projection.rows is not None:
        return
    kept = kept_on_map(embedded.vectors, projection.coords, MAP_LIES_K, notes=notes, explain=False)
    if kept is None:
        return
    word = str(worst_placed(embedded.items, projection.coords, kept).iloc[0]["item"])
    around = found_word_neighbours(embedded.items, embedded.vectors, projection.coords, word, MAP_LIES_K)
    chart = scatter_chart(projection.coords, embedded.items, None, values=kept.recall, value_title=KEPT_TITLE,
                          neighbours=[] if around is None else list(around["neighbour"]), highlight=[word],
                          title=f"{embedded.embedder.title} · {PROJECTION_METHODS[step.view.projection.method]} · "
                          f"worst placed: {word}", height=540, width=VIEW_WIDTH, font_scale=font_scale())
    if around is not None:
        draw_true_neighbours(chart.figure, embedded.items, projection.coords, word, around, notes=notes)
    with chart_slot:
        show_chart(chart.figure, key=f"story_{step.key}")


def images_view(step: Step) -> None:
    """Digit images and their number words in one space (``ui.shared_space``)."""
    from ui.shared_space import draw_shared_space

    draw_shared_space(height=540, key=f"story_{step.key}")


def finetune_view(step: Step) -> None:
    """The held-out topic sentences before fine-tuning, and after it once the class presses "Fine-tune"."""
    from ui.fine_tuning import draw_before_after

    draw_before_after(height=500, key=f"story_{step.key}")


def _similarity_caption(vectors: np.ndarray) -> str:
    """How spread the cosine similarities of all pairs are, in the original vectors."""
    similarities = pairwise_cosine(vectors)[np.triu_indices(len(vectors), k=1)]
    lowest, highest = float(similarities.min()), float(similarities.max())
    if highest - lowest < 1e-6:
        return (f"Every pair of these items has the same cosine similarity ({lowest:.2f}): all are equally "
                "far apart, whatever the chart suggests.")
    return (f"Cosine similarity between pairs of items, in the original vectors: from {lowest:.2f} to {highest:.2f}. "
            "The chart only approximates those distances.")


def scatter_view(step: Step) -> None:
    """The step's list under each of its methods, side by side, projected as the step's view says."""
    word_list = step_word_list(step)
    for column, method in zip(st.columns(len(step.methods)), step.methods):
        with column:
            _scatter_panel(step, method, word_list)


def _scatter_panel(step: Step, method: str, word_list: WordList) -> None:
    """One method's map, with what it left out and how spread its similarities are under it."""
    chart_slot, notes = st.container(), st.container()
    with chart_slot:
        _scatter_chart(step, method, word_list, notes)


def _scatter_chart(step: Step, method: str, word_list: WordList, notes) -> None:
    embedded = embedded_list(method, word_list, brief=True, notes=notes)
    if embedded is None:
        return
    if len(embedded.items) < 3:
        st.info(f"{embedded.embedder.title} has vectors for too few of these items to draw a map.")
        return
    settings = step.view.projection
    projection = projected(embedded.vectors, notes=notes, **settings.arguments())
    if projection is None:
        return
    rows = projection.rows if projection.rows is not None else np.arange(len(embedded.items))
    words = [embedded.items[i] for i in rows]
    highlight = [step.view.highlight] if step.view.highlight in words else []
    chart = scatter_chart(projection.coords, words, _groups(word_list, embedded, rows), highlight=highlight,
                          title=f"{embedded.embedder.title} · {PROJECTION_METHODS[settings.method]}",
                          label_budget=SENTENCE_LABELS if embedded.result.sentences else None,
                          height=560 if len(step.methods) == 1 else 480, width=VIEW_WIDTH // len(step.methods),
                          font_scale=font_scale(),
                          colours=group_colours(word_list.groups) if any(word_list.groups) else None)
    show_chart(chart.figure, key=f"story_{step.key}_{method}")
    if chart.note():
        notes.caption(chart.note())
    notes.caption(_similarity_caption(embedded.vectors))


@st.cache_data(max_entries=4, show_spinner="Running the sentences through the model…")
def _context_vectors(target: str, sentences: tuple[tuple[str, str], ...]):
    """Contextual vectors of a preset (shared text, so shared between sessions)."""
    from transformer_inside.context import contextual_vectors

    return contextual_vectors(target, sentences)


def context_view(step: Step) -> None:
    """Every occurrence of the context word, after MiniLM's last layer, coloured by its sense."""
    from transformer_inside.context import sense_similarity
    from transformer_inside.presets import CONTEXT_PRESETS

    if not _transformer_ready():
        return
    result = _context_vectors(CONTEXT_WORD, tuple(CONTEXT_PRESETS[CONTEXT_WORD]))
    layer = result.layers
    projection = projected(result.at_layer(layer), "pca", 2, 0)
    if projection is None:
        return
    occurrences = result.occurrences
    figure = context_scatter(projection.coords, [o.sentence for o in occurrences], [o.sense for o in occurrences],
                             [o.sentence_index + 1 for o in occurrences],
                             title=f"“{CONTEXT_WORD}” in {len(occurrences)} sentences · after layer {layer} · PCA")
    chart, sentences = st.columns([3, 2])
    with chart:
        show_chart(figure, key=f"story_{step.key}")
    sentences.caption("The sentences, by number (hover a dot to read it):")
    sentences.text("\n".join(f"{o.sentence_index + 1}. ({o.sense}) {o.sentence}" for o in occurrences))
    table = sense_similarity(result).set_index("layer")
    first, last = table.loc[0], table.loc[layer]
    st.caption(
        f"Mean cosine similarity of two “{CONTEXT_WORD}”s with the same sense against different senses: "
        f"{first['within senses']:.2f} against {first['between senses']:.2f} at the input (layer 0), "
        f"{last['within senses']:.2f} against {last['between senses']:.2f} after layer {layer}: the layers pull the "
        "two meanings apart."
    )


@st.cache_data(max_entries=2, show_spinner="Running the sentence through the model…")
def _attention(sentence: str):
    """Attention weights between the words of a fixed sentence (shared text, so shared between sessions)."""
    from transformer_inside.attention import attention, merge_word_pieces

    return merge_word_pieces(attention(sentence))


def attention_view(step: Step) -> None:
    """One attention head as a heatmap: the head in which the pronoun looks most at the two candidate nouns."""
    if not _transformer_ready():
        return
    result = _attention(ATTENTION_SENTENCE)
    layer, head = head_linking(result.labels, result.weights, ATTENTION_WORD, ATTENTION_CANDIDATES)
    matrix = result.matrix(layer, head)
    title = f"Layer {layer + 1} of {result.layers}, head {head + 1} of {result.heads}"
    show_chart(attention_heatmap(matrix, result.labels, title=title), key=f"story_{step.key}")
    lowered = [label.lower() for label in result.labels]
    row = lowered.index(ATTENTION_WORD)
    shares = ", ".join(f"{word} {matrix[row, lowered.index(word)]:.2f}" for word in ATTENTION_CANDIDATES
                       if word in lowered)
    st.caption(
        f"Rows: the word that looks; columns: what it mixes in; each row adds up to 1. Of MiniLM's "
        f"{result.layers * result.heads} heads, this is the one in which “{ATTENTION_WORD}” takes the most from "
        f"“{'” and “'.join(ATTENTION_CANDIDATES)}” together ({shares}). Other heads look elsewhere, often at "
        "punctuation or [SEP]."
    )


def search_view(step: Step) -> None:
    """A fixed question against the step's sentences: the sentences found, the map with the question as a star,
    and the prompt a language model would get."""
    from retrieval import IndexSettings, VectorIndex
    from retrieval.rag import map_with_query, matches, rag_prompt

    method = step.view.method
    chart_slot, notes = st.container(), st.container()
    with chart_slot:
        embedded = embedded_list(method, step_word_list(step), brief=True, notes=notes)
    if embedded is None:
        return
    question = remembered("story_query", (method, SEARCH_QUERY),
                          lambda: embedded.embedder.embed_sentences([SEARCH_QUERY]))
    if not question.words:
        st.warning(f"{embedded.embedder.title} gave the question no vector, so there is nothing to search with.")
        return
    items, groups = embedded.items, embedded.groups
    index = remembered("story_index", (method, embedded.vectors),
                       lambda: VectorIndex.build(embedded.vectors, IndexSettings("exact")))
    found = matches(index.search(question.vectors[0], SEARCH_K), SEARCH_K)
    coords, question_point = map_with_query(embedded.vectors, question.vectors[0])
    found_words = [items[m.row] for m in found]
    # No labels: five sentences around the star would cover it; the table names them, hover shows each.
    figure = scatter_chart(coords, items, groups, highlight=found_words, label_budget=0, height=480,
                           title=f"“{SEARCH_QUERY}” among {len(items)} sentences · PCA").figure
    with chart_slot:
        show_chart(add_query_marker(figure, question_point[0], SEARCH_QUERY), key=f"story_{step.key}")
    notes.caption("Diamonds: the sentences found. The search compares the original 384 numbers (cosine), not the map.")
    # Sentence last: a long one may be cut at the table's edge, the numbers never are.
    notes.dataframe(pd.DataFrame({"rank": [m.rank for m in found], "cosine": [m.similarity for m in found],
                                  "topic": [groups[m.row] for m in found], "sentence": [items[m.row] for m in found]}),
                    hide_index=True, width="stretch", column_config={"cosine": st.column_config.NumberColumn(format="%.2f")})
    with notes.expander("The prompt a language model would receive"):
        st.code(rag_prompt(SEARCH_QUERY, found_words), language=None, wrap_lines=True)


@st.cache_data(max_entries=2, show_spinner=False)
def _compression(words: int) -> pd.DataFrame:
    """Bytes and recall of every storage form of GloVe's first ``words`` vectors. GloVe is the same for every
    user, so one measurement serves the whole class instead of one per pupil."""
    import embedders
    from tradeoffs import compression_table

    vectors = np.asarray(embedders.get("glove").keyed_vectors.vectors[:words])
    return pd.DataFrame([{"name": c.name, "kind": f"GloVe, first {words:,} words", "bytes per vector": c.bytes_per_vector,
                          RECALL: c.recall} for c in compression_table(vectors)])


def precision_view(step: Step) -> None:
    """Bytes per vector against recall@10 for each way of storing GloVe vectors smaller."""
    if load_embedder(step.view.method) is None:
        return
    with st.spinner(f"Storing {PRECISION_WORDS:,} GloVe vectors in 9 ways and searching each (a few seconds, "
                    "once per server)…"):
        frame = _compression(PRECISION_WORDS)
    figure = quality_against_size(frame, RECALL)
    # Room on both sides of the log axis, so that the outermost points' labels are not cut off.
    sizes = np.log10(frame["bytes per vector"])
    figure.update_xaxes(range=[float(sizes.min()) - 0.25, float(sizes.max()) + 0.25])
    show_chart(figure, key=f"story_{step.key}")
    recall = dict(zip(frame["name"], frame[RECALL]))
    half, quarter = recall.get("float16"), recall.get("8-bit scalar quantization")
    signs = next((value for name, value in recall.items() if name.startswith("sign bits")), None)
    if None not in (half, quarter, signs):
        st.caption(f"Up and to the left is better. Recall@10: float16 keeps {half:.0%} of the true neighbours, "
                   f"8-bit numbers {quarter:.0%}, the sign of each number alone {signs:.0%}. Measured just now on the "
                   f"{PRECISION_WORDS:,} most frequent words, with quantizers from FAISS.")


VIEWS: dict[str, Callable[[Step], None]] = {
    "tokens": tokens_view,
    "patches": patches_view,
    "scatter": scatter_view,
    "context": context_view,
    "attention": attention_view,
    "transition": transition_view,
    "map_lies": map_lies_view,
    "images": images_view,
    "finetune": finetune_view,
    "search": search_view,
    "precision": precision_view,
}
