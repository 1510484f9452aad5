"""Inside the transformer: how MiniLM (and GPT-4) cut text into tokens, how a BPE learns its pieces, how tokens get
contextual vectors, and how attention mixes them."""

import numpy as np
import pandas as pd
import streamlit as st

from charts.transformer import (
    attention_bars,
    attention_heatmap,
    context_scatter,
    merge_counts_chart,
    sense_similarity_chart,
    word_chips_html,
)
from projection import PROJECTION_METHODS, UMAP_MIN_POINTS
from tokenization import gpt, learned_bpe
from tokenization.compare import EXAMPLES_SENTENCE, compare_examples
from transformer_inside import model
from transformer_inside.attention import attention, merge_word_pieces
from transformer_inside.context import ContextVectors, contextual_vectors, parse_sentences, sense_similarity
from transformer_inside.presets import ATTENTION_EXAMPLE, CONTEXT_PRESETS, RARE_WORDS_EXAMPLE, TOKENIZATION_EXAMPLE
from transformer_inside.tokens import decode, tokenize
from ui.display import load_with_progress, show_chart, show_items
from ui.exports import export_buttons
from ui.frame import page_frame
from ui.methods import load_embedder
from ui.projections import projected
from ui.tokens import gpt_chips, learned_chips, token_chips, token_table

MAX_TEXT_CHARACTERS = 20_000
MAX_ATTENTION_CHARACTERS = 2_000
OWN_SENTENCES = "your own"
AVERAGE = "average over heads"

#: The page's three views, one at a time: only the chosen one runs.
VIEWS = {"tokens": "1 · Tokens", "context": "2 · Context", "attention": "3 · Attention",
         "bpe": "4 · BPE, learned step by step"}
#: The words the learned BPE cuts first: "th" is its first merge, and "weather" takes five merges.
BPE_WORDS = "weather the thinking tokenization embeddings quokkas"
#: Merges drawn as bars at once: the ones up to the slider's, enough to see the counts fall.
MERGE_BARS = 30

frame = page_frame(
    "Inside the transformer",
    about="Three steps no embedding viewer shows, with the bundled all-MiniLM-L6-v2 model (6 layers, 12 attention "
    "heads, 384 numbers per token), offline: text is cut into tokens (beside GPT-4's byte-level BPE, and a BPE "
    "learned here step by step), every token gets a vector that depends on its context, and attention decides "
    "which other tokens each one mixes in.")


@st.cache_data(max_entries=32, show_spinner="Running the sentences through the model…")
def cached_context(target: str, sentences: tuple[tuple[str, str], ...]) -> ContextVectors:
    return contextual_vectors(target, sentences)


def set_state(**values) -> None:
    """A button callback that puts example text into widgets before they are drawn."""
    st.session_state.update(values)


