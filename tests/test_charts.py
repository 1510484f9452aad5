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
    figure = scatter(np.zeros((2, 3)), [sentence, "dog"], highlight=["dog"])
    trace = figure.data[0]
    assert trace.type == "scatter3d"
    assert trace.text[0].endswith("…") and len(trace.text[0]) <= 28
    assert trace.customdata[0] == sentence
    assert trace.text[1] == "<b>dog</b>" and trace.marker.size[1] > trace.marker.size[0]
