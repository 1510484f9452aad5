"""Wikipedia passages (the sample inside gensim) and the sentence preset, on the real data."""

import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inputs import passages, wordlists
from inputs.passages import (
    ARTICLE_COUNT,
    MARKUP,
    MAX_PASSAGE_CHARACTERS,
    MAX_PASSAGE_WORDS,
    MIN_PASSAGE_WORDS,
    Passage,
    chunk_text,
    clean_wiki_text,
    split_sentences,
    wikipedia_passages,
)
from settings import MAX_ITEM_CHARACTERS


@pytest.fixture(scope="module")
def found() -> list[Passage]:
    return wikipedia_passages()


def test_ten_articles_give_between_one_and_three_thousand_passages(found):
    assert 1000 <= len(found) <= 3000
    counts = {article: sum(p.article == article for p in found) for article in {p.article for p in found}}
    assert len(counts) == ARTICLE_COUNT
    assert max(counts.values()) <= passages.MAX_PASSAGES_PER_ARTICLE
    assert {"Abraham Lincoln", "Aristotle", "Amphibian"} <= set(counts)


def test_every_passage_is_plain_prose_within_the_limits(found):
    assert MAX_PASSAGE_CHARACTERS <= MAX_ITEM_CHARACTERS
    for passage in found:
        assert MIN_PASSAGE_WORDS <= len(passage.text.split()) <= MAX_PASSAGE_WORDS, passage
        assert len(passage.text) <= MAX_PASSAGE_CHARACTERS, passage
        assert not any(mark in passage.text for mark in MARKUP), passage
        assert passage.text == " ".join(passage.text.split()), passage  # no tabs or newlines: the TSV cache relies on it
    assert len({p.text for p in found}) == len(found)


def test_order_is_by_article_then_position_and_repeatable(found):
    articles = [p.article for p in found]
    assert articles == sorted(articles)
    assert wikipedia_passages() == found
    assert found[articles.index("Abraham Lincoln")].text.startswith("Abraham Lincoln (February 12, 1809")


def test_the_disk_cache_round_trips_and_is_ignored_when_stale(found, tmp_path, monkeypatch):
    monkeypatch.setenv("EMBEDDING_EXPLORER_CACHE", str(tmp_path))
    cache = tmp_path / passages.CACHE_FILE
    assert passages._load_passages() == found  # no file: parsed afresh, then written
    assert cache.exists() and not list(tmp_path.glob("*.partial"))
    assert cache.read_text(encoding="utf-8").startswith(passages._cache_header() + "\nAbraham Lincoln\t")
    assert passages._read_cache(cache) == found
    assert passages._load_passages() == found  # read back from the file

    written = cache.read_text(encoding="utf-8")
    cache.write_text(written.replace("max_words=", "max_words=9", 1), encoding="utf-8")
    assert passages._read_cache(cache) is None  # built with other settings: parsed again
    cache.write_text(passages._cache_header() + "\nno tab here\n", encoding="utf-8")
    assert passages._read_cache(cache) is None  # damaged: parsed again
    cache.write_bytes(b"\xff\xfe\x00")
    assert passages._read_cache(cache) is None


