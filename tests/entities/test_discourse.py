"""One sense per post and the title's main event, on hand-built mentions (checked by hand)."""

from __future__ import annotations

from recap_nlp.entities.discourse import main_event_keys, one_sense_per_post, title_events
from recap_nlp.records import Document, Mention, SentenceSpan


def document(text: str, title: str = "", published: str = "") -> Document:
    return Document("p", text, "p.md", "md", "h", title=title, published=published)


def mention(text: str, body: str, label: str, source: str = "model", nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = body.index(text, start + 1)
    return Mention("p", start, start + len(text), text, label, body, 0, source)  # type: ignore[arg-type]


def test_title_events_take_the_name_before_the_year() -> None:
    assert title_events("Retour sur le Salon Numérica 2019") == ["Salon Numérica"]
    assert title_events("Codeurs Normands Paris 2022") == ["Codeurs Normands"]
    assert title_events("Faites de la musique 2021 à Lille") == ["Faites de la musique"]
    assert title_events("Bilan 2019") == []
    assert title_events("Mon année 2020 en photos") == []


def test_a_name_keeps_one_label_in_a_post() -> None:
    body = "La conférence Numérica était dense. Numérica reviendra. Numérica a grandi."
    ms = [
        mention("Numérica", body, "EVENT", "cue"),
        mention("Numérica", body, "ORG", nth=1),
        mention("Numérica", body, "ORG", nth=2),
    ]
    got = one_sense_per_post(document(body), ms)
    # the cue rule (weight 3) outweighs two model votes (1 each)
    assert all(m.label == "EVENT" for m in got)


def test_the_title_event_is_event_everywhere_even_where_unseen() -> None:
    body = "Nous étions à Numérica. Numérica avait lieu à Lille."
    sentences = [SentenceSpan("p", 0, 23, body[:23]), SentenceSpan("p", 24, len(body), body[24:])]
    ms = [mention("Numérica", body, "ORG"), mention("Lille", body, "CITY")]
    got = one_sense_per_post(document(body, "Retour sur Numérica 2019"), ms, sentences)
    labels = [(m.text, m.label) for m in got]
    assert labels == [("Numérica", "EVENT"), ("Numérica", "EVENT"), ("Lille", "CITY")]


def test_user_gazetteer_mentions_keep_their_label() -> None:
    body = "Numérica est un salon. Numérica organise tout."
    ms = [
        mention("Numérica", body, "EVENT", "cue"),
        mention("Numérica", body, "ORG", "gazetteer", 1),
    ]
    got = one_sense_per_post(document(body), ms)
    assert got[1].label == "ORG"


def test_main_event_keys_hold_name_and_year() -> None:
    a = Document("a", "x", "a.md", "md", "h", title="Retour sur le Salon Numérica 2019")
    b = Document("b", "x", "b.md", "md", "h", title="Salon Numérica", published="2021-03-01")
    c = Document("c", "x", "c.md", "md", "h", title="Mes vacances")
    got = main_event_keys([a, b, c], [])
    assert got["a"] == "salon numerica|2019"
    assert got["c"] == ""
    assert got["b"] != got["a"]


def test_a_clipped_festival_name_takes_the_event_label() -> None:
    body = "Les Francofolies ont ouvert. Les Francos durent cinq jours. Franco est venu."
    ms = [
        mention("Francofolies", body, "EVENT", "cue"),
        mention("Francos", body, "MISC"),
        mention("Franco", body, "ORG", nth=2),
    ]
    got = one_sense_per_post(document(body), ms)
    assert [(m.text, m.label) for m in got] == [
        ("Francofolies", "EVENT"),
        ("Francos", "EVENT"),
        ("Franco", "ORG"),  # the festival's first letters, but no article before it
    ]
