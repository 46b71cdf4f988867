"""Entity rules written for unseen recap posts, each on hand-written French sentences.

Every expectation was decided by reading the sentence, before running the pipeline on it. The
sentences use other names than the seed and dev posts, so they test the rule, not the data.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from recap_nlp.entities import canonicalize
from recap_nlp.entities.canonical import person_case
from recap_nlp.entities.spans import letters_match
from recap_nlp.ingest.normalize import normalize
from recap_nlp.records import Mention


def ents(nlp: Language, text: str) -> dict[str, str]:
    return {e.text: e.label_ for e in nlp(normalize(text).text).ents}


@pytest.mark.parametrize(
    ("text", "name", "label"),
    [
        # "et" joins a second complement of an organisation name
        (
            "Nous avons rencontré la Chambre de commerce et d'industrie de Rennes hier.",
            "Chambre de commerce et d'industrie de Rennes",
            "ORG",
        ),
        (
            "Un mot de l'Institut de recherche et de développement en agroenvironnement ce matin.",
            "Institut de recherche et de développement en agroenvironnement",
            "ORG",
        ),
        # an institution type keeps its city; a proper name drops it
        (
            "La soirée avait lieu au Centre de congrès de Bordeaux.",
            "Centre de congrès de Bordeaux",
            "ORG",
        ),
        ("Nous avons visité la Maison de l'innovation d'Angers.", "Maison de l'innovation", "ORG"),
        # hyphenated places inside names
        (
            "Nous avons visité le Cégep de Rivière-du-Loup avec les élus.",
            "Cégep de Rivière-du-Loup",
            "ORG",
        ),
        # a numbered university
        ("Elle enseigne à l'Université Paris 8 depuis 2015.", "Université Paris 8", "ORG"),
        # a network named by its territory keeps the city of the branch
        (
            "Il a étudié à l'Université du Québec à Chicoutimi.",
            "Université du Québec à Chicoutimi",
            "ORG",
        ),
        # ministries listed by portfolio, lowercase head as written in Québec
        (
            "Le projet a reçu l'appui du ministère de la Culture et des Communications du Québec.",
            "ministère de la Culture et des Communications du Québec",
            "ORG",
        ),
        # a type noun before a name
        ("Elle a rejoint le cabinet Dufour Avocats en janvier.", "Dufour Avocats", "ORG"),
        ("Nous avons rencontré la jeune pousse lyonnaise Biomedix hier.", "Biomedix", "ORG"),
        # a trade noun heads a business name
        ("Nous avons visité la Fromagerie Lemaire à Granby.", "Fromagerie Lemaire", "ORG"),
        # a capitalised common noun then a place, with no article
        ("Le projet est financé par Tourisme Montréal depuis 2019.", "Tourisme Montréal", "ORG"),
    ],
)
def test_organisation_names(nlp: Language, text: str, name: str, label: str) -> None:
    assert ents(nlp, text).get(name) == label


@pytest.mark.parametrize(
    ("text", "name", "label"),
    [
        # an ordinal edition before an event head word
        (
            "La 12e édition du Festival de la gastronomie a attiré 5 000 visiteurs.",
            "Festival de la gastronomie",
            "EVENT",
        ),
        ("Le Carrefour de l'innovation aura lieu en mai.", "Carrefour de l'innovation", "EVENT"),
        # an event name ends before "à <city>"
        (
            "Nous étions au Forum des jeunes entrepreneurs à Gatineau la semaine passée.",
            "Forum des jeunes entrepreneurs",
            "EVENT",
        ),
        (
            "Nous étions au Forum des jeunes entrepreneurs à Gatineau la semaine passée.",
            "Gatineau",
            "CITY",
        ),
        # a city written after the tail word names the edition
        (
            "Nous avons présenté au Digital Summit Montréal en mars.",
            "Digital Summit Montréal",
            "EVENT",
        ),
        # a topic after an event name
        (
            "Elle a parlé au Sommet Canada-France sur l'énergie en avril.",
            "Sommet Canada-France sur l'énergie",
            "EVENT",
        ),
    ],
)
def test_event_names(nlp: Language, text: str, name: str, label: str) -> None:
    assert ents(nlp, text).get(name) == label


def test_acronym_defined_after_a_long_name_with_function_words(nlp: Language) -> None:
    text = (
        "Il dirige l'Agence de développement et d'innovation de la Gaspésie (ADIG) depuis deux "
        "ans. Merci encore à l'ADIG pour son accueil."
    )
    doc = nlp(normalize(text).text)
    found = [(e.text, e.label_) for e in doc.ents]
    assert ("Agence de développement et d'innovation de la Gaspésie", "ORG") in found
    assert found.count(("ADIG", "ORG")) == 2


def test_letters_match_skips_function_words() -> None:
    assert letters_match("CCI", "Chambre de commerce et d'industrie de Rennes")
    # seven content words are too many for three letters, whatever the function words
    long_form = (
        "Chambre canadienne de l'industrie des technologies de l'information et des "
        "communications du Québec"
    )
    assert not letters_match("CCI", long_form)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a courtesy title is not part of the name; the surname alone is the same person
        (
            "Sylvie Lefebvre nous a reçus. Mme Lefebvre a ensuite présenté le projet.",
            {"Sylvie Lefebvre": "PER", "Lefebvre": "PER"},
        ),
        # a surname alone at the start of a sentence, once the full name is known
        (
            "Nous avons rencontré Bernard Caron à Sherbrooke. Caron dirige une usine de meubles.",
            {"Bernard Caron": "PER", "Sherbrooke": "CITY", "Caron": "PER"},
        ),
        # a first name alone at the start of a sentence, once the full name is known
        (
            "Voici notre entretien avec Hugo Vachon. Hugo a fondé son entreprise en 2016.",
            {"Hugo Vachon": "PER", "Hugo": "PER"},
        ),
        # an all-caps surname
        ("Le professeur Olivier GRENIER a présenté ses travaux.", {"Olivier GRENIER": "PER"}),
    ],
)
def test_people_and_later_references(nlp: Language, text: str, expected: dict[str, str]) -> None:
    found = ents(nlp, text)
    assert {k: found.get(k) for k in expected} == expected
    assert not any(k.startswith(("Mme", "M.")) for k in found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a place glued to the person after it
        (
            "La délégation était menée par le maire de Rimouski Guy Caouette et son équipe.",
            {"Rimouski": "CITY", "Guy Caouette": "PER"},
        ),
        # a job word glued to the person after it
        (
            "Nous avons été reçus par le ministre de l'Agriculture Gilles Fortier ce jour-là.",
            {"Gilles Fortier": "PER"},
        ),
        # two places joined by "et"
        (
            "Nous avons ensuite visité Longueuil et Terrebonne.",
            {"Longueuil": "CITY", "Terrebonne": "CITY"},
        ),
        # a person's affiliation in brackets
        (
            "Une table ronde réunissait Julie Roy (Kinova) et Marc Petit.",
            {"Julie Roy": "PER", "Kinova": "ORG", "Marc Petit": "PER"},
        ),
        # a French exonym of a foreign city
        ("La délégation a ensuite rejoint Bruxelles pour deux jours.", {"Bruxelles": "CITY"}),
        # French names CLDR does not list (GeoNames writes Geneva, Basel, Antwerp)
        (
            "Le salon se tenait à Genève, puis la tournée est passée par Bâle et Anvers.",
            {"Genève": "CITY", "Bâle": "CITY", "Anvers": "CITY"},
        ),
    ],
)
def test_model_spans_split_and_relabelled(
    nlp: Language, text: str, expected: dict[str, str]
) -> None:
    found = ents(nlp, text)
    assert {k: found.get(k) for k in expected} == expected


def test_a_street_named_after_a_person_is_not_a_person(nlp: Language) -> None:
    found = ents(nlp, "Les bureaux sont situés au 12 rue Victor-Hugo, au troisième étage.")
    assert "PER" not in found.values()


def test_surname_alone_takes_the_full_name_of_the_same_post() -> None:
    s = "Pascal GIRARD a parlé, puis Girard a conclu."
    other = "Une autre Émilie Girard."
    mentions = [
        Mention("a", 0, 13, "Pascal GIRARD", "PER", s, 0, "model"),
        Mention("a", 29, 35, "Girard", "PER", s, 0, "model"),
        Mention("b", 11, 24, "Émilie Girard", "PER", other, 0, "model"),
    ]
    _, filled = canonicalize(mentions)
    got = {(m.doc_id, m.text): m.canonical for m in filled}
    assert got[("a", "Girard")] == "Pascal Girard"
    assert got[("a", "Pascal GIRARD")] == "Pascal Girard"
    assert got[("b", "Émilie Girard")] == "Émilie Girard"


def test_person_case() -> None:
    assert person_case("Jean-François TREMBLAY") == "Jean-François Tremblay"
    assert person_case("Pascal Boyer") == "Pascal Boyer"
    assert person_case("Marie DE LA SALLE") == "Marie De La Salle"
