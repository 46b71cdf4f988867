"""Concordance and keyness on a small hand-made run (and on the seeds through the CLI)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import recap_nlp
from recap_nlp.output import explore, store
from recap_nlp.pipeline.runner import result_tables
from recap_nlp.records import Document, Entity, Mention, RunResult, Sentence

P1 = (
    "La Fabrique numérique ouvre ses portes. Les ateliers de la fabrique numérique plaisent, "
    "le numérique aussi, le numérique partout."
)
P2 = (
    "Le salon du livre accueille des auteurs. "
    "Des auteurs, des auteurs et des livres pour les auteurs."
)


def _sentences(doc_id: str, text: str) -> list[Sentence]:
    out, start = [], 0
    for part in text.split(". "):
        part = part if part.endswith(".") else part + "."
        begin = text.index(part, start)
        out.append(Sentence(doc_id, begin, begin + len(part), part, 0.0, "neutral"))
        start = begin + len(part)
    return out


@pytest.fixture()
def small_run(tmp_path: Path) -> Path:
    docs = [
        Document("p1", P1, "p1.txt", "txt", "h1", title="Portes ouvertes", published="2019-05-02"),
        Document("p2", P2, "p2.txt", "txt", "h2", published="2020-03-01"),
    ]
    spellings = [(3, "Fabrique numérique"), (P1.index("fabrique"), "fabrique numérique")]
    mentions = [
        Mention("p1", s, s + len(t), t, "ORG", P1, 0, "model", "Fabrique numérique", "org_1")
        for s, t in spellings
    ]
    entity = Entity("org_1", "Fabrique numérique", "ORG", ("Fabrique numérique",), 2, 1)
    result = RunResult(
        documents=docs,
        mentions=mentions,
        entities=[entity],
        scored=_sentences("p1", P1) + _sentences("p2", P2),
    )
    out = tmp_path / "run"
    store.write_outputs(out, result_tables(result))
    return out


def test_entity_name_lists_every_spelling_with_offsets(small_run: Path) -> None:
    rows = recap_nlp.concordance(small_run, "fabrique NUMÉRIQUE", width=12)
    assert list(rows["match"]) == ["Fabrique numérique", "fabrique numérique"]
    assert list(rows["start"]) == [3, P1.index("fabrique")]
    assert all(P1[r.start : r.end] == r.match for r in rows.itertuples())
    assert rows["left"].iloc[1] == "liers de la"  # 12 characters, spaces trimmed
    assert rows["right"].iloc[0].startswith("ouvre ses")
    assert set(rows["entity"]) == {"Fabrique numérique"}
    assert set(rows["post"]) == {"Portes ouvertes"}


def test_words_are_found_whole_with_an_optional_wildcard(small_run: Path) -> None:
    rows = recap_nlp.concordance(small_run, "auteurs")
    assert len(rows) == 4 and rows["start"].iloc[1] == P2.index("auteurs", 33)
    assert recap_nlp.concordance(small_run, "auteur").empty  # whole words only
    assert len(recap_nlp.concordance(small_run, "livre*")) == 2  # livre, livres
    assert recap_nlp.concordance(small_run, "auteurs", post="p1").empty
    # The untitled post is named by its first words and its date.
    assert (
        rows["post"].iloc[0].startswith("« Le salon du livre")
        and "2020-03-01" in rows["post"].iloc[0]
    )


def test_log_likelihood_matches_a_hand_computation() -> None:
    # 10 of 1,000 words against 10 of 9,000: expected 2 and 18.
    expected = 2 * (10 * math.log(10 / 2) + 10 * math.log(10 / 18))
    assert explore.log_likelihood(10, 10, 1000, 9000) == pytest.approx(expected)
    assert explore.log_likelihood(0, 0, 10, 10) == 0.0


def test_keyness_keeps_over_represented_words_only() -> None:
    target = ["auteur"] * 8 + ["salon"] * 2 + ["ville"] * 10
    reference = ["ville"] * 40 + ["salon"] * 10 + ["mairie"] * 50
    frame = explore.keyness_frame(target, reference, top=0)
    assert list(frame["term"]) == ["auteur"]  # ville is as frequent in both; salon too
    assert frame["log_likelihood"].iloc[0] >= explore.LL_THRESHOLD


def test_keyness_of_a_post_and_of_a_group(small_run: Path) -> None:
    post = recap_nlp.keyness(small_run, post="p2", top=0)
    assert {"auteurs", "livre", "livres", "salon"} & set(post["term"])
    assert not {"fabrique", "numérique"} & set(post["term"])
    group = recap_nlp.keyness(small_run, group="published=2019", top=0)
    assert "numérique" in set(group["term"])
    with pytest.raises(ValueError, match="unknown field"):
        recap_nlp.keyness(small_run, group="couleur=bleu")
    with pytest.raises(ValueError, match="no post"):
        recap_nlp.keyness(small_run, group="published=1999")


def test_group_selectors() -> None:
    import pandas as pd

    docs = pd.DataFrame(
        {"doc_id": ["a", "b"], "published": ["2018-06-01", "2019"], "author": ["x", ""]}
    )
    events = pd.DataFrame({"event_id": ["e1"], "doc_ids": ['["b"]']})
    assert explore.group_posts(docs, events, "published=2018") == ["a"]
    assert explore.group_posts(docs, events, "author=x") == ["a"]
    assert explore.group_posts(docs, events, "event=e1") == ["b"]
    with pytest.raises(ValueError, match="FIELD=VALUE"):
        explore.group_posts(docs, events, "2018")
