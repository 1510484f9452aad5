"""Serving a class: replicas of the app behind HAProxy, started from a warmed cache folder."""
