"""TF-IDF vectors: counts per passage, weighted by how rare the word is."""

from embedders.document_vectors import DocumentVectorEmbedder, analyzer_for_tokens


class TfidfEmbedder(DocumentVectorEmbedder):
    name = "tfidf"
    title = "TF-IDF vectors"
    description = (
        "Like count vectors, a word is described by the passages of a Wikipedia sample it occurs in, "
        "but each count is weighted by term frequency × inverse document frequency, so passages "
        "full of common words weigh less. Still no learning: meaning comes only from sharing passages."
    )

    weight_name = "TF-IDF weight"

    def vectorizer(self, min_df: int):
        from sklearn.feature_extraction.text import TfidfVectorizer

        return TfidfVectorizer(analyzer=analyzer_for_tokens, min_df=min_df)
