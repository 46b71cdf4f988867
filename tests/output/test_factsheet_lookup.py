"""The fact sheets' indexes: the same values as the pandas filtering they replace."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recap_nlp.output import factsheet
from recap_nlp.output.factsheet import lookup


def _replace_one_by_one(text: str, posts: dict[str, str]) -> str:
    """What the sheets did before: every post of the corpus tested against the text."""
    for doc_id, label in posts.items():
        if doc_id in text:
            text = text.replace(doc_id, label)
    return text


def test_post_ids_are_replaced_by_labels_prefixes_included() -> None:
    posts = {"p1": "« Retour de Nantes »", "p10": "« Bilan »", "p2": "Voyage"}
    names = lookup.PostNames.of(posts)
    # "p10" holds "p1": the labels' order decides, as it did (p1 is replaced inside p10).
    assert names.replace("p10 reprend p2") == "« Retour de Nantes »0 reprend Voyage"
    assert names.replace("aucun billet") == "aucun billet"
    assert lookup.PostNames.of(None).replace("p1") == "p1"


def test_a_label_holding_a_later_id_is_replaced_again() -> None:
    posts = {"a": "voir b", "b": "« Le billet B »"}
    assert lookup.PostNames.of(posts).replace("selon a") == "selon voir « Le billet B »"
    # ... but not an earlier one: "b" comes first, so "a" → "b" stays.
    assert lookup.PostNames.of({"b": "B", "a": "b"}).replace("a") == "b"


_IDS = st.text(alphabet="ab1", min_size=1, max_size=3)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(_IDS, st.text(alphabet="ab1« »", max_size=5), max_size=6),
    st.text(alphabet="ab1 x", max_size=20),
)
def test_post_names_match_the_one_by_one_replacement(posts: dict[str, str], text: str) -> None:
    assert lookup.PostNames.of(posts).replace(text) == _replace_one_by_one(text, posts)


def _sheet_sums_before(rows: list[tuple[str, str, float]]) -> pd.Series:
    """The sums as the sheets took them before: each post's rows (posts in id order, as a
    sheet lists them) concatenated, then grouped."""
    frame = pd.DataFrame(rows, columns=["doc_id", "keyword", "score"])
    groups = dict(list(frame.groupby("doc_id", sort=False)))
    parts = [groups[d] for d in sorted(groups)]
    return pd.concat(parts).groupby("keyword")["score"].sum()


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["p1", "p2"]),
            st.sampled_from(["numérique", "nantes", "angers"]),
            st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(lambda v: round(v, 4)),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_group_sums_are_the_sheets_former_sums(rows: list[tuple[str, str, float]]) -> None:
    # Rows in the order the sheet reads them (post by post), as the concatenation had them.
    ordered = sorted(rows, key=lambda r: r[0])
    got = lookup.group_sums((k, v) for _, k, v in ordered)
    expected = _sheet_sums_before(rows)
    assert list(got.index) == list(expected.index)
    assert got.tolist() == expected.tolist()  # to the last bit


def test_group_sums_add_each_key_once_sorted() -> None:
    sums = lookup.group_sums([("numérique", 0.25), ("nantes", 0.5), ("numérique", 0.5)])
    assert sums.to_dict() == {"nantes": 0.5, "numérique": 0.75}


def test_largest_ranks_ties_as_pandas_does() -> None:
    values = pd.Series({"angers": 0.1, "bel": 0.0768, "nantes": 0.1, "numérique bel": 0.0768})
    expected = values.sort_values(ascending=False).head(3)
    assert lookup.largest(values, 3) == list(expected.items())
    assert [k for k, _ in lookup.largest(values, 3)] == ["angers", "nantes", "bel"]


def _frames() -> dict[str, pd.DataFrame]:
    """Two posts of one event: "Québec numérique" named three times, keywords and themes."""
    documents = pd.DataFrame(
        {
            "doc_id": ["p1", "p2", "p3"],
            "title": ["Retour de mission", "", ""],
            "published": ["2019-04-05", "2019-04-06", ""],
            "url": ["https://exemple.fr/retour", "", ""],
        }
    )
    sentences = pd.DataFrame(
        {
            "doc_id": ["p2", "p3"],
            "start": [0, 0],
            "text": ["Nous étions à Angers pour la semaine du numérique.", "Rien à voir."],
        }
    )
    mentions = pd.DataFrame(
        {
            "doc_id": ["p1", "p1", "p2", "p2", "p3"],
            "label": ["ORG", "ORG", "ORG", "PER", "ORG"],
            "entity_id": ["org-qn", "org-qn", "org-qn", "per-ml", "org-autre"],
            "canonical": ["", "Québec numérique", "Québec numérique", "Marie Lemieux", "Autre"],
            "text": ["QN", "Québec numérique", "Québec Numérique", "Marie", "Autre"],
        }
    )
    events = pd.DataFrame(
        {
            "event_id": ["ev-1"],
            "name": ["mission 2019"],
            "kind": ["mission"],
            "start_date": ["2019-04-01"],
            "end_date": ["2019-04-03"],
            "cities": ['["Angers"]'],
            "organiser": ["Québec numérique"],
            "doc_ids": ['["p2", "p1"]'],
        }
    )
    reconciled = pd.DataFrame(
        {
            "event_id": ["ev-1"],
            "attribute": ["city"],
            "values": ['["Angers"]'],
            "doc_ids": ['["p1"]'],
            "quotes": ['["à Angers"]'],
            "chosen": ["Angers"],
            "status": ["agreed"],
            "confidence": [0.9],
            "reason": [""],
        }
    )
    keywords = pd.DataFrame(
        {
            "doc_id": ["p1", "p1", "p2", "p2", "p3"],
            "keyword": ["numérique", "nantes", "numérique", "angers", "hors sujet"],
            "score": [0.3, 0.1, 0.2, 0.4, 0.9],
        }
    )
    themes = pd.DataFrame(
        {
            "theme_id": [0, 1],
            "label": ["numérique", "voyage"],
            "top_terms": ['["numérique", "innovation"]', '["voyage", "avion"]'],
        }
    )
    doc_themes = pd.DataFrame(
        {
            "doc_id": ["p1", "p1", "p2", "p2"],
            "theme_id": [0, 1, 0, 1],
            "share": [0.8, 0.2, 0.0, 1.0],
        }
    )
    entities = pd.DataFrame(
        {"entity_id": ["org-qn"], "canonical": ["Québec numérique"], "label": ["ORG"]}
    )
    return {
        "documents": documents,
        "sentences": sentences,
        "mentions": mentions,
        "events": events,
        "reconciled": reconciled,
        "entities": entities,
        "facts": pd.DataFrame({"fact_id": ["f1"]}),
        "keywords": keywords,
        "themes": themes,
        "doc_themes": doc_themes,
    }


def test_an_event_sheet_reads_only_its_posts_rows() -> None:
    tables = factsheet.run_tables(_frames())
    context = factsheet.event_context(tables, "ev-1", factsheet.load_labels("fr"))
    assert context["doc_ids"] == ["p1", "p2"]
    # Three mentions over both posts, named as the first one in the posts' order reads
    # (its canonical name is empty: its text); p3's organisation is not there.
    assert context["organisations"] == [
        {"name": "QN", "n": 3, "doc_ids": ["p1", "p2"], "entity_id": "org-qn"}
    ]
    assert [p["name"] for p in context["people"]] == ["Marie Lemieux"]
    # 0.3 + 0.2 for "numérique", then 0.4 and 0.1; p3's keyword is left out.
    assert [(k["keyword"], k["doc_ids"]) for k in context["keywords"]] == [
        ("numérique", ["p1", "p2"]),
        ("angers", ["p2"]),
        ("nantes", ["p1"]),
    ]
    # Mean shares over the two posts: voyage (0.2 + 1.0) / 2, numérique 0.8 / 2 (p1 only).
    assert [(t["label"], t["share"], t["doc_ids"]) for t in context["themes"]] == [
        ("voyage", 60, ["p1", "p2"]),
        ("numérique", 40, ["p1"]),
    ]
    assert [p["doc_id"] for p in context["posts"]] == ["p1", "p2"]
    assert context["posts"][0]["url"] == "https://exemple.fr/retour"
    assert [f["attribute"] for f in context["facts"]] == ["city"]


def test_an_unknown_event_is_still_an_error() -> None:
    tables = factsheet.run_tables(_frames())
    with pytest.raises(factsheet.UnknownEventError):
        factsheet.event_context(tables, "ev-9", factsheet.load_labels("fr"))
    assert factsheet.worth_a_sheet(tables, "ev-1")
    assert not factsheet.worth_a_sheet(tables, "ev-9")


_TIED = st.sampled_from([0.0, -0.0, 0.1, 0.2, 0.25, 0.3, 0.5, 1e-9, 0.0768, -0.1])


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["numérique", "nantes", "angers", "bel", "lyon"]), _TIED),
        min_size=1,
        max_size=12,
    ),
    st.integers(min_value=1, max_value=6),
    st.sampled_from([None, 1, 3, 7]),
)
def test_top_sums_are_the_pandas_ranking(
    rows: list[tuple[str, float]], n: int, divisor: int | None
) -> None:
    values = lookup.group_sums(rows)
    expected = lookup.largest(values / divisor if divisor else values, n)
    got = lookup.top_sums(rows, n, divisor)
    assert [k for k, _ in got] == [k for k, _ in expected]  # ties in pandas' order
    assert [repr(v) for _, v in got] == [repr(v) for _, v in expected]  # to the bit, -0.0 too


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(min_value=0, max_value=5), _TIED), min_size=1, max_size=20),
)
def test_top_sums_of_integer_keys_and_many_values(rows: list[tuple[int, float]]) -> None:
    # three values or more for a key: pandas' compensated sum (the fallback) decides
    expected = lookup.largest(lookup.group_sums(rows) / 2, 3)
    assert lookup.top_sums(rows, 3, 2) == expected


def test_top_sums_fall_back_on_pandas_for_missing_values() -> None:
    rows = [("nantes", float("nan")), ("lyon", 0.5), ("nantes", 0.25)]
    assert lookup.top_sums(rows, 2) == [("lyon", 0.5), ("nantes", 0.25)]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["numérique", "nantes", "angers", "bel", "lyon", "québec"]),
            st.sampled_from([0.1, 0.2, 0.25, 0.3, 0.5, 1e-9, 0.0768, -0.1, 0.7, 1 / 3, -0.2]),
        ),
        min_size=1,
        max_size=12,
        unique_by=lambda row: row[0],
    ).flatmap(lambda rows: st.permutations(rows + rows[: len(rows) // 2])),
    st.integers(min_value=1, max_value=6),
    st.sampled_from([None, 1, 3, 7]),
)
def test_top_sums_without_pandas_rank_as_pandas(
    rows: list[tuple[str, float]], n: int, divisor: int | None
) -> None:
    assert lookup._small_sums(rows) is not None  # one or two values a key: no frame built
    values = lookup.group_sums(rows)
    expected = lookup.largest(values / divisor if divisor else values, n)
    got = lookup.top_sums(rows, n, divisor)
    assert [k for k, _ in got] == [k for k, _ in expected]
    assert [repr(v) for _, v in got] == [repr(v) for _, v in expected]
