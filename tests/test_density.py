"""Large maps: density plus a stated sample of markers; a million coordinates read and drawn."""

import csv
import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from charts.density import density_cells
from charts.scatter import DENSITY_FROM, DENSITY_MARKERS, marker_style, scatter_chart
from inputs import vectorfiles
from inputs.vectorfiles.coordinates import _coordinate_columns, _coordinate_columns_fast
from tests.label_geometry import drawn_label_boxes, overlapping_pairs


def landscape(n: int, seed: int = 0) -> np.ndarray:
    """``n`` 2-D points in clusters of many sizes over a thin background."""
    rng = np.random.default_rng(seed)
    centres = rng.uniform(-20, 20, size=(30, 2))
    which = rng.choice(30, size=n, p=rng.dirichlet(np.ones(30)))
    return centres[which] + rng.normal(size=(n, 2)) * rng.uniform(0.3, 2.0, size=(30, 1))[which]


def test_500000_points_draw_as_density_under_a_sample_of_markers_and_say_so():
    n = 500_000
    coords = landscape(n)
    words = [f"w{i}" for i in range(n)]
    groups = [f"g{i % 3}" for i in range(n)]
    chart = scatter_chart(coords, words, groups, highlight=["w123456"])
    density, *markers, labels = chart.figure.data
    assert density.type == "heatmap" and density.z.dtype == np.uint8 and (density.z > 0).sum() > 1000
    assert all(trace.type == "scattergl" for trace in markers) and labels.mode == "markers+text"
    drawn = [word for trace in markers for word in trace.customdata]  # what hover reaches
    assert len(drawn) == chart.drawn and DENSITY_MARKERS <= chart.drawn <= DENSITY_MARKERS + chart.labelled + 1
    assert "w123456" in drawn and "<b>w123456</b>" in labels.text  # the word found is drawn and labelled
    assert f"{n:,} points" in chart.note() and "density" in chart.note() and f"{chart.drawn:,} of them" in chart.note()
    assert overlapping_pairs(drawn_label_boxes(chart.figure)[0]) == []
    assert len(chart.figure.to_json()) < 2_000_000  # the browser receives a sample, not half a million points


def test_density_counts_every_point_once():
    coords = landscape(60_000)
    counts = density_cells(coords, (coords[:, 0].min(), coords[:, 0].max()), (coords[:, 1].min(), coords[:, 1].max()),
                           (40, 30))
    assert counts.shape == (30, 40) and counts.sum() == 60_000


def test_smaller_charts_keep_every_marker_and_draw_no_density():
    chart = scatter_chart(landscape(DENSITY_FROM), [str(i) for i in range(DENSITY_FROM)])
    assert chart.drawn == DENSITY_FROM and not chart.density and chart.figure.data[0].type == "scattergl"


def test_markers_shrink_and_fade_as_points_grow():
    styles = [marker_style(n) for n in (10, 100, 1_000, 10_000, 40_000)]
    assert all(a[0] > b[0] and a[1] > b[1] for a, b in zip(styles, styles[1:]))
    few, many = (scatter_chart(landscape(n), [str(i) for i in range(n)]).figure.data[0].marker for n in (30, 30_000))
    assert few.size > many.size and few.opacity > many.opacity


def million_coordinates_csv() -> bytes:
    coords = landscape(1_000_000, seed=1)
    frame = pd.DataFrame({"word": [f"w{i}" for i in range(len(coords))], "x": coords[:, 0], "y": coords[:, 1],
                          "group": np.array(["north", "south"])[(coords[:, 1] > 0).astype(int)]})
    return frame.to_csv(index=False).encode()


@pytest.mark.slow
def test_a_million_coordinates_are_read_and_drawn():
    points = vectorfiles.read_coordinates(million_coordinates_csv(), "million.csv")
    assert len(points) == 1_000_000 == vectorfiles.MAX_COORDINATE_ROWS and points.coords.shape == (1_000_000, 2)
    assert points.words[999_999] == "w999999" and set(points.metadata["group"]) == {"north", "south"}
    chart = scatter_chart(points.coords, points.words, points.metadata["group"].tolist(), highlight=["w42"])
    assert chart.density and chart.points == 1_000_000 and "1,000,000 points" in chart.note()
    markers = [trace for trace in chart.figure.data if trace.type == "scattergl"]
    assert "w42" in {word for trace in markers for word in trace.customdata}  # Find reaches the word


