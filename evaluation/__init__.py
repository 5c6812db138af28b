"""Generators and evaluators: synthetic narratives, graphs and screening sets, and the scoring against them.

Nothing here runs in production. It makes the data benchmarks, tests and demos need (``sightline
generate``, ``bench/``, ``tests/``) and measures the runtime packages against it, so it may import
``nlp``, ``graph`` and ``screening``, while those, and every other runtime package, never import
``evaluation``: only ``cli``, ``bench`` and ``tests`` do.
"""
