"""What precision costs: one method stored smaller, what an index buys, and every method's cost and quality.

The page opens on the last measurements taken on this machine (``tradeoffs.store``); a machine that
never measured starts the cheapest by itself, and offers the others with their expected time.
"""

import functools

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import embedders
from charts.tradeoffs import quality_against_size, recall_against_time, with_readable_labels
from retrieval import IndexSettings, shared_index
from settings import cache_dir, cache_is_read_only
from tradeoffs import compression_table, store
from tradeoffs.compression import RECALL_K, RECALL_QUERIES, short_name
from tradeoffs.distillation import COMPRESSED, measure_distillation
from tradeoffs.methods import SAMPLE_SIZE, MethodCost, MethodQuality, measure_method, spearman
from tradeoffs.store import COMPRESSION, DISTILLATION, METHOD, SWEEP, Found, Stored, day, duration
from ui.display import font_scale, load_with_progress, progress_bar, show_chart
from ui.frame import page_frame, picture_height
from ui.methods import picked_embedder
from ui.sidebar import current_corpus

SIZES = [10_000, 50_000, 100_000, None]
QUALITY = "WordSim-353 Spearman"
PICTURES = {COMPRESSION: "Stored smaller", SWEEP: "An index"}
#: A measurement expected to take less than this starts by itself when the picture asks for it.
AUTOMATIC_SECONDS = 5.0
INDEX_SETTINGS = IndexSettings("hnsw")
#: Measurements of a user's own vectors (upload, own corpus): in this session only, never on disk.
PRIVATE_KEY = "tradeoffs_private_measurements"
PRIVATE_ENTRIES = 16

frame = page_frame(
    "What precision costs",
    about="Richer embeddings cost more memory and time; compression and indexes buy speed and memory back with "
          "a little precision. Every number on this page is measured on this machine, and kept: the page opens "
          "on the last measurements taken here.")

method, embedder = picked_embedder(frame, "tradeoffs_method", needs_vocabulary_to="to compress")
vectors, words = embedder.keyed_vectors.vectors, embedder.keyed_vectors.index_to_key
with frame.controls:
    size = st.select_slider("Words", SIZES, value=SIZES[0], key="tradeoffs_size",
                            format_func=lambda n: f"all {len(vectors):,}" if n is None or n >= len(vectors)
                            else f"the first {n:,}",
                            help="More words: a harder search, and slower to measure.")
subset, subset_words = vectors[:size], words[:size]

# Shared models' measurements go to the cache folder for every later visit; a user's own stay in the session.
shared = embedders.is_shared(embedder)
folder = cache_dir()
corpus = current_corpus()
selection = (method, corpus.fingerprint if corpus else None, len(subset))
keys = st.session_state.setdefault("tradeoffs_keys", {})
if selection not in keys:  # hashing all of GloVe takes a moment: once per session and selection
    keys.clear()
    keys[selection] = {COMPRESSION: store.compression_key(method, subset, subset_words),
                       SWEEP: store.sweep_key(method, subset, INDEX_SETTINGS)}
key = keys[selection]


def stored(kind: str, fingerprint: str, is_shared: bool = True) -> Found:
    """A measurement from the cache folder (for shared vectors), else from this session."""
    if is_shared:
        found = store.load(folder, kind, fingerprint)
        if found.stored is not None or not cache_is_read_only():
            return found
    return Found(st.session_state.get(PRIVATE_KEY, {}).get((kind, fingerprint)))


def keep(kind: str, fingerprint: str, measurement: Stored, is_shared: bool = True) -> None:
    """Keep a measurement: for shared vectors in the cache folder, unless this replica only reads it;
    otherwise in this session only."""
    if is_shared and not cache_is_read_only():
        store.save(folder, kind, fingerprint, measurement)
        return
    private = st.session_state.setdefault(PRIVATE_KEY, {})
    private[(kind, fingerprint)] = measurement
    while len(private) > PRIVATE_ENTRIES:
        private.pop(next(iter(private)))


def expected(kind: str) -> float:
    return store.expected_seconds(folder, kind, len(subset))


found = {kind: stored(kind, key[kind], shared) for kind in PICTURES}
registered = embedders.available()
TEACHER = "minilm"
student_found = stored(DISTILLATION, store.distillation_key(TEACHER))
methods_found = {name: stored(METHOD, store.method_key(name)) for name in registered}

