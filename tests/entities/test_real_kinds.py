"""Kinds of names real posts write, on sentences written for these tests (labels checked by hand).

Each case is one kind of error seen on real blog posts (issue 15): persons the model calls
organisations, organisations it calls places, names glued to a clause, links naming a site.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from recap_nlp.entities import canonicalize
from recap_nlp.entities.lexicon import first_names
from recap_nlp.entities.links import link_mentions, site_name, squeeze
from recap_nlp.ingest.normalize import normalize
from recap_nlp.records import Document, Link, Mention, SentenceSpan


def ents(nlp: Language, text: str) -> dict[str, str]:
    return {e.text: e.label_ for e in nlp(normalize(text).text).ents}


def test_first_names_are_found_with_or_without_accents() -> None:
    names = first_names()
    assert "Éric" in names and "Stephane" in names and "Émilie" in names
    assert "Bonjour" not in names and 42 not in names


@pytest.mark.parametrize(
    ("text", "name", "label"),
    [
        # a kinship or a role noun beside a name the model calls something else
        ("Sur scène, Lucie et son frère Gwenvaël ont joué fort.", "Gwenvaël", "PER"),
        (
            "Le concert de Mirela Tanaka, la chanteuse du groupe, était beau.",
            "Mirela Tanaka",
            "PER",
        ),
        # a stage name keeps its prefix
        ("La soirée a fini avec DJ Zorn dans la grande salle.", "DJ Zorn", "PER"),
        # a job word then "de" names the employer
        ("Nous avons écouté le Directeur d'Arborea parler du livre.", "Arborea", "ORG"),
        # "chez" before a name that is no person's and no place
        ("Elle travaille maintenant chez Zorbex, une jeune entreprise.", "Zorbex", "ORG"),
        # a lowercase "mairie de" and a known city
        ("Un grand merci à la mairie de Nancy pour son accueil.", "mairie de Nancy", "ORG"),
        # "<city> à <Word>": a local association
        ("Cette année, Tours à Vélo a tenu un stand sur la place.", "Tours à Vélo", "ORG"),
        # a short quoted name after "l'évènement"
        ("Nous participerons à l'évènement « fête du roller » en juin.", "fête du roller", "EVENT"),
    ],
)
def test_real_post_kinds(nlp: Language, text: str, name: str, label: str) -> None:
    assert ents(nlp, text).get(name) == label


def test_a_route_between_two_cities_is_no_association(nlp: Language) -> None:
    found = ents(nlp, "Ils vont relier Nantes à Cordoue en vélo cet été.")
    assert found.get("Nantes") == "CITY"
    assert "Nantes à Cordoue" not in found


def test_two_persons_joined_by_ampersand_are_split(nlp: Language) -> None:
    found = ents(nlp, "Une conférence donnée par Éric Martin & Anne-Laure de Villiers hier.")
    assert found.get("Éric Martin") == "PER"
    assert found.get("Anne-Laure de Villiers") == "PER"


def test_a_participle_opening_a_clause_ends_an_event_name(nlp: Language) -> None:
    found = ents(nlp, "Nous avons aimé le Salon régional organisé par la ville.")
    assert found.get("Salon régional") == "EVENT"


def test_a_street_number_is_not_an_edition_year(nlp: Language) -> None:
    found = ents(nlp, "Rendez-vous au Bistrot Lumière 1850, avenue du Port, à midi.")
    assert found.get("Bistrot Lumière 1850") != "EVENT"


def test_a_technology_is_never_a_person(nlp: Language) -> None:
    found = ents(nlp, "Elle a parlé des Design Patterns pendant une heure.")
    assert found.get("Design Patterns") not in {"PER", "ORG", "EVENT"}


def test_a_lone_head_before_a_quoted_title_is_no_event(nlp: Language) -> None:
    found = ents(nlp, "Ensuite, au premier étage : Conférence « Bien dormir en ville » pour tous.")
    assert found.get("Conférence") not in {"EVENT", "ORG"}


# --- links: a link whose text spells its site ------------------------------------------


def test_site_name_of_urls() -> None:
    assert site_name("https://www.lagazette.fr/culture/article.html") == "lagazette"
    assert site_name("https://twitter.com/podcastbrume") == "podcastbrume"
    assert site_name("http://www.bbc.co.uk/news") == "bbc"
    assert site_name("#section") == "" and site_name("photo.jpg") == ""
    assert squeeze("Écho FM") == "echofm"


def _doc(text: str, links: tuple[Link, ...]) -> Document:
    return Document("d", text, "d.md", "md", "0", links=links)


def test_link_text_spelling_its_site_is_an_organisation() -> None:
    text = "Un article de la gazette parlait du festival."
    start = text.index("la gazette")
    link = Link("https://www.lagazette.fr/x.html", "la gazette", start, start + len("la gazette"))
    doc = _doc(text, (link,))
    sentences = [SentenceSpan("d", 0, len(text), text)]
    found = link_mentions(doc, [], sentences)
    assert [(m.text, m.label) for m in found] == [("la gazette", "ORG")]


def test_a_person_linking_their_own_name_is_left_alone() -> None:
    text = "Merci à Julie Martin pour sa conférence."
    start = text.index("Julie Martin")
    link = Link("https://twitter.com/juliemartin", "Julie Martin", start, start + 12)
    person = Mention("d", start, start + 12, "Julie Martin", "PER", text, 0, "model")
    found = link_mentions(_doc(text, (link,)), [person], [SentenceSpan("d", 0, len(text), text)])
    assert [(m.text, m.label) for m in found] == [("Julie Martin", "PER")]


# --- canonical names -----------------------------------------------------------------------


def _m(doc: str, text: str, label: str, start: int = 0) -> Mention:
    return Mention(doc, start, start + len(text), text, label, text, start, "model")  # type: ignore[arg-type]


def _canon(mentions: list[Mention]) -> dict[tuple[str, str], str]:
    _, filled = canonicalize(mentions)
    return {(m.doc_id, m.text): m.canonical for m in filled}


def test_an_organisation_is_not_resolved_to_a_longer_body() -> None:
    got = _canon([_m("a", "Zorbex Web", "ORG"), _m("a", "Zorbex", "ORG", 40)])
    assert got[("a", "Zorbex")] == "Zorbex"


def test_a_common_noun_is_not_resolved_across_posts() -> None:
    got = _canon([_m("a", "Université de Tours", "ORG"), _m("b", "Université", "ORG")])
    assert got[("b", "Université")] == "Université"
    same = _canon([_m("a", "Université de Tours", "ORG"), _m("a", "Université", "ORG", 50)])
    assert same[("a", "Université")] == "Université de Tours"


def test_an_event_is_not_resolved_to_one_of_its_city_editions() -> None:
    got = _canon([_m("a", "Ruby Day Lille", "EVENT"), _m("b", "Ruby Day", "EVENT")])
    assert got[("b", "Ruby Day")] == "Ruby Day"
