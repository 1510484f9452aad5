"""Where the map lies: per-point kNN recall, worst-placed items and a found word's true neighbours.

Checked against brute force on real GloVe vectors: every cosine and every map distance computed
with numpy, neighbours by a plain argsort.
"""

import json

import numpy as np
import pytest

from charts.compare import panel
from charts.palette import VALUE_SCALE, group_colours
from charts.scatter import add_neighbour_lines, colour_by_values, scatter_chart
from inputs import wordlists
from projection import neighbour_graph, project
from projection.distortion import (
    exact_search_seconds,
    kept_neighbourhoods,
    knn_recall,
    map_ranks,
    per_point_recall,
    true_neighbours,
    worst_placed,
)
from tests.app_runner import chart_specs, plotly_array, run_app

#: A few hundred real words: GloVe's vocabulary from rank 2,000 on (no stop words, few exact ties).
FIRST, WORDS = 2000, 400


@pytest.fixture(scope="module")
def glove_words(glove):
    words = list(glove.keyed_vectors.index_to_key[FIRST : FIRST + WORDS])
    return words, np.asarray(glove.keyed_vectors.vectors[FIRST : FIRST + WORDS], dtype=np.float64)


@pytest.fixture(scope="module", params=["pca", "tsne"])
def glove_map(request, glove_words):
    words, vectors = glove_words
    return words, vectors, project(vectors, request.param, 2, seed=0)


def brute_force_neighbours(vectors: np.ndarray, coords: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Each point's k nearest others in cosine distance and in map distance, by argsort of every pair."""
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    cosine_distance = 1.0 - unit @ unit.T
    map_distance = np.linalg.norm(coords[:, None, :] - coords[None, :, :], axis=2)
    np.fill_diagonal(cosine_distance, np.inf)
    np.fill_diagonal(map_distance, np.inf)
    return np.argsort(cosine_distance, axis=1)[:, :k], np.argsort(map_distance, axis=1)[:, :k]


def brute_force_recall(vectors: np.ndarray, coords: np.ndarray, k: int) -> np.ndarray:
    original, on_map = brute_force_neighbours(vectors, coords, k)
    return np.array([len(set(a) & set(b)) / k for a, b in zip(original.tolist(), on_map.tolist())])


@pytest.mark.parametrize("k", [1, 5, 12])
def test_per_point_recall_equals_a_brute_force_computation(glove_map, k):
    _, vectors, coords = glove_map
    expected = brute_force_recall(vectors, coords, k)
    recall = per_point_recall(vectors, coords, k)
    np.testing.assert_array_equal(recall, expected)
    # The shared graph (exact, more neighbours than k) gives the very same numbers without a new search.
    np.testing.assert_array_equal(per_point_recall(vectors, coords, k, neighbour_graph(vectors, 90)), expected)
    assert knn_recall(vectors, coords, k) == pytest.approx(expected.mean(), abs=1e-12)
    # Not a constant: some neighbourhoods survive and some do not.
    assert expected.min() < expected.max()


def test_an_approximate_graph_is_not_trusted_for_the_colouring(glove_map):
    _, vectors, coords = glove_map
    approximate = neighbour_graph(vectors, 90, exact_work=0)
    assert not approximate.exact
    np.testing.assert_array_equal(per_point_recall(vectors, coords, 5, approximate), brute_force_recall(vectors, coords, 5))


def test_rows_give_the_same_neighbourhoods_as_the_whole_list(glove_map):
    _, vectors, coords = glove_map
    whole = kept_neighbourhoods(vectors, coords, 5)
    rows = np.array([3, 77, 150, 399])
    some = kept_neighbourhoods(vectors, coords, 5, rows=rows)
    np.testing.assert_array_equal(some.recall, whole.recall[rows])
    np.testing.assert_array_equal(some.original, whole.original[rows])
    np.testing.assert_allclose(some.original_distances, whole.original_distances[rows], atol=1e-5)


def test_a_found_words_true_neighbours_and_their_place_on_the_map(glove_map):
    words, vectors, coords = glove_map
    k, row = 8, 42
    original, on_map = brute_force_neighbours(vectors, coords, k)
    table = true_neighbours(words, vectors, coords, row, k)
    assert table["row"].tolist() == original[row].tolist()
    assert table["neighbour"].tolist() == [words[i] for i in original[row]]
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    np.testing.assert_allclose(table["similarity"], unit[original[row]] @ unit[row], atol=1e-5)
    assert table["similarity"].is_monotonic_decreasing
    distance = np.linalg.norm(coords - coords[row], axis=1)
    order = [i for i in np.argsort(distance).tolist() if i != row]  # the map's ranking of every other point
    assert table["map_rank"].tolist() == [order.index(i) + 1 for i in original[row]]
    np.testing.assert_allclose(table["map_distance"], distance[original[row]])
    assert table["near_on_map"].tolist() == [i in set(on_map[row].tolist()) for i in original[row]]
    assert table["near_on_map"].sum() / k == brute_force_recall(vectors, coords, k)[row]


def test_map_ranks_count_the_points_nearer_on_the_map():
    coords = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 2.0], [3.0, 0.0], [0.0, -0.5]])
    assert map_ranks(coords, 0, np.array([4, 1, 2, 3])).tolist() == [1, 2, 3, 4]


