"""The shared sidebar: the current word list, used by every page."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from embedders.corpus import Corpus, CorpusError, corpus_from_text
from inputs import wordlists
from links.view import linkable_words
from settings import MAX_ITEMS, MAX_UPLOAD_ITEMS
from ui import state as keys
from ui.session_cache import remembered
from ui.state import ListSource, list_source
from ui.uploads import uploaded_methods

WORD_LIST_KEY = "word_list"
ADDED_ITEMS_KEY = "added_items"
CORPUS_KEY = "corpus"
LIST_FILTER_KEY = "list_filter"
VECTOR_ROWS = {"all": "All", "first": "The first N", "sample": "A random sample of N"}
TEXT_HELP = (
    "One item per line, or one line of comma-separated items. Add a group after a comma or a tab "
    "(`king, royalty`); lines with several commas are kept whole, as sentences."
)


def word_list_sidebar() -> wordlists.WordList:
    """Draw the word-list controls in the sidebar and store the parsed list in the session."""
    with st.sidebar:
        st.subheader("Word list")
        sources = [source for source in ListSource if source != ListSource.VECTORS or uploaded_methods()]
        if st.session_state.get(keys.LIST_SOURCE) not in (None, *sources):
            del st.session_state[keys.LIST_SOURCE]  # its vectors file was removed
        # A link or a test may have set the plain label: the radio hands back what the session holds.
        source = ListSource(st.radio("Source", sources, format_func=lambda s: ListSource(s).value, horizontal=True,
                                     key=keys.LIST_SOURCE, label_visibility="collapsed"))
        lowercase = st.checkbox(
            "Lower-case every item",
            value=True,
            key="word_list_lowercase",
            help="GloVe, Word2Vec, FastText, count and TF-IDF know only lower-case words; "
            "they look up 'King' as 'king' either way. MiniLM lower-cases by itself.",
        )
        try:
            word_list = _read_source(source, lowercase)
        except wordlists.WordListError as error:
            st.error(str(error))
            word_list = wordlists.WordList([], [])
        st.session_state[WORD_LIST_KEY] = word_list
        word_list = current_word_list()
        _clear_added_items_button()
        groups = len({g for g in word_list.groups if g})
        limit = MAX_ITEMS if source in (ListSource.PRESET, ListSource.TYPED) else MAX_UPLOAD_ITEMS
        st.caption(f"{len(word_list):,} items" + (f" in {groups} groups" if groups else "") + f" (limit {limit:,}).")
        for note in word_list.notes:
            st.warning(note)
    return word_list


def corpus_sidebar() -> Corpus | None:
    """The training corpus for count, TF-IDF, Word2Vec and FastText: bundled, or the user's own file."""
    with st.sidebar.expander("Training corpus"):
        st.caption(
            "Count, TF-IDF, Word2Vec and FastText learn from a corpus: by default a Wikipedia sample "
            "of about 450,000 words. Upload plain text to train them on your own (blank lines "
            "separate documents; otherwise each line is one). Training takes seconds to minutes."
        )
        upload = st.file_uploader("Your own corpus (.txt)", type=["txt"], key="corpus_upload")
        corpus = None
        if upload is not None:
            try:
                corpus, notes = remembered("corpus", (upload.file_id,),
                                           lambda: _corpus_from_upload(upload.getvalue(), upload.name))
                for note in notes:
                    st.warning(note)
                st.text(corpus.describe())
            except (wordlists.WordListError, CorpusError) as error:
                st.error(str(error))
    st.session_state[CORPUS_KEY] = corpus
    return corpus


def current_corpus() -> Corpus | None:
    """The user's own corpus, or None for the bundled Wikipedia sample."""
    return st.session_state.get(CORPUS_KEY)


def _corpus_from_upload(data: bytes, filename: str) -> tuple[Corpus, list[str]]:
    """The corpus and notes on its decoding; kept per session (an upload never enters a shared cache)."""
    notes: list[str] = []
    with st.spinner("Reading the corpus…"):
        return corpus_from_text(wordlists.decode_upload(data, filename, notes), name=filename), notes


@dataclass(frozen=True)
class ListFilter:
    """Items kept or removed by selecting them on a map, applied on top of the sidebar's list until cleared."""

    keep: frozenset[str] | None = None
    remove: frozenset[str] = frozenset()

    def apply(self, word_list: wordlists.WordList) -> wordlists.WordList:
        rows = [i for i, item in enumerate(word_list.items)
                if (self.keep is None or item in self.keep) and item not in self.remove]
        if len(rows) == len(word_list):
            return word_list
        return wordlists.WordList([word_list.items[i] for i in rows], [word_list.groups[i] for i in rows],
                                  word_list.notes)


