"""The view on screen as one typed object, and its round trip through a shared link (``links.view``)."""