def test_worst_placed_lists_the_lowest_recall_first_with_the_neighbours_the_map_moved(glove_map):
    words, vectors, coords = glove_map
    kept = kept_neighbourhoods(vectors, coords, 5)
    table = worst_placed(words, coords, kept, n=20)
    expected = brute_force_recall(vectors, coords, 5)
    assert len(table) == 20
    assert table["kept"].is_monotonic_increasing
    assert table["kept"].iloc[0] == expected.min()
    assert table["kept"].iloc[-1] <= np.sort(expected)[19]
    original, on_map = brute_force_neighbours(vectors, coords, 5)
    for item, moved, near in zip(table["item"], table["moved_away"], table["still_near"]):
        row = words.index(item)
        away = [words[j] for j in original[row] if j not in set(on_map[row].tolist())]
        assert [part.rsplit(" (#", 1)[0] for part in moved.split(", ") if part] == away
        assert [part for part in near.split(", ") if part] == [words[j] for j in original[row] if words[j] not in away]


def test_too_few_words_say_why():
    with pytest.raises(ValueError, match="at least"):
        per_point_recall(np.eye(4), np.eye(4)[:, :2], k=3)


def test_the_cost_said_first_grows_with_the_square_of_the_points():
    assert exact_search_seconds(100_000, 50) == pytest.approx(100 * exact_search_seconds(10_000, 50))
    assert 10 < exact_search_seconds(100_000, 50) < 200  # measured here: 32 to 68 s


# --- the charts --------------------------------------------------------------

def test_a_map_coloured_by_recall_has_a_colour_bar_and_each_points_value(glove_map):
    words, vectors, coords = glove_map
    recall = per_point_recall(vectors, coords, 5)
    chart = scatter_chart(coords, words, None, values=recall, value_title="neighbourhood kept", highlight=[words[0]])
    markers = [trace for trace in chart.figure.data if trace.customdata is not None]
    assert len(markers) == 1 and markers[0].marker.showscale
    value_of = dict(zip(words, recall))
    assert list(markers[0].marker.color) == [value_of[word] for word in markers[0].customdata]
    assert [tuple(step) for step in markers[0].marker.colorscale] == [tuple(step) for step in VALUE_SCALE]
    assert "neighbourhood kept %{marker.color:.2f}" in markers[0].hovertemplate


def test_lines_run_from_the_word_to_each_true_neighbour(glove_map):
    words, vectors, coords = glove_map
    row = 42
    table = true_neighbours(words, vectors, coords, row, 8)
    figure = add_neighbour_lines(scatter_chart(coords, words).figure, coords, row, table["row"], table["near_on_map"])
    lines = [trace for trace in figure.data if trace.mode == "lines"]
    ends = []
    for trace in lines:
        x, y = np.asarray(trace.x, dtype=float), np.asarray(trace.y, dtype=float)
        np.testing.assert_allclose(np.column_stack([x[0::3], y[0::3]]), np.repeat(coords[[row]], len(x) // 3, axis=0))
        assert np.isnan(x[2::3]).all()  # a gap after each line: separate lines, not a path
        ends += [tuple(point) for point in np.column_stack([x[1::3], y[1::3]])]
    assert sorted(ends) == sorted(tuple(point) for point in coords[table["row"]])
    dashed = next((trace for trace in lines if trace.line.dash == "dash"), None)
    assert (dashed is not None) == (not table["near_on_map"].all())


def test_a_compare_panel_takes_the_colouring_too():
    preset = wordlists.load_preset(wordlists.DEFAULT_PRESET, lowercase=True)
    coords = np.random.default_rng(0).normal(size=(len(preset.items), 2))
    values = np.linspace(0, 1, len(preset.items))
    figure = panel(coords, preset.items, preset.groups, group_colours(preset.groups))
    colour_by_values(figure, preset.items, values, "neighbourhood kept")
    value_of = dict(zip(preset.items, values))
    coloured = [trace for trace in figure.data if trace.customdata is not None]
    assert sum(bool(trace.marker.showscale) for trace in coloured) == 1 and not figure.layout.showlegend
    for trace in coloured:
        assert list(trace.marker.color) == [value_of[word] for word in trace.customdata]


# --- the pages ---------------------------------------------------------------

def test_explore_colours_by_recall_and_draws_lines_to_a_found_words_neighbours(glove):
    app = run_app(state={"explore_colouring": "kept", "find_word": "king"})
    assert not app.exception
    spec = chart_specs(app)[0]
    markers = [trace for trace in spec["data"] if trace.get("customdata") is not None and "colorscale" in trace["marker"]]
    assert len(markers) == 1
    words = list(markers[0]["customdata"])
    colours = plotly_array(markers[0]["marker"]["color"])
    preset = wordlists.load_preset(wordlists.DEFAULT_PRESET, lowercase=True)
    vectors = glove.embed(preset.items).vectors
    coords = project(vectors, "pca", 2)
    expected = dict(zip(preset.items, brute_force_recall(vectors, coords, 5)))
    np.testing.assert_allclose(colours, [expected[word] for word in words])
    lines = [trace for trace in spec["data"] if trace.get("mode") == "lines"]
    assert sum(len(plotly_array(trace["x"])) // 3 for trace in lines) == 5  # one line per true neighbour
    worst = next(frame.value for frame in app.dataframe if "kept" in frame.value.columns)
    assert worst["kept"].iloc[0] == min(expected.values())
    around = next(frame.value for frame in app.dataframe if "rank on the map" in frame.value.columns)
    assert around["neighbour"].iloc[0] == "prince"  # king's nearest in the list under GloVe (cosine 0.82)
    assert any("also among its 5 nearest on the map" in caption.value for caption in app.caption)


def test_compare_colours_every_panel_by_recall_when_asked():
    app = run_app("pages/compare.py", state={"compare_methods": ["glove", "tfidf"], "compare_kept": True})
    assert not app.exception
    specs = [spec for spec in chart_specs(app) if spec["data"] and spec["data"][0].get("type") == "scatter"]
    assert len(specs) == 2
    for spec in specs:
        assert any("colorscale" in trace.get("marker", {}) for trace in spec["data"]), json.dumps(spec)[:300]
