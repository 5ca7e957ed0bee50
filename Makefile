# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DJANGO_DEBUG ?= true

.PHONY: run test fuzz lint bench install clean-data

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Set up (first time) and run the platform with demo content: web + Celery worker.
run: $(STAMP)
	./bin/run

## The whole test suite, on PostgreSQL and Redis (127.0.0.1 by default); the API fuzzer runs
## at a small example count here.
test: $(STAMP)
	./bin/test

## The API fuzzer at full strength: 200 generated examples per operation and persona.
FUZZ_EXAMPLES ?= 200
fuzz: $(STAMP)
	REELEARN_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) ./bin/test tests/fuzz --create-db -q \
	  -n $${REELEARN_TEST_WORKERS:-auto} --durations=10

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

## Benchmarks on gunicorn + PostgreSQL on loopback; prints one table.
bench: $(STAMP)
	$(BIN)/python bench/run_all.py

clean-data:
	rm -rf data staticfiles
