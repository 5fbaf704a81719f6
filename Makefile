# The two set-up commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test lint install install-dev clean messages

# pip shows its progress (a first install downloads several hundred MB); CI=true keeps the log short.
PIP_QUIET := $(if $(CI),--quiet,--progress-bar on)

$(BIN)/python:
	@echo "==> creating $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install $(PIP_QUIET) --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@echo "==> installing the app and its packages into $(VENV) (one to three minutes the first time)"
	$(BIN)/python -m pip install $(PIP_QUIET) -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	@echo "==> installing the app with its dev tools into $(VENV)"
	$(BIN)/python -m pip install $(PIP_QUIET) -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

run: install
	@echo "==> demo accounts (printed below), then the app on http://localhost:$(PORT)"
	$(BIN)/python -m webapp.demo_accounts
	$(BIN)/streamlit run app.py --server.port $(PORT) --server.headless true

test: install-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python -m pytest -n auto

lint: install-dev
	$(BIN)/ruff check .

# Extract the product's texts into the template and merge it into each language's catalogue.
LOCALES_DIR := assessment/locales
messages: install
	$(BIN)/pybabel extract -F babel.cfg --sort-by-file --add-comments=TRANSLATORS: \
		--project=cluster-sustainability-assessment -o $(LOCALES_DIR)/messages.pot .
	$(BIN)/pybabel update -i $(LOCALES_DIR)/messages.pot -d $(LOCALES_DIR) -D messages --no-fuzzy-matching

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
