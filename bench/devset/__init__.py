"""Synthetic development and test texts for the extraction-quality benchmark."""
