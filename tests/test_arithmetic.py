"""Word arithmetic core: analogies, the analogy benchmark, semantic axes and similarity matrices."""

import json
import re

import numpy as np
import pytest

import embedders
from arithmetic import why_trivial
from arithmetic.analogies import ANALOGY_PRESETS, AnalogyError, analogy_picture, solve_analogy
from arithmetic.axes import (
    AXIS_PRESETS,
    AxisError,
    axis_direction,
    parse_words,
    place_on_axes,
    residual_pca_direction,
)
from arithmetic.benchmark import evaluate_analogies, load_questions, section_names
from arithmetic.similarity import cluster_order, similarity_matrix
from charts.arithmetic import analogy_chart, axes_chart, similarity_heatmap
from common.vectors import pairwise_cosine, unit_rows

CAPITALS = "capital-common-countries"


# --- analogies -------------------------------------------------------------
def test_king_minus_man_plus_woman_is_queen(glove):
    answer = solve_analogy(glove, "man", "king", "woman")
    assert answer.answer == "queen"
    assert answer.candidates[0].word == "queen"
    assert not any(candidate.is_input for candidate in answer.candidates)


def test_paris_minus_france_plus_japan_gives_tokyo_in_top_3(glove):
    answer = solve_analogy(glove, "france", "paris", "japan", topn=3)
    assert "tokyo" in [candidate.word for candidate in answer.candidates]


def test_answer_is_the_word_nearest_to_b_minus_a_plus_c(glove):
    """The phrasing "a is to b as c is to ?" maps to b − a + c; checked against a plain numpy search."""
    answer = solve_analogy(glove, "paris", "france", "tokyo")
    kv = glove.keyed_vectors
    unit = {w: kv.get_vector(w) / np.linalg.norm(kv.get_vector(w)) for w in ("paris", "france", "tokyo")}
    np.testing.assert_allclose(answer.target, unit["france"] - unit["paris"] + unit["tokyo"], rtol=1e-5)
    similarities = kv.get_normed_vectors() @ (answer.target / np.linalg.norm(answer.target))
    for word in ("paris", "france", "tokyo"):
        similarities[kv.key_to_index[word]] = -np.inf
    assert answer.answer == kv.index_to_key[int(np.argmax(similarities))] == "japan"


def test_inputs_can_compete_when_asked(glove):
    excluded = solve_analogy(glove, "man", "king", "woman", topn=5)
    included = solve_analogy(glove, "man", "king", "woman", topn=5, include_inputs=True)
    # Without gensim's rule, "king" itself is closer to king − man + woman than queen is.
    assert included.candidates[0].word == "king" and included.candidates[0].is_input
    assert included.answer == "queen"
    queen = {c.word: c.cosine for c in excluded.candidates}["queen"]
    assert {c.word: c.cosine for c in included.candidates}["queen"] == pytest.approx(queen, abs=1e-5)


def test_presets_behave_as_their_notes_say(glove):
    by_expected = {preset.expected: preset for preset in ANALOGY_PRESETS}
    for expected in ("queen", "japan"):
        preset = by_expected[expected]
        assert solve_analogy(glove, preset.a, preset.b, preset.c).answer == expected
    bigger = by_expected["smaller"]
    words = [c.word for c in solve_analogy(glove, bigger.a, bigger.b, bigger.c, topn=5).candidates]
    assert words.index("larger") < words.index("smaller")
    swam = by_expected["swam"]
    assert solve_analogy(glove, swam.a, swam.b, swam.c).answer != "swam"


@pytest.mark.slow
def test_analogy_errors_name_the_word_and_the_method(glove):
    with pytest.raises(AnalogyError) as error:
        solve_analogy(glove, "man", "king", "qwzxvbn")
    assert "qwzxvbn" in str(error.value) and glove.title in str(error.value)
    with pytest.raises(AnalogyError, match="Type a word for b"):
        solve_analogy(glove, "man", "  ", "woman")
    minilm = embedders.get("minilm")  # refused before anything loads: no vocabulary to search
    with pytest.raises(AnalogyError, match=re.escape(minilm.title)):
        solve_analogy(minilm, "man", "king", "woman")


def test_analogy_picture_keeps_the_parallelogram(glove):
    answer = solve_analogy(glove, "man", "king", "woman")
    picture = analogy_picture(glove, answer, neighbours=3)
    position = {role: picture.coords[i] for i, role in enumerate(picture.roles) if role != "neighbour"}
    assert set(position) == {"a", "b", "c", "answer"}
    assert picture.roles.count("neighbour") == 12
    # PCA is linear: the projected b − a + c is exactly projected b − a + c.
    np.testing.assert_allclose(picture.target, position["b"] - position["a"] + position["c"], atol=1e-9)
    # The answer lies nearer to b − a + c than the input c does, also in the picture.
    assert np.linalg.norm(position["answer"] - picture.target) < np.linalg.norm(position["c"] - picture.target)


