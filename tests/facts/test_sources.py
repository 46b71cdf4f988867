"""Tests of the sources stage and of the reconciliation rules that use it.

Every post here is a short French text written for the test: same author, organiser voice,
corrections, copies and quotations.
"""

from __future__ import annotations

import dataclasses

from recap_nlp.facts.reconcile import copied_passages, reconcile
from recap_nlp.facts.sources import describe_sources, event_role, find_cue, post_author, post_voice
from recap_nlp.records import Conflict, Document, Event, FactMention, Mention

_SHARED = (
    "On rentre toujours changé de ce genre de voyage : des rencontres, des idées, des projets "
    "qui vont naître et, je l'espère, aboutir."
)


def _doc(doc_id: str, text: str, published: str = "", author: str = "") -> Document:
    return Document(doc_id, text, "p", "txt", doc_id, published=published, author=author)


def _count(doc: Document, value: int, needle: str, lo: int = 0, hi: int = 0) -> FactMention:
    """A delegation count stated at ``needle`` in ``doc`` (offsets into its text)."""
    start = doc.text.index(needle)
    end = start + len(needle)
    sentence_start = max(doc.text.rfind(".", 0, start) + 1, doc.text.rfind("\n", 0, start) + 1)
    sentence_end = doc.text.find(".", end)
    sentence = doc.text[sentence_start : sentence_end + 1 if sentence_end >= 0 else None].strip()
    approximate = bool(lo or hi)
    return FactMention(
        f"{doc.doc_id}:delegation_size:{start}",
        doc.doc_id,
        "delegation_size",
        str(value),
        str(lo if approximate else value),
        str(hi if approximate else value),
        "approximate" if approximate else "exact",
        start,
        end,
        sentence,
        "test",
        event_id="mission",
    )


def _reconcile(docs: list[Document], facts: list[FactMention]) -> Conflict:
    event = Event("mission", "mission", "mission", "", "", (), "", (), len(facts))
    (conflict,) = reconcile([event], facts, docs)
    return conflict


def test_same_author_in_metadata_counts_once_and_the_later_post_wins() -> None:
    a = _doc("a", "Nous étions 30 dans la délégation.", "2023-05-02", "Jeanne Roy")
    b = _doc("b", "Finalement, la délégation comptait 31 personnes.", "2023-05-20", "jeanne roy")
    sources = {s.doc_id: s for s in describe_sources([a, b])}
    assert sources["a"].group == sources["b"].group == "a"
    assert sources["a"].same_author_as == ("b",)
    conflict = _reconcile([a, b], [_count(a, 30, "30"), _count(b, 31, "31")])
    assert (conflict.status, conflict.chosen) == ("conflict", "31")
    assert conflict.reason.startswith("the same author's later post (b)")
    assert conflict.basis.startswith("2 posts, 1 independent source (posts by one author")
    assert conflict.confidence < 0.5
    assert len(conflict.quotes) == 2 and all(conflict.quotes)


def test_two_posts_by_different_authors_still_conflict_with_both_quotes() -> None:
    a = _doc("a", "Nous étions 30 dans la délégation.", "2023-05-02", "Jeanne Roy")
    b = _doc("b", "La délégation comptait 31 personnes.", "2023-05-20", "Paul Martin")
    conflict = _reconcile([a, b], [_count(a, 30, "30"), _count(b, 31, "31")])
    assert (conflict.status, conflict.chosen) == ("unresolved", "")
    assert conflict.reason.startswith("unresolved: 2 values from 2 sources")
    assert set(conflict.quotes) == {"Nous étions 30 dans la délégation.", b.text}


def test_a_self_quotation_before_a_copied_passage_means_one_author() -> None:
    original = _doc("b", f"Mon retour de mission.\nMa conclusion : {_SHARED}")
    quoting = _doc(
        "a",
        "Bilan de la mission.\nJe termine avec un extrait d’un autre billet que j’ai publié "
        f"sur mon blogue :\n« {_SHARED} »",
    )
    copies = copied_passages([original, quoting])
    assert copies
    sources = {s.doc_id: s for s in describe_sources([original, quoting], copies=copies)}
    assert sources["a"].depends_on == ("b",) and sources["b"].depends_on == ()
    assert sources["a"].same_author_as == ("b",) and sources["b"].same_author_as == ("a",)
    assert "que j’ai publié" in sources["a"].relations[0]
    assert sources["a"].group == sources["b"].group


