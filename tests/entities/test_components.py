"""The entity components on hand-written French sentences (labels checked by hand)."""

from __future__ import annotations

import pytest
from spacy.language import Language

from recap_nlp.ingest.normalize import normalize


def ents(nlp: Language, text: str) -> dict[str, str]:
    return {e.text: e.label_ for e in nlp(normalize(text).text).ents}


def test_pipes_are_registered_after_ner(nlp: Language) -> None:
    names = nlp.pipe_names
    assert names.index("ner") < names.index("recap_entity_patterns")
    assert names.index("recap_entity_patterns") < names.index("recap_entity_refiner")


@pytest.mark.parametrize(
    ("text", "name", "label"),
    [
        ("Nous avons participé au Web2Day à Nantes.", "Web2Day", "EVENT"),
        ("Rendez-vous en novembre pour la Connected Week d'Angers.", "Connected Week", "EVENT"),
        ("Cette année, le Salon VivaTech était immense.", "Salon VivaTech", "EVENT"),
        ("Elle coordonne la Semaine numérique de Québec.", "Semaine numérique de Québec", "EVENT"),
        ("Nous irons au Festival d'été de Québec.", "Festival d'été de Québec", "EVENT"),
        ("Ils préparent le Défi Design4Green en sol nord-américain.", "Défi Design4Green", "EVENT"),
        ("J'ai visité l'Université Laval avec eux.", "Université Laval", "ORG"),
        ("Nous avons rencontré Harmonie Mutuelle, une mutuelle.", "Harmonie Mutuelle", "ORG"),
        ("Merci à nos amis de la Lyon French Tech.", "Lyon French Tech", "ORG"),
        ("Une visite du Village by CA a suivi.", "Village by CA", "ORG"),
        (
            "Le soutien du Fonds franco-québécois pour la coopération décentralisée.",
            "Fonds franco-québécois pour la coopération décentralisée",
            "ORG",
        ),
    ],
)
def test_cue_rules_name_events_and_organisations(
    nlp: Language, text: str, name: str, label: str
) -> None:
    assert ents(nlp, text).get(name) == label


def test_acronym_in_brackets_gives_both_names(nlp: Language) -> None:
    found = ents(nlp, "Un événement qui se compare au Web à Québec (WAQ).")
    assert found.get("Web à Québec") == "EVENT"
    assert found.get("WAQ") == "EVENT"


@pytest.mark.parametrize(
    "text",
    [
        "Voilà une dizaine de jours que je suis de retour.",
        "Revenons au programme de la mission!",
        "Mentionnons aussi la qualité de l'accueil.",
        "Bref, du beau repérage pour l'an prochain!",
        "J’étais fière d’être là.",
        "Un grand merci à tous 🙂",
    ],
)
def test_filters_drop_model_false_positives(nlp: Language, text: str) -> None:
    assert ents(nlp, text) == {}


@pytest.mark.parametrize(
    ("text", "name", "label"),
    [
        ("J'y ai aussi croisé Astrid, notre collaboratrice.", "Astrid", "PER"),
        ("Merci à Magalie, Medhi, Valentin et les autres!", "Medhi", "PER"),
        ("Notre séjour à Angers a été court.", "Angers", "CITY"),
        ("Les Belges prendront leur revanche à Québec en avril.", "Québec", "CITY"),
        ("Il faut sortir du Québec plus souvent.", "Québec", "LOC"),
        ("Trois lieux (Saint-Camille, Rouyn-Noranda et Rivière-du-Loup).", "Saint-Camille", "CITY"),
        (
            "La mission était portée par Québec numérique, avec le soutien de tous.",
            "Québec numérique",
            "ORG",
        ),
        ("Une journée en Abitibi-Témiscamingue et en Estrie.", "Estrie", "LOC"),
        ("Ceux qui travaillent dans Saint-Roch viendront.", "Saint-Roch", "LOC"),
    ],
)
def test_people_and_places(nlp: Language, text: str, name: str, label: str) -> None:
    assert ents(nlp, text).get(name) == label


def test_demonyms_are_not_places(nlp: Language) -> None:
    found = ents(nlp, "Les Québécois l'ont emporté face aux Belges.")
    assert all(label not in {"CITY", "LOC"} for label in found.values())


# Hand-written recap paragraphs in the style of the corpus but about other places and
# events, to check the rules generalise beyond the seed posts.
UNSEEN = [
    (
        "Du 12 au 18 mai 2019, notre délégation s'est rendue en France. À Lyon, nous avons "
        "visité l'Université Lumière. Sophie Tremblay, fondatrice de Kinova, nous a présenté "
        "ses projets. Ensuite, direction Bordeaux pour le Salon VivaTech, où Julien "
        "nous attendait.",
        {
            "France": "LOC",
            "Lyon": "CITY",
            "Université Lumière": "ORG",
            "Sophie Tremblay": "PER",
            "Kinova": "ORG",
            "Bordeaux": "CITY",
            "Salon VivaTech": "EVENT",
            "Julien": "PER",
        },
    ),
    (
        "La Semaine du numérique de Montréal a attiré 3000 participants. Nous avons croisé "
        "Marc-André Gagnon de l'Université Laval et des représentants de l'Office "
        "franco-québécois pour la jeunesse (OFQJ).",
        {
            "Semaine du numérique de Montréal": "EVENT",
            "Marc-André Gagnon": "PER",
            "Université Laval": "ORG",
            "Office franco-québécois pour la jeunesse": "ORG",
            "OFQJ": "ORG",
        },
    ),
    (
        "Bref, une belle semaine! Mentionnons la conférence de Nathalie Roy au Sommet de "
        "l'innovation de Sherbrooke. J'ai adoré la rencontre avec Pierre, Lucie et Karim au "
        "FabLab de Trois-Rivières.",
        {
            "Nathalie Roy": "PER",
            "Sommet de l'innovation de Sherbrooke": "EVENT",
            "Pierre": "PER",
            "Lucie": "PER",
            "Karim": "PER",
            "FabLab": "ORG",
            "Trois-Rivières": "CITY",
        },
    ),
]


@pytest.mark.parametrize(("text", "expected"), UNSEEN)
def test_unseen_recap_paragraphs(nlp: Language, text: str, expected: dict[str, str]) -> None:
    found = {
        k: v for k, v in ents(nlp, text).items() if v in {"PER", "CITY", "ORG", "EVENT", "LOC"}
    }
    assert found == expected


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        (
            "Le lendemain, la délégation a participé au salon Pollutec, où les exposants "
            "étaient nombreux.",
            "Pollutec",
        ),
        (
            "Nous avons ensuite assisté au festival Montréal Complètement Cirque avec nos "
            "partenaires.",
            "Montréal Complètement Cirque",
        ),
    ],
)
def test_name_after_an_event_noun_is_an_event(sentence: str, name: str) -> None:
    from recap_nlp.pipeline.runner import analyse
    from recap_nlp.records import Document

    result = analyse([Document("d", sentence, "d.txt", "txt", "h")])
    labels = {m.text: m.label for m in result.mentions}
    assert labels.get(name) == "EVENT", labels