def test_analogy_chart_draws_four_labels_and_two_arrows(glove):
    answer = solve_analogy(glove, "man", "king", "woman")
    picture = analogy_picture(glove, answer)
    figure = analogy_chart(picture.words, picture.roles, picture.coords, picture.target)
    texts = [text for trace in figure.data if trace.text for text in trace.text]
    for word in ("man", "king", "woman", "queen"):
        assert f"<b>{word}</b>" in texts
    assert len(figure.layout.annotations) == 2
    escaped = analogy_chart(["<i>a</i>", "b", "c", "d"], ["a", "b", "c", "answer"], np.eye(4)[:, :2], np.zeros(2))
    assert "<i>" not in json.dumps(escaped.to_plotly_json()["data"])


# --- benchmark -------------------------------------------------------------
@pytest.mark.slow
def test_glove_solves_capitals_far_better_than_small_corpus_word2vec(glove, skipgram):
    glove_score = evaluate_analogies(glove, [CAPITALS]).section(CAPITALS)
    skipgram_score = evaluate_analogies(skipgram, [CAPITALS]).section(CAPITALS)
    assert glove_score.evaluated > skipgram_score.evaluated > 0
    assert glove_score.accuracy > 2 * skipgram_score.accuracy
    assert glove_score.accuracy > skipgram_score.accuracy + 0.3


def test_benchmark_agrees_with_gensim_evaluate_word_analogies(glove, tmp_path):
    questions = tmp_path / "capitals.txt"
    lines = [f": {CAPITALS}", *(" ".join(q) for q in load_questions()[CAPITALS]), ": family",
             *(" ".join(q) for q in load_questions()["family"])]
    questions.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, gensim_sections = glove.keyed_vectors.evaluate_word_analogies(str(questions), restrict_vocab=30_000)
    ours = evaluate_analogies(glove, [CAPITALS, "family"], restrict_vocab=30_000)
    for section in gensim_sections[:2]:
        score = ours.section(section["section"])
        assert score.correct == len(section["correct"])
        assert score.evaluated == len(section["correct"]) + len(section["incorrect"])


def test_benchmark_reports_progress_and_states_the_restriction(glove):
    reports = []
    result = evaluate_analogies(glove, ["family", CAPITALS], restrict_vocab=2_000,
                                progress=lambda fraction, message: reports.append(fraction))
    assert reports == sorted(reports) and reports[-1] == 1.0 and len(reports) >= 4
    assert [s.section for s in result.sections] == ["family", CAPITALS]
    assert result.overall.questions == 1012
    assert result.overall.evaluated < evaluate_analogies(glove, ["family", CAPITALS]).overall.evaluated
    assert "2,000" in result.restriction() and "400,000" in result.restriction()


@pytest.mark.slow
def test_benchmark_refuses_bad_input(glove):
    assert len(section_names()) == 14
    with pytest.raises(ValueError, match="Unknown section"):
        evaluate_analogies(glove, ["no-such-section"])
    with pytest.raises(ValueError, match="no vocabulary"):
        evaluate_analogies(embedders.get("minilm"), [CAPITALS])


# --- semantic axes ---------------------------------------------------------
def test_man_to_woman_axis_puts_queen_right_of_king(glove):
    placed = place_on_axes(glove, ["king", "queen", "prince", "princess"], ["man"], ["woman"])
    x = dict(zip(placed.words, placed.x))
    assert x["queen"] > x["king"]
    assert x["princess"] > x["prince"]


def test_projection_follows_the_stated_formula(glove):
    placed = place_on_axes(glove, ["nurse", "banker"], ["man", "he"], ["woman", "she"], ["poor"], ["rich"])
    unit = {w: v / np.linalg.norm(v) for w, v in ((w, glove.keyed_vectors.get_vector(w))
                                                   for w in ("man", "he", "woman", "she", "nurse", "poor", "rich"))}
    direction = (unit["woman"] + unit["she"]) / 2 - (unit["man"] + unit["he"]) / 2
    assert placed.x[0] == pytest.approx(unit["nurse"] @ direction / np.linalg.norm(direction), abs=1e-5)
    wealth = unit["rich"] - unit["poor"]
    assert placed.axes_cosine == pytest.approx(direction @ wealth / np.linalg.norm(direction) / np.linalg.norm(wealth), abs=1e-5)
    assert placed.y[1] > placed.y[0]  # banker is richer than nurse


