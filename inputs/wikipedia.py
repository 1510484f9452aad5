"""The Wikipedia sample that ships inside gensim (106 articles), read without a network.

The training corpus (embedders/corpus.py) and the passages (inputs/passages.py) are both cut from it.
"""

from __future__ import annotations

from collections.abc import Iterator

#: gensim's test data file; its name is part of the fingerprints of what is measured on it.
WIKIPEDIA_SAMPLE_FILE = "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"


def wikipedia_sample_articles() -> Iterator[tuple[str, str, str]]:
    """The sample's pages of articles (namespace 0) as ``(title, wiki markup, page id)``, in file order.

    Read in this process: gensim's ``WikiCorpus`` forks a ``multiprocessing.Pool`` even for one process,
    and forking a Streamlit server whose other threads hold locks can leave the pool's worker hung (seen
    in CI: "Reading the corpus…" forever).
    """
    import bz2

    from gensim.corpora.wikicorpus import extract_pages
    from gensim.test.utils import datapath

    with bz2.open(datapath(WIKIPEDIA_SAMPLE_FILE)) as dump:
        yield from extract_pages(dump, filter_namespaces=("0",))