def test_a_quotation_of_someone_else_is_a_dependence_not_one_author() -> None:
    original = _doc("b", f"Retour sur la mission.\n{_SHARED}", author="Paul Martin")
    quoting = _doc("a", f"Comme l’écrivait un collègue dans son billet :\n« {_SHARED} »")
    copies = copied_passages([original, quoting])
    sources = {s.doc_id: s for s in describe_sources([original, quoting], copies=copies)}
    assert sources["a"].depends_on == ("b",)
    assert sources["a"].same_author_as == ()
    assert sources["a"].group == sources["b"].group  # the copy counts once
    assert any(r.startswith("copies a passage of b") for r in sources["a"].relations)


def test_a_copy_without_any_cue_is_directed_by_publication_dates() -> None:
    earlier = _doc("b", f"Notre voyage.\n{_SHARED}", "2022-01-10")
    later = _doc("a", f"Mon voyage.\n{_SHARED}", "2022-03-01")
    copies = copied_passages([earlier, later])
    sources = {s.doc_id: s for s in describe_sources([earlier, later], copies=copies)}
    assert sources["a"].depends_on == ("b",) and sources["b"].depends_on == ()


def test_organiser_voice_and_its_role_per_event() -> None:
    doc = _doc("a", "Pour tout savoir sur le groupe, consultez notre bottin des participants.")
    assert post_voice(doc) == ("organiser", doc.text)
    facts = [
        dataclasses.replace(_count(doc, 0, "bottin"), event_id="mission", fact_id="1"),
        dataclasses.replace(_count(doc, 0, "bottin"), event_id="mission", fact_id="2"),
        dataclasses.replace(_count(doc, 0, "groupe"), event_id="salon", fact_id="3"),
    ]
    (source,) = describe_sources([doc], facts)
    assert source.role == "organiser"
    # The organiser of its main event is a visitor of the other event it mentions.
    assert event_role(source, "mission") == "organiser"
    assert event_role(source, "salon") == "participant"


def test_the_organiser_account_wins_over_an_independent_participant() -> None:
    organiser = _doc("a", "Merci à nos bénévoles ! La délégation comptait 27 personnes.")
    participant = _doc("b", "J’ai vécu ma première mission avec une délégation de 28 personnes.")
    facts = [_count(organiser, 27, "27"), _count(participant, 28, "28")]
    conflict = _reconcile([organiser, participant], facts)
    assert (conflict.status, conflict.chosen) == ("conflict", "27")
    assert conflict.reason == "organiser's own account (a)"
    assert conflict.basis == "2 posts, 2 independent sources: organiser's post"
    assert conflict.confidence == 0.45


def test_a_later_correction_wins_an_earlier_one_does_not() -> None:
    first = _doc("a", "La délégation comptait 30 personnes.", "2023-06-01")
    fixed = _doc("b", "Rectification : la délégation comptait 32 personnes.", "2023-06-08")
    conflict = _reconcile([first, fixed], [_count(first, 30, "30"), _count(fixed, 32, "32")])
    assert (conflict.status, conflict.chosen) == ("conflict", "32")
    assert conflict.reason == "later correction (b)"
    assert conflict.basis.endswith(": later, correction")
    stale = dataclasses.replace(fixed, published="2023-05-01")
    conflict = _reconcile([first, stale], [_count(first, 30, "30"), _count(stale, 32, "32")])
    assert conflict.status == "unresolved"


def test_et_non_marks_the_value_before_it_as_the_right_one() -> None:
    doc = _doc("a", "Nous étions 27, et non 28 comme annoncé.")
    other = _doc("b", "Une délégation de 28 personnes.")
    facts = [_count(doc, 27, "27"), _count(doc, 28, "28"), _count(other, 28, "28")]
    conflict = _reconcile([doc, other], facts)
    assert (conflict.status, conflict.chosen) == ("conflict", "27")
    assert conflict.reason == "later correction (a)"


