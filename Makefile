# Two entry points, both from a fresh clone with only Python 3.11+ and make:
#   make demo   create .venv, install rowsift, run the whole loop on the bundled messy table
#   make test   create .venv, install rowsift with its dev tools, run lint, types, layers and tests
#   make test-fast   everyday lane: lint, types, layers and the tests that need no Spark, Dask,
#                    PostgreSQL or browser and are not marked slow (tests/conftest.py: lanes)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast lint typecheck layers pytest pytest-fast bench schema clean fuzz bytecode

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,bench]'
	touch $(STAMP)

# the editable install leaves rowsift's own modules uncompiled; where PYTHONDONTWRITEBYTECODE
# is set, every command then compiled them again as it started (0.1 s of each `rowsift run`)
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q src

demo: $(STAMP) bytecode
	$(BIN)/rowsift demo

test: $(STAMP) lint typecheck layers pytest

test-fast: $(STAMP) lint typecheck layers pytest-fast

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

layers: $(STAMP)
	$(BIN)/lint-imports

# the suite's services (PostgreSQL, Java for Spark) are installed when missing and started
pytest: $(STAMP) bytecode
	ROWSIFT_TEST_POSTGRES_URL=$$(scripts/test-services.sh) $(BIN)/pytest -q -n 2 --durations=15

FAST_LANE := not spark and not dask and not postgres and not browser and not slow
pytest-fast: $(STAMP) bytecode
	ROWSIFT_TEST_LANE=fast $(BIN)/pytest -q -m "$(FAST_LANE)" -p no:cacheprovider --durations=10

bench: $(STAMP) bytecode
	$(BIN)/python -m bench.run

# the reader and sniffer fuzzed far longer than the suite's short pass (FUZZ_EXAMPLES each)
FUZZ_EXAMPLES ?= 5000
fuzz: $(STAMP)
	ROWSIFT_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -q -p no:cacheprovider tests/hostile/test_fuzz_reader.py

schema: $(STAMP)
	$(BIN)/python -m rowsift.recipe.schema > src/rowsift/recipe/recipe.schema.json

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
	find src tests bench -name __pycache__ -prune -exec rm -rf {} +