def current_word_list() -> wordlists.WordList:
    """The word list chosen in the sidebar (drawn by ``app.py``), plus any added neighbours, minus what a
    selection removed."""
    base = st.session_state.get(WORD_LIST_KEY)
    if base is None:  # a page run on its own, before the sidebar has drawn
        base = wordlists.load_preset(wordlists.DEFAULT_PRESET, lowercase=True)
    added = st.session_state.get(ADDED_ITEMS_KEY) or []
    if added:
        merged = wordlists.clean(list(zip(base.items, base.groups)) + added, max_items=len(base) + len(added))
        # Duplicates between the list and its added neighbours are expected, not worth a note.
        notes = base.notes + [note for note in merged.notes if "duplicate" not in note]
        base = wordlists.WordList(merged.items, merged.groups, notes)
    return list_filter().apply(base)


def list_filter() -> ListFilter:
    return st.session_state.get(LIST_FILTER_KEY) or ListFilter()


def keep_only(items: list[str]) -> None:
    """Keep only ``items`` of the list (a selection on a map) until the filter is cleared."""
    st.session_state[LIST_FILTER_KEY] = ListFilter(keep=frozenset(items))


def remove_items(items: list[str]) -> None:
    """Leave ``items`` out of the list until the filter is cleared."""
    current = list_filter()
    st.session_state[LIST_FILTER_KEY] = ListFilter(current.keep, current.remove | frozenset(items))


def add_items(items: list[str], group: str) -> None:
    """Add items (e.g. a word's neighbours) to the current list until cleared."""
    added = st.session_state.setdefault(ADDED_ITEMS_KEY, [])
    added.extend((item, group) for item in items)


def _read_source(source: ListSource, lowercase: bool) -> wordlists.WordList:
    if source == ListSource.PRESET:
        name = st.selectbox("Preset", wordlists.preset_names(), format_func=wordlists.preset_title, key=keys.LIST_PRESET)
        return wordlists.load_preset(name, lowercase)
    if source == ListSource.VECTORS:
        return _rows_of_uploaded_vectors()
    if source == ListSource.TYPED:
        st.session_state.setdefault(keys.LIST_TEXT, "king\nqueen\nman\nwoman")  # a link may have set it first
        text = st.text_area("Items", height=200, key=keys.LIST_TEXT, help=TEXT_HELP)
        return wordlists.parse_text(text, lowercase)
    upload = st.file_uploader(
        "A .txt, .csv or .tsv file",
        type=["txt", "csv", "tsv"],
        key="word_list_upload",
        help=f"CSV or TSV: a `word` column and an optional `group` column. TXT: like typed text. Up to {MAX_UPLOAD_ITEMS:,} "
        "items. Text that is not UTF-8 is read as Windows-1252, with a note.",
    )
    if upload is None:
        st.info("Choose a file; until then the list is empty.")
        return wordlists.WordList([], [])
    return wordlists.parse_upload(upload.getvalue(), upload.name, lowercase)


def _rows_of_uploaded_vectors() -> wordlists.WordList:
    """The words of one of this session's vectors files: all, the first N or a random sample."""
    methods = uploaded_methods()
    name = st.selectbox("Vectors file", list(methods), format_func=lambda n: methods[n].filename, key="word_list_vectors")
    vector_set = methods[name].vector_set
    rows = st.radio("Rows", list(VECTOR_ROWS), format_func=VECTOR_ROWS.get, horizontal=True, key="word_list_vector_rows")
    count = len(vector_set.words)
    if rows != "all":
        count = int(st.number_input("N", 1, min(count, MAX_UPLOAD_ITEMS), min(count, 1000), key="word_list_vector_count"))
    columns = [] if vector_set.metadata is None else [str(c) for c in vector_set.metadata.columns]
    colour = st.selectbox("Colour by", [None, *columns], format_func=lambda c: c or "(nothing)",
                          key="word_list_vector_colour")
    return wordlists.from_vector_set(vector_set, rows, count, group_column=colour)


def _clear_added_items_button() -> None:
    added = st.session_state.get(ADDED_ITEMS_KEY) or []
    if added and st.button(f"Remove the {len(added)} added neighbours", key="clear_added_items"):
        st.session_state[ADDED_ITEMS_KEY] = []
        st.rerun()
    if list_filter() != ListFilter() and st.button("Show the whole list again", key="clear_list_filter",
                                                   help="Undo keeping or removing a selection."):
        st.session_state[LIST_FILTER_KEY] = ListFilter()
        st.rerun()


def word_list_shareable() -> bool:
    """Whether a link can carry the current list: a preset, or a short typed list."""
    source = list_source()
    if list_filter() != ListFilter():
        return False
    return source == ListSource.PRESET or (source == ListSource.TYPED and linkable_words(current_word_list().items))
