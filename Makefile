# Every target creates the virtual environment on first use; nothing else is needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EVAL_OUT := .eval/dev_facts
REALDEV ?= ../shared/realdev
CORPUS ?= corpus
OUT ?= outputs
WORKERS ?= 1

.PHONY: help run test lint format eval bench stress clean

help:  ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)  ## Run the pipeline on corpus/ into outputs/
	$(BIN)/recap-nlp run $(CORPUS) --out $(OUT) --workers $(WORKERS)

test: $(STAMP)  ## Run the test suite
	$(BIN)/pytest

lint: $(STAMP)  ## ruff check and format check
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

format: $(STAMP)  ## Apply ruff formatting and fixes
	$(BIN)/ruff check --fix src tests benchmarks
	$(BIN)/ruff format src tests benchmarks

eval: $(STAMP)  ## Score entities, facts and sentiment against the hand-made gold files
	$(BIN)/recap-nlp evaluate
	@echo "--- entities, dev set (unseen posts written for tuning, tests/gold/dev):"
	$(BIN)/recap-nlp evaluate --corpus tests/gold/dev/posts --gold tests/gold/dev/entities.jsonl --no-sentiment
	@echo "--- entities, held-out set (unseen posts never used for tuning, tests/gold/heldout):"
	$(BIN)/recap-nlp evaluate --corpus tests/gold/heldout/posts --gold tests/gold/heldout/entities.jsonl --no-sentiment
	@echo "--- facts, dev set (tests/gold/dev_facts):"
	$(BIN)/recap-nlp run tests/gold/dev_facts/posts --out $(EVAL_OUT) --no-cache --no-reports > /dev/null
	$(BIN)/python tests/gold/dev_facts/score.py $(EVAL_OUT)
	@echo "--- facts, seeds (corpus/): the checks issue 14 keeps"
	$(BIN)/recap-nlp run corpus --out .eval/seed_facts --no-cache --no-reports > /dev/null
	$(BIN)/python benchmarks/seed_facts.py .eval/seed_facts
	@if [ -d $(REALDEV)/posts ]; then \
	  echo "--- real posts ($(REALDEV)): entities, then event facts (baseline = before issue 14)"; \
	  $(BIN)/recap-nlp run $(REALDEV)/posts --out .eval/realdev --no-cache --no-reports > /dev/null; \
	  $(BIN)/python $(REALDEV)/score_entities.py $(REALDEV)/gold.json .eval/realdev/tables/mentions.csv; \
	  $(BIN)/python benchmarks/realdev_facts.py $(REALDEV) .eval/realdev; \
	else echo "--- $(REALDEV) is missing: real-post figures not computed"; fi

bench: $(STAMP)  ## Throughput and memory against bare nlp.pipe, 5 to 5,000 posts (~50 min)
	$(BIN)/python benchmarks/bench.py

stress: $(STAMP)  ## Seed corpus mixed with hostile input: outcomes and unchanged results
	$(BIN)/python benchmarks/stress.py

clean:  ## Remove generated outputs (keeps the virtual environment)
	rm -rf $(OUT)/* .pytest_cache .eval
