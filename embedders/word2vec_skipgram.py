"""Word2Vec skip-gram: predict the surrounding words from a word."""

from embedders.gensim_training import Word2VecEmbedder


class Word2VecSkipGramEmbedder(Word2VecEmbedder):
    name = "word2vec-skipgram"
    title = "Word2Vec skip-gram"
    description = (
        "A small neural network learns to predict the words around each word (skip-gram), "
        "trained here on a Wikipedia sample of about 450,000 words. Words that share contexts "
        "get similar vectors, so king sits near queen and prince. Skip-gram treats rare words "
        "better than CBOW, but a corpus this small still misses many words."
    )
    training_parameters = dict(sg=1, vector_size=100, window=5, min_count=3, epochs=10, workers=2, seed=0)
