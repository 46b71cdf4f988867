"""Organisation names real posts write that the rules used to cut or miss (issue 15).

Sentences written for these tests; expectations checked by hand.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from recap_nlp.entities.links import clipped_part, link_mentions
from recap_nlp.ingest.normalize import normalize
from recap_nlp.records import Document, Link, SentenceSpan


def ents(nlp: Language, text: str) -> dict[str, str]:
    return {e.text: e.label_ for e in nlp(normalize(text).text).ents}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Elle dirige la Banque Populaire Finance & Marchés depuis 2019.",
            "Banque Populaire Finance & Marchés",
        ),
        ("Un casque offert par la Coop Atlantique.", "Coop Atlantique"),
        ("Visite du Laboratoire de Chimie appliquée, le 3 mai.", "Laboratoire de Chimie appliquée"),
    ],
)
def test_whole_organisation_names(nlp: Language, text: str, name: str) -> None:
    assert ents(nlp, text).get(name) == "ORG"


def test_a_participle_with_a_complement_still_ends_the_name(nlp: Language) -> None:
    found = ents(nlp, "La Métropole de Lyon chargée de la voirie a voté hier.")
    assert found.get("Métropole de Lyon") == "ORG"


def test_clipped_site_names_after_an_article() -> None:
    text = 'les journalistes de "la gaz"'
    assert clipped_part(text, "lagazettedunord") == (21, 27)  # "la gaz", quotes left out
    assert clipped_part("un article dans la gazette", "lagazettedunord") == (16, 26)
    assert clipped_part("la gaz", "lemonde") is None  # not the site's name
    assert clipped_part("lire ici", "lirelesnouvelles") is None  # no article
    assert clipped_part("la g", "lagazette") is None  # too short to say


def test_a_clipped_link_text_names_the_paper() -> None:
    text = "Merci aux journalistes de la gaz pour leur article."
    url = "https://www.lagazettedunord.fr/2024/05/article.html"
    link_text = "journalistes de la gaz"
    start = text.index(link_text)
    doc = Document(
        "p",
        text,
        "p.md",
        "md",
        "h",
        links=(Link(url, link_text, start, start + len(link_text)),),
    )
    got = link_mentions(doc, [], [SentenceSpan("p", 0, len(text), text)])
    assert [(m.text, m.label) for m in got] == [("la gaz", "ORG")]


def test_a_link_text_named_in_its_page_address_is_an_organisation() -> None:
    text = "Velocity nous a rejoints pour la journée."
    url = "https://www.reseau-mobilite.fr/12-Velocity---le-service-velo.html"
    doc = Document("p", text, "p.md", "md", "h", links=(Link(url, "Velocity", 0, 8),))
    got = link_mentions(doc, [], [SentenceSpan("p", 0, len(text), text)])
    assert [(m.text, m.label) for m in got] == [("Velocity", "ORG")]
    other = Document(
        "p", text, "p.md", "md", "h", links=(Link("https://x.fr/a.html", "Velocity", 0, 8),)
    )
    assert link_mentions(other, [], [SentenceSpan("p", 0, len(text), text)]) == []


def test_a_place_named_in_its_page_address_stays_a_place() -> None:
    text = "Rendez-vous à Lyon en juin."
    url = "https://www.agenda-conferences.fr/2024-Lyon-juin.html"
    doc = Document("p", text, "p.md", "md", "h", links=(Link(url, "Lyon", 14, 18),))
    assert link_mentions(doc, [], [SentenceSpan("p", 0, len(text), text)]) == []
