"""A bundled messy orders table and the recipe that cleans it, for ``rowsift demo``.

`orders.csv` and `orders.recipe.yaml` ship with the package; `generate.py` is the seeded
generator that made the table (and makes tables of any size for tests and benchmarks), with
the mistakes real exports have: stray spaces, case variants, malformed ids, typos in
categories, impossible amounts, duplicates. It is for examples, tests and stress, never for
proving that a heuristic works.
"""

from __future__ import annotations

import pathlib
import shutil
from importlib.resources import files

__all__ = ["copy_demo", "orders_csv_path", "orders_recipe_path"]


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


def copy_demo(folder: pathlib.Path) -> tuple[pathlib.Path, pathlib.Path]:
    """Copy the orders table and its recipe into `folder` (created if need be): what
    ``rowsift demo`` runs, and a place to try `rowsift.run_file` on.

    >>> import tempfile
    >>> table, recipe = copy_demo(pathlib.Path(tempfile.mkdtemp()) / "demo")
    >>> table.name, recipe.name, table.stat().st_size == orders_csv_path().stat().st_size
    ('orders.csv', 'orders.recipe.yaml', True)
    """
    folder.mkdir(parents=True, exist_ok=True)
    table, recipe = folder / "orders.csv", folder / "orders.recipe.yaml"
    shutil.copyfile(orders_csv_path(), table)
    shutil.copyfile(orders_recipe_path(), recipe)
    return table, recipe
