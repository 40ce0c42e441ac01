# Loket: `make demo` to try it, `make test` to check it. Both create .venv themselves.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/loket

.PHONY: install demo test test-sqlite test-postgres fuzz lint format bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/loket demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test-sqlite: install
	$(BIN)/pytest -n 2 --dist loadgroup

# The same suite against PostgreSQL, when a server answers on 127.0.0.1:5432.
test-postgres: install
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_URL:loket=postgres)', connect_timeout=3).close()" 2>/dev/null; then \
		DATABASE_URL=$(PG_URL) DB_CONN_MAX_AGE=0 $(BIN)/pytest -n 2 --dist loadgroup; \
	else echo "PostgreSQL not reachable on 127.0.0.1:5432: skipping the PostgreSQL run"; fi

# Schemathesis against a live gunicorn: on SQLite, and on PostgreSQL when it answers.
fuzz: install
	$(BIN)/python tests/fuzz/api_fuzz.py
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_URL:loket=postgres)', connect_timeout=3).close()" 2>/dev/null; then \
		DATABASE_URL=$(PG_URL)_fuzz $(BIN)/python tests/fuzz/api_fuzz.py; \
	else echo "PostgreSQL not reachable: skipping the PostgreSQL fuzz run"; fi

test: lint test-sqlite test-postgres fuzz

bench: install
	$(BIN)/python bench/generate.py --tickets 1000000 --employees 50000

clean:
	rm -rf $(VENV) var
