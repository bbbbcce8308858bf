# Two entry points: `make demo` (set up, then check the shipped specs) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test setup bench report lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/checkmodel specs/examples/diehard.spec || test $$? -eq 12
	$(BIN)/checkmodel table specs/*.spec

# one pytest worker per core, at most 4 (tests/conftest.py keeps the lifecycle checks on one)
test: $(STAMP)
	$(BIN)/python -m pytest -q -n auto --maxprocesses 4 --dist loadgroup

bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/proofs.py

report: $(STAMP)
	$(BIN)/checkmodel report

lint: $(STAMP)
	$(BIN)/mypy -p checker

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .hypothesis
