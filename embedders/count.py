"""Count vectors: how often a word occurs in each passage of the corpus."""

from embedders.document_vectors import DocumentVectorEmbedder, analyzer_for_tokens


class CountEmbedder(DocumentVectorEmbedder):
    name = "count"
    title = "Count vectors"
    description = (
        "A word is the list of how many times it appears in each of about 500 passages (1,000 words each) of a "
        "Wikipedia sample. Words that turn up in the same passages (king, throne, crown) point the "
        "same way. Nothing is learned: frequent words dominate and the vectors are long and mostly zeros."
    )

    weight_name = "count"

    def vectorizer(self, min_df: int):
        from sklearn.feature_extraction.text import CountVectorizer

        return CountVectorizer(analyzer=analyzer_for_tokens, min_df=min_df)
