"""Fine-tuning for the page and the story: the labelled set, the button, the before/after picture, the numbers.

Owns the session-state keys of fine-tuning: the chosen set, the upload, the last result (with this
session's fine-tuned copy of MiniLM, about 90 MB, the only one kept) and the Word2Vec continuation.
Nothing here reaches a shared cache: the shared MiniLM only embeds the "before" map.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from charts.before_after import before_after_chart, before_chart
from charts.palette import group_colours
from finetuning import sentences, word2vec
from finetuning.sentences import FineTuning, LabelledSet, LabelledSetError
from projection import align, run_projection
from ui.display import font_scale, progress_bar, show_chart
from ui.methods import load_embedder
from ui.session_cache import remembered
from ui.sidebar import current_corpus

SOURCE_KEY = "finetune_source"
UPLOAD_KEY = "finetune_upload"
RESULT_KEY = "finetune_result"
WORD2VEC_KEY = "finetune_word2vec"
BUTTON_KEY = "finetune_button"
TOPICS, OWN = "Topic sentences", "Your CSV"


def budget_text(data: LabelledSet) -> str:
    """The limits, said before anything slow starts."""
    parts = sentences.split(data)
    return (f"Trains on {len(parts.train)} items and holds out {len(parts.held_out)} it never sees: "
            f"{sentences.EPOCHS} epochs or {sentences.TIME_BUDGET_SECONDS:.0f} s, whichever ends first "
            "(measuring before and after included).")


def labelled_data() -> LabelledSet | None:
    """The set to fine-tune on, chosen where this is called: the bundled topic sentences or the user's CSV."""
    source = st.radio("Labelled set", [TOPICS, OWN], key=SOURCE_KEY, horizontal=True)
    if source == TOPICS:
        return sentences.topic_sentences()
    upload = st.file_uploader("A .csv or .tsv with `text` and `label` columns", type=["csv", "tsv"], key=UPLOAD_KEY,
                              help=f"At most {sentences.MAX_ITEMS} rows are used (a stratified sample beyond); "
                              f"labels need {sentences.MIN_ITEMS_PER_LABEL} items or more.")
    if upload is None:
        st.info("Choose a file; until then there is nothing to fine-tune on.")
        return None
    try:
        # Kept in this session only: an upload never enters a shared cache.
        data = remembered("finetune_upload", (upload.file_id,),
                          lambda: sentences.labelled_set_from_upload(upload.getvalue(), upload.name))
    except LabelledSetError as error:
        st.error(str(error))
        return None
    for note in data.notes:
        st.warning(note)
    return data


def last_result(data: LabelledSet) -> FineTuning | None:
    """This session's fine-tuning of ``data``, if it has run."""
    result = st.session_state.get(RESULT_KEY)
    return result if result is not None and result.data.key == data.key else None


def run_fine_tuning(data: LabelledSet) -> FineTuning | None:
    """Fine-tune this session's copy with a progress bar; the result replaces any earlier one of the session."""
    st.session_state.pop(RESULT_KEY, None)  # free the previous copy's memory before loading another
    report, remove = progress_bar()
    try:
        result = sentences.fine_tune(data, progress=report)
    except (RuntimeError, ValueError) as error:  # any failure of training becomes a message
        remove()
        st.error(f"Fine-tuning failed: {error}")
        return None
    remove()
    st.session_state[RESULT_KEY] = result
    return result


@dataclass(frozen=True)
class Maps:
    """Held-out items on the "before" map and, after fine-tuning, on the "after" map aligned onto it."""

    texts: list[str]
    labels: list[str]
    before: np.ndarray
    after: np.ndarray | None


def maps(data: LabelledSet, result: FineTuning | None) -> Maps | None:
    """PCA maps of the held-out items: before (the shared MiniLM, or the copy's untuned vectors) and after."""
    parts = sentences.split(data)
    texts = [data.texts[i] for i in parts.held_out]
    labels = [data.labels[i] for i in parts.held_out]
    if result is None:
        minilm = load_embedder("minilm")
        if minilm is None:
            return None
        vectors = remembered("finetune_before", (texts,), lambda: minilm.embed_sentences(texts).vectors)
        return Maps(texts, labels, run_projection(vectors, "pca", 2).coords, None)
    before = run_projection(result.before, "pca", 2).coords
    # Procrustes takes away the rotation, reflection and scale PCA picks freely; what remains moved.
    after = align(before, run_projection(result.after, "pca", 2).coords)
    return Maps(texts, labels, before, after)


def picture(data: LabelledSet, result: FineTuning | None, height: int, key: str) -> None:
    """The before map, or the before and after maps with an arrow per item."""
    drawn = maps(data, result)
    if drawn is None:
        return
    colours = group_colours(data.labels)
    scale = font_scale()
    count = len(drawn.texts)
    if drawn.after is None:
        figure = before_chart(drawn.before, drawn.texts, drawn.labels, colours, height=height, font_scale=scale,
                              title=f"Before: {count} held-out items, untuned MiniLM (PCA)")
    else:
        figure = before_after_chart(drawn.before, drawn.after, drawn.texts, drawn.labels, colours, height=height,
                                    font_scale=scale, titles=(f"Before: {count} held-out items (PCA)",
                                                              "After fine-tuning (aligned onto before)"))
    show_chart(figure, key=key)


