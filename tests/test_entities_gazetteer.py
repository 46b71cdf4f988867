"""User gazetteers: formats, validation errors, effect on the pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from recap_nlp.entities import GazetteerError, load_user_gazetteer


def test_tsv_lines_become_patterns(tmp_path: Path) -> None:
    path = tmp_path / "g.tsv"
    path.write_text("# comment\nUQAM\tORG\tUniversité du Québec à Montréal\n\nStartupfest\tEVENT\n")
    assert load_user_gazetteer(path) == [
        {"label": "ORG", "pattern": "UQAM", "id": "Université du Québec à Montréal"},
        {"label": "EVENT", "pattern": "Startupfest", "id": "Startupfest"},
    ]


@pytest.mark.parametrize(
    ("content", "lineno", "reason"),
    [
        ("UQAM\tORG\nStartupfest\tFESTIVAL\n", 2, "unknown label"),
        ("UQAM ORG\n", 1, "expected 2 or 3"),
        ("\tORG\n", 1, "empty name"),
    ],
)
def test_bad_tsv_line_names_file_and_line(
    tmp_path: Path, content: str, lineno: int, reason: str
) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text(content)
    with pytest.raises(GazetteerError) as err:
        load_user_gazetteer(path)
    assert str(path) in str(err.value) and f":{lineno}:" in str(err.value)
    assert reason in err.value.reason
    assert isinstance(err.value, ValueError)


def test_bad_jsonl_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"label": "ORG", "pattern": "UQAM", "id": "UQAM"}\n{"label": "ORG"\n')
    with pytest.raises(GazetteerError, match=r"bad\.jsonl:2: not valid JSON"):
        load_user_gazetteer(path)


def test_user_gazetteer_wins_in_the_pipeline(tmp_path: Path) -> None:
    from recap_nlp.nlp import load_pipeline

    path = tmp_path / "g.tsv"
    path.write_text("Pique-nique numérique\tEVENT\n")
    nlp = load_pipeline(gazetteer=str(path))
    doc = nlp("On veut vous voir au Pique-nique numérique samedi.")
    assert [(e.text, e.label_, e.kb_id_) for e in doc.ents] == [
        ("Pique-nique numérique", "EVENT", "gazetteer")
    ]
