"""Talk lists, bylines, site names and job words, on hand-written French lines (checked by hand)."""

from __future__ import annotations

import pytest
from spacy.language import Language

from recap_nlp.ingest.normalize import normalize


def ents(nlp: Language, text: str) -> dict[str, str]:
    return {e.text: e.label_ for e in nlp(normalize(text).text).ents}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Au programme :\n- Concevoir des API robustes – Julie Morel (Qonto)\n",
            {"Julie Morel": "PER", "Qonto": "ORG"},
        ),
        (
            "Au programme :\n- Le futur du front – Sophie Garnier – Alan\n",
            {"Sophie Garnier": "PER", "Alan": "ORG"},
        ),
        (
            "Au programme :\n- Observabilité pour tous, par Hugo Sarrazin Datadog\n",
            {"Hugo Sarrazin": "PER", "Datadog": "ORG"},
        ),
        (
            "Nous avons rencontré Paul Girard, CEO de Brindle, à la pause.",
            {"Paul Girard": "PER", "Brindle": "ORG"},
        ),
    ],
)
def test_person_and_affiliation_are_split(
    nlp: Language, text: str, expected: dict[str, str]
) -> None:
    found = ents(nlp, text)
    for name, label in expected.items():
        assert found.get(name) == label, found


def test_talk_title_before_a_dash_is_not_an_entity(nlp: Language) -> None:
    found = ents(nlp, "Les conférences :\n- Migrer vers Kubernetes sans douleur – Julie Morel\n")
    assert found.get("Julie Morel") == "PER"
    assert not any(name.startswith("Migrer") for name in found), found


def test_job_word_after_a_name_is_not_part_of_it(nlp: Language) -> None:
    found = ents(nlp, "Nous avons écouté Claire Dumas VP ventes, très claire.")
    assert "Claire Dumas VP" not in found
    assert found.get("Claire Dumas") == "PER"


def test_two_speakers_joined_by_an_ampersand(nlp: Language) -> None:
    found = ents(nlp, "Un retour d'expérience par Sophie Garnier & Julien Morel sur le mentorat.")
    assert found.get("Sophie Garnier") == "PER"
    assert found.get("Julien Morel") == "PER"


def test_site_name_with_a_domain_is_an_organisation(nlp: Language) -> None:
    found = ents(nlp, "J'ai lu l'article sur lesjoiesducode.fr hier soir.")
    assert found.get("lesjoiesducode.fr") == "ORG"


def test_domain_inside_a_link_address_is_not_a_site_name(nlp: Language) -> None:
    found = ents(nlp, "Les vidéos sont sur https://www.exemple.fr/videos depuis hier.")
    assert "exemple.fr" not in found


def test_event_year_does_not_take_a_preceding_en(nlp: Language) -> None:
    found = ents(nlp, "La société est née à Grenoble en 1972, bien avant le web.")
    assert "Grenoble en 1972" not in found
