"""The Similarity search page under AppTest, with real GloVe vectors."""

from tests.app_runner import chart_specs, run_app


def test_searching_glove_for_king_finds_royalty_with_exact_search():
    app = run_app("pages/search.py")
    assert not app.exception
    found, exact = app.dataframe[0].value, app.dataframe[1].value
    assert {"queen", "prince"} <= set(found["word"]) and "king" not in set(found["word"])
    assert list(found["word"]) == list(exact["word"]) and not exact["missed"].any()  # exact is its own reference
    mapped = {word for trace in chart_specs(app)[0]["data"] for word in trace.get("customdata", [])}
    assert mapped == {"king", *found["word"]}  # the query drawn among its results


def test_hnsw_over_an_upload_reports_its_recall_against_exact_search(glove):
    import vectorfiles
    from embedders.uploaded import UploadedVectorsEmbedder
    from ui.uploads import UPLOADS_KEY, SessionUploads

    kv = glove.keyed_vectors
    words = ["king", *kv.index_to_key[1000:1999]]
    data = "\n".join(f"{w} " + " ".join(f"{x:.6f}" for x in kv[w]) for w in words).encode()
    uploads = SessionUploads()
    uploads.add(UploadedVectorsEmbedder(vectorfiles.read_vectors(data, "mine.txt"), "mine.txt"))
    app = run_app("pages/search.py", state={UPLOADS_KEY: uploads})
    app.selectbox(key="search_method").set_value(uploads.just_added or next(iter(uploads.methods))).run()
    app.radio(key="search_kind").set_value("hnsw").run()
    app.select_slider(key="search_depth").set_value(8).run()
    assert not app.exception
    captions = " ".join(caption.value for caption in app.caption)
    assert "Recall@10" in captions and "over 1,000 vectors" in captions


def test_a_method_without_a_vocabulary_says_what_to_choose_instead():
    app = run_app("pages/search.py")
    app.selectbox(key="search_method").set_value("onehot").run()
    assert not app.exception and not app.dataframe
    assert "no vocabulary of its own to search" in app.info[0].value