def test_concurrent_first_calls_parse_once(monkeypatch, found):
    calls = []
    monkeypatch.setattr(passages, "_passages", None)
    monkeypatch.setattr(passages, "_load_passages", lambda: calls.append(1) or found)
    results = []
    threads = [threading.Thread(target=lambda: results.append(wikipedia_passages())) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == [1] and all(r == found for r in results)


def test_the_passages_are_a_preset(found):
    names = wordlists.preset_names()
    assert names[-1] == "wikipedia_passages"
    assert wordlists.preset_title("wikipedia_passages") == "Wikipedia passages (10 articles)"
    preset = wordlists.load_preset("wikipedia_passages")
    assert preset.items == [p.text for p in found] and preset.groups == [p.article for p in found]
    assert preset.notes == []
    lowered = wordlists.load_preset("wikipedia_passages", lowercase=True)
    assert lowered.items == [p.text.lower() for p in found]


def test_the_sentence_preset_has_about_a_hundred_sentences_on_clear_topics():
    preset = wordlists.load_preset("sentences_topics")
    assert len(preset) >= 90 and len(set(preset.groups)) >= 5
    assert all(len(item.split()) >= 4 and item[-1] in ".!?" for item in preset.items)
    group = preset.group_of()
    assert group["The cat sat on the mat."] == "animals"
    assert group["She opened a savings account at the bank."] == "finance"
    assert group["They had a picnic on the bank of the river."] != "finance"
    assert "Owls hunt mice at night, guided by sound." in group  # commas inside a quoted CSV cell


def test_cleaning_keeps_prose_and_drops_markup_and_link_sections():
    text = "\n".join([
        "'''Alabama''' () is a state. It is bordered by ''Tennessee'' (; born 1900, ) to the north.",
        "==History==",
        "* a list item that is long enough to matter but is still a list item, not a paragraph.",
        "{| class=wikitable",
        "| a table cell |",
        "File:Map.jpg|A caption of a picture.",
        "Grave marker for Rand|alt=A gravestone.",
        "Map showing the territories",
        "The state grew.The civil rights movement began.",
        "==See also==",
        "Anything after the links sections is dropped, even prose.",
    ])
    assert clean_wiki_text(text) == [
        "Alabama is a state. It is bordered by Tennessee (born 1900) to the north.",
        "The state grew. The civil rights movement began.",
    ]


def test_sentences_split_at_full_stops_but_not_after_abbreviations():
    text = 'The U.S. Congress met in St. Louis. "It rained." Then it stopped! Did it? Yes 2 times.'
    assert split_sentences(text) == [
        "The U.S. Congress met in St. Louis.", '"It rained."', "Then it stopped!", "Did it?", "Yes 2 times.",
    ]


def test_a_paragraph_just_over_the_limit_is_cut_into_halves_not_a_scrap():
    sentence = "This sentence has exactly ten words in it, you see. "
    chunks = chunk_text(sentence * 13, max_words=120)  # 130 words
    assert [len(c.split()) for c in chunks] == [70, 60]


#: No example database written into the repository, as in test_vectorfiles.py.
PROPERTY_SETTINGS = settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=30)
prose = st.lists(
    st.tuples(words, st.sampled_from(["", ".", "!", "?", ",", '."'])).map(lambda pair: pair[0] + pair[1]),
    max_size=400,
).map(" ".join)


@PROPERTY_SETTINGS
@given(prose, st.integers(min_value=1, max_value=150), st.integers(min_value=40, max_value=1000))
def test_chunks_stay_within_the_limits_and_lose_no_word(text, max_words, max_characters):
    """Words up to 32 characters: none is long enough to be cut, so the words come back as they were."""
    chunks = chunk_text(text, max_words, max_characters)
    assert all(chunk and len(chunk.split()) <= max_words and len(chunk) <= max_characters for chunk in chunks)
    assert " ".join(chunks).split() == text.split()


@settings(PROPERTY_SETTINGS, max_examples=100)
@given(st.text(max_size=3000), st.integers(min_value=1, max_value=50), st.integers(min_value=1, max_value=200))
def test_any_text_is_chunked_within_the_limits_losing_no_character(text, max_words, max_characters):
    chunks = chunk_text(text, max_words, max_characters)
    assert all(chunk and len(chunk.split()) <= max_words and len(chunk) <= max_characters for chunk in chunks)
    assert "".join("".join(chunks).split()) == "".join(text.split())


@settings(PROPERTY_SETTINGS, max_examples=100)
@given(st.text(max_size=2000))
def test_sentences_join_back_to_the_text(text):
    single_spaced = " ".join(text.split())
    assert " ".join(split_sentences(single_spaced)) == single_spaced


@PROPERTY_SETTINGS
@given(st.lists(st.text(max_size=200), max_size=20).map("\n".join))
def test_cleaned_paragraphs_never_hold_markup(text):
    for paragraph in clean_wiki_text(text):
        assert paragraph and not any(mark in paragraph for mark in MARKUP)
        assert "\n" not in paragraph and "\t" not in paragraph
