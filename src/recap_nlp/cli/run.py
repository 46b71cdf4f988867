"""The ``run`` and ``info`` commands: the pipeline with a progress bar, and what is installed."""

from __future__ import annotations

import platform
from collections import Counter
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Annotated

import spacy
import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from recap_nlp.cli.common import (
    EXIT_OK,
    EXIT_SKIPPED,
    OutOption,
    console,
    errors,
    fail,
)
from recap_nlp.cli.reports import print_reports
from recap_nlp.ingest.corpus import find_files, read_corpus
from recap_nlp.nlp import DEFAULT_MODEL
from recap_nlp.output import store
from recap_nlp.output.readable import plural
from recap_nlp.output.tables import DISAGREEMENT_STATUSES
from recap_nlp.pipeline.config import ConfigError, load_config
from recap_nlp.pipeline.options import RunOptions
from recap_nlp.pipeline.runner import run
from recap_nlp.records import COUNTED_LABELS, Document, RunResult
from recap_nlp.version import __version__


def run_command(
    corpus: Annotated[Path, typer.Argument(help="Folder, file or glob of posts.")] = Path("corpus"),
    out: OutOption = Path("outputs"),
    workers: Annotated[
        int | None, typer.Option(min=1, help="Processes for spaCy and the per-post stages.")
    ] = None,
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
    if not corpus_exists(corpus):
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
        result = _run_with_progress(corpus, out, options, reports)
    except (store.OutputLockedError, store.OutputFolderError) as error:
        fail(str(error))
    except ValueError as error:  # a bad user gazetteer: named file, line and reason
        fail(str(error))
    _print_summary(result, out)
    if reports:
        print_reports(out)
    raise typer.Exit(EXIT_SKIPPED if result.skipped else EXIT_OK)


def corpus_exists(corpus: Path) -> bool:
    return corpus.exists() or bool(find_files(corpus))


def _run_with_progress(
    corpus: Path, out: Path, options: RunOptions, reports: bool = True
) -> RunResult:
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

        return run(corpus, out, options, progress=advance, reports=reports)


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
    for line in summary_lines(result):
        console.print(line)
    console.print(f"outputs: {out / store.DATABASE_NAME} and {out / store.TABLES_DIR}/")


def _bold_count(n: int, word: str, many: str | None = None) -> str:
    number, text = plural(n, word, many).split(" ", 1)
    return f"[bold]{number}[/] {text}"


def summary_lines(result: RunResult) -> list[str]:
    """What a run found, counted as the tables count it (rich markup, numbers in bold).

    Entities are the four labels users asked for (PER, CITY, ORG, EVENT); LOC and MISC
    names are counted apart and said so. Conflicts are genuine disagreements only.
    """
    counted = [e for e in result.entities if e.label in COUNTED_LABELS]
    kept = {e.entity_id for e in counted}
    n_mentions = sum(m.entity_id in kept for m in result.mentions)
    apart = Counter(e.label for e in result.entities if e.label not in COUNTED_LABELS)
    entities = (
        f"{_bold_count(len(counted), 'entity', 'entities')} "
        f"({', '.join(COUNTED_LABELS)}; {plural(n_mentions, 'mention')})"
    )
    if apart:
        entities += " · counted apart: " + ", ".join(
            f"{n} {label}" for label, n in sorted(apart.items())
        )
    disputed = [c for c in result.conflicts if c.status in DISAGREEMENT_STATUSES]
    n_unresolved = sum(c.status == "unresolved" for c in disputed)
    conflicts = _bold_count(len(disputed), "conflict")
    if disputed:
        conflicts += f" ({n_unresolved} unresolved)"
    conflicts += f" among {plural(len(result.conflicts), 'reconciled value')}"
    return [
        entities,
        _bold_count(len(result.events), "event"),
        _bold_count(len(result.facts), "fact"),
        conflicts,
        _bold_count(len(result.themes), "theme"),
    ]


def info(
    corpus: Annotated[Path, typer.Argument(help="Corpus to describe.")] = Path("corpus"),
    out: OutOption = Path("outputs"),
) -> None:
    """Versions, model and corpus statistics."""
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
    try:
        return version(name)
    except PackageNotFoundError:
        return "(not installed)"
