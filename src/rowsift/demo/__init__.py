"""A bundled messy orders table and the recipe that cleans it, for ``rowsift demo``.

`orders.csv` and `orders.recipe.yaml` ship with the package; `generate.py` is the seeded
generator that made the table (and makes tables of any size for tests and benchmarks), with
the mistakes real exports have: stray spaces, case variants, malformed ids, typos in
categories, impossible amounts, duplicates. It is for examples, tests and stress, never for
proving that a heuristic works.
"""

from __future__ import annotations

import pathlib
from importlib.resources import files

__all__ = ["orders_csv_path", "orders_recipe_path"]


def _bundled(name: str) -> pathlib.Path:
    return pathlib.Path(str(files(__name__).joinpath(name)))


def orders_csv_path() -> pathlib.Path:
    """Return the path of the bundled messy orders table (CSV).

    >>> orders_csv_path().name
    'orders.csv'
    """
    return _bundled("orders.csv")


def orders_recipe_path() -> pathlib.Path:
    """Return the path of the bundled recipe that cleans the orders table.

    >>> orders_recipe_path().name
    'orders.recipe.yaml'
    """
    return _bundled("orders.recipe.yaml")
