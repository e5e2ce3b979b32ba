# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run test install messages catalogue lint audit clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "OPPMS needs Python 3.11 or newer ($(PYTHON) is older)."; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

messages: install
	$(BIN)/python manage.py compilemessages --ignore=.venv --verbosity 0

# Refresh locale/es from the code; then translate the new entries (tests fail until done).
catalogue: install
	$(BIN)/python manage.py makemessages --locale es --no-obsolete --ignore=.venv --ignore=var \
		--ignore=tests --ignore=bench --ignore=staticfiles --ignore=node_modules --ignore=simple_history

run: messages
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	@printf '\nOpen http://%s/ and log in with one of the users above.\n\n' '$(HOST)'
	$(BIN)/python manage.py runserver $(HOST)

# worksteal: a worker that runs out of tests takes some of the other's, so the run does not end
# on one worker finishing the long browser tests while the other waits.
test: messages
	$(BIN)/python -m pytest -n auto --dist worksteal $(PYTEST_ARGS)

lint: install
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m bandit --quiet --recursive . --severity-level medium \
		--exclude ./.venv,./tests,./bench,./var,./staticfiles

# Known vulnerabilities in the pinned requirements; needs pypi.org's JSON API (see README).
audit: install
	$(BIN)/python -m pip install --quiet -r requirements-audit.txt
	$(BIN)/python -m pip_audit --strict --requirement requirements.txt --requirement requirements-dev.txt

clean:
	rm -rf $(VENV) staticfiles
