"""Thin shells over the library: the command line (``cli.main``), settings, and later the HTTP API."""
