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

.PHONY: run setup test test-sqlite test-scaleout migrate demo translations \
        extract update-translations vendor vendor-check clean

run: setup migrate demo
	@echo ""
	@echo "  Facilitator is starting on http://$(HOST):$(PORT)"
	@echo ""
	$(BIN)/gunicorn --worker-class gevent --workers $(WORKERS) \
	  --worker-connections 10000 --graceful-timeout 5 --timeout 60 \
	  --no-control-socket --bind $(HOST):$(PORT) wsgi:app

setup: $(VENV)/.installed translations

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

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

# The whole suite on SQLite, then again on PostgreSQL + Redis when they are configured.
test: test-sqlite test-scaleout

test-sqlite: $(VENV)/.installed-test translations
	env -u FACILITATOR_TEST_DATABASE_URL -u FACILITATOR_TEST_REDIS_URL $(BIN)/python -m pytest $(PYTEST_ARGS)

test-scaleout: $(VENV)/.installed-test translations
	@if [ -n "$$FACILITATOR_TEST_DATABASE_URL" ] && [ -n "$$FACILITATOR_TEST_REDIS_URL" ]; then \
	  echo "== again on PostgreSQL + Redis"; \
	  $(BIN)/python -m pytest $(PYTEST_ARGS); \
	else \
	  echo "== PostgreSQL + Redis run skipped: set FACILITATOR_TEST_DATABASE_URL and FACILITATOR_TEST_REDIS_URL"; \
	fi

clean:
	rm -rf $(VENV) .pytest_cache
	find translations -name '*.mo' -delete
