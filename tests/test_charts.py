"""Scatter figures: one trace per group, labels shown as text only."""

import numpy as np

from charts import scatter


def test_one_trace_per_group_with_every_label():
    figure = scatter(np.arange(8.0).reshape(4, 2), ["king", "queen", "house", "lamp"], ["royal", "royal", "home", ""])
    assert [trace.name for trace in figure.data] == ["royal", "home", "(no group)"]
    assert [label for trace in figure.data for label in trace.text] == ["king", "queen", "house", "lamp"]


def test_markup_in_labels_is_escaped_for_plotly():
    figure = scatter(np.zeros((1, 2)), ['<a href="x">click</a>'], ["<b>g</b>"])
    assert figure.data[0].text[0] == '&lt;a href="x"&gt;click&lt;/a&gt;'
    assert figure.data[0].name == "&lt;b&gt;g&lt;/b&gt;"


def test_three_dimensions_long_labels_and_highlight():
    sentence = "The quick brown fox jumps over the lazy dog again and again"
    figure = scatter(np.array([[0.0, 0, 0], [0, 0, 1]]), [sentence, "dog"], highlight=["dog"])  # apart: both labelled
    trace = figure.data[0]
    assert trace.type == "scatter3d"
    assert trace.text[0].endswith("…") and len(trace.text[0]) <= 28
    assert trace.customdata[0] == sentence
    assert trace.text[1] == "<b>dog</b>" and trace.marker.size[1] > trace.marker.size[0]


def test_large_charts_use_webgl_a_label_budget_and_hover_for_every_word():
    from charts.scatter import LABEL_BUDGET, scatter_chart

    n = 5000
    coords = np.random.default_rng(0).normal(size=(n, 2))
    words = [f"w{i}" for i in range(n)]
    chart = scatter_chart(coords, words, highlight=["w4321"], centre_on="w4321")
    markers, labels = chart.figure.data
    assert markers.type == "scattergl" and list(markers.customdata) == words
    # Labels: their own SVG trace, over invisible markers that lift them off the points; only those that fit.
    assert labels.type == "scatter" and labels.mode == "markers+text" and labels.marker.opacity == 0
    assert LABEL_BUDGET / 2 < len(labels.text) == chart.labelled <= LABEL_BUDGET
    assert "<b>w4321</b>" in labels.text  # the highlighted word is always labelled
    x_range = chart.figure.layout.xaxis.range
    assert x_range[0] < coords[4321, 0] < x_range[1] and x_range[1] - x_range[0] < np.ptp(coords[:, 0]) / 2
    assert f"Labels on {chart.labelled} of 5,000 points" in chart.note()


def test_3d_charts_are_capped_and_say_so():
    from charts.scatter import LABEL_BUDGET_3D, MAX_3D_POINTS, scatter_chart

    n = MAX_3D_POINTS + 500
    chart = scatter_chart(np.random.default_rng(0).normal(size=(n, 3)), [str(i) for i in range(n)], highlight=["7"])
    assert chart.drawn == MAX_3D_POINTS and sum(len(trace.x) for trace in chart.figure.data[:-1]) == MAX_3D_POINTS
    assert "7" in chart.figure.data[0].customdata
    assert len(chart.figure.data[-1].text) == chart.labelled <= LABEL_BUDGET_3D  # 3-D text is costly to draw
    assert "<b>7</b>" in chart.figure.data[-1].text
    assert f"showing {MAX_3D_POINTS:,} of {n:,} points" in chart.note()


def test_small_charts_label_every_point_and_need_no_note():
    from charts.scatter import scatter_chart

    chart = scatter_chart(np.arange(8.0).reshape(4, 2), ["a", "b", "c", "d"])
    assert chart.note() is None and chart.figure.data[0].type == "scatter"


def test_one_colour_blind_safe_palette_gives_a_group_one_colour_on_every_chart():
    from charts.compare import group_colours as compare_colours
    from charts.palette import OKABE_ITO, PALETTE, TOL_MUTED, group_colours
    from charts.scatter import scatter_chart

    groups = ["royal", "home", "royal", "", "tool"]
    colours = group_colours(groups)
    assert colours == {"royal": OKABE_ITO[0], "home": OKABE_ITO[1], "(no group)": OKABE_ITO[2], "tool": OKABE_ITO[3]}
    assert compare_colours is group_colours and PALETTE == OKABE_ITO + TOL_MUTED
    assert list(group_colours(f"g{i}" for i in range(10)).values())[8:] == list(TOL_MUTED[:2])  # past eight groups
    coords = np.arange(10.0).reshape(5, 2)
    chart = scatter_chart(coords, list("abcde"), groups)
    assert {trace.name: trace.marker.color for trace in chart.figure.data} == colours
    # A chart missing a group keeps the others' colours when given the list's mapping.
    partial = scatter_chart(coords[1:], list("bcde"), groups[1:], colours=colours)
    assert {trace.name: trace.marker.color for trace in partial.figure.data} == {
        group: colours[group] for group in ("home", "royal", "(no group)", "tool")}
