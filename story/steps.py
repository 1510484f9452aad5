"""The steps of the story: what each one says, which live view draws it, and which page explores it further.

Pure data and small helpers, no Streamlit: ``ui/story_views.py`` draws the views and
``pages/story.py`` walks through the steps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from inputs import wordlists
from links.view import ProjectionSettings, ViewState
from transformer_inside.presets import ATTENTION_EXAMPLE

#: The sentence the tokens step cuts into pieces: "Embeddings" and "quokkas" both split.
TOKENS_TEXT = "Embeddings turn words into vectors, even for quokkas."
#: The photograph (one of scikit-learn's two samples) and patch size of the patches step.
PATCH_IMAGE = "china"
PATCH_SIZE = 32
#: The context step's word, one of ``transformer_inside.presets.CONTEXT_PRESETS``.
CONTEXT_WORD = "bank"
#: The attention step: a sentence, the word whose attention is shown, and the words it might point to.
ATTENTION_SENTENCE = ATTENTION_EXAMPLE
ATTENTION_WORD = "he"
ATTENTION_CANDIDATES = ("captain", "pirate")
#: The search step's question and how many sentences it retrieves.
SEARCH_QUERY = "Where can I keep my money safe?"
SEARCH_K = 5
#: The precision step measures storage forms on GloVe's most frequent words: enough for a
#: clear picture, few enough to measure in seconds (product quantization trains on them all).
PRECISION_WORDS = 2_000


@dataclass(frozen=True)
class Step:
    """One screen of the story.

    ``text`` is our own Markdown; ``view`` is what "Explore this yourself" opens (and the
    method, list and projection the live view uses); ``show`` names the live view in
    ``ui.story_views``; ``compare_with`` lists methods drawn beside ``view.method``.
    """

    key: str
    title: str
    text: str
    view: ViewState
    show: str
    compare_with: tuple[str, ...] = ()

    @property
    def methods(self) -> tuple[str, ...]:
        """The methods a scatter view draws, side by side."""
        return (self.view.method, *self.compare_with)


STEPS: tuple[Step, ...] = (
    Step(
        key="tokens",
        title="Text becomes tokens",
        text=(
            "A model cannot read letters, only numbers. So the first thing that happens to a text is that it is "
            "cut into **tokens**: common words stay whole, rarer words are cut into pieces. MiniLM's tokenizer "
            "(WordPiece) knows 30,522 pieces, and a piece that continues a word starts with “##”. GPT-4's "
            "(a byte-level **BPE**) knows about 100,000: it starts from bytes and merges the most frequent pairs, "
            "so it can spell any text, even emoji. "
            "Each token is then just a number: the row of a big table where its first vector is kept."
        ),
        view=ViewState(page="transformer", method="minilm"),
        show="tokens",
    ),
    Step(
        key="patches",
        title="Images become tokens too",
        text=(
            "A vision transformer reads a photo the same way. It cuts the picture into a grid of small squares, "
            f"**patches**, and treats each one like a word token. A patch of {PATCH_SIZE} × {PATCH_SIZE} pixels with "
            f"3 colours is a list of {PATCH_SIZE * PATCH_SIZE * 3:,} numbers: a vector. On the map, every dot is one "
            "patch: patches that look alike (sky, roof, leaves) land close together."
        ),
        view=ViewState(page="transformer", method="minilm"),
        show="patches",
    ),
    Step(
        key="onehot",
        title="One-hot: every word equally far apart",
        text=(
            "The simplest way to turn words into vectors: give every word of the list its own dimension, with a 1 "
            "in its own place and 0 everywhere else. The vector says *which* word it is and nothing about what it "
            "means: *king* is exactly as far from *queen* as from *dishwasher*. Any pattern you see on the chart "
            "comes from squeezing 16 dimensions into 2, not from meaning."
        ),
        view=ViewState(page="explore", method="onehot", preset="royalty_vs_buildings"),
        show="scatter",
    ),
    Step(
        key="count_tfidf",
        title="Counting: count vectors and TF-IDF",
        text=(
            "Better: describe a word by *where it appears*. A **count vector** holds, for each passage of a "
            "Wikipedia sample, how often the word occurs there, so words that turn up in the same passages point "
            "the same way. **TF-IDF** weighs those counts so that passages full of everyday words count less. "
            "Nothing is learned yet: frequent words such as *king* and *house* sit far out on their own while the "
            "rest crowd together, the vectors are long and mostly zeros, and words the sample never uses have none."
        ),
        view=ViewState(page="explore", method="count", preset="royalty_vs_buildings"),
        show="scatter",
        compare_with=("tfidf",),
    ),
    Step(
        key="word2vec",
        title="Word2Vec: learning from neighbours",
        text=(
            "Word2Vec *learns* short vectors (100 numbers) with a small neural network that plays a guessing game "
            "over the text. **CBOW** guesses a word from the words around it; **skip-gram** does the reverse and "
            "guesses the surrounding words from the word. Words used in similar company end up with similar vectors. "
            "Here it learned from only about 450,000 words, so the picture is rough and rare words are missing."
        ),
        view=ViewState(page="compare", method="word2vec-cbow", preset="countries_capitals"),
        show="scatter",
        compare_with=("word2vec-skipgram",),
    ),
    Step(
        key="glove",
        title="GloVe: counting and learning together",
        text=(
            "GloVe starts from a giant table of how often every pair of words appears near each other, in 6 "
            "billion words of Wikipedia and news, and fits 50 numbers per word so that the vectors reproduce "
            "those counts. With that much text the groups separate cleanly, and directions start to carry "
            "meaning: *king − man + woman* lands near *queen*. Try it with “Explore this yourself”."
        ),
        view=ViewState(page="arithmetic", method="glove", preset="royalty_vs_buildings"),
        show="scatter",
    ),
    Step(
        key="fasttext",
        title="FastText: a word it never saw still gets a vector",
        text=(
            "Word2Vec and GloVe have no vector for a word they never met. FastText builds each word's vector from "
            "the pieces of its spelling (“<kin”, “king”, “ness>” …), so an unknown word like *kingliness* still gets "
            "one, close to the words it shares pieces with. Below, words FastText never saw while training have a "
            "colour of their own, and *kingliness* is the diamond."
        ),
        view=ViewState(page="explore", method="fasttext", highlight="kingliness",
                       words=("king", "kings", "kingdom", "kingship", "kingliness", "queen", "queens", "queenly",
                              "river", "rivers", "riverside", "riverbank", "tower", "towers", "towering")),
        show="scatter",
    ),
    Step(
        key="minilm",
        title="Transformer embeddings: whole sentences",
        text=(
            "A transformer such as MiniLM reads a whole sentence at once: its word pieces look at each other "
            "(attention), and the result is averaged into one vector of 384 numbers for the sentence. It was "
            "trained so that sentences with similar meaning get similar vectors, even when they share no words. "
            "Each dot is one sentence, coloured by its topic, placed by t-SNE."
        ),
        view=ViewState(page="explore", method="minilm", preset="sentences_topics",
                       projection=ProjectionSettings(method="tsne")),
        show="scatter",
    ),
    Step(
        key="transition",
        title="One list, every method",
        text=(
            "Press ▶ Play and watch the same words move as embeddings grew up: from one-hot, where every word is "
            "equally far from every other, through TF-IDF's counts of shared passages, to vectors learned from "
            "context (Word2Vec, GloVe, FastText) and finally a transformer (MiniLM). Each frame is rotated and scaled "
            "onto the one before, so a word moves only as far as the two methods disagree about where it belongs."
        ),
        view=ViewState(page="compare", method="onehot", preset="royalty_vs_buildings"),
        show="transition",
        compare_with=("tfidf", "word2vec-skipgram", "glove", "fasttext", "minilm"),
    ),
    Step(
        key="map_lies",
        title="Where the map lies",
        text=(
            "A map of 50 dimensions in two must lie somewhere, and it lies differently for each word. Each dot is "
            "coloured by how many of its 5 nearest neighbours in the original vectors are also among its 5 "
            "nearest on the map: blue kept its neighbourhood, vermillion lost it. The worst-placed word is found "
            "for you: the dashed lines lead to the true neighbours the picture pulled away from it."
        ),
        view=ViewState(page="explore", method="glove", preset="countries_capitals"),
        show="map_lies",
    ),
    Step(
        key="context",
        title="Context: “bank” by a river and “bank” with money",
        text=(
            "Inside a transformer, the same word gets a different vector in every sentence. Each dot is the word "
            "*bank* in one sentence, as the last layer of MiniLM sees it: the river banks gather on one side, the "
            "money banks on the other. GloVe, by contrast, has one vector for *bank*, whatever the sentence."
        ),
        view=ViewState(page="transformer", method="minilm"),
        show="context",
    ),
    Step(
        key="attention",
        title="Attention: the captain and the pirate",
        text=(
            "How does a word take in its context? Through **attention**: at every layer, each token builds its new "
            "vector as a weighted mix of all the tokens. A reader knows that *he* is the captain and *his tale* is "
            "the pirate's. Below is one attention head of MiniLM: the row of *he* shows how much of each word it "
            "mixes in. Attention shows what is mixed, not what the model “thinks”."
        ),
        view=ViewState(page="transformer", method="minilm"),
        show="attention",
    ),
    Step(
        key="images",
        title="Images and words in one space",
        text=(
            "CLIP can find a photo by a word because it puts images and words in one space. Here is the smallest "
            "version of that idea, trained in about a second: a linear map sends each handwritten digit's 64 pixels "
            "to 50 numbers, aimed at the GloVe vector of its name, learned from every digit except 2 and 6. Those two "
            "were never seen, yet most of their images land closer to their own word than to the other one. Over "
            "all 45 possible held-out pairs it does little better than chance, because GloVe's number words barely "
            "differ: this is the idea behind CLIP, not CLIP."
        ),
        view=ViewState(page="images", method="glove"),
        show="images",
    ),
    Step(
        key="finetune",
        title="Pre-training, then fine-tuning",
        text=(
            "MiniLM learnt its space from a billion sentence pairs: it knows language in general, not your task. "
            "**Fine-tuning** trains a copy for at most a minute on about sixty labelled sentences, pulling sentences "
            "with the same topic together and pushing other topics away. Press “Fine-tune”: the map shows where the "
            "held-out sentences (ones it never trained on) moved, and the numbers are measured on them. A small "
            "labelled set cannot teach a model language, but it can tell it which differences matter."
        ),
        view=ViewState(page="finetune", method="minilm", preset="sentences_topics"),
        show="finetune",
    ),
    Step(
        key="search",
        title="Similarity search and RAG",
        text=(
            "Once everything is a vector, *finding* is measuring: embed the question, and look up the stored "
            "vectors most similar to it (cosine similarity). This is the retrieval step of **RAG** "
            "(retrieval-augmented generation): the sentences found are pasted into a language model's prompt, "
            "so that it answers from them. The star is the question, among 102 sentences."
        ),
        view=ViewState(page="search", method="minilm", preset="sentences_topics"),
        show="search",
    ),
    Step(
        key="precision",
        title="What precision costs",
        text=(
            "Millions of vectors take memory, so real systems store them smaller: 16-bit numbers instead of 32, "
            "8-bit numbers, short codes (product quantization), or just the sign of each number. Each point below "
            "is one way of storing GloVe vectors: its size in bytes, and how many of each word's 10 true nearest "
            "neighbours it still finds. Half or a quarter of the bytes lose almost nothing; the smallest codes lose a lot. "
            "Shrinking is not the only saving: on What precision costs, a small *student* distilled from MiniLM runs "
            "85 times faster and still finds more than half of MiniLM's nearest passages."
        ),
        view=ViewState(page="tradeoffs", method="glove"),
        show="precision",
    ),
)


def clamp_step(value: object) -> int:
    """A 1-based step number within ``1 … len(STEPS)``; anything that is not a whole number is step 1."""
    try:
        number = int(value)  # type: ignore[call-overload]  # any object on purpose: a TypeError means step 1
    except (TypeError, ValueError, OverflowError):
        return 1
    return min(max(number, 1), len(STEPS))


def step_word_list(step: Step) -> wordlists.WordList:
    """The list a step's scatter draws: its typed words (lower-cased, no groups) or its preset, marked as one."""
    if step.view.words:
        return wordlists.clean([(word, "") for word in step.view.words], lowercase=True)
    return wordlists.load_preset(step.view.preset, lowercase=True)


def head_linking(labels: Sequence[str], weights: np.ndarray, word: str,
                 candidates: Sequence[str]) -> tuple[int, int]:
    """The (layer, head), numbered from 0, in which ``word`` gives the largest total weight to ``candidates``.

    ``weights`` is ``[layers, heads, n, n]`` over ``labels`` (words or pieces, compared in lower case).
    Raises ``ValueError`` when ``word`` or every candidate is missing from ``labels``.
    """
    lowered = [label.lower() for label in labels]
    if word.lower() not in lowered:
        raise ValueError(f"“{word}” is not among the tokens.")
    columns = [i for i, label in enumerate(lowered) if label in {c.lower() for c in candidates}]
    if not columns:
        raise ValueError("None of the candidate words is among the tokens.")
    row = lowered.index(word.lower())
    totals = np.asarray(weights)[:, :, row, columns].sum(axis=-1)  # [layers, heads]
    layer, head = np.unravel_index(int(np.argmax(totals)), totals.shape)
    return int(layer), int(head)
