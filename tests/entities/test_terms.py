"""Kinds of capitalised words that are no organisation (entities/terms.py, labels.not_a_name_kind).

Sentences written for these tests, of the kinds seen in real recap posts.
"""

from __future__ import annotations

import pytest

from recap_nlp.entities import labels, lexicon, terms
from recap_nlp.nlp import load_pipeline


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def _labels(nlp, text: str) -> dict[str, str]:
    return {e.text: e.label_ for e in nlp(text).ents}


def test_languages_and_databases_are_not_organisations(nlp) -> None:
    found = _labels(
        nlp, "Il a présenté les nouveautés de PHP et de PostgreSQL lors de sa conférence."
    )
    assert found.get("PHP") != "ORG" and found.get("PostgreSQL") != "ORG"


def test_libraries_and_frontend_words_are_not_organisations(nlp) -> None:
    found = _labels(nlp, "Les librairies Frontend comme Vue.js et Svelte étaient à l'honneur.")
    assert "ORG" not in found.values()


def test_a_company_after_chez_stays_an_organisation(nlp) -> None:
    assert _labels(nlp, "Elle travaille chez Airbus depuis deux ans.").get("Airbus") == "ORG"


def test_capitalised_common_words_are_not_organisations(nlp) -> None:
    assert "ORG" not in _labels(nlp, "Le groupe joue avec Violon et percussions.").values()
    assert "ORG" not in _labels(nlp, "Au total, ce sont 40 Bricoleurs qui ont soudé.").values()
    assert "ORG" not in _labels(nlp, "Le soir, nous avons montré à Madame la serre.").values()


def test_headings_in_capitals_are_not_organisations(nlp) -> None:
    assert "ORG" not in _labels(nlp, "TROISIEME PLACE : une appli de covoiturage").values()


def test_a_job_title_in_brackets_is_not_the_employer(nlp) -> None:
    found = _labels(
        nlp, "Nous avons été accueillis par Julie Martin (VP Ventes Europe) et Marc Petit."
    )
    assert found.get("Julie Martin") == "PER"
    assert found.get("VP Ventes Europe") != "ORG"


def test_a_talk_title_with_a_verb_is_not_an_organisation(nlp) -> None:
    assert "ORG" not in _labels(nlp, "Future of Rust  Oui je sais, encore du Rust").values()


def test_is_technical_reads_the_packaged_list() -> None:
    listed = lexicon.cues().technical_terms
    assert terms.is_technical("Design  Patterns", listed)
    assert terms.is_technical("React.js", listed)
    assert not terms.is_technical("Google", listed)
    assert not terms.is_technical("Banque Laurentienne", listed)


def test_headings_need_words_not_acronyms(nlp) -> None:
    doc = nlp.make_doc("DEUXIEME POSITION et SNCF")
    assert terms.is_heading_capitals(doc[0:2])
    assert not terms.is_heading_capitals(doc[3:4])


def test_phrases_and_names(nlp) -> None:
    doc = nlp("Beyond the code et Agence nationale de la recherche")
    assert terms.is_phrase(doc[0:2])
    assert not terms.is_phrase(doc[4:9])


def test_a_subject_is_not_an_organisation(nlp) -> None:
    doc = nlp.make_doc("Intelligence Artificielle et Café Rivière")
    assert terms.is_topic(doc[0:2])
    assert not terms.is_topic(doc[3:5])  # two nouns: a business name


def _lex():
    return labels.Lexicon(lexicon.cues(), lexicon.places(), lexicon.first_names())


def test_the_organiser_after_congres_de_is_an_organisation(nlp) -> None:
    doc = nlp("Samedi, j'ai participé au congrès de Vision Citoyenne à Lyon.")
    start = [t.text for t in doc].index("Vision")
    assert labels.context_label(doc, start, start + 2, _lex()) == "ORG"
    doc = nlp("Cette édition du Mixeur Tech était réussie.")
    start = [t.text for t in doc].index("Mixeur")
    assert labels.context_label(doc, start, start + 2, _lex()) != "ORG"


def test_a_name_the_model_calls_misc_with_an_event_word_is_an_event(nlp) -> None:
    doc = nlp("On y trouvait le Salon africain et le Startup Day Lyon 2024, puis la Maison bleue.")
    words = [t.text for t in doc]
    salon, day, maison = words.index("Salon"), words.index("Startup"), words.index("Maison")
    assert labels.model_label(doc, salon, salon + 2, "MISC", _lex()) == "EVENT"
    assert labels.model_label(doc, day, day + 4, "MISC", _lex()) == "EVENT"
    assert labels.model_label(doc, maison, maison + 2, "MISC", _lex()) != "EVENT"
    doc = nlp("Le salon se tient à Lyon Expo cette année.")
    venue = [t.text for t in doc].index("Lyon")
    assert labels.model_label(doc, venue, venue + 2, "MISC", _lex()) != "EVENT"


def test_a_talk_title_after_intitulee_is_not_an_event(nlp) -> None:
    found = _labels(nlp, "Elle a donné une conférence intitulée Oubliez tout sur Python hier.")
    assert "EVENT" not in found.values()


def test_descriptions_headed_by_an_event_word_are_not_names(nlp) -> None:
    doc = nlp("Exposition sur les usages du vélo. Ce Forum était utile. La Fête de la musique.")
    assert not any(
        e.label_ == "EVENT" and e.text.startswith(("Exposition", "Ce")) for e in doc.ents
    )
    assert any(e.label_ == "EVENT" and e.text.startswith("Fête") for e in doc.ents)
