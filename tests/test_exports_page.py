"""Every chart of items offers its downloads (AppTest; the browser tests read the files back)."""

import pytest

from tests.app_runner import run_app

ITEM_EXPORTS = {"Coordinates (CSV)", "Chart (HTML)", "Vectors (TSV)", "Metadata (TSV)"}


def download_labels(app) -> list[str]:
    return [button.proto.label for button in app.get("download_button")]


def test_explore_offers_coordinates_chart_and_vectors():
    app = run_app()
    assert not app.exception
    assert set(download_labels(app)) == ITEM_EXPORTS


@pytest.mark.slow
def test_compare_offers_them_for_every_panel():
    app = run_app("pages/compare.py")
    assert not app.exception
    panels = len(app.multiselect(key="compare_methods").value)
    labels = download_labels(app)
    assert panels >= 2 and all(labels.count(label) == panels for label in ITEM_EXPORTS)
