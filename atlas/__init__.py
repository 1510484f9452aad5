"""Atlases: many items embedded, indexed, projected and clustered as a batch on Dask, then explored in the app.

``python -m atlas build`` runs the pipeline (``atlas.build``) on the engine (``atlas.engine``) and writes an
atlas folder (``atlas.folder``); the Atlas page opens it.
"""
