"""What precision costs: every method's cost and quality, one method stored smaller, and what an index buys."""

import pandas as pd
import streamlit as st

import embedders
import wordlists
from charts.tradeoffs import quality_against_size, recall_against_time
from embedders.stored import stored_embedding
from retrieval import IndexSettings, efsearch_sweep, exact_ms_per_query, shared_index
from tradeoffs import compression_table
from tradeoffs.compression import RECALL_K, RECALL_QUERIES
from tradeoffs.methods import SAMPLE_SIZE, MethodCost, MethodQuality, measure_cost, measure_quality, spearman
from ui.display import load_with_progress, progress_bar, show_chart
from ui.frame import ensure_app_frame
from ui.methods import vocabulary_method_picker
from ui.session_cache import remembered
from ui.sidebar import current_corpus
from ui.uploads import uploaded_methods

ensure_app_frame()

SIZES = [10_000, 50_000, 100_000, None]
QUALITY = "WordSim-353 Spearman"


@st.cache_resource
def server_measurements() -> dict[str, tuple[MethodCost, MethodQuality]]:
    """Each registered method's measurements, once per server: they describe shared models, not a user's data."""
    return {}


def measure_every_method() -> list[tuple[MethodCost, MethodQuality]]:
    """Cost and quality of every registered method, measured now or earlier on this server, with progress."""
    measured = server_measurements()
    passages = wordlists.load_preset(wordlists.PASSAGES_PRESET, lowercase=True)
    report, remove = progress_bar()
    for number, name in enumerate(embedders.available()):
        if name in measured:
            continue
        # The bundled corpus: the same methods every user starts from (not this session's own corpus).
        embedder = embedders.get(name)
        if not embedder.loaded and not load_with_progress(embedder.title, embedder.load):
            continue

        def step(fraction: float, message: str, number=number) -> None:
            report((number + fraction) / len(embedders.available()), message)
        cost = measure_cost(embedder, step)
        step(0.7, f"{embedder.title}: embedding {len(passages):,} passages (stored for next time)…")
        vectors = stored_embedding(embedder, passages.preset, tuple(passages.items), True,
                                   lambda embedder=embedder: embedder.embed_sentences(passages.items)).vectors
        measured[name] = (cost, measure_quality(embedder, vectors, passages.groups, step))
    remove()
    return [measured[name] for name in embedders.available() if name in measured]


st.title("What precision costs")
st.caption("Richer embeddings cost more memory and time; compression and indexes buy speed and memory back "
           "with a little precision. Every number on this page is measured on this machine.")

st.header("Every method: what it costs, what it buys")
if not st.toggle("Measure every method", key="tradeoffs_methods_run"):
    st.info(f"Switch on to load every method, time it on {SAMPLE_SIZE:,} words and {SAMPLE_SIZE:,} sentences, and "
            "score it: up to a few minutes the first time on this server (MiniLM reads 1,465 passages), "
            "then at once.")
    rows = []
else:
    rows = measure_every_method()
    st.caption("The methods as every user starts with them (count, TF-IDF, Word2Vec and FastText trained on the "
               f"bundled Wikipedia sample). Times on this machine's {rows[0][0].cores} cores.")
    st.dataframe(pd.DataFrame([{
        "method": cost.title, "numbers per word": cost.word_dimensions,
        "numbers per sentence": cost.sentence_dimensions, "bytes per word": cost.bytes_per_word,
        "MB in memory": cost.memory_bytes / 2**20,
        "seconds to load": cost.load_seconds, f"seconds for {SAMPLE_SIZE:,} words": cost.words_seconds,
        f"seconds for {SAMPLE_SIZE:,} sentences": cost.sentences_seconds} for cost, _ in rows]),
        hide_index=True, width="stretch", column_config={"MB in memory": st.column_config.NumberColumn(format="%.1f")})
    st.caption("One-hot makes one number per distinct item, so its size is that of the list (here the "
               f"{SAMPLE_SIZE:,} words). Count and TF-IDF describe a word by the corpus's passages and a sentence by "
               "the vocabulary's words. Load times are this server's first load (training, or reading a cache).")
    st.dataframe(pd.DataFrame([{
        "method": quality.title,
        **{f"{score.test_set} Spearman": score.spearman for score in quality.word_pairs},
        **{f"{score.test_set} pairs skipped": score.skipped for score in quality.word_pairs},
        "analogies correct": quality.analogies, "passages sorted by article": quality.passages.accuracy,
        "passages: chance": quality.passages.chance} for _, quality in rows]), hide_index=True, width="stretch")
    st.caption("Spearman: how well cosine similarity ranks word pairs as people do (1 is perfect; SimLex rewards "
               "similarity, not mere relatedness: cup and coffee are related, not similar). Analogies: the share "
               "of gensim's questions-words answered exactly. Passages: a logistic regression's accuracy, 5-fold "
               "cross-validated, at naming the article of each of the 1,465 Wikipedia passages from its vector.")

