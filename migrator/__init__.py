"""migrator: move code and data from Segment's Config API to the Public API."""

__version__ = "0.1.0"