with frame.controls:
    if st.session_state.get("tradeoffs_picture") not in PICTURES:
        # First visit: the main picture when it is stored here (or quick to measure), else the index's, which
        # is stored or the cheapest measurement that draws a chart (about a second for 10,000 words).
        cheap = expected(COMPRESSION) <= AUTOMATIC_SECONDS and not found[SWEEP].stored
        st.session_state["tradeoffs_picture"] = COMPRESSION if found[COMPRESSION].stored or cheap else SWEEP
    picture = st.radio("Picture", list(PICTURES), format_func=PICTURES.get, key="tradeoffs_picture",
                       help="Stored smaller: what each way of storing the vectors in fewer bytes keeps of their "
                            "neighbours and of their agreement with people. An index: how much faster HNSW finds "
                            "neighbours than exact search, and how many it misses.")
    measurement = found[picture].stored
    automatic = measurement is None and expected(picture) <= AUTOMATIC_SECONDS  # measured below, by itself
    status = st.container()  # when and where the picture was measured, once it is
    again = st.button(f"Measure again (about {duration(expected(picture))})" if measurement or automatic else
                      f"Measure (about {duration(expected(picture))})", key="tradeoffs_measure",
                      type="secondary" if measurement or automatic else "primary", width="stretch")
with frame.notes:
    if found[picture].note:
        st.info(found[picture].note)
    if not shared:
        st.caption("Your own vectors: their measurements stay in this session and are never written to disk.")
    elif cache_is_read_only():
        st.caption("This server shares a prepared cache folder and only reads it: what you measure here stays "
                   "in your session.")


def measure_compression(report) -> Stored:
    return store.measure(lambda: compression_table(subset, words=subset_words, progress=report), len(subset))


def measure_sweep(report) -> Stored:
    def run():
        index = None
        if shared and size is None:  # the whole vocabulary: the index Similarity search builds and saves
            index = shared_index(method, vectors, INDEX_SETTINGS, report)
        return store.sweep(subset, INDEX_SETTINGS, index=index, progress=report)
    return store.measure(run, len(subset))


def readable_chart(figure: go.Figure) -> go.Figure:
    """``figure`` as the page's picture: as tall as the frame's picture, enlarged when presenting, with only
    the labels that cross no other."""
    return with_readable_labels(figure, picture_height(), font_scale())


def methods_points() -> pd.DataFrame:
    rows = [found.stored.value for found in methods_found.values() if found.stored]
    return pd.DataFrame([{"name": cost.title, "kind": "methods at full precision", "bytes per vector":
                          cost.bytes_per_word, QUALITY: spearman(quality, "WordSim-353")} for cost, quality in rows])


def student_points() -> pd.DataFrame:
    """The stored student of MiniLM as a point of the chart (bytes per vector, WordSim-353), when there is one."""
    if student_found.stored is None:
        return pd.DataFrame()
    row = student_found.stored.value.student
    return pd.DataFrame([{"name": "student of MiniLM", "kind": "distilled from MiniLM",
                          "bytes per vector": row.bytes_per_vector, QUALITY: row.wordsim}])


def compression_frame(table) -> pd.DataFrame:
    return pd.DataFrame([{"stored as": c.name, "bytes per vector": c.bytes_per_vector,
                          "MB in all": c.bytes_per_vector * len(subset) / 2**20, f"recall@{RECALL_K}": c.recall,
                          **{f"{s.test_set} Spearman": s.spearman for s in c.word_pairs},
                          "seconds to build and search": c.seconds} for c in table])


with frame.picture:
    if measurement is None and not again and not automatic:
        methods = pd.concat([methods_points(), student_points()])
        if picture == COMPRESSION and not methods.empty:  # the methods measured so far, while this waits
            show_chart(readable_chart(quality_against_size(methods, QUALITY)), key="tradeoffs_quality_chart")
        st.info(f"{PICTURES[picture]}: not measured on this machine yet for {len(subset):,} words of "
                f"{embedder.title}. **Measure** takes about {duration(expected(picture))} here.")
    else:
        if measurement is None or again:
            report, remove = progress_bar()
            measurement = (measure_compression if picture == COMPRESSION else measure_sweep)(report)
            remove()
            keep(picture, key[picture], measurement, shared)
        if picture == COMPRESSION:
            table = compression_frame(measurement.value)
            points = pd.concat([table.assign(name=table["stored as"].map(short_name),
                                             kind=f"{embedder.title}, stored smaller"), methods_points(),
                                student_points()])
            show_chart(readable_chart(quality_against_size(points, QUALITY)), key="tradeoffs_quality_chart")
        else:
            sweep, exact_ms = measurement.value
            show_chart(readable_chart(recall_against_time([p.depth for p in sweep], [p.recall for p in sweep],
                                                    [p.ms_per_query for p in sweep], exact_ms, RECALL_K)),
                       key="tradeoffs_index_chart")

if measurement is not None:
    status.caption(f"{PICTURES[picture]}, {len(subset):,} words of {embedder.title}: {measurement.describe()}.")
