from __future__ import annotations

import pytest
from spacy.language import Language

from recap_nlp.pipeline import analyse, read_documents
from recap_nlp.themes import ThemeUnit, extract_keywords, fit_themes, french_stopwords
from tests.conftest import CORPUS


@pytest.fixture(scope="module")
def seed_units(nlp: Language) -> list[ThemeUnit]:
    documents, _, _ = read_documents(CORPUS)
    result = analyse(documents)
    return [
        ThemeUnit(s.doc_id, s.start, s.end, s.text, lemmas)
        for s, lemmas in zip(result.sentences, result.lemmas, strict=True)
    ]


def test_same_seed_gives_identical_themes(seed_units: list[ThemeUnit]) -> None:
    assert fit_themes(seed_units, seed=3) == fit_themes(seed_units, seed=3)


def test_shares_of_each_post_sum_to_one(seed_units: list[ThemeUnit]) -> None:
    result = fit_themes(seed_units, 3)
    assert len(result.themes) == 3
    totals: dict[str, float] = {}
    for share in result.doc_themes:
        totals[share.doc_id] = totals.get(share.doc_id, 0) + share.share
    assert len(totals) == 5
    assert all(abs(total - 1) < 1e-3 for total in totals.values())


def test_automatic_k_reports_its_scores(seed_units: list[ThemeUnit]) -> None:
    result = fit_themes(seed_units)
    assert 2 <= len(result.themes) <= 8
    assert len(result.themes) in result.k_scores
    assert any("chosen" in note for note in result.notes)


def test_mission_theme_is_found_on_the_seeds(seed_units: list[ThemeUnit]) -> None:
    # Three of the five posts recap a delegation's mission in France: a reader expects a
    # theme about it (checked by reading the posts).
    terms = [set(t.top_terms) for t in fit_themes(seed_units, 3).themes]
    assert any(
        {"mission", "délégation"} <= topic or {"mission", "france"} <= topic for topic in terms
    )


def test_stop_words_never_become_terms(seed_units: list[ThemeUnit]) -> None:
    stop = french_stopwords()
    for theme in fit_themes(seed_units, 4).themes:
        assert not stop & set(theme.top_terms)


def test_too_many_themes_for_a_tiny_corpus_lowers_k_with_a_note() -> None:
    texts = [
        "visite entreprise numérique angers",
        "conférence design web nantes",
        "délégation mission québec france",
        "atelier innovation culture région",
    ] * 5
    units = [ThemeUnit("d1" if i < 10 else "d2", i, i + 1, t, t) for i, t in enumerate(texts)]
    result = fit_themes(units, n_themes=6)
    assert len(result.themes) == 2
    assert any("too small for 6 themes" in note for note in result.notes)


def test_no_units_gives_no_theme_and_a_note() -> None:
    result = fit_themes([ThemeUnit("d", 0, 1, "Oui.", "")])
    assert result.themes == [] and result.doc_themes == []
    assert "too few sentences" in result.notes[0]


def test_keywords_of_the_inter_regional_post(seed_units: list[ThemeUnit]) -> None:
    # Post 003 recaps an inter-regional day of talks linked by the SCENIC technology, with
    # "facteurs de succès" and collaboration; expected by reading it.
    keywords = {k.keyword for k in extract_keywords(seed_units) if k.doc_id.startswith("003")}
    assert {"scenic", "facteur succès"} <= keywords
    assert "numérique" not in keywords  # in every post: not distinctive
