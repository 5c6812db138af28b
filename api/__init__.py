"""Thin shells over the library: the command line (``api.cli``), settings, and later the HTTP API."""
