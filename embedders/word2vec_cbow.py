"""Word2Vec CBOW: predict a word from the words around it."""

from embedders.gensim_training import Word2VecEmbedder


class Word2VecCBOWEmbedder(Word2VecEmbedder):
    name = "word2vec-cbow"
    title = "Word2Vec CBOW"
    description = (
        "A small neural network learns to guess a word from the words around it "
        "(continuous bag of words), trained here on a Wikipedia sample of about 450,000 words. "
        "Words used in similar contexts end up with similar vectors, so king and queen meet. "
        "The corpus is small: rare words are missing and analogies mostly fail."
    )
    # 20 epochs because five leave every CBOW vector pointing the same way on so small a corpus.
    training_parameters = dict(sg=0, vector_size=100, window=5, min_count=3, epochs=20, workers=2, seed=0)
