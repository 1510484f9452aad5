"""The inside of MiniLM on the real packaged model: tokens, contextual vectors, attention, and their charts."""

import json

import numpy as np
import pytest

from charts.transformer import attention_bars, attention_heatmap, context_scatter, token_chips_html, word_chips_html
from common.vectors import pairwise_cosine
from transformer_inside import model
from transformer_inside.attention import attention, merge_word_pieces
from transformer_inside.context import contextual_vectors, parse_sentences, sense_similarity
from transformer_inside.presets import ATTENTION_EXAMPLE, CONTEXT_PRESETS, RARE_WORDS_EXAMPLE
from transformer_inside.tokens import decode, tokenize

pytestmark = pytest.mark.slow  # MiniLM's model (torch) is loaded


@pytest.fixture(scope="module", autouse=True)
def transformer():
    model.load()


@pytest.fixture(scope="module")
def bank():
    return contextual_vectors("bank", CONTEXT_PRESETS["bank"])


# --- tokens ----------------------------------------------------------------


def test_a_rare_word_splits_into_pieces_and_its_ids_decode_back():
    tokenization = tokenize("otorhinolaryngologist")
    pieces = tokenization.text_pieces
    assert len(pieces) > 2
    assert not pieces[0].continuation and all(piece.continuation for piece in pieces[1:])
    assert {piece.word for piece in pieces} == {0}
    assert tokenization.split_words() == {"otorhinolaryngologist": [piece.text for piece in pieces]}
    assert decode(tokenization.ids) == "otorhinolaryngologist"


def test_embeddings_splits_as_the_seed_texts_say_and_a_sentence_round_trips():
    tokenization = tokenize("Embeddings turn words into vectors.")
    assert tokenization.split_words() == {"Embeddings": ["em", "##bed", "##ding", "##s"]}
    assert decode(tokenization.ids) == "embeddings turn words into vectors."


def test_special_tokens_are_marked_and_counted_apart_from_the_text():
    tokenization = tokenize("A river bank.")
    assert [p.text for p in tokenization.pieces if p.special] == ["[CLS]", "[SEP]"]
    assert tokenization.pieces[0].special and tokenization.pieces[-1].special
    assert tokenization.pieces[0].word is None
    assert len(tokenization.pieces) == len(tokenization.text_pieces) + 2


def test_rare_words_make_more_pieces_than_words():
    tokenization = tokenize(RARE_WORDS_EXAMPLE)
    assert len(tokenization.text_pieces) > len(tokenization.plain_words) + 5
    assert len(tokenization.split_words()) >= 3


def test_the_plain_split_keeps_words_and_drops_punctuation():
    assert tokenize("Don't stop, bank-holiday!").plain_words == ["Don't", "stop", "bank", "holiday"]


def test_empty_text_still_has_the_special_tokens():
    tokenization = tokenize("")
    assert [p.text for p in tokenization.pieces] == ["[CLS]", "[SEP]"]
    assert tokenization.words == [] and tokenization.plain_words == [] and tokenization.cut == 0


def test_punctuation_only_gives_pieces_but_no_plain_words():
    tokenization = tokenize("?!...")
    assert len(tokenization.text_pieces) >= 2
    assert tokenization.plain_words == []


def test_emoji_become_unk_and_keep_their_original_characters():
    tokenization = tokenize("I love 🙂 and 🚀")
    assert [p.text for p in tokenization.pieces if p.unknown] == ["[UNK]", "[UNK]"]
    assert tokenization.unknown_words() == ["🙂", "🚀"]


def test_non_latin_scripts_are_spelled_not_unknown():
    for text in ("Привет мир", "日本語のテキスト", "مرحبا بالعالم"):
        tokenization = tokenize(text)
        assert tokenization.text_pieces, text
        assert not tokenization.unknown_words(), text


def test_words_keep_case_and_accents_while_pieces_are_normalised():
    tokenization = tokenize("Naïve Café")
    assert tokenization.words == ["Naïve", "Café"]
    assert [p.text for p in tokenization.text_pieces] == ["naive", "cafe"]


def test_very_long_text_is_cut_at_the_model_length_and_says_how_much():
    tokenization = tokenize("word " * 600)
    assert len(tokenization.pieces) == model.max_tokens() == 512
    assert tokenization.pieces[-1].text == "[SEP]"
    assert tokenization.cut == 600 - 510
    assert "90" in tokenization.notes[0]


