# Two entry points, both from a fresh clone with only Python 3.11+ and make:
#   make demo   create .venv, install rowsift, run the whole loop on the bundled messy table
#   make test   create .venv, install rowsift with its dev tools, run lint, types, layers and tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck layers pytest bench schema clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,bench]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/rowsift demo

test: $(STAMP) lint typecheck layers pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

layers: $(STAMP)
	$(BIN)/lint-imports

# the suite's services (PostgreSQL, Java for Spark) are installed when missing and started
pytest: $(STAMP)
	ROWSIFT_TEST_POSTGRES_URL=$$(scripts/test-services.sh) $(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python -m bench.run

schema: $(STAMP)
	$(BIN)/python -m rowsift.recipe.schema > src/rowsift/recipe/recipe.schema.json

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
