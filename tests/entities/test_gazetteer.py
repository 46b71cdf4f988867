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


@pytest.mark.slow
def test_user_gazetteer_wins_in_the_pipeline(tmp_path: Path) -> None:
    from recap_nlp.nlp import load_pipeline

    path = tmp_path / "g.tsv"
    path.write_text("Pique-nique numérique\tEVENT\n")
    nlp = load_pipeline(gazetteer=str(path))
    doc = nlp("On veut vous voir au Pique-nique numérique samedi.")
    assert [(e.text, e.label_, e.kb_id_) for e in doc.ents] == [
        ("Pique-nique numérique", "EVENT", "gazetteer")
    ]


@pytest.mark.parametrize(
    ("data", "lineno", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01", 0, "binary file"),
        (b"UQAM\tORG\nMus\xe9e des Confluences\tORG\n", 2, "not UTF-8 text (byte 0xe9)"),
        (b"Lyon\tCITY\nGren\x00oble\tCITY\n", 2, "NUL character (U+0000) in column 5"),
        (b"Salon\x07 du livre\tEVENT\n", 1, "control character (U+0007)"),
        (b'{"label": "ORG", "pattern": "Fab\\u000blab"}\n', 0, ""),
    ],
)
def test_unreadable_or_binary_gazetteer_names_file_and_reason(
    tmp_path: Path, data: bytes, lineno: int, reason: str
) -> None:
    path = tmp_path / "noms.tsv"
    path.write_bytes(data)
    if not reason:  # an escaped control character inside JSON is still one
        path = path.rename(tmp_path / "noms.jsonl")
        with pytest.raises(GazetteerError, match="control character"):
            load_user_gazetteer(path)
        return
    with pytest.raises(GazetteerError) as err:
        load_user_gazetteer(path)
    where = f"{path}:{lineno}:" if lineno else f"gazetteer {path}:"
    assert str(err.value).startswith(where), str(err.value)
    assert reason in err.value.reason


def test_missing_gazetteer_is_a_gazetteer_error(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError, match="unreadable file"):
        load_user_gazetteer(tmp_path / "absent.tsv")


@pytest.mark.slow
def test_patterns_are_tokenised_without_running_the_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cause of a 100,000-line gazetteer taking 108 s: every pipe ran on every name."""
    from spacy.language import Language

    from recap_nlp.entities.components import add_entity_components
    from recap_nlp.nlp import _load_with_senter

    path = tmp_path / "g.tsv"
    path.write_text("".join(f"Atelier {i} du Nord\tORG\n" for i in range(200)))
    nlp = _load_with_senter("fr_core_news_sm")
    running: list[list[str]] = []
    real_pipe = Language.pipe

    def watched(self: Language, *args: object, **kwargs: object) -> object:
        running.append(list(self.pipe_names))  # the pipes nlp.pipe would run
        return real_pipe(self, *args, **kwargs)

    monkeypatch.setattr(Language, "pipe", watched)
    add_entity_components(nlp, str(path))
    monkeypatch.undo()
    assert running and all(names == [] for names in running), running
    doc = nlp("Visite de l'Atelier 17 du Nord à Lille.")
    assert ("Atelier 17 du Nord", "ORG") in [(e.text, e.label_) for e in doc.ents]
