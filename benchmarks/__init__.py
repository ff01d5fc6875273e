"""Benchmarks and the synthetic corpus generator, kept outside the package.

Run with ``python -m benchmarks.run`` (``make bench``).
"""