def test_an_exact_figure_wins_over_une_vingtaine() -> None:
    vague = _doc("a", "Une vingtaine de personnes ont fait le voyage.")
    exact = _doc("b", "Nous étions 28 à faire le voyage.")
    facts = [_count(vague, 20, "Une vingtaine", 15, 25), _count(exact, 28, "28")]
    conflict = _reconcile([vague, exact], facts)
    assert (conflict.status, conflict.chosen) == ("conflict", "28")
    assert conflict.reason == "precision: an exact value over approximate ones"
    assert conflict.confidence < 0.5


def test_a_post_repeating_its_own_paragraph_does_not_conflict_with_itself() -> None:
    paragraph = "La délégation comptait 27 personnes venues de toute la province."
    doc = _doc("a", f"{paragraph}\n\nRésumé de la journée.\n\n{paragraph}")
    second = doc.text.rindex("27")
    facts = [
        _count(doc, 27, "27"),
        dataclasses.replace(_count(doc, 27, "27"), start=second, end=second + 2, fact_id="2"),
    ]
    conflict = _reconcile([doc], facts)
    assert (conflict.status, conflict.chosen) == ("single", "27")
    assert copied_passages([doc]) == []


def test_byline_author_and_press_role() -> None:
    doc = _doc(
        "a", "Le salon a fermé ses portes\nPar Jeanne Roy\nLe salon a accueilli 300 visiteurs."
    )
    assert post_author(doc) == ("Jeanne Roy", "Par Jeanne Roy")
    (source,) = describe_sources([doc])
    assert (source.author, source.role) == ("Jeanne Roy", "press")


def test_byline_needs_a_person_when_mentions_are_known() -> None:
    doc = _doc("a", "Compte rendu\nPar Beau Temps Ensoleillé\nLe salon a fermé ses portes.")
    place = Mention("a", 0, 4, "Beau", "LOC", "", 0, "model")
    assert post_author(doc, [place]) == ("", "")


def test_self_identification_gives_the_author() -> None:
    doc = _doc("a", "Bonjour ! Je m’appelle Jeanne Roy et je reviens de la mission.")
    assert post_author(doc)[0] == "Jeanne Roy"


def test_publisher_speaking_as_nous() -> None:
    text = "Toute l’équipe de Vélo Cité vous donne des nouvelles. Nous sommes bien arrivés."
    doc = _doc("a", text)
    org = Mention("a", text.index("Vélo"), text.index(" vous"), "Vélo Cité", "ORG", "", 0, "m")
    (source,) = describe_sources([doc], mentions=[org])
    assert source.publisher == "Vélo Cité"
    assert source.publisher_evidence.startswith("Toute l’équipe de Vélo Cité")


def test_a_named_post_of_the_corpus_is_a_dependence() -> None:
    cited = _doc("b", "Notre mission en images.", author="Mathieu Roy")
    citing = _doc("a", "Je vous conseille de lire le billet de Mathieu Roy sur la mission.")
    outside = _doc("c", "Lisez aussi le texte de Claire Dubois, très complet.")
    sources = {s.doc_id: s for s in describe_sources([cited, citing, outside])}
    assert sources["a"].depends_on == ("b",) and sources["a"].group == "a" == sources["b"].group
    assert sources["c"].relations == ("refers to a post by Claire Dubois, not in the corpus",)


def test_find_cue_ignores_case_and_apostrophes() -> None:
    assert find_cue("Comme je l’écrivais hier", ["comme je l'écrivais"]) is not None
    assert find_cue("enfaitement", ["en fait"]) is None


def test_a_first_name_alone_points_at_a_post_only_when_one_writer_has_it() -> None:
    docs = [
        _doc("b", "Notre mission en images.", author="Mathieu Roy"),
        _doc("c", "Un autre regard.", author="Mathieu Caron"),
        _doc("a", "Lisez le texte de Mathieu sur la mission."),
    ]
    sources = {s.doc_id: s for s in describe_sources(docs)}
    assert sources["a"].depends_on == ()
    assert sources["a"].relations == ("refers to a post by Mathieu, not in the corpus",)
    alone = {s.doc_id: s for s in describe_sources([docs[0], docs[2]])}
    assert alone["a"].depends_on == ("b",)
