"""The ``recap-nlp`` command: thin commands over the public API, printed with rich.

Exit codes: 0 all went well, 1 some inputs were skipped, 2 usage error (bad option,
missing corpus, output folder in use).
"""

from __future__ import annotations

import json
import logging
import platform
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

from recap_nlp import __version__, store
from recap_nlp.config import ConfigError, load_config
from recap_nlp.pipeline import RunOptions, RunResult, run
from recap_nlp.records import Document

app = typer.Typer(
    help="Facts people can trust from French blog recaps.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console(soft_wrap=True)
errors = Console(stderr=True, soft_wrap=True)

EXIT_OK, EXIT_SKIPPED, EXIT_USAGE = 0, 1, 2


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


OutOption = Annotated[Path, typer.Option("--out", "-o", help="Output folder of a run.")]
FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="table, csv or json.")]
LimitOption = Annotated[int, typer.Option("--limit", "-n", help="Rows to print (0: all).")]


def fail(message: str) -> NoReturn:
    """Print a usage error (text from files is escaped, never read as markup) and exit 2."""
    errors.print(f"[red]error:[/] {escape(message)}")
    raise typer.Exit(EXIT_USAGE)


@app.callback()
def main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log each stage.")] = False,
) -> None:
    """Read French recap posts and turn them into entities, facts, themes and sentiment."""
    logging.basicConfig(level=logging.INFO if verbose else logging.ERROR, format="%(message)s")


@app.command("run")
def run_command(
    corpus: Annotated[Path, typer.Argument(help="Folder, file or glob of posts.")] = Path("corpus"),
    out: OutOption = Path("outputs"),
    workers: Annotated[int | None, typer.Option(min=1, help="Processes for spaCy.")] = None,
    batch_size: Annotated[
        int | None, typer.Option(min=1, help="Documents per spaCy batch.")
    ] = None,
    gazetteer: Annotated[
        Path | None,
        typer.Option(help="Extra gazetteer file (see README).", exists=True, dir_okay=False),
    ] = None,
    themes: Annotated[
        int | None, typer.Option("--themes", min=1, help="Number of themes (default: automatic).")
    ] = None,
    engine_name: Annotated[
        str | None, typer.Option("--engine", help="local or dask: where per-post stages run.")
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Dask scheduler address (default: a local cluster)."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Recompute every post, ignoring the cache.")
    ] = False,
    use_cache: Annotated[
        bool, typer.Option("--cache/--no-cache", help="Reuse results of unchanged posts.")
    ] = True,
    reports: Annotated[
        bool,
        typer.Option("--reports/--no-reports", help="Write fact sheets and figures after the run."),
    ] = True,
    config: Annotated[
        Path | None,
        typer.Option(
            help="TOML file overriding the packaged defaults.", exists=True, dir_okay=False
        ),
    ] = None,
) -> None:
    """Run the whole pipeline on CORPUS and write tables and database into --out."""
    if not _corpus_exists(corpus):
        fail(f"no such corpus: {corpus}")
    try:
        settings = load_config(config)
    except ConfigError as error:
        fail(str(error))
    options = RunOptions.from_settings(
        settings,
        workers=workers,
        batch_size=batch_size,
        n_themes=themes,
        force=force,
        use_cache=use_cache,
        engine=engine_name,
        scheduler=scheduler,
        gazetteer=str(gazetteer) if gazetteer else None,
    )
    try:
        result = _run_with_progress(corpus, out, options)
    except store.OutputLockedError as error:
        fail(str(error))
    except ValueError as error:  # a bad user gazetteer: named file, line and reason
        fail(str(error))
    _print_summary(result, out)
    if reports:
        _write_reports(out)
    raise typer.Exit(EXIT_SKIPPED if result.skipped else EXIT_OK)


def _corpus_exists(corpus: Path) -> bool:
    from recap_nlp.corpus import find_files

    return corpus.exists() or bool(find_files(corpus))


