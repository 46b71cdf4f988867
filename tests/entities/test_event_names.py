"""Events real posts write without a capital, with a city, or only in the title (issue 15).

Sentences written for these tests; expectations checked by hand.
"""

from __future__ import annotations

from spacy.language import Language

from recap_nlp.entities import canonicalize
from recap_nlp.entities.discourse import one_sense_per_post, title_events
from recap_nlp.entities.event_names import (
    emphasised_events,
    festival_events,
    title_mentions,
    without_talk_slots,
    year_named_events,
)
from recap_nlp.ingest.normalize import normalize
from recap_nlp.records import Document, Mention, SentenceSpan


def document(text: str, title: str = "") -> Document:
    return Document("p", text, "p.md", "md", "h", title=title)


def whole(text: str) -> list[SentenceSpan]:
    return [SentenceSpan("p", 0, len(text), text)]


def _m(doc: str, text: str, label: str, start: int = 0) -> Mention:
    return Mention(doc, start, start + len(text), text, label, text, start, "cue")  # type: ignore[arg-type]


# --- the canonical name of an event --------------------------------------------------------


def test_a_city_edition_joins_its_series_when_the_series_is_named() -> None:
    _, got = canonicalize([_m("a", "Drupal Day Nantes", "EVENT"), _m("b", "Drupal Day", "EVENT")])
    assert {m.canonical for m in got} == {"Drupal Day"}


def test_a_city_edition_named_alone_keeps_its_city() -> None:
    _, got = canonicalize([_m("a", "Drupal Day Nantes", "EVENT")])
    assert got[0].canonical == "Drupal Day Nantes"


def test_a_place_after_a_preposition_stays_in_the_name() -> None:
    _, got = canonicalize(
        [_m("a", "Salon du vin de Lyon", "EVENT"), _m("b", "Salon du vin", "EVENT")]
    )
    # the city stays: the short name resolves to the longer one, never the other way round
    assert {m.canonical for m in got} == {"Salon du vin de Lyon"}


def test_an_edition_named_as_such_keeps_its_year() -> None:
    _, got = canonicalize(
        [
            _m("a", "Hackathon Printemps Edition 2022", "EVENT"),
            _m("a", "Hackathon Printemps Edition", "EVENT", 40),
            _m("a", "Forum Bio 2022", "EVENT", 80),
            _m("a", "Forum Bio", "EVENT", 100),
        ]
    )
    # the short form in the same post resolves to the dated edition; "Forum Bio 2022" loses its year
    assert [m.canonical for m in got] == [
        "Hackathon Printemps Edition 2022",
        "Hackathon Printemps Edition 2022",
        "Forum Bio",
        "Forum Bio",
    ]


def test_a_dated_edition_name_beats_its_head_word_alone() -> None:
    _, got = canonicalize(
        [
            _m("a", "Hackathon Printemps Edition 2022", "EVENT"),
            _m("a", "Hackathon", "EVENT", 40),
            _m("a", "Hackathon", "EVENT", 60),
        ]
    )
    assert {m.canonical for m in got} == {"Hackathon Printemps Edition 2022"}


def test_the_edition_year_is_part_of_the_span(nlp: Language) -> None:
    text = "On revient sur le Hackathon Printemps Edition 2022 qui a eu lieu à Lille."
    found = {e.text: e.label_ for e in nlp(normalize(text).text).ents}
    assert found.get("Hackathon Printemps Edition 2022") == "EVENT"


# --- holidays are not first names ----------------------------------------------------------


def test_a_holiday_after_a_preposition_is_no_person(nlp: Language) -> None:
    for text in ("Une tablette sur ma liste de cadeaux de Noël ?", "Nous rentrons à Noël."):
        assert [e.text for e in nlp(text).ents if e.label_ == "PER"] == []
    found = {e.text: e.label_ for e in nlp("Hier, j'ai croisé Noël et Marie au marché.").ents}
    assert found.get("Noël") == "PER"


# --- events without capitals -----------------------------------------------------------------


def test_an_emphasised_name_that_took_place_is_an_event() -> None:
    text = "Quel succès pour la _fête des voisins du quartier_ qui s'est déroulée hier !"
    got = emphasised_events(document(text), whole(text), [])
    assert [(m.text, m.label) for m in got] == [("fête des voisins du quartier", "EVENT")]
    plain = "La fête des voisins du quartier qui s'est déroulée hier."
    assert emphasised_events(document(plain), whole(plain), []) == []


def test_an_italic_markdown_name_that_took_place_is_an_event() -> None:
    # the reader blanks "_" and lists the blanks in ``joined``
    text = "Bravo pour la  fête des voisins du quartier  qui s'est déroulée hier !"
    doc = Document("p", text, "p.md", "md", "h", joined=((14, 15), (43, 44)))
    got = emphasised_events(doc, whole(text), [])
    assert [m.text for m in got] == ["fête des voisins du quartier"]
    assert emphasised_events(document(text), whole(text), []) == []  # no markup there


def test_an_unknown_word_before_a_year_is_an_edition() -> None:
    text = "Ma participation au devfest 2019, puis au printemps 2020 au salon."
    got = year_named_events(document(text), whole(text), [])
    assert [m.text for m in got] == ["devfest 2019"]


def test_a_lowercase_title_name_before_a_year_is_the_main_event() -> None:
    assert title_events("Retour sur les eurocks 2019") == ["eurocks"]
    assert title_events("Bilan de la rentrée 2019") == []
    text = "Troisième jour des eurocks. Les eurocks ont fini tard."
    got = one_sense_per_post(document(text, "Retour sur les eurocks 2019"), [], whole(text))
    assert [(m.text, m.start, m.label) for m in got] == [
        ("eurocks", 19, "EVENT"),
        ("eurocks", 32, "EVENT"),
    ]


def test_an_event_named_only_in_the_title_is_a_mention_of_the_title() -> None:
    text = '---\ntitle: "Retour sur le DevCamp 2019"\n---\nCette édition était dense.'
    doc = document(text, "Retour sur le DevCamp 2019")
    got = title_mentions(doc, doc.title, title_events(doc.title), [])
    assert [(m.text, m.label, text[m.start : m.end]) for m in got] == [
        ("DevCamp", "EVENT", "DevCamp")
    ]
    named = [_m("p", "DevCamp", "EVENT", 60)]
    assert title_mentions(doc, doc.title, ["DevCamp"], named) == []


def test_a_festival_named_by_its_art_is_an_event() -> None:
    text = "Je suis allée au festival de théâtre, puis au festival de cette année, et au festival."
    got = festival_events(document(text), whole(text), [])
    assert [m.text for m in got] == ["festival de théâtre"]


def test_a_talk_of_the_day_is_no_event() -> None:
    text = "On termine par la conférence Zénith du jour, puis le Forum Bio du jour suivant."
    ms = [
        Mention("p", 29, 43, "Zénith du jour", "EVENT", text, 0, "model"),
        Mention("p", 53, 62, "Forum Bio", "EVENT", text, 0, "cue"),
    ]
    assert text[29:43] == "Zénith du jour" and text[53:62] == "Forum Bio"
    got = without_talk_slots(ms)
    assert [(m.text, m.label) for m in got] == [("Zénith du jour", "MISC"), ("Forum Bio", "EVENT")]
    keynote = "La Keynote Horizon de la première journée était forte."
    ms = [Mention("p", 3, 18, "Keynote Horizon", "EVENT", keynote, 0, "cue")]
    assert [m.label for m in without_talk_slots(ms)] == ["MISC"]
