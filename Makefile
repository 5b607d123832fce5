# Two commands: `make run` serves the demo site with its worker; `make test` runs every check and the suite
# on SQLite and on a throw-away PostgreSQL server.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CLEARLINE := $(BIN)/clearline
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= 2

.PHONY: run test setup lint pytest pytest-postgres bench messages clean sip

$(STAMP): requirements.lock requirements-dev.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

setup: $(STAMP)
	@mkdir -p var/static

run: setup
	$(CLEARLINE) migrate --noinput
	$(CLEARLINE) load_demo_data
	$(BIN)/python tools/serve.py --host $(HOST) --port $(PORT)

# Kamailio, the SIP edge, and the call controller next to the running demo (docs/sip.md): Kamailio on udp
# 127.0.0.1:$(SIP_PORT), with the tables `clearline sip_config` writes from the demo's numbers and the
# CLEARLINE_SIP_* settings (development defaults: trunk 127.0.0.1:5080, trusted 127.0.0.1, controller
# sip:127.0.0.1:5090); the controller (`clearline sip_controller`) on udp 127.0.0.1:5090 in the background, its
# log in var/sip/controller.log. Provider legs and transfers go to the trunk. Ctrl-C stops both.
SIP_PORT ?= 5060
SIP_DIR := $(CURDIR)/var/sip
KAMAILIO ?= kamailio

sip: setup
	$(CLEARLINE) migrate --noinput -v 0
	$(CLEARLINE) sip_config --out $(SIP_DIR)/db
	@mkdir -p $(SIP_DIR)/run
	@echo "Kamailio: udp 127.0.0.1:$(SIP_PORT); control: kamcmd -s unix:$(SIP_DIR)/run/kamailio_ctl; Ctrl-C stops it."
	@echo "Call controller: udp 127.0.0.1:5090 (log: $(SIP_DIR)/controller.log); provider legs and transfers go to the trunk 127.0.0.1:5080."
	@$(CLEARLINE) sip_controller > $(SIP_DIR)/controller.log 2>&1 & controller=$$!; \
		trap 'kill $$controller 2>/dev/null; wait $$controller 2>/dev/null' EXIT INT TERM; \
		$(KAMAILIO) -DD -E -f deploy/kamailio/kamailio.cfg -m 128 -A SIP_PORT=$(SIP_PORT) \
			-A 'CLEARLINE_SIP_DB="text://$(SIP_DIR)/db"' -A 'RUN_DIR="$(SIP_DIR)/run"' \
			-A 'CTL_SOCKET="unix:$(SIP_DIR)/run/kamailio_ctl"'

lint: setup
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy clearline
	$(BIN)/lint-imports
	CLEARLINE_ENV=test $(CLEARLINE) makemigrations --check --dry-run
	CLEARLINE_ENV=test $(CLEARLINE) check --fail-level WARNING

# SQLite builds its test tables straight from the models (fast); the PostgreSQL run applies every migration,
# so both the models and the migrations are exercised on each `make test`.
# PYTHONDONTWRITEBYTECODE is emptied for the suite: with it set, every xdist worker (and every subprocess a test
# starts) recompiles Clearline and re-rewrites the asserts of every test module, about 7 s per worker per pass.
# --dist loadfile keeps a module's tests on one worker, so a module-scoped fixture (the loaded demo, a directory
# import, Kamailio and the call controller) is built once, not on both workers (the demo crawl's set-up ran on
# each: 33 s and 22 s under load). Not loadgroup: pytest-xdist 3.8 cannot group under pytest 9.
pytest: setup
	PYTHONDONTWRITEBYTECODE= CLEARLINE_ENV=test $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile --no-migrations $(PYTEST_ARGS)

pytest-postgres: setup
	PYTHONDONTWRITEBYTECODE= CLEARLINE_ENV=test $(BIN)/python tools/with_postgres.py --migrate-template -- $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

test: lint pytest pytest-postgres

bench: setup
	for b in bench/*.py; do $(BIN)/python $$b || exit 1; done

messages: setup
	cd clearline && ../$(CLEARLINE) makemessages -l es --no-obsolete && ../$(CLEARLINE) compilemessages

clean:
	rm -rf $(VENV) var/static