def test_more_rows_than_the_limit_are_refused_naming_the_line():
    data = b"word,x,y\n\n" + b"".join(b"w%d,%d,1\n" % (i, i) for i in range(12))
    with pytest.raises(vectorfiles.VectorFileError) as caught:
        vectorfiles.read_coordinates(data, "many.csv", vectorfiles.VectorLimits(max_rows=10))
    assert caught.value.category == "too-large" and "line 13:" in str(caught.value)


def test_the_fast_reader_agrees_with_the_csv_module_on_awkward_files():
    text = ('word,x,y,note\r\n\r\n"a, b",1,2,"say ""hi"""\r\nplain,3.5,-4,\r\nab"c,1e3,5,x\r\n'
            '"q""",0.25,1,"multi word"\r\n')
    fast = _coordinate_columns_fast(text, ",", 100)
    assert fast is not None
    assert_same_columns(fast, _coordinate_columns(text, ",", "t.csv", 100))
    # Values the fast reader leaves to Python's float (spaces, underscores), and a lone \r, still read right.
    for awkward, points in (("word,x,y\na, 1 ,2\nb,1_0,3\n", 2), ("word,x,y\ra,1,2\rb,3,4", 2)):
        slow = _coordinate_columns(awkward, ",", "t.csv", 100)
        assert_same_columns(_coordinate_columns_fast(awkward, ",", 100) or slow, slow)
        assert vectorfiles.read_coordinates(awkward.encode(), "t.csv").coords.shape == (points, 2)


def assert_same_columns(fast, slow) -> None:
    assert fast[0] == slow[0]
    for fast_column, slow_column in zip(fast[1], slow[1]):
        if isinstance(fast_column, np.ndarray):  # converted by the fast reader: the csv cells read by float()
            np.testing.assert_array_equal(fast_column, [float(cell) for cell in slow_column])
        else:
            assert list(fast_column) == list(slow_column)


# Mostly numbers (so that the fast reader has files to read), sometimes text that may or may not be one.
NUMBERS = st.one_of(*[st.floats(allow_nan=False, allow_infinity=False).map(repr)] * 4, st.integers().map(str),
                    st.text(alphabet='0123456789.e-+ _"\r', max_size=5))
ROWS = st.lists(st.tuples(st.text(alphabet='ab ,"\t', max_size=4), NUMBERS, NUMBERS), max_size=6)


def write_rows(rows, delimiter: str, newline: str, quoted: bool) -> str:
    """Rows as a CSV text: by the csv module (quoted where needed) or joined as they are (quotes and all)."""
    if quoted:
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerows([("word", "x", "y"), *rows])
        return buffer.getvalue()
    return newline.join(delimiter.join(cells) for cells in [("word", "x", "y"), *rows]) + newline


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ROWS, st.sampled_from([",", "\t"]), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_the_fast_reader_reads_random_files_as_the_csv_module_does(rows, delimiter, newline, quoted):
    text = write_rows(rows, delimiter, newline, quoted)
    fast = _coordinate_columns_fast(text, delimiter, 100)
    if fast is None:
        return
    try:
        slow = _coordinate_columns(text, delimiter, "t.csv", 100)
    except vectorfiles.VectorFileError as error:
        raise AssertionError(f"the fast reader read what the csv module refuses: {error}") from None
    assert_same_columns(fast, slow)


def test_the_density_benchmark_runs_end_to_end(capsys):
    from bench.density import main

    figures = main(["--sizes", "60000", "--options", "heatmap", "histogram2d", "chart"])
    row = figures["sizes"]["60000"]
    assert row["heatmap"]["json_mb"] < row["histogram2d"]["json_mb"] and row["chart"]["build_seconds"] > 0
    assert io.StringIO(capsys.readouterr().out).read().strip().startswith("{")