def tokens_section() -> None:
    st.session_state.setdefault("tokens_text", TOKENIZATION_EXAMPLE)
    with frame.controls:
        st.button("A first example", on_click=set_state, kwargs={"tokens_text": TOKENIZATION_EXAMPLE}, width="stretch")
        st.button("A sentence of rare words", on_click=set_state, kwargs={"tokens_text": RARE_WORDS_EXAMPLE},
                  width="stretch")
        st.button("Emoji, accents, non-Latin", on_click=set_state, kwargs={"tokens_text": EXAMPLES_SENTENCE},
                  width="stretch")
        text = st.text_area("Text to tokenize", key="tokens_text", max_chars=MAX_TEXT_CHARACTERS, height=150)
    tokenization = tokenize(text)
    gpt_tokens = gpt.tokenize(text)
    with frame.picture:
        for note in tokenization.notes:
            st.warning(note)
        if not text.strip():
            st.info("The text is empty: the model still reads its two special tokens, [CLS] and [SEP].")
        st.caption("The same text through two tokenizers; the number under each token is its id in the vocabulary.")
        wordpiece_column, gpt_column = st.columns(2)
        with wordpiece_column.container(key="wordpiece_chips"):
            st.markdown(f"**MiniLM · WordPiece: {len(tokenization.pieces):,} tokens**")
            token_chips(tokenization)
        with gpt_column.container(key="gpt_chips"):
            st.markdown(f"**GPT-4 · byte-level BPE ({gpt.DISPLAY_NAME}): {len(gpt_tokens.pieces):,} tokens**")
            gpt_chips(gpt_tokens)
        glove = load_embedder("glove")
        vocabulary = glove.keyed_vectors.key_to_index if glove else {}
        unknown = [word.lower() not in vocabulary for word in tokenization.plain_words] if glove else None
        st.markdown("**How a word-level model reads it: a plain word split** (runs of letters and digits)")
        st.html(word_chips_html(tokenization.plain_words, unknown))
        token_table(tokenization, key="tokens_table")
    frame.notes.caption(
        "WordPiece, blue: a piece that starts a word; orange: a “##” piece that continues the word before it; "
        "grey: special tokens the tokenizer adds ([CLS] opens every input, [SEP] closes it); red: [UNK], "
        "characters the vocabulary cannot spell. MiniLM lower-cases and drops accents first. "
        f"GPT-4's BPE keeps case, accents and spaces (“{gpt.VISIBLE_SPACE}”: the space a piece carries) and works "
        "on bytes: blue pieces start a word, orange ones are glued to the piece before, purple ones are bytes of a "
        "character that are no text on their own, shown in hex (“<e6 9d>” + “<b1>” spell 東). It never needs [UNK]."
        + (" In the plain split, red: not among GloVe's 400,000 words. A word-level model has no vector for them: "
           "it drops them or maps them all to one “unknown” vector. Both sub-word tokenizers spell "
           "a rare word in pieces instead." if glove else "")
    )

    columns = st.columns(5)
    columns[0].metric("Tokens MiniLM reads", len(tokenization.pieces), help="WordPiece pieces plus [CLS] and [SEP].")
    columns[1].metric("Tokens GPT-4 reads", len(gpt_tokens.pieces),
                      help=f"{gpt.DISPLAY_NAME} pieces; GPT adds no special tokens to plain text.")
    columns[2].metric("Bytes of the text (UTF-8)", gpt_tokens.byte_count,
                      help="What GPT-4's BPE starts from: every byte is one of its 256 first tokens.")
    columns[3].metric("Words (plain split)", len(tokenization.plain_words))
    split = tokenization.split_words()
    columns[4].metric("Words WordPiece cuts", len(split))
    if split:
        st.dataframe(
            pd.DataFrame({"word": list(split), "pieces": [" ".join(pieces) for pieces in split.values()],
                          "number of pieces": [len(pieces) for pieces in split.values()]}),
            hide_index=True,
        )
    unknown_words = tokenization.unknown_words()
    if unknown_words:
        st.info(f"{len(unknown_words)} of the words cannot be spelled with the vocabulary's pieces and became [UNK]:")
        st.text(", ".join(unknown_words))
    if gpt_tokens.partial:
        st.caption(f"{len(gpt_tokens.partial)} of GPT-4's pieces are bytes of a character, not whole text: "
                   "the characters are rare in its training text, so no merge ever joined all their bytes.")
    with st.expander(f"GPT-4's {len(gpt_tokens.pieces):,} pieces: ids and bytes"):
        st.dataframe(pd.DataFrame({
            "id": gpt_tokens.ids,
            "piece": [piece.label for piece in gpt_tokens.pieces],
            "bytes (hex)": [piece.data.hex(" ") for piece in gpt_tokens.pieces],
            "whole text": [piece.whole for piece in gpt_tokens.pieces],
        }), hide_index=True)
    with st.expander("The ids turned back into text"):
        st.caption("Decoding MiniLM's ids gives the text back as the model saw it: lower case, no accents, no [UNK] "
                   "detail. GPT-4's ids decode to the exact text, byte for byte.")
        st.text(decode(tokenization.ids) or "(nothing)")
    st.markdown("**How each tokenizer cuts a rare word, an emoji, an accented word and a non-Latin word**")
    cuts = compare_examples()
    st.dataframe(pd.DataFrame({
        "example": [c.kind for c in cuts],
        "word": [c.word for c in cuts],
        "WordPiece (MiniLM)": [" ".join(c.wordpiece) for c in cuts],
        "pieces": [len(c.wordpiece) for c in cuts],
        f"BPE ({gpt.DISPLAY_NAME}, GPT-4)": [" ".join(p.label for p in c.cl100k) for c in cuts],
        "pieces ": [len(c.cl100k) for c in cuts],
        "of them bytes, not text": [c.cl100k_partial for c in cuts],
    }), hide_index=True)
    st.caption("Each word on its own. WordPiece knows “東” and “京” as whole characters but not the kangaroo, which "
               "becomes [UNK], and it reads “naïve” as “naive”. GPT-4's BPE spells all of them from bytes: the "
               "kangaroo's four bytes are three pieces, and 東 is cut between its bytes.")
    st.markdown(
        "**BPE and WordPiece.** Both build a vocabulary of sub-word pieces from a corpus, starting from single "
        "characters and merging pieces that often occur together, until the vocabulary reaches a chosen size "
        f"(30,522 pieces for MiniLM, {gpt.vocabulary_size():,} for GPT-4). BPE (GPT models) merges the most "
        "*frequent* pair, and GPT's starts from the 256 possible bytes, so it can spell anything; WordPiece (BERT "
        "and this MiniLM) merges the pair that most raises the *likelihood* of the corpus and marks pieces inside a "
        "word with “##”. Either way, common words stay whole and rare words become several pieces. The view "
        "“BPE, learned step by step” trains a small BPE here and shows its first merges."
    )


