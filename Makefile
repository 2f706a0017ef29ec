# Navigator: `make run` (set up, build, train, serve, chat) and `make test` (set up, all tests).
# Both are idempotent: a second run only redoes what changed.
SHELL := /bin/bash
PY310 ?= $(shell scripts/find-python.sh 3.10)
PY311 ?= $(shell scripts/find-python.sh 3.11)
VENV := .venv
RASA_VENV := .venv-rasa
NAV := $(VENV)/bin/navigator

export HF_HUB_OFFLINE ?= 1
export TRANSFORMERS_OFFLINE ?= 1
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL ?= 3
export PYTHONDONTWRITEBYTECODE ?= 1
# progress bars of the libraries that honour it off, so that make test stays readable
# (Rasa's training bar ignores it: training writes to var/log/train.log instead)
export TQDM_DISABLE ?= 1

.PHONY: setup servers cluster run serve test test-bot lint validate index eval browser train clean help boundaries

help:
	@echo "make run    set up, build the index, train the bot, start the stack, chat in the terminal"
	@echo "make serve  the same stack headless (Rasa :5005, actions :5055, console :8000)"
	@echo "make cluster  PostgreSQL, Redis, two stacks and HAProxy (the same URLs as make serve)"
	@echo "make test   set up and run every test"

setup: $(VENV)/.installed $(RASA_VENV)/.installed boundaries

$(VENV)/.installed: pyproject.toml
	@test -x $(VENV)/bin/python || $(PY311) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[dev]'
	@touch $@

$(RASA_VENV)/.installed: bot/requirements.txt bot/requirements-test.txt
	@test -x $(RASA_VENV)/bin/python || $(PY310) -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/pip install -q --upgrade pip 'setuptools<70' wheel
	$(RASA_VENV)/bin/pip install -q -r bot/requirements.txt -r bot/requirements-test.txt
	@touch $@

# kabupaten/kota boundaries (GADM 4.1 via the npm package geojson-indonesia) for shared
# locations; fetched, never shipped (GADM's licence: non-commercial use, no redistribution,
# see docs/regions.md). Without them points use the nearest GeoNames place. Idempotent.
boundaries: $(VENV)/.installed
	$(VENV)/bin/python scripts/fetch_boundaries.py

validate: $(VENV)/.installed
	$(NAV) kb validate

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check navigator embeddings actions tests benchmarks scripts
	$(VENV)/bin/mypy

index: $(VENV)/.installed
	$(NAV) index build

# The retrieval gate: Recall@3 and MRR@10 on tests/eval/retrieval.yml against
# tests/eval/thresholds.json (builds the index first if needed).
eval: index
	$(NAV) eval

# Debian's chromium for the console's browser test (root or sudo; CI runs as root).
browser:
	@bash scripts/install-browser.sh || echo "warning: no chromium; the browser test will be skipped"

# Debian's PostgreSQL, Redis and HAProxy for the cluster and fault tests (root or sudo)
servers:
	@bash scripts/install-servers.sh

test: setup validate lint eval browser servers test-bot
	$(VENV)/bin/python -m pytest -q -p no:cacheprovider

# --- conversational layer (bot/, actions/): see docs/bot.md
RASA := $(RASA_VENV)/bin/rasa
MODEL := bot/models/navigator.tar.gz
KB_FILES := $(shell find knowledge_base -name '*.yml' 2>/dev/null)
BOT_FILES := bot/config.yml bot/domain.yml $(shell find bot/data bot/components -type f -name '*.y*ml' -o -type f -name '*.py' 2>/dev/null)

# generated from the knowledge base: entity-ruler patterns and the services' example questions
var/entity_patterns.jsonl: $(KB_FILES) scripts/export_entity_patterns.py | $(VENV)/.installed
	$(VENV)/bin/python scripts/export_entity_patterns.py

var/kb_nlu.yml: $(KB_FILES) $(wildcard bot/data/nlu/*.yml) scripts/export_kb_nlu.py | $(VENV)/.installed
	$(VENV)/bin/python scripts/export_kb_nlu.py

# retrained only when the bot's data, config or the knowledge base changed
$(MODEL): $(BOT_FILES) var/entity_patterns.jsonl var/kb_nlu.yml | $(RASA_VENV)/.installed
	cd bot && ../$(RASA) data validate --data data ../var/kb_nlu.yml --fail-on-warnings
	@mkdir -p var/log
	@echo "training the bot (about two minutes; log in var/log/train.log)"
	@cd bot && ../$(RASA) train --data data ../var/kb_nlu.yml --fixed-model-name navigator --out models --force \
		> ../var/log/train.log 2>&1 || { tail -40 ../var/log/train.log; exit 1; }

train: setup $(MODEL)

serve: setup validate $(MODEL)
	$(NAV) index build
	$(NAV) serve

# PostgreSQL, Redis, two stacks and HAProxy on loopback (data under var/cluster): Rasa
# behind the load balancer on :8080 (CLUSTER_PORT), consoles on :8000; Ctrl-C stops everything
cluster: setup validate servers $(MODEL)
	$(NAV) index build
	$(NAV) cluster

run: setup validate $(MODEL)
	$(NAV) index build
	$(NAV) chat --serve

# what `make test` needs for the bot: data validation, training if needed and the
# conversation tests (every prediction must be right); pytest then runs the action tests
# and the integration test against the trained model
test-bot: setup $(MODEL)
	SQLALCHEMY_SILENCE_UBER_WARNING=1 $(RASA_VENV)/bin/python -m pytest -q -p no:cacheprovider -W ignore::DeprecationWarning tests/rasa_plugins
	cd bot && ../$(RASA) data validate --data data ../var/kb_nlu.yml --fail-on-warnings
	cd bot && ../$(RASA) test core --stories tests --model models/navigator.tar.gz --fail-on-prediction-errors --out ../var/rasa-results

clean:
	rm -rf var bot/models .pytest_cache .mypy_cache .ruff_cache
