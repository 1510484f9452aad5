"""The app's pages: the one table navigation (``app.py``) and shared links (``links.view``) both read."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageEntry:
    """A page: its name in links (``?page=…``), its script, its title in navigation and its icon."""

    name: str
    script: str
    title: str
    icon: str


#: In navigation order; Explore is the page a bare address opens (``DEFAULT_PAGE``).
PAGES = (
    PageEntry("story", "pages/story.py", "Story", ":material/school:"),
    PageEntry("explore", "pages/explore.py", "Explore", ":material/scatter_plot:"),
    PageEntry("compare", "pages/compare.py", "Compare methods", ":material/view_module:"),
    PageEntry("arithmetic", "pages/arithmetic.py", "Word arithmetic", ":material/calculate:"),
    PageEntry("transformer", "pages/inside_transformer.py", "Inside the transformer", ":material/psychology:"),
    PageEntry("finetune", "pages/fine_tuning.py", "Fine-tuning", ":material/tune:"),
    PageEntry("search", "pages/search.py", "Similarity search", ":material/search:"),
    PageEntry("tradeoffs", "pages/tradeoffs.py", "What precision costs", ":material/compress:"),
    PageEntry("images", "pages/images_words.py", "Images and words", ":material/image_search:"),
    PageEntry("atlas", "pages/atlas.py", "Atlas", ":material/map:"),
    PageEntry("coordinates", "pages/coordinates.py", "Your coordinates", ":material/upload_file:"),
)
PAGE_NAMES = tuple(page.name for page in PAGES)
DEFAULT_PAGE = "explore"
