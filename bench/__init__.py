"""Benchmark harness: rowsift against a hand-written Polars pipeline and pandera."""