def move_bpe_step(by: int, total: int) -> None:
    """Previous / next merge: a callback, so it may set the slider's value before the slider is drawn."""
    st.session_state["bpe_step"] = max(0, min(total, st.session_state.get("bpe_step", 1) + by))


def bpe_section() -> None:
    with frame.picture:
        if not (learned_bpe.loaded() or load_with_progress("a BPE learned from the bundled Wikipedia sample "
                                                           "(a few seconds, once per server)", learned_bpe.load)):
            return
    bpe = learned_bpe.learned()
    total = len(bpe.merges)
    st.session_state.setdefault("bpe_step", 1)
    st.session_state.setdefault("bpe_words", BPE_WORDS)
    with frame.controls:
        back, forward = st.columns(2)
        back.button("Previous", icon=":material/arrow_back:", key="bpe_previous", width="stretch",
                    on_click=move_bpe_step, args=(-1, total), disabled=st.session_state["bpe_step"] <= 0)
        forward.button("Next", icon=":material/arrow_forward:", key="bpe_next", width="stretch",
                       on_click=move_bpe_step, args=(1, total), disabled=st.session_state["bpe_step"] >= total)
        step = st.slider("Merges learned", 0, total, key="bpe_step",
                         help="0: every word is its characters. Each merge joins the pair of symbols that occurs "
                         "most often in the corpus at that point into one new symbol.")
        text = st.text_input("Words to cut", key="bpe_words", max_chars=200,
                             help=f"Lower-cased and split at spaces; the first {learned_bpe.MAX_WORDS} words.")
    words = learned_bpe.words_of(text)
    with frame.controls:
        follow = st.selectbox("Follow one word", range(len(words)), format_func=words.__getitem__,
                              key=f"bpe_follow_{'|'.join(words)}", disabled=not words)
    merge = bpe.merges[step - 1] if step else None
    with frame.picture:
        if merge is None:
            st.markdown(f"**Before any merge**: every word is its characters ({len(bpe.alphabet):,} different "
                        "ones in this corpus).")
        else:
            st.markdown(f"**Merge {step:,} of {total:,}:** `{merge.left}` + `{merge.right}` → `{merge.result}`, "
                        f"the most frequent pair at this point: {merge.count:,} times in the corpus")
        if not words:
            st.info("Type some words to watch them being cut.")
        else:
            cut_column, history_column = st.columns([3, 2])
            with cut_column.container(key="bpe_words_chips"):
                st.markdown(f"**The words after {step:,} merge{'' if step == 1 else 's'}**")
                learned_chips(bpe, [bpe.cut(word, step) for word in words], step)
            with history_column.container(key="bpe_history"):
                st.markdown("**How the word you follow was built**")
                stages = bpe.history(words[follow or 0], step)
                for stage in stages:
                    st.caption("its characters" if stage.merge is None else
                               f"merge {stage.merge.step:,}: {stage.merge.left} + {stage.merge.right}")
                    learned_chips(bpe, [stage.pieces], stage.merge.step if stage.merge else 0)
        last = min(total, max(step + 5, MERGE_BARS))  # the merges so far, and the next few in grey
        shown = bpe.merges[max(0, last - MERGE_BARS):last]
        show_chart(merge_counts_chart([m.step for m in shown], [f"{m.left} + {m.right}" for m in shown],
                                      [m.count for m in shown], step,
                                      title=f"Merges {shown[0].step:,}–{shown[-1].step:,}: times each pair "
                                      "occurred", height=300),
                   key="bpe_counts", picture=True)
    frame.notes.caption(
        f"Learned here, with Hugging Face tokenizers, from {bpe.corpus_name}: {bpe.word_count:,} words "
        f"({bpe.distinct_words:,} different), lower-cased and split at spaces. Vocabulary: "
        f"{len(bpe.alphabet):,} characters + {total:,} merges = {learned_bpe.VOCABULARY_SIZE:,} symbols (GPT-4's has "
        f"{gpt.vocabulary_size():,}, learned from far more text, on bytes rather than characters). Training took "
        f"{bpe.seconds:.1f} s on this server, once. Grey: a single character; blue: a piece made by an earlier merge "
        "(its number under it); green: the piece this merge just made; red: a character the corpus never showed. "
        "The bars: each merge's pair count just before it was merged (orange: this merge; grey: merges still to "
        "come).")
    st.markdown(f"**The alphabet it starts from: {len(bpe.alphabet):,} characters**")
    st.text(" ".join(bpe.alphabet))
    st.markdown(f"**The merges so far ({step:,}), in order**")
    st.dataframe(pd.DataFrame({
        "merge": [m.step for m in bpe.merges[:step]],
        "left": [m.left for m in bpe.merges[:step]],
        "right": [m.right for m in bpe.merges[:step]],
        "becomes": [m.result for m in bpe.merges[:step]],
        "times the pair occurred": [m.count for m in bpe.merges[:step]],
    }), hide_index=True, height=300)
    st.markdown(
        "**How BPE learns.** Start with every word of the corpus spelled in single characters. Count every pair of "
        "neighbouring symbols across all words; the most frequent pair (here “t” + “h”, as in *the*, *that*, "
        "*with*) becomes one new symbol, written everywhere it occurs. Count again and repeat, until the vocabulary "
        "has the size asked for. The counts fall with every merge: early merges make the pieces of very common "
        "words, later ones the pieces of rarer words. To cut a new word, apply the merges in the order they were "
        "learned. GPT's BPE does the same on bytes, over vastly more text, with about 100,000 merges."
    )


