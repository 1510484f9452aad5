"""The student of MiniLM: trained on real MiniLM vectors of the bundled passages, it finds more of MiniLM's
neighbours among passages it never saw than chance, than its own input features and than its untrained start;
its measurement round-trips through the store, and the page shows it from the store without training."""

import json
import math

import numpy as np
import pytest

from tests.app_runner import chart_specs, run_app
from tradeoffs import methods, store
from tradeoffs.distillation import COMPRESSED, FEATURES, STUDENT, TEACHER, StudentSettings, distil

#: Few training steps keep the test short; the ridge start does most of the work (measured: 0.566 → 0.569).
QUICK = StudentSettings(epochs=5, timed_texts=8)


@pytest.fixture(scope="module")
def passages():
    from inputs import wordlists

    return wordlists.load_preset(wordlists.PASSAGES_PRESET, lowercase=True)


@pytest.fixture(scope="module")
def distilled(minilm, passages):
    from embedders.stored import stored_embedding
    from inputs import wordlists

    vectors = stored_embedding(minilm, wordlists.PASSAGES_PRESET, tuple(passages.items), True,
                               lambda: minilm.embed_sentences(passages.items)).vectors
    words = methods.test_set_words()
    return store.measure(lambda: distil(passages.items, passages.groups, vectors,
                                        lambda items: minilm.embed(items).vectors, words, QUICK))


def test_the_student_finds_more_of_minilms_neighbours_than_its_input_and_its_start(distilled):
    result = distilled.value
    by_kind = {kind: [row for row in result.rows if row.kind == kind] for kind in (TEACHER, COMPRESSED, FEATURES, STUDENT)}
    untrained, student = by_kind[STUDENT]
    assert result.student == student and result.teacher.recall == 1.0
    assert student.recall > 3 * result.chance_recall
    assert student.recall > by_kind[FEATURES][0].recall and student.recall > untrained.recall
    assert result.final_loss < result.start_loss  # training the cosines improves on the ridge start, held out
    assert student.bytes_per_vector == 256 and result.teacher.bytes_per_vector == 1536
    assert student.passages > 2 * result.passages_chance
    assert student.ms_per_text < result.teacher.ms_per_text  # cheaper to run than the teacher
    float16 = next(row for row in by_kind[COMPRESSED] if "float16" in row.name)
    assert float16.recall > 0.9 and math.isfinite(student.wordsim)
    assert result.train_passages + result.held_out_passages == 1465


def test_the_split_keeps_every_article_on_both_sides(passages):
    from tradeoffs.distillation import split_passages

    train, held = split_passages(passages.groups, QUICK)
    assert not set(train) & set(held) and len(train) + len(held) == len(passages.items)
    groups = np.asarray(passages.groups)
    assert set(groups[train]) == set(groups[held]) == set(groups)


def test_a_distillation_round_trips_through_the_store(distilled, tmp_path):
    key = store.distillation_key("minilm", QUICK)
    path = store.save(tmp_path, store.DISTILLATION, key, distilled)
    assert json.loads(path.read_text(encoding="utf-8"))["kind"] == "distillation"
    assert store.load(tmp_path, store.DISTILLATION, key).stored == distilled
    assert key != store.distillation_key("minilm") and key != store.distillation_key("glove", QUICK)
    assert store.expected_distillation_seconds(tmp_path, "minilm", QUICK) == pytest.approx(distilled.seconds)


def test_the_page_shows_a_stored_student_without_training_it(distilled, tmp_path, monkeypatch):
    monkeypatch.setenv("EMBEDDING_EXPLORER_CACHE", str(tmp_path))
    empty = run_app("pages/tradeoffs.py")
    assert not empty.exception
    assert any("Train and measure the student (about" in button.label for button in empty.button)
    store.save(tmp_path, store.DISTILLATION, store.distillation_key("minilm"), distilled)
    files = sorted((tmp_path / store.FOLDER).glob("distillation-*.json"))
    app = run_app("pages/tradeoffs.py")
    assert not app.exception
    table = next(frame.value for frame in app.dataframe if "vectors" in frame.value.columns)
    assert list(table["kind"][:2]) == [TEACHER, STUDENT]  # MiniLM, then the student, then the rest
    assert table["vectors"].iloc[1].startswith("student") and table["bytes per vector"].iloc[1] == 256
    assert len(table) == len(distilled.value.rows)
    assert any("The student keeps" in markdown.value for markdown in app.markdown)
    assert app.button(key="tradeoffs_student_measure").label.startswith("Train and measure the student again")
    assert sorted((tmp_path / store.FOLDER).glob("distillation-*.json")) == files  # nothing trained or written
    app.radio(key="tradeoffs_picture").set_value("compression").run()
    names = [trace.get("name") for spec in chart_specs(app) for trace in spec["data"]]
    assert "distilled from MiniLM" in names  # the student joins the picture while it waits for its measurement
