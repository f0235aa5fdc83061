"""Benchmarks of loading recipes: large recipes and large sets."""