def apply_context_preset() -> None:
    preset = st.session_state["context_preset"]
    if preset in CONTEXT_PRESETS:
        st.session_state["context_target"] = preset
        st.session_state["context_sentences"] = "\n".join(f"{sense} | {text}" for sense, text in CONTEXT_PRESETS[preset])


def mark_own_sentences() -> None:
    """Editing the target or the sentences leaves the preset: say so in the preset box."""
    st.session_state["context_preset"] = OWN_SENTENCES


def context_section() -> None:
    if "context_target" not in st.session_state:
        st.session_state["context_preset"] = "bank"
        apply_context_preset()
    with frame.controls:
        st.selectbox("Preset", list(CONTEXT_PRESETS) + [OWN_SENTENCES], key="context_preset",
                     on_change=apply_context_preset)
        target = st.text_input("Target word", key="context_target", max_chars=50, on_change=mark_own_sentences)
        layer = st.slider("Layer", 0, model.layer_count(), model.layer_count(), key="context_layer",
                          help="0 = the input embeddings (one vector per piece, plus its position); "
                          "1 … 6 = after each transformer layer.")
        method = st.segmented_control("Projection", ["pca", "umap"], default="pca",
                                      format_func=PROJECTION_METHODS.__getitem__, required=True,
                                      key="context_projection")
        text = st.text_area("Sentences, one per line: “sense | sentence” (the sense is optional)",
                            key="context_sentences", height=200, max_chars=MAX_TEXT_CHARACTERS,
                            on_change=mark_own_sentences)
    frame.notes.caption(
        "The same word gets a different vector in every sentence. Each occurrence of the target word is one "
        "point: its vector after the chosen layer (the mean of its pieces when it splits), numbered by its "
        "sentence; hover to read the sentence. Move the layer slider: at layer 0 the points differ only by "
        "position, deeper layers pull the senses apart.")
    with frame.picture:
        context_picture(target, layer, method, text)


