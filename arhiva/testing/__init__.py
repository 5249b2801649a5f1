"""Helpers for tests, benchmarks and the bundled samples: synthetic scans and metrics.

Not used by the tool itself.
"""
