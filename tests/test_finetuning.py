"""Fine-tuning MiniLM on the topic sentences, and Word2Vec continued on a corpus of its own: real models."""

from collections import Counter

import numpy as np
import pytest

import embedders
from embedders.corpus import corpus_from_text
from finetuning import sentences, word2vec
from finetuning.sentences import LabelledSetError


def test_the_topic_sentences_split_by_label_the_same_way_each_time():
    data = sentences.topic_sentences()
    first, again = sentences.split(data), sentences.split(data)
    assert np.array_equal(first.train, again.train) and np.array_equal(first.held_out, again.held_out)
    assert not set(first.train) & set(first.held_out)
    assert len(first.train) + len(first.held_out) == len(data)
    for label in set(data.labels):
        held = sum(data.labels[i] == label for i in first.held_out)
        total = data.labels.count(label)
        assert 1 <= held < total and abs(held - total * sentences.HELD_OUT_SHARE) <= 1


def test_an_uploaded_csv_needs_text_and_labels_and_drops_rare_labels():
    rows = [f"sentence number {i} about cats,cats" for i in range(5)] + \
           [f"sentence number {i} about money,money" for i in range(4)] + ["a lone one,rare", "no label here,"]
    data = sentences.labelled_set_from_upload(("text,label\n" + "\n".join(rows)).encode(), "mine.csv")
    assert sorted(set(data.labels)) == ["cats", "money"] and len(data) == 9
    assert any("without a label" in note for note in data.notes)
    assert any("rare" in note for note in data.notes)
    with pytest.raises(LabelledSetError, match="at least two labels"):
        sentences.labelled_set_from_upload(b"text,label\n" + b"\n".join(b"s %d,one" % i for i in range(9)), "a.csv")
    with pytest.raises(LabelledSetError, match=".csv"):
        sentences.labelled_set_from_upload(b"text,label\n", "notes.txt")


def test_large_sets_are_cut_to_a_stratified_sample():
    texts = [f"item {i}" for i in range(sentences.MAX_ITEMS * 2)]
    labels = ["a" if i % 4 else "b" for i in range(len(texts))]
    data = sentences.labelled_set(texts, labels, "big")
    assert len(data) == sentences.MAX_ITEMS
    assert data.labels.count("b") == sentences.MAX_ITEMS // 4
    assert any("stratified sample" in note for note in data.notes)


@pytest.fixture(scope="module")
def tuned(minilm):
    """One fine-tuning of the topic sentences, by epochs (no time budget), with a fixed seed."""
    data = sentences.topic_sentences()
    held = [data.texts[i] for i in sentences.split(data).held_out]
    shared_before = minilm.embed_sentences(held).vectors.copy()
    messages = []
    result = sentences.fine_tune(data, epochs=2, budget_seconds=float("inf"), seed=0,
                                 progress=lambda fraction, message: messages.append((fraction, message)))
    return data, held, shared_before, result, messages


def test_fine_tuning_raises_held_out_accuracy_and_silhouette(tuned):
    data, held, _, result, messages = tuned
    print(f"{result.seconds:.0f} s; accuracy {result.scores_before.accuracy:.3f} -> {result.scores_after.accuracy:.3f}; "
          f"silhouette {result.scores_before.silhouette:.3f} -> {result.scores_after.silhouette:.3f}")
    assert len(result.split.train) == 61 and len(result.split.held_out) == 41 == len(held)
    assert result.epochs_run == 2 and not result.stopped_by_budget
    assert result.scores_after.accuracy > result.scores_before.accuracy
    assert result.scores_after.silhouette > result.scores_before.silhouette
    assert result.losses[-1] < result.losses[0]
    assert any("Epoch 2 of 2" in message for _, message in messages)
    fractions = [fraction for fraction, _ in messages]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0


def test_the_session_copy_never_reaches_the_shared_model(tuned, minilm):
    _, held, shared_before, result, _ = tuned
    from embedders.minilm import sentence_transformer

    assert result.model is not sentence_transformer()
    # What any other session embeds with the shared model is what it was before fine-tuning.
    assert np.allclose(minilm.embed_sentences(held).vectors, shared_before, atol=1e-5)
    # The copy's untuned vectors were the shared model's; its tuned ones moved.
    assert np.allclose(result.before, shared_before, atol=1e-4)
    assert not np.allclose(result.after, shared_before, atol=1e-2)
    assert np.allclose(sentences.encode(result.model, held), result.after, atol=1e-5)


@pytest.mark.slow
def test_the_time_budget_stops_training_and_says_so(minilm):
    data = sentences.topic_sentences()
    result = sentences.fine_tune(data, epochs=50, budget_seconds=20.0)
    assert result.stopped_by_budget and result.batches_run < result.batches_planned
    # A batch or two of slack: a batch starts only when the last batch's length still fits.
    assert result.seconds < 20.0 + 30.0


@pytest.fixture(scope="module")
def news_corpus():
    """Real text of another domain: the Lee news corpus that ships with gensim (Australian news, 2001)."""
    from gensim.test.utils import datapath

    with open(datapath("lee_background.cor"), encoding="utf-8") as file:
        return corpus_from_text(file.read(), name="lee_background.cor")


@pytest.mark.slow
def test_word2vec_continued_on_a_corpus_changes_its_words_and_nothing_shared(news_corpus, skipgram):
    base = word2vec.base_model()
    base_vectors = base.wv.vectors.copy()
    shared_vectors = skipgram.keyed_vectors.vectors.copy()
    result = word2vec.continue_training(news_corpus)

    assert result.words_trained == news_corpus.token_count and result.vocabulary > result.base_vocabulary
    # Corpus-specific words: some kept few of their neighbours, and what they have now comes from the news.
    changed = result.changed[0]
    assert changed.kept < word2vec.TOP_NEIGHBOURS // 2
    counts = Counter(word for document in news_corpus.documents for word in document)
    corpus_words = set(counts)
    # The new neighbours are the news's words: taken over the table, far more frequent there than the old ones.
    assert sum(counts[w] for row in result.changed for w in row.after) > 2 * sum(
        counts[w] for row in result.changed for w in row.before)
    continued = result.vectors
    assert not np.allclose(continued[changed.word], base.wv[changed.word])
    # A word the news never uses gets no update of its own vector.
    absent = next(word for word in base.wv.index_to_key if word not in corpus_words)
    assert np.array_equal(continued[absent], base.wv[absent])
    assert result.new_words and all(row.word not in base.wv.key_to_index for row in result.new_words)
    # The process's base model and the shared skip-gram embedder are as they were.
    assert np.array_equal(base.wv.vectors, base_vectors) and len(base.wv) == result.base_vocabulary
    assert np.array_equal(skipgram.keyed_vectors.vectors, shared_vectors)
    assert embedders.get("word2vec-skipgram") is skipgram


@pytest.mark.slow
def test_the_base_model_read_back_from_its_arrays_is_the_trained_one():
    base = word2vec.base_model()
    path = word2vec.base_path()
    assert path.exists()
    again = word2vec._read_base(path)
    assert again.wv.index_to_key and set(again.wv.index_to_key) == set(base.wv.index_to_key)
    for word in base.wv.index_to_key[:: max(1, len(base.wv) // 500)]:
        assert np.array_equal(again.wv[word], base.wv[word])
        assert np.array_equal(again.syn1neg[again.wv.get_index(word)], base.syn1neg[base.wv.get_index(word)])
