"""The ``recap-nlp`` command: thin commands over the public API, printed with rich.

Exit codes: 0 all went well, 1 some inputs were skipped, 2 usage error (bad option,
missing corpus, output folder in use).
"""

from __future__ import annotations

import json
import platform
from collections import Counter
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.markup import escape
from rich.padding import Padding
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from recap_nlp.cli import explore as cli_explore
from recap_nlp.cli import terminal
from recap_nlp.cli.common import (
    EXIT_OK,
    EXIT_SKIPPED,
    FormatOption,
    LimitOption,
    OutOption,
    OutputFormat,
    WideOption,
    app,
    console,
    errors,
    fail,
    print_frame,
)
from recap_nlp.output import readable, store
from recap_nlp.output.readable import plural
from recap_nlp.pipeline.config import ConfigError, load_config
from recap_nlp.pipeline.options import RunOptions
from recap_nlp.pipeline.runner import run
from recap_nlp.records import Document, RunResult
from recap_nlp.version import __version__


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
        result = _run_with_progress(corpus, out, options, reports)
    except (store.OutputLockedError, store.OutputFolderError) as error:
        fail(str(error))
    except ValueError as error:  # a bad user gazetteer: named file, line and reason
        fail(str(error))
    _print_summary(result, out)
    if reports:
        _print_reports(out)
    raise typer.Exit(EXIT_SKIPPED if result.skipped else EXIT_OK)


def _corpus_exists(corpus: Path) -> bool:
    from recap_nlp.ingest.corpus import find_files

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
    from recap_nlp.output.tables import DISAGREEMENT_STATUSES
    from recap_nlp.records import COUNTED_LABELS

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


@app.command()
def info(
    corpus: Annotated[Path, typer.Argument(help="Corpus to describe.")] = Path("corpus"),
    out: OutOption = Path("outputs"),
) -> None:
    """Versions, model and corpus statistics."""
    import spacy

    from recap_nlp.ingest.corpus import read_corpus
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


def show(
    frame: pd.DataFrame,
    output: OutputFormat,
    wide: bool,
    view: Callable[[pd.DataFrame], terminal.View],
    limit: int = 0,
) -> None:
    """CSV/JSON of every column, or the readable table (``--wide``: every column)."""
    if limit:
        frame = frame.head(limit)
    if output is not OutputFormat.table or wide:
        print_frame(frame, output)
    elif frame.empty:
        console.print("(no rows)")
    else:
        console.print(terminal.render(view(frame)))


def _read_or_exit(out: Path, name: str) -> object:
    if not (out / store.DATABASE_NAME).exists():
        fail(f"no run in {out}; run `recap-nlp run` first")
    return store.read_table(out, name)


@app.command()
def entities(
    out: OutOption = Path("outputs"),
    output: FormatOption = OutputFormat.table,
    label: Annotated[
        str | None, typer.Option(help="Only this label (PER, CITY, ORG, EVENT, LOC, MISC).")
    ] = None,
    limit: LimitOption = 0,
    wide: WideOption = False,
) -> None:
    """Canonical entities of the last run, most mentioned first (LOC and MISC apart)."""
    from recap_nlp.records import COUNTED_LABELS

    frame = _frame_or_exit(out, "entities")
    if label:
        frame = frame[frame["label"] == label.upper()]
    frame = frame.assign(_apart=~frame["label"].isin(COUNTED_LABELS))
    frame = frame.sort_values(["_apart", "n_mentions", "canonical"], ascending=[True, False, True])
    show(frame.drop(columns="_apart"), output, wide, terminal.entities_view, limit)


