from __future__ import annotations

from recap_nlp.ingest.corpus import content_hash
from recap_nlp.ingest.dedup import split_duplicates
from recap_nlp.records import Document


def _doc(doc_id: str, text: str) -> Document:
    return Document(doc_id, text, f"{doc_id}.txt", "txt", content_hash(text))


def test_exact_and_near_duplicates_are_set_aside(seed_texts: dict[str, str]) -> None:
    original = seed_texts["001_69ef9b9c2667ea03"]
    docs = [
        _doc("b_copy", original),
        _doc("a_orig", original),
        _doc("c_edit", original.replace("27 Québécois", "vingt-sept Québécois") + " Merci!"),
        _doc("d_other", seed_texts["002_d5d32f04412ff4de"]),
    ]
    kept, duplicates = split_duplicates(docs)
    assert [d.doc_id for d in kept] == ["a_orig", "d_other"]
    found = {d.doc_id: (d.duplicate_of, d.kind) for d in duplicates}
    assert found == {"b_copy": ("a_orig", "exact"), "c_edit": ("a_orig", "near")}


def test_posts_sharing_a_quoted_paragraph_are_not_duplicates(seed_texts: dict[str, str]) -> None:
    # 001 quotes a paragraph of 002: related, but two different posts.
    docs = [_doc(k, v) for k, v in seed_texts.items()]
    kept, duplicates = split_duplicates(docs)
    assert not duplicates
    assert len(kept) == 5


def test_whitespace_only_changes_hash_alike() -> None:
    assert content_hash("Une mission  à Angers.\n") == content_hash("Une mission à Angers.")
    assert content_hash("Une mission à Angers.") != content_hash("Une mission à Nantes.")