def test_sessions_tokenizing_at_once_keep_their_own_truncation():
    from concurrent.futures import ThreadPoolExecutor

    long_text = "word " * 600

    def cut_lengths(i: int) -> tuple[int, int]:
        if i % 2:
            tokenization = tokenize(long_text)
            return len(tokenization.pieces), tokenization.cut
        return int(model.encode(["a", long_text])["input_ids"].shape[1]), 90

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(cut_lengths, range(400)))
    assert set(results) == {(512, 90)}


# --- context ---------------------------------------------------------------


def test_bank_by_the_river_is_closer_to_bank_by_the_river_than_to_bank_for_money(bank):
    senses = [o.sense for o in bank.occurrences]
    river = [i for i, s in enumerate(senses) if s == "river"]
    money = [i for i, s in enumerate(senses) if s == "money"]
    similarities = pairwise_cosine(bank.at_layer(bank.layers))
    first, second = river[:2]
    across = [similarities[r, m] for r in (first, second) for m in money]
    assert similarities[first, second] > max(across)


def test_one_point_per_occurrence_with_a_vector_per_layer(bank):
    assert bank.layers == 6
    assert bank.vectors.shape == (7, len(CONTEXT_PRESETS["bank"]), 384)
    assert not bank.skipped
    twice = contextual_vectors("bank", [("", "The bank of the river is not a bank for money.")])
    assert len(twice.occurrences) == 2
    # Same word, same sentence, different positions and neighbours: different vectors.
    assert pairwise_cosine(twice.at_layer(6))[0, 1] < 0.99


@pytest.mark.parametrize("target", list(CONTEXT_PRESETS))
def test_senses_separate_with_depth_in_every_preset(target):
    table = sense_similarity(contextual_vectors(target, CONTEXT_PRESETS[target])).set_index("layer")
    gap = table["within senses"] - table["between senses"]
    assert gap[6] > 0
    assert gap[6] > gap[0]
    assert table.loc[6, "between senses"] < table.loc[0, "between senses"]


def test_the_last_layer_matches_the_sentence_transformers_token_vectors(minilm):
    from embedders.minilm import sentence_transformer

    sentence = "We sat on the bank of the river."
    ours = contextual_vectors("river", [("", sentence)]).at_layer(6)[0]
    theirs = sentence_transformer().encode(sentence, output_value="token_embeddings", convert_to_numpy=True)
    position = [p.text for p in tokenize(sentence).pieces].index("river")
    assert np.allclose(ours, np.asarray(theirs)[position], atol=1e-4)


def test_a_word_split_into_pieces_is_the_mean_of_its_pieces():
    result = contextual_vectors("embeddings", [("", "Embeddings are useful.")])
    assert result.occurrences[0].pieces == ("em", "##bed", "##ding", "##s")
    assert result.occurrences[0].word == "Embeddings"


def test_sentences_without_the_target_are_skipped_with_a_reason():
    result = contextual_vectors("bank", [
        ("river", "The river bank flooded."),
        ("money", "The banks closed early."),
        ("money", "Nothing to see here."),
    ])
    assert [o.sentence_index for o in result.occurrences] == [0]
    reasons = {s.sentence_index: s.reason for s in result.skipped}
    assert set(reasons) == {1, 2}
    assert "inside other words" in reasons[1] and "banks" in reasons[1]
    assert "No word" in reasons[2]


def test_a_target_after_the_cut_is_skipped_and_the_cut_is_reported():
    result = contextual_vectors("bank", [("", "word " * 600 + "bank")])
    assert not result.occurrences
    assert "cut" in result.skipped[0].reason
    assert "91" in result.notes[0]


def test_the_target_must_be_one_word():
    for bad in ("", "   ", "river bank", "don't"):
        with pytest.raises(ValueError):
            contextual_vectors(bad, [("", "The river bank.")])


def test_odd_sentences_do_not_crash_and_matching_ignores_case_and_accents():
    result = contextual_vectors("cafe", [("", ""), ("", "!!!"), ("", "🙂🙂"), ("", "Кафе"), ("", "Le CAFÉ est ouvert.")])
    assert [o.word for o in result.occurrences] == ["CAFÉ"]
    assert len(result.skipped) == 4
    assert result.vectors.shape == (7, 1, 384)
    empty = contextual_vectors("bank", [])
    assert empty.vectors.shape == (7, 0, 384) and not empty.occurrences


