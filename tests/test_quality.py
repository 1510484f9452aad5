"""Quality of real GloVe vectors: human similarity judgments through gensim, and groups told apart by scikit-learn."""

import numpy as np
import pytest
from gensim.test.utils import datapath

from inputs import wordlists
from tradeoffs import passage_classification, word_pair_scores


@pytest.fixture(scope="module")
def scores(glove):
    return {score.test_set: score for score in word_pair_scores(glove.keyed_vectors)}


def test_wordsim_agrees_with_gensim_called_directly(glove, scores):
    kv = glove.keyed_vectors
    pearson, spearman, oov = kv.evaluate_word_pairs(datapath("wordsim353.tsv"), restrict_vocab=len(kv.index_to_key))
    wordsim = scores["WordSim-353"]
    assert wordsim.spearman == pytest.approx(spearman[0]) and wordsim.pearson == pytest.approx(pearson[0])
    assert wordsim.skipped == pytest.approx(oov / 100) and wordsim.pairs == 353


def test_simlex_is_scored_on_most_of_its_pairs(scores):
    simlex = scores["SimLex-999"]
    assert simlex.pairs == 999 and 0 <= simlex.skipped < 1 and -1 <= simlex.spearman <= 1
    assert simlex.evaluated == round(999 * (1 - simlex.skipped))


def test_the_shared_vocabulary_is_left_as_it_was(glove):
    kv = glove.keyed_vectors
    table, size = kv.key_to_index, len(kv.key_to_index)
    word_pair_scores(kv)
    assert kv.key_to_index is table and len(kv.key_to_index) == size and "king" in kv.key_to_index


def test_a_vocabulary_without_any_pair_scores_nothing_instead_of_failing():
    from embedders.base import keyed_vectors_from

    scores = word_pair_scores(keyed_vectors_from(["zzqx", "qqzx"], np.eye(2, dtype=np.float32)))
    assert all(score.skipped == 1.0 and np.isnan(score.spearman) for score in scores)


@pytest.fixture(scope="module")
def preset(glove):
    words = wordlists.load_preset("animals_vehicles_fruit")
    return glove.keyed_vectors[words.items], words.groups


def test_glove_tells_the_groups_apart_far_better_than_one_hot(preset):
    vectors, groups = preset
    glove = passage_classification(vectors, groups)
    one_hot = passage_classification(np.eye(len(groups)), groups)
    assert glove.items == len(groups) and glove.classes == 3 and glove.folds == 5
    assert glove.chance == pytest.approx(max(groups.count(g) for g in set(groups)) / len(groups))
    assert glove.accuracy > glove.chance and glove.accuracy >= one_hot.accuracy + 0.3


def test_small_groups_mean_fewer_folds_or_are_left_out(preset):
    vectors, groups = preset
    few = passage_classification(vectors, groups, folds=10)
    assert few.folds == min(groups.count(g) for g in set(groups)) and few.notes
    with_single = passage_classification(np.vstack([vectors, vectors[:1]]), [*groups, "lonely"])
    assert with_single.items == len(groups) and "lonely" in with_single.notes[0]


def test_one_group_is_refused(preset):
    vectors, groups = preset
    with pytest.raises(ValueError, match="at least two groups"):
        passage_classification(vectors, ["animal"] * len(groups))
