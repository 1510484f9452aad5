"""The Similarity search page under AppTest, with real GloVe vectors."""

import pytest

from tests.app_runner import chart_specs, run_app


def test_searching_glove_for_king_finds_royalty_with_exact_search_in_one_table():
    app = run_app("pages/search.py")
    assert not app.exception
    assert app.segmented_control(key="search_kind").value == "exact"
    (found,) = [frame.value for frame in app.dataframe]  # exact search is its own reference: no comparison
    assert {"queen", "prince"} <= set(found["item"]) and "king" not in set(found["item"])
    assert list(found["rank"]) == list(range(1, 11)) and found["cosine similarity"].is_monotonic_decreasing
    assert not any("Recall@" in caption.value for caption in app.caption)
    traces = chart_specs(app)[0]["data"]
    mapped = {word for trace in traces if trace["name"] != "query" for word in trace.get("customdata", [])}
    assert mapped == set(found["item"])  # the results on the map, and the query as its own marker
    assert [trace["customdata"] for trace in traces if trace["name"] == "query"] == [["king"]]


def test_hnsw_over_an_upload_reports_its_recall_against_exact_search(glove):
    from embedders.uploaded import UploadedVectorsEmbedder
    from inputs import vectorfiles
    from ui.uploads import UPLOADS_KEY, SessionUploads

    kv = glove.keyed_vectors
    words = ["king", *kv.index_to_key[1000:1999]]
    data = "\n".join(f"{w} " + " ".join(f"{x:.6f}" for x in kv[w]) for w in words).encode()
    uploads = SessionUploads()
    uploads.add(UploadedVectorsEmbedder(vectorfiles.read_vectors(data, "mine.txt"), "mine.txt"))
    app = run_app("pages/search.py", state={UPLOADS_KEY: uploads})
    app.selectbox(key="search_method").set_value(uploads.just_added or next(iter(uploads.methods))).run()
    app.segmented_control(key="search_kind").set_value("hnsw").run()
    app.select_slider(key="search_depth").set_value(8).run()
    assert not app.exception
    captions = " ".join(caption.value for caption in app.caption)
    assert "Recall@10" in captions and "over 1,000 vectors" in captions
    found, exact = app.dataframe[0].value, app.dataframe[1].value  # the index's results, then exact search's
    assert len(found) == len(exact) == 10 and "missed" in exact and "missed" not in found
    assert set(exact.loc[~exact["missed"], "item"]) <= set(found["item"])
    assert set(exact.loc[exact["missed"], "item"]).isdisjoint(found["item"])


def test_hnsw_over_the_preset_compares_with_exact_search_and_back_to_one_table():
    app = run_app("pages/search.py")
    app.radio(key="search_scope").set_value("list").run()
    app.segmented_control(key="search_kind").set_value("hnsw").run()
    assert not app.exception and len(app.dataframe) == 2
    assert any("Recall@10 of HNSW" in caption.value for caption in app.caption)
    app.segmented_control(key="search_kind").set_value("exact").run()
    assert not app.exception and len(app.dataframe) == 1


def test_one_hot_searches_only_the_list_and_says_why_a_query_finds_nothing():
    app = run_app("pages/search.py")
    app.selectbox(key="search_method").set_value("onehot").run()
    assert not app.exception and not app.dataframe
    assert app.radio(key="search_scope").options == ["Your list (16 items, from the sidebar)"]
    assert any("axis of its own" in info.value for info in app.info)


@pytest.mark.slow
def test_sentences_are_searched_and_the_prompt_is_assembled_from_what_was_found():
    app = run_app("pages/search.py", state={"word_list_preset": "sentences_topics", "search_method": "minilm",
                                           "search_query": "Where can I keep my money safe?", "search_k": 3})
    assert not app.exception
    assert app.radio(key="search_scope").value == "list"
    found = app.dataframe[0].value
    assert found["group"].iloc[0] == "finance"
    prompt = app.code[0].value
    assert all(item in prompt for item in found["item"]) and prompt.endswith("Question: Where can I keep my money safe?\nAnswer:")


@pytest.mark.slow
def test_a_query_without_a_known_word_says_so():
    app = run_app("pages/search.py", state={"word_list_preset": "sentences_topics", "search_query": "zzqxv plugh"})
    assert not app.exception and not app.dataframe
    assert any("None of the query's words has a GloVe 6B 50d vector" in w.value for w in app.warning)