st.header("One method, stored smaller")
method, embedder = vocabulary_method_picker("tradeoffs_method", "to compress")
vectors, words = embedder.keyed_vectors.vectors, embedder.keyed_vectors.index_to_key
size = st.select_slider("Words", SIZES, value=SIZES[0], key="tradeoffs_size",
                        format_func=lambda n: f"all {len(vectors):,}" if n is None else f"the first {n:,}",
                        help="More words: a harder search, and slower to measure (all of GloVe: about a minute).")
subset, subset_words = vectors[:size], words[:size]
st.caption(f"{len(subset):,} vectors of {subset.shape[1]} numbers: {subset.nbytes / 2**20:,.1f} MB at full precision. "
           f"Recall@{RECALL_K}: the share of each word's {RECALL_K} nearest neighbours at full precision (cosine) "
           f"that the stored vectors still find, over {RECALL_QUERIES} random words.")
corpus = current_corpus()  # a method trained on the user's own corpus has other vectors
key = (method, corpus.fingerprint if corpus else None, len(subset))
if st.toggle("Measure", key="tradeoffs_run"):
    report, remove = progress_bar()
    table = remembered("compression", key, lambda: compression_table(subset, words=subset_words, progress=report))
    remove()
    frame = pd.DataFrame([{"stored as": c.name, "bytes per vector": c.bytes_per_vector,
                           "MB in all": c.bytes_per_vector * len(subset) / 2**20, f"recall@{RECALL_K}": c.recall,
                           **{f"{s.test_set} Spearman": s.spearman for s in c.word_pairs},
                           "seconds to build and search": c.seconds} for c in table])
    st.dataframe(frame, hide_index=True, width="stretch", column_config={f"recall@{RECALL_K}": st.column_config.ProgressColumn(
        format="percent", min_value=0, max_value=1)})
    points = [frame.rename(columns={"stored as": "name"}).assign(kind=f"{embedder.title}, stored smaller")]
    points.append(pd.DataFrame([{"name": cost.title, "kind": "methods at full precision", "bytes per vector":
                                 cost.bytes_per_word, QUALITY: spearman(quality, "WordSim-353")} for cost, quality in rows]))
    show_chart(quality_against_size(pd.concat(points), QUALITY), key="tradeoffs_quality_chart")
    st.caption("Up and to the left is better. The methods' points appear once they are measured above. Word-pair "
               f"scores use the words among these {len(subset):,} only. Quantizers from FAISS, PCA from scikit-learn.")
    st.markdown("**Reading it.** A vector stored in half the bytes (float16) or a quarter (8-bit) loses almost "
                "nothing; product quantization and sign bits keep the broad picture but lose close neighbours; "
                "cutting dimensions with PCA loses more than storing every dimension with fewer bits.")
else:
    st.info("Switch on Measure: each way of storing is built, searched and scored, from a few seconds to a "
            "minute and a half (once per method and size in your session).")

st.header("An index: speed for a little recall")
st.caption(f"HNSW (M 16, efConstruction 40) over the same {len(subset):,} vectors: 200 random words searched one at "
           "a time at each efSearch, against exact search, which compares the query with every vector.")
if st.toggle("Measure the index", key="tradeoffs_index_run"):
    private = method in uploaded_methods() or (embedder.uses_corpus and corpus is not None)
    report, remove = progress_bar()
    settings = IndexSettings("hnsw")
    index = None if private or size is not None else shared_index(method, vectors, settings, report)
    sweep, exact_ms = remembered("sweep", key, lambda: (efsearch_sweep(subset, settings, index=index, progress=report),
                                                        exact_ms_per_query(subset)))
    remove()
    show_chart(recall_against_time([p.depth for p in sweep], [p.recall for p in sweep],
                                        [p.ms_per_query for p in sweep], exact_ms, 10), key="tradeoffs_index_chart")
    best = sweep[-1]
    st.markdown(f"**Reading it.** Exact search takes {exact_ms:.2f} ms per query and finds every true neighbour. "
                f"HNSW at efSearch {best.depth} takes {best.ms_per_query:.2f} ms and finds {best.recall:.0%}; "
                f"at efSearch {sweep[0].depth}, {sweep[0].ms_per_query:.2f} ms and {sweep[0].recall:.0%}. The index "
                "visits a few hundred vectors instead of all of them, and the gap grows with the store.")