with frame.notes:
    if measurement is None:
        pass
    elif picture == COMPRESSION:
        st.caption(f"Up and to the left is better. Word-pair scores use the words among these {len(subset):,} "
                   "only; the methods' points join once every method is measured (below). Quantizers from FAISS, "
                   "PCA from scikit-learn.")
        st.markdown("**Reading it.** A vector stored in half the bytes (float16) or a quarter (8-bit) loses almost "
                    "nothing; product quantization and sign bits keep the broad picture but lose close neighbours; "
                    "cutting dimensions with PCA loses more than storing every dimension with fewer bits.")
    else:
        best = sweep[-1]
        st.markdown(f"**Reading it.** Exact search takes {exact_ms:.2f} ms per query and finds every true neighbour. "
                    f"HNSW at efSearch {best.depth} takes {best.ms_per_query:.2f} ms and finds {best.recall:.0%}; "
                    f"at efSearch {sweep[0].depth}, {sweep[0].ms_per_query:.2f} ms and {sweep[0].recall:.0%}. The "
                    "index visits a few hundred vectors instead of all of them, and the gap grows with the store.")
        st.caption(f"HNSW (M {INDEX_SETTINGS.links}, efConstruction {INDEX_SETTINGS.build_depth}) over the same "
                   f"{len(subset):,} vectors: {store.SWEEP_QUERIES} random words searched one at a time at each "
                   "efSearch, against exact search, which compares the query with every vector.")

# Below the picture: the numbers behind it, then every method.
if measurement is not None and picture == COMPRESSION:
    st.subheader("The numbers", anchor=False)
    st.caption(f"{len(subset):,} vectors of {subset.shape[1]} numbers: {subset.nbytes / 2**20:,.1f} MB at full "
               f"precision. Recall@{RECALL_K}: the share of each word's {RECALL_K} nearest neighbours at full "
               f"precision (cosine) that the stored vectors still find, over {RECALL_QUERIES} random words.")
    st.dataframe(table, hide_index=True, width="stretch", column_config={
        f"recall@{RECALL_K}": st.column_config.ProgressColumn(format="percent", min_value=0, max_value=1)})

st.subheader("A student of MiniLM: cheaper to run, not only to store", anchor=False)
distilled = student_found.stored
if student_found.note:
    st.info(student_found.note)
if distilled is None:
    st.caption("Not measured on this machine yet: a linear map from TF-IDF of words and character n-grams to 64 "
               "numbers is trained on 70% of the Wikipedia passages to reproduce MiniLM's cosine similarities, then "
               "measured on the other 30% next to MiniLM and MiniLM stored smaller.")
student_guess = store.expected_distillation_seconds(folder, TEACHER)
if st.button(f"{'Train and measure the student again' if distilled else 'Train and measure the student'} "
             f"(about {duration(student_guess)})", key="tradeoffs_student_measure",
             help="Trains the student here (about a minute on a quiet machine, with a progress bar), times MiniLM "
                  "on 64 passages and scores everything on the passages the student never saw."):
    teacher = embedders.get(TEACHER)
    if teacher.loaded or load_with_progress(teacher.title, teacher.load):
        report, remove = progress_bar()
        measured_student = store.measure(lambda: measure_distillation(teacher, progress=report))
        remove()
        keep(DISTILLATION, store.distillation_key(TEACHER), measured_student)
        st.rerun()  # the student joins the picture above
if distilled is not None:
    result = distilled.value
    student, teacher_row = result.student, result.teacher
    st.caption(f"Trained on {result.train_passages:,} passages in {duration(result.train_seconds)} "
               f"({result.epochs} steps), measured on the {result.held_out_passages:,} it never saw; "
               f"{distilled.describe()}.")
    st.dataframe(pd.DataFrame([{
        "vectors": row.name, "kind": row.kind, "bytes per vector": row.bytes_per_vector,
        f"recall@{RECALL_K} of MiniLM's neighbours": row.recall, "passages sorted by article": row.passages,
        QUALITY: row.wordsim, "ms per passage": row.ms_per_text}
        # MiniLM and the student first, then the student's input and start, then MiniLM stored smaller.
        for row in sorted(result.rows, key=lambda row: (row is not teacher_row, row is not student,
                                                        row.kind == COMPRESSED))]),
        hide_index=True, width="stretch", height=36 * (len(result.rows) + 1) + 4, column_config={
            "passages sorted by article": st.column_config.NumberColumn(format="percent"),
            "bytes per vector": st.column_config.NumberColumn(format="%.0f"),
            QUALITY: st.column_config.NumberColumn(format="%.2f"),
            f"recall@{RECALL_K} of MiniLM's neighbours": st.column_config.ProgressColumn(
                format="percent", min_value=0, max_value=1),
            "ms per passage": st.column_config.NumberColumn(format="%.2f")})
    st.markdown(f"**Reading it.** The student keeps {student.recall:.0%} of MiniLM's {RECALL_K} nearest passages "
                f"(chance: {result.chance_recall:.0%}) in {student.bytes_per_vector:.0f} bytes instead of "
                f"{teacher_row.bytes_per_vector:.0f}, and embeds a passage in {student.ms_per_text:.2f} ms instead of "
                f"{teacher_row.ms_per_text:.1f} ms. MiniLM stored smaller keeps more neighbours, but every text must "
                "still go through the transformer first.")
    st.caption(f"Recall@{RECALL_K}: the share of each held-out passage's {RECALL_K} nearest held-out passages by "
               "MiniLM (cosine) that the row finds too. Passages: the same 5-fold logistic regression as below, on "
               f"the held-out passages (chance {result.passages_chance:.0%}). Training minimises the squared "
               "difference between the student's and MiniLM's cosines over all training pairs, from a ridge "
               "regression onto MiniLM's PCA coordinates; on held-out pairs that difference went from "
               f"{result.start_loss:.4f} to {result.final_loss:.4f}.")

