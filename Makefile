# Two commands for a fresh machine with Python 3.11+ and make:
#   make run    set up, migrate the embedded SQLite database and serve on http://127.0.0.1:8000
#   make test   set up and run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.runtime-stamp
DEV_STAMP := $(VENV)/.dev-stamp
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt

.PHONY: install install-dev run migrate test lint format clean lock

# Versions come from constraints.txt, the lock file: the same on every machine, in CI and in
# the Docker image. `make run` installs the runtime only; the test and lint toolchain comes
# with `make test`.
$(RUNTIME_STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) -e .
	@touch $(RUNTIME_STAMP)

$(DEV_STAMP): $(RUNTIME_STAMP)
	$(PIP) -e ".[dev]"
	@touch $(DEV_STAMP)

# Re-resolve every dependency in clean environments: constraints.txt (everything, for make
# and CI) and requirements.txt (the runtime with S3, for the Docker image).
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	{ echo "# Every package's version, as tested: pip installs with '-c constraints.txt' (make and CI)."; \
	  echo "# Regenerate with 'make lock' after changing the dependencies in pyproject.toml."; \
	  .lock-venv/bin/python -m pip freeze --exclude-editable --disable-pip-version-check; } > constraints.txt
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --disable-pip-version-check -c constraints.txt ".[s3]"
	{ echo "# The runtime's packages (with S3), exactly as tested: the Docker image installs these with --no-deps."; \
	  echo "# Regenerate with 'make lock' after changing the dependencies in pyproject.toml."; \
	  .lock-venv/bin/python -m pip freeze --disable-pip-version-check | grep -v '^creneau'; } > requirements.txt
	rm -rf .lock-venv

install: $(RUNTIME_STAMP)

install-dev: $(DEV_STAMP)

migrate: install
	$(BIN)/creneau db upgrade

run: migrate
	$(BIN)/creneau serve

test: install-dev
	$(BIN)/pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/mypy

format: install-dev
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .lock-venv .pytest_cache .mypy_cache .ruff_cache