def test_pca_y_axis_is_at_right_angles_to_x(glove):
    words = ["walk", "walked", "swim", "swam", "eat", "ate", "go", "went"]
    vectors = unit_rows(glove.embed(words).vectors)
    x_direction = axis_direction(unit_rows(glove.embed(["took", "gave"]).vectors), unit_rows(glove.embed(["take", "give"]).vectors))
    y_direction = residual_pca_direction(vectors, x_direction)
    assert abs(float(x_direction @ y_direction)) < 1e-9
    assert np.linalg.norm(y_direction) == pytest.approx(1.0)


def test_axis_presets_place_their_word_lists(glove):
    from inputs import wordlists

    for preset in AXIS_PRESETS:
        items = wordlists.load_preset(preset.word_list, lowercase=True).items
        placed = place_on_axes(glove, items, parse_words(preset.x_from), parse_words(preset.x_to),
                               parse_words(preset.y_from), parse_words(preset.y_to))
        assert placed.words == items and not placed.missing_end_words
    tenses = place_on_axes(glove, ["walked", "walk", "spoke", "speak"], ["took", "came"], ["take", "come"])
    x = dict(zip(tenses.words, tenses.x))
    assert x["walk"] > x["walked"] and x["speak"] > x["spoke"]


@pytest.mark.slow
def test_axis_errors_are_clear(glove, minilm):
    with pytest.raises(AxisError, match="same words"):
        place_on_axes(glove, ["king"], ["man", "he"], ["he", "Man"])
    with pytest.raises(AxisError, match="at least one word at each end"):
        place_on_axes(glove, ["king"], [], ["woman"])
    with pytest.raises(AxisError, match="at least one word with a vector"):
        place_on_axes(glove, ["king"], ["qwzxvbn"], ["woman"])
    # MiniLM lower-cases inside its tokenizer: "KING" and "king" are one vector, an axis of length zero.
    with pytest.raises(AxisError, match="length zero"):
        place_on_axes(minilm, ["queen"], ["KING"], ["king"])
    partly = place_on_axes(glove, ["king", "qwzxvbn"], ["man", "zzqqxx"], ["woman"])
    assert partly.missing_items == ["qwzxvbn"] and partly.missing_end_words == ["zzqqxx"]


@pytest.mark.slow
def test_minilm_and_onehot_work_on_axes(minilm):
    placed = place_on_axes(minilm, ["king", "queen"], ["man"], ["woman"])
    assert dict(zip(placed.words, placed.x))["queen"] > dict(zip(placed.words, placed.x))["king"]
    onehot = place_on_axes(embedders.get("onehot"), ["king", "queen"], ["man"], ["woman"])
    assert np.allclose(onehot.x, 0)  # the trivial case the page explains
    assert why_trivial("onehot") and why_trivial("count") and why_trivial("glove") is None


# --- similarity ------------------------------------------------------------
def test_similarity_matrix_orders_by_group_and_by_clustering(glove):
    words = ["king", "house", "queen", "building", "prince", "tower"]
    groups = ["royalty", "building", "royalty", "building", "royalty", "building"]
    vectors = glove.embed(words).vectors
    by_group = similarity_matrix(words, vectors, groups, "group")
    assert by_group.words == ["king", "queen", "prince", "house", "building", "tower"]
    original = pairwise_cosine(vectors)
    i, j = words.index("queen"), words.index("tower")
    assert by_group.matrix[1, 5] == pytest.approx(original[i, j])
    np.testing.assert_allclose(np.diag(by_group.matrix), 1.0, atol=1e-6)

    clustered = similarity_matrix(words, vectors, groups, "cluster")
    royal = sorted(clustered.words.index(w) for w in ("king", "queen", "prince"))
    assert royal[-1] - royal[0] == 2  # the royal words end up side by side
    assert sorted(cluster_order(vectors)) == list(range(6))
    with pytest.raises(ValueError):
        similarity_matrix(words, vectors, groups, "alphabetical")


def test_onehot_similarity_is_the_identity():
    words = ["king", "queen", "house"]
    result = embedders.get("onehot").embed(words)
    matrix = similarity_matrix(result.words, result.vectors, order="cluster").matrix
    np.testing.assert_allclose(matrix, np.eye(3))


def test_heatmap_and_axes_chart_escape_user_text():
    words = ["<b>bold</b>", "plain", "<a href='x'>link</a>"]
    figure = similarity_heatmap(words, ["g", "g", "<i>h</i>"], np.eye(3))
    spec = json.dumps(figure.to_plotly_json())
    assert "<b>bold" not in spec and "<a href" not in spec and "<i>h" not in spec
    assert figure.data[0].customdata[0][1] == "&lt;b&gt;bold&lt;/b&gt; (g) · plain (g)"
    axes = axes_chart(words, ["", "", ""], np.arange(3.0), np.arange(3.0), "<b>x</b>", "y")
    assert "<b>x" not in json.dumps(axes.to_plotly_json())