st.subheader("Every method: what it costs, what it buys", anchor=False)
measured = {name: found.stored for name, found in methods_found.items() if found.stored}
for note in sorted({found.note for found in methods_found.values()} - {""}):
    st.info(note)
waiting = [name for name in registered if name not in measured]
guess = {name: measured[name].seconds if name in measured else store.expected_method_seconds(folder, name)
         for name in registered}
label = (f"Measure every method again (about {duration(sum(guess.values()))})" if not waiting else
         f"Measure {'every method' if len(waiting) == len(registered) else f'the {len(waiting)} methods left'} "
         f"(about {duration(sum(guess[name] for name in waiting))})")
if st.button(label, key="tradeoffs_methods_measure",
             help=f"Loads every method (training those that learn from text, the first time), times it on "
                  f"{SAMPLE_SIZE:,} words and {SAMPLE_SIZE:,} sentences and scores it; MiniLM reads 1,465 passages."):
    report, remove = progress_bar()
    chosen = waiting or registered
    saved = 0
    for number, name in enumerate(chosen):
        # The bundled corpus: the methods every user starts from (not this session's own corpus).
        bundled = embedders.get(name)
        if not bundled.loaded and not load_with_progress(bundled.title, bundled.load):
            continue
        def step(fraction: float, message: str, number: int = number) -> None:
            report((number + fraction) / len(chosen), message)

        measurement = store.measure(functools.partial(measure_method, bundled, step))
        keep(METHOD, store.method_key(name), measurement)
        saved += 1
    remove()
    if saved:
        st.rerun()  # the methods join the picture above; when none loaded, their errors stay on the page

if measured:
    rows: list[tuple[MethodCost, MethodQuality]] = [measured[name].value for name in registered if name in measured]
    dates = sorted(measured[name].taken for name in measured)
    when = day(dates[0]) + (f" to {day(dates[-1])}" if dates[-1].date() != dates[0].date() else "")
    st.caption(f"The methods as every user starts with them (count, TF-IDF, Word2Vec and FastText trained on the "
               f"bundled Wikipedia sample), measured on {when}, "
               f"{' or '.join(str(cores) for cores in sorted({cost.cores for cost, _ in rows}))} cores.")
    st.dataframe(pd.DataFrame([{
        "method": cost.title, "numbers per word": cost.word_dimensions,
        "numbers per sentence": cost.sentence_dimensions, "bytes per word": cost.bytes_per_word,
        "MB in memory": cost.memory_bytes / 2**20,
        "seconds to load": cost.load_seconds, f"seconds for {SAMPLE_SIZE:,} words": cost.words_seconds,
        f"seconds for {SAMPLE_SIZE:,} sentences": cost.sentences_seconds} for cost, _ in rows]),
        hide_index=True, width="stretch", column_config={"MB in memory": st.column_config.NumberColumn(format="%.1f")})
    st.caption("One-hot makes one number per distinct item, so its size is that of the list (here the "
               f"{SAMPLE_SIZE:,} words). Count and TF-IDF describe a word by the corpus's passages and a sentence by "
               "the vocabulary's words. Load times are the server's first load when measured (training, or reading "
               "a cache).")
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
else:
    st.caption(f"Not measured on this machine yet: every method is loaded, timed on {SAMPLE_SIZE:,} words and "
               f"{SAMPLE_SIZE:,} sentences, and scored on WordSim-353, SimLex-999, the analogy benchmark and "
               "the Wikipedia passages.")
