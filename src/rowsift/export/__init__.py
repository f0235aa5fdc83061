"""Exporters: a recipe as code other engines run, and as the contracts other tools read."""