def test_sense_similarity_leaves_unlabelled_sentences_out():
    result = contextual_vectors("bank", [("", "The bank opened."), ("", "The river bank.")])
    table = sense_similarity(result)
    assert len(table) == 7
    assert table["within senses"].isna().all() and table["between senses"].isna().all()


def test_parse_sentences_reads_senses_and_drops_blank_lines():
    assert parse_sentences("river | The bank.\n\n  \nNo sense here, but a comma | and a bar\nplain") == [
        ("river", "The bank."), ("No sense here, but a comma", "and a bar"), ("", "plain")
    ]


# --- attention -------------------------------------------------------------


def test_attention_rows_sum_to_one_for_every_layer_and_head():
    result = attention(ATTENTION_EXAMPLE)
    n = len(result.tokenization.pieces)
    assert result.weights.shape == (model.layer_count(), model.head_count(), n, n) == (6, 12, n, n)
    assert len(result.labels) == n
    assert np.allclose(result.weights.sum(axis=-1), 1.0, atol=1e-4)
    assert (result.weights >= 0).all()
    assert np.allclose(result.matrix(0).sum(axis=-1), 1.0, atol=1e-4)


def test_merging_pieces_gives_words_whose_rows_still_sum_to_one():
    pieces = attention("Embeddings are unbelievably useful")
    words = merge_word_pieces(pieces)
    assert words.labels == ["[CLS]", "Embeddings", "are", "unbelievably", "useful", "[SEP]"]
    assert words.weights.shape == (6, 12, 6, 6)
    assert np.allclose(words.weights.sum(axis=-1), 1.0, atol=1e-4)
    # Attention to "Embeddings" is the sum over its four pieces, from it the mean of their rows.
    layer, head = 2, 5
    to_word = pieces.weights[layer, head, 5, 1:5].sum()
    assert words.weights[layer, head, 2, 1] == pytest.approx(to_word, abs=1e-5)
    from_word = pieces.weights[layer, head, 1:5, 5].mean()
    assert words.weights[layer, head, 1, 2] == pytest.approx(from_word, abs=1e-5)


@pytest.mark.parametrize("text", ["", "?!", "🙂 🚀", "日本語のテキスト"])
def test_attention_on_odd_input_has_the_right_shape(text):
    result = attention(text)
    n = len(result.tokenization.pieces)
    assert result.weights.shape == (6, 12, n, n)
    assert np.allclose(result.weights.sum(axis=-1), 1.0, atol=1e-4)
    assert np.allclose(merge_word_pieces(result).weights.sum(axis=-1), 1.0, atol=1e-4)


def test_attention_on_very_long_input_is_cut_at_the_model_length():
    result = attention("word " * 600)
    assert result.weights.shape[-1] == 512
    assert result.tokenization.cut == 90


# --- charts ------------------------------------------------------------------


def test_token_chips_escape_user_text():
    tokenization = tokenize("<script>alert(1)</script> <b>bold</b>")
    html = token_chips_html(tokenization.pieces, tokenization.words)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;" in html and html.count("class='token-chip ") == len(tokenization.pieces)
    plain = word_chips_html(["<img src=x onerror=alert(1)>"], [True])
    assert "<img" not in plain and "&lt;img" in plain


def test_charts_escape_user_text_in_labels_and_hover():
    labels = ["[CLS]", "<b>x</b>", "[SEP]"]
    heatmap = json.dumps(attention_heatmap(np.full((3, 3), 1 / 3), labels).to_plotly_json(), default=str)
    bars = json.dumps(attention_bars(np.full(3, 1 / 3), labels, 1).to_plotly_json(), default=str)
    scatter = json.dumps(
        context_scatter(np.zeros((1, 2)), ["<a href='x'>link</a> bank"], ["<i>sense</i>"], [1], title="<b>t</b>")
        .to_plotly_json(), default=str,
    )
    for spec in (heatmap, bars, scatter):
        assert "<b>x" not in spec and "<a href" not in spec and "<i>" not in spec
    with pytest.raises(ValueError):
        attention_heatmap(np.zeros((2, 2)), labels)