@app.command()
def facts(
    out: OutOption = Path("outputs"),
    output: FormatOption = OutputFormat.table,
    event: Annotated[str | None, typer.Option(help="Only facts of this event id.")] = None,
    attribute: Annotated[str | None, typer.Option(help="Only this attribute.")] = None,
    limit: LimitOption = 0,
    wide: WideOption = False,
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
    frame = frame.sort_values(["event_id", "attribute", "doc_id", "start"])[columns]
    events, posts = _frame_or_exit(out, "events"), _post_labels(out, limit=40)
    if output is not OutputFormat.table or wide:
        print_frame(frame, output, limit)
        return
    if frame.empty:
        console.print("(no facts)")
    for heading, view in terminal.facts_views(frame.head(limit or None), events, posts):
        console.print(heading, soft_wrap=False)
        console.print(terminal.render(view))


@app.command()
def events(
    out: OutOption = Path("outputs"),
    output: FormatOption = OutputFormat.table,
    wide: WideOption = False,
) -> None:
    """Real-world events grouped across posts (ids for --event under each name)."""
    frame = _frame_or_exit(out, "events")
    show(frame, output, wide, lambda f: terminal.events_view(f, console.width))


@app.command()
def conflicts(
    out: OutOption = Path("outputs"),
    output: FormatOption = OutputFormat.table,
    all_rows: Annotated[
        bool, typer.Option("--all", help="Every reconciled attribute, also where sources agree.")
    ] = False,
    wide: WideOption = False,
) -> None:
    """Attributes where posts disagree, every source quoted, and the value chosen and why."""
    frame = _frame_or_exit(out, "reconciled" if all_rows else "conflicts")
    if output is not OutputFormat.table or wide:
        print_frame(frame, output)
        return
    if frame.empty:
        console.print("No conflicting values between sources.")
    names = readable.event_names(_frame_or_exit(out, "events"))
    posts = _post_labels(out)
    for row in frame.itertuples():
        _print_conflict(row, names, posts)


def _print_conflict(row: object, names: dict[str, str], posts: dict[str, str]) -> None:
    get = row.__getattribute__
    chosen = get("chosen") or "none (unresolved)"
    event_id = get("event_id")
    console.print(
        f"[bold]{escape(names.get(event_id, event_id))}[/] [dim]({escape(event_id)})[/] · "
        f"{escape(get('attribute'))} · [yellow]{get('status')}[/] · chosen: {escape(chosen)} "
        f"(confidence {get('confidence'):.2f})",
        soft_wrap=False,
    )
    _indented(f"reason: {escape(get('reason'))}", 2)
    if getattr(row, "basis", ""):
        _indented(f"rests on: {escape(str(get('basis')))}", 2)
    values, docs, quotes = (json.loads(get(k)) for k in ("values", "doc_ids", "quotes"))
    for value, doc_id, quote in zip(values, docs, quotes, strict=False):
        _indented(f"- {escape(value)} · {_post_cell(doc_id, posts)}", 2)
        _indented(f"« {escape(quote)} »", 4)


def _post_cell(doc_id: str, posts: dict[str, str]) -> str:
    label = posts.get(doc_id, doc_id)
    return escape(doc_id) if label == doc_id else f"{escape(label)} [dim]({escape(doc_id)})[/]"


def _indented(text: str, indent: int) -> None:
    """Print rich markup wrapped at word boundaries, every line indented."""
    console.print(Padding(text, (0, 0, 0, indent)), soft_wrap=False)


def _post_labels(out: Path, limit: int = 50) -> dict[str, str]:
    """Post labels (title, else first words and date) of the run in ``out``."""
    return readable.post_labels(
        _frame_or_exit(out, "documents"), _frame_or_exit(out, "sentences"), limit=limit
    )


def _frame_or_exit(out: Path, name: str) -> pd.DataFrame:
    frame = _read_or_exit(out, name)
    assert isinstance(frame, pd.DataFrame)
    return frame


class ThemeMethod(StrEnum):
    nmf = "nmf"
    lda = "lda"


@app.command("themes")
def themes_command(
    out: OutOption = Path("outputs"),
    output: FormatOption = OutputFormat.table,
    keywords: Annotated[
        bool, typer.Option("--keywords", help="Keywords per post instead.")
    ] = False,
    k: Annotated[
        int | None, typer.Option("--k", min=1, help="Refit with K themes (reruns CORPUS, cached).")
    ] = None,
    method: Annotated[
        ThemeMethod | None, typer.Option("--method", help="Refit with nmf or lda.")
    ] = None,
    corpus: Annotated[Path, typer.Option(help="Corpus of the run, for --k/--method.")] = Path(
        "corpus"
    ),
    wide: WideOption = False,
) -> None:
    """Themes with their top terms, representative sentences and posts, share in each post."""
    if k is not None or method is not None:
        _refit_themes(corpus, out, k, method)
    if keywords:
        frame, posts = _frame_or_exit(out, "keywords"), _post_labels(out)
        show(frame, output, wide, lambda f: terminal.keywords_view(f, posts))
        return
    frame = _frame_or_exit(out, "themes")
    shares = _frame_or_exit(out, "doc_themes")
    if output is not OutputFormat.table or wide:
        print_frame(frame, output)
        return
    posts = _post_labels(out, limit=40)
    for row in frame.itertuples():
        console.print(f"[bold]theme {row.theme_id}[/]: {escape(row.label)}")
        terms = ", ".join(json.loads(row.top_terms))
        _indented(f"terms: {escape(terms)}", 2)
        for sentence in json.loads(row.representative_sentences):
            _indented(f"« {escape(sentence)} »", 2)
        if "representative_posts" in frame.columns:
            _indented(f"posts: {escape(', '.join(json.loads(row.representative_posts)))}", 2)
        mine = shares[shares["theme_id"] == row.theme_id].sort_values("share", ascending=False)
        line = terminal.share_line(list(mine.doc_id), list(mine.share), posts)
        _indented(f"share: {escape(line)}", 2)


def _refit_themes(corpus: Path, out: Path, k: int | None, method: ThemeMethod | None) -> None:
    """Run CORPUS again into OUT with other theme settings (unchanged posts come from the cache)."""
    if not _corpus_exists(corpus):
        fail(f"no such corpus: {corpus}")
    options = RunOptions.from_settings(
        load_config(None), n_themes=k, theme_method=method.value if method else None
    )
    try:
        result = run(corpus, out, options)
    except store.OutputLockedError as error:
        fail(str(error))
    for note in result.notes:
        errors.print(f"[dim]{escape(note)}[/]")


@app.command()
def sentiment(
    out: OutOption = Path("outputs"),
    output: FormatOption = OutputFormat.table,
    by_entity: Annotated[
        bool, typer.Option("--entities", help="Rank entities instead of posts.")
    ] = False,
    limit: LimitOption = 0,
    wide: WideOption = False,
) -> None:
    """Posts (or entities) ranked by sentiment, with the sentences that drive each score."""
    from recap_nlp.records import COUNTED_LABELS

    if by_entity:
        frame = _frame_or_exit(out, "entity_sentiment")
        frame = frame[frame["entity_label"].isin(COUNTED_LABELS)]
        frame = frame.sort_values(["polarity", "entity"], ascending=[False, True])
        show(frame, output, wide, terminal.entity_sentiment_view, limit)
        return
    frame = _frame_or_exit(out, "doc_sentiment").sort_values("polarity", ascending=False)
    posts = _post_labels(out, limit=60)
    show(frame, output, wide, lambda f: terminal.doc_sentiment_view(f, posts), limit)


@app.command()
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
    import spacy

    from recap_nlp.evaluation import mentions as evaluation
    from recap_nlp.pipeline.runner import analyse, read_documents

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
        bare = evaluation.bare_model_mentions(texts, spacy.load("fr_core_news_sm"))
        console.print("[bold]baseline[/]: bare fr_core_news_sm, labels mapped generously:")
        console.print(evaluation.format_scores(evaluation.score_mentions(bare, gold_mentions)))
    if sentiment:
        _evaluate_sentiment(sentiment_gold)


def _evaluate_documents(corpus: Path, gold: Path, baseline: bool, cross_validate: bool) -> None:
    """Document-level entity scores per label; the learned layer's figure cross-validated."""
    import spacy

    from recap_nlp.evaluation import documents as doc_scoring
    from recap_nlp.evaluation import entity_training as training
    from recap_nlp.evaluation import mentions as evaluation
    from recap_nlp.pipeline.runner import analyse, read_documents

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
        bare = evaluation.bare_model_mentions(texts, spacy.load("fr_core_news_sm"))
        console.print("[bold]baseline[/]: bare fr_core_news_sm, labels mapped generously:")
        bare_cells = doc_scoring.score_documents(bare, golds)
        console.print(doc_scoring.format_document_scores(bare_cells), markup=False)


def _evaluate_sentiment(gold: Path) -> None:
    from recap_nlp.sentiment import evaluate_sentiment, format_sentiment_scores

    try:
        scores = evaluate_sentiment(gold)
    except (OSError, ValueError) as error:
        fail(str(error))
    console.print(
        f"[bold]sentiment[/] on {gold}: classifier (shipped weights), lexicon rules ('full'),"
        " baseline textblob-fr lexicon alone ('lexicon_only'):"
    )
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
    from recap_nlp.output.factsheet import UnknownEventError, write_factsheets
    from recap_nlp.output.plots import write_figures

    if not (out / store.DATABASE_NAME).exists():
        fail(f"no run in {out}: run `recap-nlp run` first")
    formats = (sheet_format.value,) if sheet_format else ("html", "md")
    try:
        with store.output_lock(out):  # a run cannot swap the tables away meanwhile
            tables = store.read_tables(out)
            paths = write_factsheets(out, tables, lang=lang.value, formats=formats, event_id=event)
            if figures:
                paths += write_figures(out, tables)
    except UnknownEventError:
        fail(f"no event {event!r} in {out} (see `recap-nlp events --out {out}`)")
    except (store.OutputLockedError, store.OutputFolderError) as error:
        fail(str(error))
    for path in paths:
        console.print(escape(str(path)))


def _print_reports(out: Path) -> None:
    """Where the fact sheets and figures of the run just written are (swapped in with it)."""
    sheets = sorted((out / "factsheets").glob("*.*"))
    drawn = sorted((out / "figures").glob("*.*"))
    console.print(
        f"fact sheets: {escape(str(out / 'factsheets'))} ({len(sheets)} files), "
        f"figures: {escape(str(out / 'figures'))} ({len(drawn)} files)"
    )


# The exploration commands, defined in their own module.
app.command()(cli_explore.concordance)
app.command()(cli_explore.keyness)
