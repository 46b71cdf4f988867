"""End to end: the CLI on a temporary copy of the seed corpus."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.main import get_command
from typer.testing import CliRunner

from recap_nlp.cli.main import app

runner = CliRunner()


def test_summary_counts_genuine_conflicts_and_says_what_entities_are(seed_run: Path) -> None:
    summary = (seed_run / "run-output.txt").read_text(encoding="utf-8")
    # The seeds disagree once: the 2017 delegation, 27 in one post and 28 in the other.
    # Chosen (27, the organiser's own account) yet still a conflict: none left unresolved.
    assert "1 conflict (0 unresolved)" in summary
    reconciled = pd.read_csv(seed_run / "tables" / "reconciled.csv", keep_default_na=False)
    conflicts = pd.read_csv(seed_run / "tables" / "conflicts.csv", keep_default_na=False)
    assert len(conflicts) == 1 and len(reconciled) > 10
    assert f"among {len(reconciled)} reconciled values" in summary
    assert set(conflicts["status"]) <= {"conflict", "unresolved"}
    assert {"single", "agree"} <= set(reconciled["status"])
    entities = pd.read_csv(seed_run / "tables" / "entities.csv", keep_default_na=False)
    counted = entities["label"].isin(["PER", "CITY", "ORG", "EVENT"])
    assert f"{counted.sum()} entities (PER, CITY, ORG, EVENT;" in summary
    n_loc = int((entities["label"] == "LOC").sum())
    assert n_loc and f"counted apart: {n_loc} LOC" in summary


READABLE_COMMANDS = (
    ["events"],
    ["facts"],
    ["conflicts"],
    ["conflicts", "--all"],
    ["entities"],
    ["themes"],
    ["themes", "--keywords"],
    ["sentiment"],
    ["sentiment", "--entities"],
)


@pytest.mark.parametrize("width", [80, 160])
@pytest.mark.parametrize("command", READABLE_COMMANDS, ids=" ".join)
def test_readable_output_fits_the_terminal(seed_run: Path, command: list[str], width: int) -> None:
    result = runner.invoke(app, [*command, "--out", str(seed_run)], env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines, command
    assert max(len(line) for line in lines) <= width, command
    assert '["' not in result.output  # JSON arrays are shown as lists
    if command[0] in ("facts", "conflicts") and width > 100:  # posts by title, ids beside
        assert "Keep calm and feel digital" in result.output


@pytest.mark.parametrize("width", [80, 160])
def test_events_keep_ids_whole_and_join_places(seed_run: Path, width: int) -> None:
    result = runner.invoke(app, ["events", "--out", str(seed_run)], env={"COLUMNS": str(width)})
    events = pd.read_csv(seed_run / "tables" / "events.csv", keep_default_na=False)
    for event_id in events["event_id"]:
        assert event_id in result.output  # on one line, never cut into slivers
    assert "Angers, Nantes" in result.output
    assert "Mission Québec numérique en France 2017" in result.output


def test_formats_and_wide_give_every_column(seed_run: Path) -> None:
    csv = runner.invoke(app, ["events", "--out", str(seed_run), "--format", "csv"])
    assert csv.output.splitlines()[0].startswith("event_id,name,kind,start_date")
    wide = runner.invoke(app, ["events", "--out", str(seed_run), "--wide"], env={"COLUMNS": "200"})
    assert "n_facts" in wide.output and "organiser" in wide.output
    narrow = runner.invoke(app, ["events", "--out", str(seed_run)], env={"COLUMNS": "200"})
    assert "n_facts" not in narrow.output
    import json

    rows = json.loads(runner.invoke(app, ["facts", "--out", str(seed_run), "-f", "json"]).output)
    assert {"event_id", "doc_id", "start", "sentence"} <= set(rows[0])


def test_run_writes_documented_tables(seed_run: Path) -> None:
    documents = pd.read_csv(seed_run / "tables" / "documents.csv")
    assert len(documents) == 5
    for column in ("doc_id", "title", "published", "source_path", "n_chars", "content_hash"):
        assert column in documents.columns
    mentions = pd.read_csv(seed_run / "tables" / "mentions.csv")
    for column in ("doc_id", "start", "end", "text", "label", "canonical", "sentence"):
        assert column in mentions.columns
    assert (seed_run / "recap.duckdb").exists()


def test_mention_offsets_point_into_the_original_files(seed_run: Path) -> None:
    from tests.conftest import CORPUS

    mentions = pd.read_csv(seed_run / "tables" / "mentions.csv", keep_default_na=False)
    texts = {p.stem: p.read_text(encoding="utf-8") for p in CORPUS.glob("*.txt")}
    for row in mentions.itertuples():
        assert texts[row.doc_id][row.start : row.end] == row.text
        assert row.text in row.sentence


def test_rerun_gives_identical_tables(seed_run: Path, tmp_path: Path) -> None:
    from tests.conftest import CORPUS

    result = runner.invoke(app, ["run", str(CORPUS), "--out", str(tmp_path)])
    assert result.exit_code == 0
    for csv in sorted((seed_run / "tables").glob("*.csv")):
        if csv.name == "documents.csv":  # source_path differs between the two copies
            continue
        assert csv.read_bytes() == (tmp_path / "tables" / csv.name).read_bytes(), csv.name


@pytest.mark.slow
def test_skipped_input_exits_1_and_is_reported(corpus_copy: Path, tmp_path: Path) -> None:
    (corpus_copy / "vide.txt").write_text("")
    (corpus_copy / "photo.md").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(32))
    result = runner.invoke(app, ["run", str(corpus_copy), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "vide.txt: empty file" in result.output
    assert "photo.md: binary file (PNG image)" in result.output
    skipped = pd.read_csv(tmp_path / "o" / "tables" / "skipped.csv")
    assert sorted(Path(p).name for p in skipped["path"]) == ["photo.md", "vide.txt"]
    assert len(pd.read_csv(tmp_path / "o" / "tables" / "documents.csv")) == 5


def test_missing_corpus_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["run", str(tmp_path / "absent"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "no such corpus" in result.output


def test_table_commands_print_from_the_database(seed_run: Path) -> None:
    result = runner.invoke(app, ["entities", "--out", str(seed_run), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("entity_id,canonical,label")


def test_every_command_has_help_text() -> None:
    command = get_command(app)
    for name, sub in command.commands.items():  # type: ignore[attr-defined]
        assert sub.help, f"command {name} has no help"
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0


def test_conflicts_show_the_2017_delegation_with_both_quotes(seed_run: Path) -> None:
    result = runner.invoke(app, ["conflicts", "--out", str(seed_run), "--format", "json"])
    assert result.exit_code == 0, result.output
    import json

    rows = json.loads(result.output)
    delegation = [r for r in rows if r["attribute"] == "delegation_size"]
    assert len(delegation) == 1, rows  # the 2017 mission only; 2018 does not conflict with it
    row = delegation[0]
    assert sorted(json.loads(row["values"])) == ["27", "28"]
    quotes = json.loads(row["quotes"])
    assert any("délégation de 27 Québécois" in q for q in quotes)
    assert any("délégation de 28 Québécois" in q for q in quotes)
    # One author wrote both posts; the organiser's later post says 27: chosen, still a conflict.
    assert (row["chosen"], row["status"]) == ("27", "conflict")
    assert "organiser" in row["reason"] and "one author" in row["basis"]


def test_facts_show_the_two_missions_as_two_events(seed_run: Path) -> None:
    events = pd.read_csv(seed_run / "tables" / "events.csv", keep_default_na=False)
    dated = events[(events["kind"] == "mission") & (events["start_date"] != "")]
    missions = dated.sort_values("start_date")
    assert missions[["start_date", "end_date"]].values.tolist() == [
        ["2017-06-03", "2017-06-11"],
        ["2018-06-09", "2018-06-17"],
    ]
    result = runner.invoke(app, ["facts", "--out", str(seed_run), "--attribute", "date"])
    assert result.exit_code == 0


@pytest.mark.slow
def test_user_gazetteer_adds_entities_and_bad_line_is_named(
    corpus_copy: Path, tmp_path: Path
) -> None:
    (corpus_copy / "extra.txt").write_text(
        "Nous avons passé trois jours au Festival du Cochon Grillé, un rendez-vous annuel "
        "où les producteurs de la région présentent leurs spécialités aux visiteurs.\n",
        encoding="utf-8",
    )
    gazetteer = tmp_path / "gazetteer.tsv"
    gazetteer.write_text("Festival du Cochon Grillé\tEVENT\n", encoding="utf-8")
    out = tmp_path / "o"
    result = runner.invoke(
        app, ["run", str(corpus_copy), "--out", str(out), "--gazetteer", str(gazetteer)]
    )
    assert result.exit_code == 0, result.output
    mentions = pd.read_csv(out / "tables" / "mentions.csv", keep_default_na=False)
    extra = mentions[mentions["doc_id"] == "extra"]
    assert ("Festival du Cochon Grillé", "EVENT") in set(
        zip(extra["text"], extra["label"], strict=True)
    )

    gazetteer.write_text("Festival du Cochon Grillé\tEVENT\nligne sans étiquette\n")
    before = (out / "tables" / "mentions.csv").read_bytes()
    result = runner.invoke(
        app, ["run", str(corpus_copy), "--out", str(out), "--gazetteer", str(gazetteer)]
    )
    assert result.exit_code == 2
    assert f"{gazetteer}:2:" in result.output
    assert (out / "tables" / "mentions.csv").read_bytes() == before  # nothing else changed


@pytest.mark.parametrize("width", [80, 160])
def test_concordance_and_keyness_from_the_cli(seed_run: Path, width: int) -> None:
    env = {"COLUMNS": str(width)}
    result = runner.invoke(
        app, ["concordance", "délégation", "--out", str(seed_run), "--width", "30"], env=env
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= width
    # "délégation de 27" and "délégation de 28": both posts of the 2017 mission.
    assert sum("délégation" in line and "de 2" in line for line in lines) >= 2
    entity = runner.invoke(
        app, ["concordance", "Québec numérique", "--out", str(seed_run)], env=env
    )
    assert "every spelling" in entity.output
    rows = runner.invoke(
        app, ["concordance", "Québec numérique", "--out", str(seed_run), "-f", "csv"]
    ).output
    frame = pd.read_csv(__import__("io").StringIO(rows))
    assert {"Québec numérique", "Québec Numérique"} <= set(frame["match"])  # both spellings
    key = runner.invoke(
        app, ["keyness", "--out", str(seed_run), "--post", "004_28b78c1437c8c470"], env=env
    )
    assert key.exit_code == 0, key.output
    assert max(len(line) for line in key.output.splitlines()) <= width
    assert (seed_run / "figures" / "keyness-004_28b78c1437c8c470.png").exists()
    bad = runner.invoke(app, ["keyness", "--out", str(seed_run)])
    assert bad.exit_code == 2
