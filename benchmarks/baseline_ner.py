"""Score the bare fr_core_news_sm model against the hand-made entity gold.

The floor every recogniser of the project must beat. Labels are mapped generously
(see ``recap_nlp.evaluation.mentions.BARE_LABEL_MAP``)::

    .venv/bin/python benchmarks/baseline_ner.py --corpus corpus --gold tests/gold/entities.jsonl
    .venv/bin/python benchmarks/baseline_ner.py --json outputs/baseline_ner.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import spacy

from recap_nlp.evaluation.mentions import (
    bare_model_mentions,
    format_scores,
    load_gold,
    score_mentions,
    scores_to_rows,
)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("corpus"), help="folder of .txt posts")
    parser.add_argument("--gold", type=Path, default=Path("tests/gold/entities.jsonl"))
    parser.add_argument("--model", default="fr_core_news_sm", help="spaCy model to score")
    parser.add_argument("--json", type=Path, default=None, help="also write the rows as JSON")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    gold = load_gold(args.gold)
    wanted = {g.doc_id for g in gold}
    texts = {
        p.stem: p.read_text(encoding="utf-8")
        for p in sorted(args.corpus.glob("*.txt"))
        if p.stem in wanted
    }
    mentions = bare_model_mentions(texts, spacy.load(args.model))
    scores = score_mentions(mentions, gold)
    print(f"bare {args.model}, labels mapped PER→PER LOC→CITY ORG→ORG MISC→EVENT")
    print(format_scores(scores))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(scores_to_rows(scores), indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
