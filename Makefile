# Facilitator: `make run` serves the app with the demo workshop, `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
# One process: the embedded event broker lives in it. With FACILITATOR_REDIS_URL set, raise it.
WORKERS ?= 1
FLASK  := $(BIN)/flask --app wsgi
PYTEST_ARGS ?=
# How many phones `make check-venue` simulates.
PHONES ?= 60

.PHONY: run setup lock lint format test test-sqlite test-scaleout migrate demo translations \
        extract update-translations vendor vendor-check clean check-venue

run: setup migrate demo
	@echo ""
	@echo "  Facilitator is starting on http://$(HOST):$(PORT)"
	@$(FLASK) venue addresses --host $(HOST) --port $(PORT)
	$(BIN)/gunicorn --worker-class gevent --workers $(WORKERS) \
	  --worker-connections 10000 --graceful-timeout 5 --timeout 60 \
	  --no-control-socket --bind $(HOST):$(PORT) wsgi:app

# Will this laptop hold the room? PHONES simulated phones against the server `make run` serves
# (started for the check if nothing answers on PORT), then the verdict in the terminal's language.
check-venue: setup migrate
	$(FLASK) venue check --phones $(PHONES) --url http://127.0.0.1:$(PORT)

setup: $(VENV)/.installed translations

# Exactly the versions in the lock files; `pip check` fails when pyproject.toml wants what a lock lacks.
$(VENV)/.installed: pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/pip check || { echo "The lock files are behind pyproject.toml: run make lock"; exit 1; }
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.lock
	$(BIN)/pip install --quiet --no-deps -r requirements-test.lock
	$(BIN)/pip install --quiet --dry-run --no-index --no-build-isolation '.[test]' >/dev/null && $(BIN)/pip check \
	  || { echo "requirements-test.lock is behind pyproject.toml: run make lock"; exit 1; }
	touch $@

# Pin every package, transitive ones too, as a fresh venv resolves pyproject.toml today.
LOCK_VENV := $(VENV)-lock
lock:
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install --quiet --upgrade pip
	$(LOCK_VENV)/bin/pip install --quiet .
	echo '# What make run installs, written by make lock from pyproject.toml: do not edit.' > requirements.lock
	$(LOCK_VENV)/bin/pip freeze --exclude facilitator >> requirements.lock
	$(LOCK_VENV)/bin/pip install --quiet -c requirements.lock '.[test]'
	echo '# What make test installs (requirements.lock and the test extra), written by make lock.' > requirements-test.lock
	$(LOCK_VENV)/bin/pip freeze --all --exclude pip --exclude facilitator >> requirements-test.lock
	rm -rf $(LOCK_VENV) build

migrate: setup
	$(FLASK) db upgrade

demo: setup
	$(FLASK) demo load

# Compiled catalogs are build output: made from the committed .po files.
translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d translations >/dev/null

extract: $(VENV)/.installed
	$(FLASK) translate extract

update-translations: $(VENV)/.installed
	$(FLASK) translate update

vendor:
	$(PYTHON) tools/vendor_assets.py

vendor-check:
	$(PYTHON) tools/vendor_assets.py --check

# The lint first (it takes seconds), then the whole suite on SQLite, then again on PostgreSQL +
# Redis when they are configured.
test: lint test-sqlite test-scaleout

# Formatting, lint rules and the areas' layers are in pyproject.toml; `make format` applies
# what `make lint` checks of the first two.
lint: $(VENV)/.installed-test
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Most tests run in TEST_WORKERS processes (pytest-xdist); the browser tests and those that time
# something run alone afterwards, where the load of other tests cannot hold the server's event
# loop or stretch a measured gap. Exit 5 means PYTEST_ARGS selected none of them: fine.
TEST_WORKERS ?= auto
PYTEST_PARALLEL = $(BIN)/python -m pytest -n $(TEST_WORKERS) -m "not browser and not serial" $(PYTEST_ARGS)
PYTEST_SERIAL   = $(BIN)/python -m pytest -m "browser or serial" $(PYTEST_ARGS) || [ $$? -eq 5 ]
SQLITE_ONLY     = env -u FACILITATOR_TEST_DATABASE_URL -u FACILITATOR_TEST_REDIS_URL

test-sqlite: $(VENV)/.installed-test translations
	$(SQLITE_ONLY) $(PYTEST_PARALLEL)
	$(SQLITE_ONLY) $(PYTEST_SERIAL)

test-scaleout: $(VENV)/.installed-test translations
	@if [ -n "$$FACILITATOR_TEST_DATABASE_URL" ] && [ -n "$$FACILITATOR_TEST_REDIS_URL" ]; then \
	  echo "== again on PostgreSQL + Redis"; \
	  $(PYTEST_PARALLEL) && { $(PYTEST_SERIAL); }; \
	else \
	  echo "== PostgreSQL + Redis run skipped: set FACILITATOR_TEST_DATABASE_URL and FACILITATOR_TEST_REDIS_URL"; \
	fi

clean:
	rm -rf $(VENV) .pytest_cache
	find translations -name '*.mo' -delete