def context_picture(target: str, layer: int, method: str, text: str) -> None:
    """The occurrences of ``target`` at ``layer`` on a map, then the similarity per layer and GloVe's one vector."""
    sentences = parse_sentences(text)
    if not sentences:
        st.info("Type some sentences that use the target word, one per line.")
        return
    try:
        result = cached_context(target, tuple(sentences))
    except ValueError as error:
        show_items(str(error), [target])
        return
    for note in result.notes:
        st.warning(note)
    if result.skipped:
        st.warning(f"{len(result.skipped)} of {len(sentences)} sentences give no point and are skipped:")
        st.dataframe(pd.DataFrame([{"#": s.sentence_index + 1, "sentence": s.sentence, "reason": s.reason}
                                   for s in result.skipped]), hide_index=True)
    count = len(result.occurrences)
    if count == 0:
        st.info("No sentence holds the target word, so there is nothing to draw.")
        return
    if count < 3:
        st.warning(f"Only {count} point{'s' if count > 1 else ''}: add sentences for a picture with any structure.")

    vectors = result.at_layer(layer)
    if count > 1 and np.ptp(vectors, axis=0).max() < 1e-6:
        st.info("All occurrences have exactly the same vector here: the same pieces at the same position, "
                "and no layer has mixed in any context yet. Move the slider up.")
    options = {"n_neighbors": min(15, max(2, count - 1))} if method == "umap" else {}
    projection = projected(vectors, method, 2, 0, notes=frame.notes, **options)
    if projection is None:
        return
    for note in projection.notes:
        frame.notes.info(note)
    if method == "umap" and count >= UMAP_MIN_POINTS:
        frame.notes.caption("UMAP keeps neighbours together but distorts distances; with few points PCA is the "
                            "honest view.")
    groups = [o.sense or f"sentence {o.sentence_index + 1}" for o in result.occurrences]
    numbers = [o.sentence_index + 1 for o in result.occurrences]
    where = "input embeddings (layer 0)" if layer == 0 else f"after layer {layer} of {result.layers}"
    point_sentences = [o.sentence for o in result.occurrences]  # one per point (``sentences`` are the input)
    figure = context_scatter(projection.coords, point_sentences, groups, numbers,
                             title=f"{target} · {where} · {PROJECTION_METHODS[projection.method]}")
    show_chart(figure, key="context_chart", picture=True)
    with frame.controls:
        export_buttons("context", f"{target}-layer-{layer}", point_sentences, groups, projection.coords, figure,
                       vectors=vectors)
    with frame.below:
        context_details(target, layer, result)


def context_details(target: str, layer: int, result: ContextVectors) -> None:
    """Below the picture: the mean similarity within and between senses per layer, the points, GloVe's vector."""
    table = sense_similarity(result)
    lines, _ = st.columns([3, 2])
    with lines:
        st.markdown("**Mean cosine similarity per layer** (on the 384 numbers, not the projection)")
        if table[["within senses", "between senses"]].notna().all(axis=None):
            show_chart(sense_similarity_chart(table, layer), key="context_lines")
            st.caption("Within: pairs of occurrences with the same sense. Between: pairs with different senses. "
                       "The gap between the lines is how much the model separates the meanings.")
        else:
            st.info("Label the sentences with at least two senses (“river | …”, “money | …”) to compare them per layer.")
    with st.expander("The points and their word pieces"):
        st.dataframe(pd.DataFrame([{"#": o.sentence_index + 1, "sense": o.sense, "word": o.word,
                                    "pieces": " ".join(o.pieces), "sentence": o.sentence} for o in result.occurrences]),
                     hide_index=True)
    static_vector_panel(target, sorted({o.sense for o in result.occurrences if o.sense}))