def numbers(result: FineTuning) -> None:
    """The measured change, as metrics: accuracy and silhouette on the held-out items, and what ran."""
    before, after = result.scores_before, result.scores_after
    st.metric("k-NN accuracy on held-out items", f"{after.accuracy:.2f}", f"{after.accuracy - before.accuracy:+.2f}",
              help="5 nearest training items (cosine) vote for each held-out item's label; before: "
              f"{before.accuracy:.2f}.")
    st.metric("Silhouette by label (cosine)", f"{after.silhouette:.2f}", f"{after.silhouette - before.silhouette:+.2f}",
              help=f"-1 to 1: how much closer items sit to their own label than to the next; before: {before.silhouette:.2f}.")
    stopped = " (stopped by the time budget)" if result.stopped_by_budget else ""
    st.caption(f"Before: accuracy {before.accuracy:.2f}, silhouette {before.silhouette:.2f}. "
               f"Trained on {len(result.split.train)} items, held out {len(result.split.held_out)}; "
               f"{result.batches_run} of {result.batches_planned} batches ({result.epochs_run} of "
               f"{result.epochs_planned} epochs) in {result.seconds:.0f} s{stopped}.")


def by_label_table(result: FineTuning) -> pd.DataFrame:
    labels = list(result.scores_before.by_label)
    held = pd.Series(result.held_labels).value_counts()
    return pd.DataFrame({"label": labels, "held-out items": [int(held[label]) for label in labels],
                         "accuracy before": [result.scores_before.by_label[label] for label in labels],
                         "accuracy after": [result.scores_after.by_label[label] for label in labels]})


def draw_before_after(height: int, key: str) -> None:
    """A compact view for a Story step: the topic sentences' map, a "Fine-tune" button, the numbers."""
    data = sentences.topic_sentences()
    result = last_result(data)
    if st.button("Fine-tune", key=f"{key}_button", help=budget_text(data)):
        result = run_fine_tuning(data)
    picture(data, result, height, key)
    if result is not None:
        before, after = result.scores_before, result.scores_after
        st.caption(f"Held-out k-NN accuracy {before.accuracy:.2f} → {after.accuracy:.2f}, silhouette "
                   f"{before.silhouette:.2f} → {after.silhouette:.2f} ({len(result.split.train)} trained, "
                   f"{len(result.split.held_out)} held out, {result.seconds:.0f} s).")
    else:
        st.caption(budget_text(data))


def word2vec_section() -> None:
    """Continue the bundled Word2Vec on the sidebar's corpus and show whose neighbours changed."""
    st.markdown("**Word2Vec, continued on your own corpus**")
    corpus = current_corpus()
    if corpus is None:
        st.info("Upload your own text in the sidebar (“Training corpus”, a .txt file of at least 1,000 words) "
                "to continue the Word2Vec trained on the Wikipedia sample on it: the words whose neighbours "
                "change most show what your domain means by them.")
        return
    st.text(corpus.describe())
    first = "" if word2vec.base_loaded() else (
        " The first time on this server, the base model is trained on the Wikipedia sample first (about a minute).")
    st.caption(f"Starts from the skip-gram Word2Vec trained on the Wikipedia sample and trains it "
               f"{word2vec.base_parameters()['epochs']} more epochs on up to {word2vec.MAX_CORPUS_WORDS:,} words of "
               f"your corpus (about a minute for a million words).{first} The shared model stays as it was.")
    stored = st.session_state.get(WORD2VEC_KEY)
    if st.button("Continue Word2Vec on my corpus", key="finetune_word2vec_button"):
        report, remove = progress_bar()
        stored = (corpus.fingerprint, word2vec.continue_training(corpus, report))
        remove()
        st.session_state[WORD2VEC_KEY] = stored
    if stored is None or stored[0] != corpus.fingerprint:
        return
    result = stored[1]
    for note in result.notes:
        st.warning(note)
    st.caption(f"Continued on {result.words_trained:,} words of {result.corpus_name} for {result.epochs} epochs in "
               f"{result.seconds:.0f} s; the vocabulary grew from {result.base_vocabulary:,} to {result.vocabulary:,} words.")
    st.markdown(f"Words of your corpus whose {word2vec.TOP_NEIGHBOURS} nearest neighbours changed most "
                "(among its most distinctive words: used far more often there than in the Wikipedia sample)")
    st.dataframe(pd.DataFrame([{"word": row.word, "times in your corpus": row.count,
                                f"neighbours kept (of {word2vec.TOP_NEIGHBOURS})": row.kept,
                                "neighbours before": ", ".join(row.before), "neighbours after": ", ".join(row.after)}
                               for row in result.changed]), hide_index=True)
    if result.new_words:
        st.markdown("Words the Wikipedia sample did not have (too rare there), and their neighbours now")
        st.dataframe(pd.DataFrame([{"word": row.word, "times in your corpus": row.count,
                                    "neighbours": ", ".join(row.after)} for row in result.new_words]), hide_index=True)
