"""Transfer learning: a pre-trained model adjusted on a small task-specific set, and what that moved.

``sentences``: MiniLM fine-tuned on labelled sentences (a session's own copy), measured on held-out items.
``word2vec``: the bundled Word2Vec continued on a user's corpus, and the words whose neighbours changed.
"""