def static_vector_panel(target: str, senses: list[str]) -> None:
    """GloVe's single vector of the target, as a reference: it cannot move with context."""
    st.markdown("**For contrast: one static vector (GloVe)**")
    st.caption(
        "GloVe gives a word one vector whatever the sentence. Its 50 numbers live in a different space from "
        "MiniLM's 384, so it cannot be a point on the chart above; instead, here is what that one vector is close to. "
        "All senses are mixed into it, usually leaning to the most frequent one."
    )
    glove = load_embedder("glove")
    if glove is None:
        return
    try:
        neighbours = glove.neighbours(target.strip(), 10)
    except KeyError:
        st.info("This target word is not in GloVe's vocabulary:")
        st.text(target)
        return
    left, right = st.columns(2)
    cosine = st.column_config.NumberColumn(format="%.2f")
    left.dataframe(pd.DataFrame(neighbours, columns=["GloVe neighbour", "cosine"]), hide_index=True,
                   column_config={"cosine": cosine})
    kv = glove.keyed_vectors
    key = glove.key(target.strip())
    known = [sense for sense in senses if glove.key(sense) in kv.key_to_index]
    if known:
        right.dataframe(pd.DataFrame({"sense word": known,
                                      "cosine with the target": [float(kv.similarity(key, glove.key(s))) for s in known]}),
                        hide_index=True, column_config={"cosine with the target": cosine})


def attention_section() -> None:
    st.session_state.setdefault("attention_text", ATTENTION_EXAMPLE)
    with frame.controls:
        st.button("The captain and the pirate", on_click=set_state, kwargs={"attention_text": ATTENTION_EXAMPLE},
                  width="stretch")
        text = st.text_area("Sentence", key="attention_text", max_chars=MAX_ATTENTION_CHARACTERS, height=100)
        layer = st.slider("Layer", 1, model.layer_count(), 1, key="attention_layer")
        head = st.selectbox("Head", [AVERAGE] + list(range(1, model.head_count() + 1)), key="attention_head")
        merge = st.toggle("Read in words, not pieces", key="attention_merge",
                          help="Attention to a word = sum over its pieces; from a word = mean over its pieces.")
    with frame.picture, st.spinner("Running the sentence through the model…"):
        result = attention(text)
    for note in result.tokenization.notes:
        frame.notes.warning(note)
    if merge:
        result = merge_word_pieces(result)
    matrix = result.matrix(layer - 1, head - 1 if isinstance(head, int) else None)  # AVERAGE: the one str option
    head_name = f"average of {result.heads} heads" if head == AVERAGE else f"head {head}"
    with frame.picture:
        show_chart(attention_heatmap(matrix, result.labels, title=f"Layer {layer}, {head_name}"),
                   key="attention_heatmap", picture=True)
    frame.notes.caption("Row: the token that looks. Columns: what it takes its new vector from. Every row sums to 1.")

    labels = result.labels
    lowered = [label.lower() for label in labels]
    default = lowered.index("he") if "he" in lowered else min(1, len(labels) - 1)
    query = frame.controls.selectbox("What does this token attend to?", range(len(labels)), index=default,
                                     format_func=lambda i: f"{i}: {labels[i]}", key=f"attention_query_{len(labels)}")
    show_chart(attention_bars(matrix[query], labels, query, title=f"What “{labels[query]}” takes from each token"),
               key="attention_bars")
    strongest = np.argsort(-matrix[query])[:3]
    st.caption("Strongest three:")
    st.text(", ".join(f"{labels[i]} ({matrix[query, i]:.2f})" for i in strongest))
    st.info(
        "Attention weights are not explanations. They show how much of each token's vector the model mixes into "
        "another at one layer and head, not why it decides anything: many heads park their attention on [SEP] or "
        "on punctuation, several heads and layers combine, and the vectors being mixed have themselves changed at "
        "every layer. Read the chart as “what the model mixes”, not as “what the model thinks”."
    )


with frame.controls:
    view = st.segmented_control("View", list(VIEWS), format_func=VIEWS.__getitem__, default="tokens", required=True,
                                key="transformer_view", label_visibility="collapsed")
with frame.picture:  # the learned BPE needs no transformer
    if view != "bpe" and not (model.loaded() or load_with_progress("all-MiniLM-L6-v2 with its attention weights",
                                                                     model.load)):
        st.stop()
{"tokens": tokens_section, "context": context_section, "attention": attention_section, "bpe": bpe_section}[view]()