def _run_with_progress(corpus: Path, out: Path, options: RunOptions) -> RunResult:
    columns = (
        TextColumn("[bold]analysing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=errors, transient=True) as bar:
        task = bar.add_task("", total=None)

        def advance(doc: Document, total: int) -> None:
            bar.update(task, advance=1, total=total, description=doc.doc_id)

        return run(corpus, out, options, progress=advance)


def _print_summary(result: RunResult, out: Path) -> None:
    console.print(
        f"[bold]{len(result.documents)}[/] documents analysed, "
        f"{len(result.skipped)} skipped, {len(result.duplicates)} duplicates set aside"
    )
    if len(result.documents) > result.n_parsed:
        console.print(
            f"  {len(result.documents) - result.n_parsed} unchanged posts reused from "
            f"the cache ({escape(str(out / '.cache'))}; --force recomputes them)"
        )
    for skip in result.skipped:
        console.print(f"  [yellow]skipped[/] {escape(skip.path)}: {escape(skip.reason)}")
    for duplicate in result.duplicates:
        console.print(
            f"  [yellow]duplicate[/] {escape(duplicate.doc_id)} "
            f"of {escape(duplicate.duplicate_of)} "
            f"({duplicate.kind}, similarity {duplicate.similarity:.2f})"
        )
    for doc in result.documents:
        for warning in doc.warnings:
            console.print(f"  [yellow]warning[/] {escape(doc.source_path)}: {escape(warning)}")
    for note in result.notes:
        console.print(f"  [cyan]note[/] {escape(note)}")
    counted = [e for e in result.entities if e.label in ("PER", "CITY", "ORG", "EVENT")]
    console.print(f"[bold]{len(counted)}[/] entities ({len(result.mentions)} mentions)")
    for name, count in sorted(_extra_counts(result).items()):
        console.print(f"[bold]{count}[/] {name}")
    console.print(f"outputs: {out / store.DATABASE_NAME} and {out / store.TABLES_DIR}/")


def _extra_counts(result: RunResult) -> dict[str, int]:
    names = ("facts", "events", "conflicts", "themes")
    return {name: len(getattr(result, name)) for name in names if hasattr(result, name)}


@app.command()
def info(
    corpus: Annotated[Path, typer.Argument(help="Corpus to describe.")] = Path("corpus"),
    out: OutOption = Path("outputs"),
) -> None:
    """Versions, model and corpus statistics."""
    import spacy

    from recap_nlp.corpus import read_corpus
    from recap_nlp.nlp import DEFAULT_MODEL

    console.print(
        f"recap-nlp {__version__} · Python {platform.python_version()} · "
        f"spaCy {spacy.__version__} · model {DEFAULT_MODEL} "
        f"{_package_version(DEFAULT_MODEL)}"
    )
    if corpus.exists():
        read = read_corpus(corpus)
        n_chars = sum(len(d.text) for d in read.documents)
        formats = sorted({d.format for d in read.documents})
        console.print(
            f"corpus {corpus}: {len(read.documents)} documents ({', '.join(formats)}), "
            f"{n_chars:,} characters, {len(read.skipped)} unreadable"
        )
    if (out / store.DATABASE_NAME).exists():
        console.print(f"last run in {out}: tables {', '.join(store.list_tables(out))}")


def _package_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "(not installed)"


def print_frame(frame: object, output: OutputFormat, limit: int = 0) -> None:
    """Print a pandas DataFrame as a rich table, CSV or JSON."""
    assert isinstance(frame, pd.DataFrame)
    if limit:
        frame = frame.head(limit)
    if output is OutputFormat.csv:
        console.print(frame.to_csv(index=False), end="", markup=False, highlight=False)
    elif output is OutputFormat.json:
        rows = json.loads(frame.to_json(orient="records", force_ascii=False))
        console.print_json(json.dumps(rows, ensure_ascii=False))
    else:
        table = RichTable(show_lines=False)
        for column in frame.columns:
            table.add_column(str(column), overflow="fold")
        for row in frame.itertuples(index=False):
            table.add_row(*("" if pd.isna(v) else str(v) for v in row))
        console.print(table)


def _read_or_exit(out: Path, name: str) -> object:
    if not (out / store.DATABASE_NAME).exists():
        fail(f"no run in {out}; run `recap-nlp run` first")
    return store.read_table(out, name)


@app.command()
def entities(
    out: OutOption = Path("outputs"),
    output: FormatOption = OutputFormat.table,
    label: Annotated[
        str | None, typer.Option(help="Only this label (PER, CITY, ORG, EVENT...).")
    ] = None,
    limit: LimitOption = 0,
) -> None:
    """Canonical entities of the last run, most mentioned first."""
    frame = _frame_or_exit(out, "entities")
    if label:
        frame = frame[frame["label"] == label.upper()]
    frame = frame.sort_values(["n_mentions", "canonical"], ascending=[False, True])
    print_frame(frame, output, limit)


@app.command()
def facts(
    out: OutOption = Path("outputs"),
    output: FormatOption = OutputFormat.table,
    event: Annotated[str | None, typer.Option(help="Only facts of this event id.")] = None,
    attribute: Annotated[str | None, typer.Option(help="Only this attribute.")] = None,
    limit: LimitOption = 0,
) -> None:
    """Facts found in each post, with the event they belong to and their quote."""
    frame = _frame_or_exit(out, "facts")
    if event:
        frame = frame[frame["event_id"] == event]
    if attribute:
        frame = frame[frame["attribute"] == attribute]
    columns = [
        "event_id",
        "attribute",
        "value",
        "value_min",
        "value_max",
        "precision",
        "doc_id",
        "start",
        "end",
        "sentence",
        "extractor",
        "note",
    ]
    print_frame(
        frame.sort_values(["event_id", "attribute", "doc_id", "start"])[columns], output, limit
    )


@app.command()
def events(out: OutOption = Path("outputs"), output: FormatOption = OutputFormat.table) -> None:
    """Real-world events grouped across posts."""
    print_frame(_frame_or_exit(out, "events"), output)


@app.command()
def conflicts(
    out: OutOption = Path("outputs"),
    output: FormatOption = OutputFormat.table,
    all_rows: Annotated[
        bool, typer.Option("--all", help="Also attributes where sources agree.")
    ] = False,
) -> None:
    """Attributes where posts disagree, every source quoted, and the value chosen and why."""
    frame = _frame_or_exit(out, "conflicts")
    if not all_rows:
        frame = frame[frame["status"].isin(["conflict", "unresolved"])]
    if output is not OutputFormat.table:
        print_frame(frame, output)
        return
    if frame.empty:
        console.print("No conflicting values between sources.")
    for row in frame.itertuples():
        _print_conflict(row)


def _print_conflict(row: object) -> None:
    get = row.__getattribute__
    chosen = get("chosen") or "none (unresolved)"
    console.print(
        f"[bold]{escape(get('event_id'))}[/] · {escape(get('attribute'))} · "
        f"[yellow]{get('status')}[/] · chosen: {escape(chosen)} "
        f"(confidence {get('confidence'):.2f})"
    )
    console.print(f"  reason: {escape(get('reason'))}")
    if getattr(row, "basis", ""):
        console.print(f"  rests on: {escape(str(get('basis')))}")
    values, docs, quotes = (json.loads(get(k)) for k in ("values", "doc_ids", "quotes"))
    for value, doc_id, quote in zip(values, docs, quotes, strict=False):
        console.print(f"  - {escape(value)} [dim]({escape(doc_id)})[/] « {escape(quote)} »")


def _frame_or_exit(out: Path, name: str) -> pd.DataFrame:
    frame = _read_or_exit(out, name)
    assert isinstance(frame, pd.DataFrame)
    return frame


@app.command("themes")
def themes_command(
    out: OutOption = Path("outputs"),
    output: FormatOption = OutputFormat.table,
    keywords: Annotated[
        bool, typer.Option("--keywords", help="Keywords per post instead.")
    ] = False,
) -> None:
    """Themes with their top terms, representative sentences and share in each post."""
    if keywords:
        print_frame(_frame_or_exit(out, "keywords"), output)
        return
    frame = _frame_or_exit(out, "themes")
    shares = _frame_or_exit(out, "doc_themes")
    if output is not OutputFormat.table:
        print_frame(frame, output)
        return
    for row in frame.itertuples():
        console.print(f"[bold]theme {row.theme_id}[/]: {escape(row.label)}")
        console.print(f"  terms: {escape(', '.join(json.loads(row.top_terms)))}")
        for sentence in json.loads(row.representative_sentences):
            console.print(f"  « {escape(sentence)} »")
        mine = shares[shares["theme_id"] == row.theme_id].sort_values("share", ascending=False)
        console.print(
            "  share: "
            + ", ".join(f"{d} {s:.0%}" for d, s in zip(mine.doc_id, mine.share, strict=True))
        )


@app.command()
def sentiment(
    out: OutOption = Path("outputs"),
    output: FormatOption = OutputFormat.table,
    by_entity: Annotated[
        bool, typer.Option("--entities", help="Rank entities instead of posts.")
    ] = False,
    limit: LimitOption = 0,
) -> None:
    """Posts (or entities) ranked by sentiment, with the sentences that drive each score."""
    if by_entity:
        frame = _frame_or_exit(out, "entity_sentiment")
        frame = frame[frame["entity_label"].isin(["PER", "CITY", "ORG", "EVENT"])]
        frame = frame.sort_values(["polarity", "entity"], ascending=[False, True])
    else:
        frame = _frame_or_exit(out, "doc_sentiment").sort_values("polarity", ascending=False)
    print_frame(frame, output, limit)


@app.command()
def evaluate(
    corpus: Annotated[Path, typer.Option(help="Corpus the gold file annotates.")] = Path("corpus"),
    gold: Annotated[Path, typer.Option(help="Gold entity mentions (JSONL).")] = Path(
        "tests/gold/entities.jsonl"
    ),
    sentiment_gold: Annotated[Path, typer.Option(help="Hand-labelled sentences (TSV).")] = Path(
        "tests/gold/sentiment.tsv"
    ),
    baseline: Annotated[bool, typer.Option(help="Also score the bare baselines.")] = True,
    sentiment: Annotated[bool, typer.Option(help="Also score sentiment.")] = True,
) -> None:
    """Entity P/R/F1 per label and sentiment accuracy/macro-F1 against hand-made gold files."""
    import spacy

    from recap_nlp import evaluation
    from recap_nlp.pipeline import analyse, read_documents

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
        bare = evaluation.bare_model_mentions(texts, spacy.load("fr_core_news_sm"))
        console.print("[bold]baseline[/]: bare fr_core_news_sm, labels mapped generously:")
        console.print(evaluation.format_scores(evaluation.score_mentions(bare, gold_mentions)))
    if sentiment:
        _evaluate_sentiment(sentiment_gold)


def _evaluate_sentiment(gold: Path) -> None:
    from recap_nlp.sentiment import evaluate_sentiment, format_sentiment_scores

    try:
        scores = evaluate_sentiment(gold)
    except (OSError, ValueError) as error:
        fail(str(error))
    console.print(f"[bold]sentiment[/] on {gold} (baseline: textblob-fr lexicon alone):")
    console.print(format_sentiment_scores(scores), markup=False)


class SheetFormat(StrEnum):
    html = "html"
    md = "md"


class SheetLang(StrEnum):
    fr = "fr"
    en = "en"


@app.command("factsheet")
def factsheet_command(
    out: OutOption = Path("outputs"),
    event: Annotated[
        str | None, typer.Option("--event", help="Only this event id (see recap-nlp events).")
    ] = None,
    sheet_format: Annotated[
        SheetFormat | None, typer.Option("--format", "-f", help="html or md (default: both).")
    ] = None,
    lang: Annotated[SheetLang, typer.Option("--lang", help="Labels: fr or en.")] = SheetLang.fr,
    figures: Annotated[
        bool, typer.Option("--figures/--no-figures", help="Also draw the figures.")
    ] = True,
) -> None:
    """Write a fact sheet per event and a corpus overview into OUT/factsheets/."""
    from recap_nlp.factsheet import UnknownEventError, write_factsheets
    from recap_nlp.plots import write_figures

    if not (out / store.DATABASE_NAME).exists():
        fail(f"no run in {out}: run `recap-nlp run` first")
    formats = (sheet_format.value,) if sheet_format else ("html", "md")
    try:
        paths = write_factsheets(out, lang=lang.value, formats=formats, event_id=event)
    except UnknownEventError:
        fail(f"no event {event!r} in {out} (see `recap-nlp events --out {out}`)")
    if figures:
        paths += write_figures(out)
    for path in paths:
        console.print(escape(str(path)))


def _write_reports(out: Path) -> None:
    """Fact sheets and figures of the run just written (called at the end of `run`)."""
    from recap_nlp.factsheet import write_factsheets
    from recap_nlp.plots import write_figures

    sheets = write_factsheets(out)
    drawn = write_figures(out)
    console.print(
        f"fact sheets: {escape(str(out / 'factsheets'))} ({len(sheets)} files), "
        f"figures: {escape(str(out / 'figures'))} ({len(drawn)} files)"
    )


if __name__ == "__main__":
    app()
