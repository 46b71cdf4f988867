"""The ``evaluate`` command: entity and sentiment scores against gold files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from recap_nlp.cli.common import (
    console,
    fail,
)
from recap_nlp.evaluation import documents as doc_scoring
from recap_nlp.evaluation import entity_training as training
from recap_nlp.evaluation import mentions as evaluation
from recap_nlp.model import DEFAULT_MODEL, load_model
from recap_nlp.pipeline.runner import analyse, read_documents
from recap_nlp.sentiment import evaluate_sentiment, format_sentiment_scores


def evaluate(
    corpus: Annotated[Path, typer.Option(help="Corpus the gold file annotates.")] = Path("corpus"),
    gold: Annotated[Path, typer.Option(help="Gold entity mentions (JSONL).")] = Path(
        "tests/gold/entities.jsonl"
    ),
    sentiment_gold: Annotated[
        Path,
        typer.Option(
            help="Hand-labelled sentences: TSV (text label source split) or JSONL "
            '(realdev format: {"text", "label", "doc_id", "hard"} per line).'
        ),
    ] = Path("tests/gold/sentiment.tsv"),
    baseline: Annotated[bool, typer.Option(help="Also score the bare baselines.")] = True,
    sentiment: Annotated[bool, typer.Option(help="Also score sentiment.")] = True,
    cross_validate: Annotated[
        bool, typer.Option(help="Document-level gold: also cross-validate the learned layer.")
    ] = False,
) -> None:
    """Entity P/R/F1 per label and sentiment accuracy/macro-F1 against hand-made gold files.

    A ``.json`` gold file is document-level (the ``../shared/realdev/gold.json`` format).
    """
    if gold.suffix.lower() == ".json":
        _evaluate_documents(corpus, gold, baseline, cross_validate)
        if sentiment:
            _evaluate_sentiment(sentiment_gold)
        return
    try:
        gold_mentions = evaluation.load_gold(gold)
    except (OSError, ValueError) as error:
        fail(str(error))
    documents, _, _ = read_documents(corpus)
    gold_docs = {m.doc_id for m in gold_mentions}
    documents = [d for d in documents if d.doc_id in gold_docs]
    result = analyse(documents)
    console.print(f"[bold]recap_nlp[/] entities on {len(documents)} documents ({gold}):")
    console.print(
        evaluation.format_scores(evaluation.score_mentions(result.mentions, gold_mentions))
    )
    if baseline:
        texts = {d.doc_id: d.text for d in documents}
        bare = evaluation.bare_model_mentions(texts, load_model(DEFAULT_MODEL))
        console.print("[bold]baseline[/]: bare fr_core_news_sm, labels mapped generously:")
        console.print(evaluation.format_scores(evaluation.score_mentions(bare, gold_mentions)))
    if sentiment:
        _evaluate_sentiment(sentiment_gold)


def _evaluate_documents(corpus: Path, gold: Path, baseline: bool, cross_validate: bool) -> None:
    """Document-level entity scores per label; the learned layer's figure cross-validated."""
    try:
        golds = doc_scoring.load_doc_gold(gold)
    except (OSError, ValueError) as error:
        fail(str(error))
    ids = {g.doc_id for g in golds}
    documents = [d for d in read_documents(corpus)[0] if d.doc_id in ids]
    result = analyse(documents)
    console.print(f"[bold]recap_nlp[/] entities on {len(documents)} documents ({gold}):")
    cells = doc_scoring.score_documents(result.mentions, golds)
    console.print(doc_scoring.format_document_scores(cells), markup=False)
    if cross_validate:
        data = training.training_set(corpus, gold)
        cv = training.cross_validate(data.documents, data.mentions, data.gold, data.extra)
        console.print(
            "the shipped learned layer was trained on these posts; posts it never saw "
            f"(grouped {training.FOLD_SIZE}-post folds, nested choice of its changes):"
        )
        console.print(training.format_cross_validation(cv), markup=False)
    if baseline:
        texts = {d.doc_id: d.text for d in documents}
        bare = evaluation.bare_model_mentions(texts, load_model(DEFAULT_MODEL))
        console.print("[bold]baseline[/]: bare fr_core_news_sm, labels mapped generously:")
        bare_cells = doc_scoring.score_documents(bare, golds)
        console.print(doc_scoring.format_document_scores(bare_cells), markup=False)


def _evaluate_sentiment(gold: Path) -> None:
    try:
        scores = evaluate_sentiment(gold)
    except (OSError, ValueError) as error:
        fail(str(error))
    console.print(
        f"[bold]sentiment[/] on {gold}: classifier (shipped weights), lexicon rules ('full'),"
        " baseline textblob-fr lexicon alone ('lexicon_only'):"
    )
    console.print(format_sentiment_scores(scores), markup=False)
