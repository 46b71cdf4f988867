from __future__ import annotations

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.lang.fr.stop_words import STOP_WORDS

from recap_nlp.themes import (
    ThemeResult,
    ThemeUnit,
    extract_keywords,
    fit_themes,
    french_stopwords,
)
from recap_nlp.themes.labels import clean_name, theme_label
from recap_nlp.themes.selection import matched_jaccard, pair_npmi
from recap_nlp.themes.vocabulary import (
    content_units,
    has_phone_number,
    markup_only_words,
    surface_form,
)
from tests.conftest import CORPUS

MISSION_POSTS = ("000", "001", "002")  # recaps of the June delegation to France (read by hand)


@pytest.fixture(scope="module")
def fr() -> spacy.language.Language:
    return spacy.load("fr_core_news_sm", exclude=["ner"])


def _lemmatised(fr: spacy.language.Language, doc_id: str, text: str) -> list[ThemeUnit]:
    """Sentence units of a text, lemmatised as the pipeline does."""
    units = []
    for sent in fr(text).sents:
        lemmas = " ".join(t.lemma_.lower() for t in sent if t.is_alpha and not t.is_stop)
        if sent.text.strip():
            units.append(
                ThemeUnit(doc_id, sent.start_char, sent.end_char, sent.text.strip(), lemmas)
            )
    return units


@pytest.fixture(scope="module")
def seed_units(fr: spacy.language.Language) -> list[ThemeUnit]:
    """Sentence units of the seed posts."""
    units = []
    for path in sorted(CORPUS.glob("*.txt")):
        units.extend(_lemmatised(fr, path.stem, path.read_text(encoding="utf-8")))
    return units


# Twelve short posts written for these tests, three on each of four unrelated subjects; each
# also has sentences any recap holds ("Merci à tous"), which must not make a theme of their own.
SUBJECT_POSTS = {
    "velo": [
        "Samedi, notre association a organisé une balade à vélo dans les rues de Grenoble. "
        "Une centaine de cyclistes ont roulé jusqu'au parc en réclamant des pistes cyclables. "
        "Merci à tous pour cette belle journée, on se retrouve bientôt !",
        "La vélorution du mois a réuni les cyclistes de Grenoble devant la mairie. "
        "Nous demandons des pistes cyclables sûres et des arceaux pour garer les vélos. "
        "Le cortège de vélos a traversé le centre sous le soleil. Merci à tous !",
        "Notre atelier de réparation de vélos a ouvert ses portes aux cyclistes du quartier. "
        "Les bénévoles ont réglé des freins, changé des chaînes et gonflé des pneus. "
        "Une belle journée, merci à tous les bénévoles !",
    ],
    "php": [
        "Le Forum PHP s'est tenu à Paris pendant deux jours de conférences. "
        "Les développeurs ont parlé de Symfony, de tests automatisés et de performance du code. "
        "Merci à tous les orateurs, on se retrouve l'an prochain !",
        "Retour sur le Forum PHP : une conférence sur le typage du code PHP a ouvert la journée. "
        "Puis un développeur a présenté la migration d'une application vers Symfony. "
        "Une belle journée pour la communauté des développeurs.",
        "Notre équipe de développeurs était au Forum PHP pour écouter les conférences. "
        "Les tests automatisés et l'analyse statique du code PHP étaient partout. "
        "Merci à tous les organisateurs !",
    ],
    "festival": [
        "Le festival de musique a accueilli trois mille spectateurs sous le chapiteau. "
        "Les concerts de rock et d'électro ont fait danser le public jusqu'à l'aube. "
        "Merci à tous les bénévoles pour cette belle journée !",
        "Deuxième soirée du festival : la scène principale a vibré avec un groupe de rock. "
        "Le public a chanté avec la chanteuse pendant tout le concert. "
        "On se retrouve l'an prochain pour le festival !",
        "Ce festival de musique électro mêle concerts, DJ et spectateurs venus de loin. "
        "La chanteuse du groupe a offert un rappel au public ravi. Merci à tous !",
    ],
    "ecole": [
        "Notre mission au Sénégal a livré des livres et des cahiers à l'école du village. "
        "Les instituteurs nous ont accueillis avec les élèves dans la cour. "
        "Merci à tous les donateurs pour cette belle journée !",
        "Deuxième semaine de mission au Sénégal : nous avons repeint deux classes de l'école. "
        "Les élèves ont reçu des cahiers et des crayons. Merci à tous !",
        "La mission humanitaire de l'association a équipé la bibliothèque de l'école au Sénégal. "
        "Les instituteurs ont organisé une fête avec les élèves et les parents. "
        "On se retrouve l'an prochain au village.",
    ],
}


@pytest.fixture(scope="module")
def subject_units(fr: spacy.language.Language) -> list[ThemeUnit]:
    units = []
    for subject, posts in SUBJECT_POSTS.items():
        for i, text in enumerate(posts):
            units.extend(_lemmatised(fr, f"{subject}-{i}", text))
    return units


@pytest.fixture(scope="module")
def auto_result(seed_units: list[ThemeUnit]) -> ThemeResult:
    return fit_themes(seed_units)


def _units(sentences: list[str], doc_id: str = "d") -> list[ThemeUnit]:
    return [ThemeUnit(doc_id, i, i + 1, text, text) for i, text in enumerate(sentences)]


def _totals(result: ThemeResult) -> dict[str, float]:
    totals: dict[str, float] = {}
    for share in result.doc_themes:
        totals[share.doc_id] = totals.get(share.doc_id, 0.0) + share.share
    return totals


def _main_theme(result: ThemeResult, prefix: str) -> int:
    shares = [s for s in result.doc_themes if s.doc_id.startswith(prefix)]
    return max(shares, key=lambda s: s.share).theme_id


# A tiny corpus of distinct sentences over four subjects (20 units, so K can be at most 2).
SUBJECTS = {
    "visite": ["entreprise", "usine", "atelier", "robot", "démonstration"],
    "conférence": ["design", "orateur", "salle", "présentation", "public"],
    "mission": ["délégation", "voyage", "avion", "hôtel", "accueil"],
    "culture": ["musée", "théâtre", "artiste", "spectacle", "patrimoine"],
}
TINY = [f"{head} {word} {head}" for head, words in SUBJECTS.items() for word in words]
WORDS = [word for words in SUBJECTS.values() for word in words]


def test_same_seed_gives_identical_output(seed_units: list[ThemeUnit]) -> None:
    assert fit_themes(seed_units, seed=3) == fit_themes(seed_units, seed=3)
    lda = fit_themes(seed_units, 3, method="lda", seed=1)
    assert lda == fit_themes(seed_units, 3, method="lda", seed=1)
    assert extract_keywords(seed_units) == extract_keywords(list(seed_units))


@pytest.mark.parametrize("n_themes", [None, 2, 4])
def test_shares_of_each_post_sum_to_one(seed_units: list[ThemeUnit], n_themes: int | None) -> None:
    result = fit_themes(seed_units, n_themes)
    totals = _totals(result)
    assert sorted(totals) == sorted({u.doc_id for u in seed_units})
    assert all(total == pytest.approx(1.0, abs=1e-9) for total in totals.values())
    assert all(0 <= s.share <= 1 for s in result.doc_themes)


def test_automatic_k_is_scored_and_explained(auto_result: ThemeResult) -> None:
    k = len(auto_result.themes)
    assert k == 2  # five posts: at most two themes of two posts each
    assert set(auto_result.k_scores) == set(range(2, max(auto_result.k_scores) + 1))
    assert any(f"K={k} themes chosen automatically" in note for note in auto_result.notes)


def test_k_is_the_finest_as_stable_as_the_best(subject_units: list[ThemeUnit]) -> None:
    result = fit_themes(subject_units)
    k = len(result.themes)
    best = max(result.k_scores, key=lambda j: result.k_scores[j][0])
    stability, spread = result.k_scores[k]
    top, top_spread = result.k_scores[best]
    assert top - stability <= 2 * (spread**2 + top_spread**2) ** 0.5  # not less stable
    assert max(result.k_scores) == 6  # twelve posts: K up to 12 // 2


def test_mission_posts_share_a_theme_the_others_do_not(seed_units: list[ThemeUnit]) -> None:
    # 000, 001 and 002 recap the same delegation to Angers and Nantes; 003 (an inter-regional
    # day in Québec) and 004 (an interview about Québec Numérique) do not: checked by reading.
    result = fit_themes(seed_units, 2)
    mission = _main_theme(result, "000")
    assert all(_main_theme(result, p) == mission for p in MISSION_POSTS)
    assert _main_theme(result, "003") != mission and _main_theme(result, "004") != mission
    assert {"mission", "angers"} <= set(result.themes[mission].top_terms)
    mission_ids = {u.doc_id for u in seed_units if u.doc_id.startswith(MISSION_POSTS)}
    assert set(result.themes[mission].representative_posts) == mission_ids


def test_labels_use_written_forms(seed_units: list[ThemeUnit]) -> None:
    labels = " · ".join(theme.label for theme in fit_themes(seed_units, 2).themes)
    assert "Québec" in labels and "Angers" in labels
    assert "québec" not in labels and "angers" not in labels


def test_themes_have_ten_terms_and_three_sentences(auto_result: ThemeResult) -> None:
    for theme in auto_result.themes:
        assert len(theme.representative_sentences) == 3
        assert len(set(theme.representative_sentences)) == 3
        assert len(theme.top_terms) == len(theme.weights) == 10
        assert sum(theme.weights) == pytest.approx(1.0, abs=1e-3)


def test_stop_words_never_become_terms(seed_units: list[ThemeUnit]) -> None:
    stop = french_stopwords()
    for theme in fit_themes(seed_units, 4).themes:
        assert not stop & set(theme.top_terms)
    for keyword in extract_keywords(seed_units):
        assert not stop & set(keyword.keyword.split())


@pytest.mark.parametrize("word", ["faire", "aussi", "plus", "an", "fois", "être", "avoir", "le"])
def test_stop_word_file_lists_generic_words(word: str) -> None:
    assert word in french_stopwords()


def test_stop_word_file_holds_all_of_spacys_list() -> None:
    assert set(STOP_WORDS) <= french_stopwords()


def test_extra_stop_words_are_removed(seed_units: list[ThemeUnit]) -> None:
    result = fit_themes(seed_units, 2, extra_stopwords=["Angers", "mission"])
    assert all({"angers", "mission"}.isdisjoint(t.top_terms) for t in result.themes)
    keywords = extract_keywords(seed_units, extra_stopwords=["scenic"])
    assert all("scenic" not in k.keyword.split() for k in keywords)


def test_too_many_themes_for_a_tiny_corpus_lowers_k_with_a_note() -> None:
    result = fit_themes(_units(TINY[:10], "d1") + _units(TINY[10:], "d2"), n_themes=6)
    assert len(result.themes) == 2
    assert any("too small for K=6 themes" in note and "K=2" in note for note in result.notes)


def test_very_small_corpus_gets_one_theme_with_a_note() -> None:
    result = fit_themes(_units(TINY[:6]))
    assert len(result.themes) == 1
    assert [s.share for s in result.doc_themes] == [1.0]
    assert "K=1" in result.notes[0]


@pytest.mark.parametrize("units", [[], [ThemeUnit("d", 0, 3, "Oui.", "")]])
def test_no_units_gives_an_empty_result_with_a_note(units: list[ThemeUnit]) -> None:
    result = fit_themes(units)
    assert result.themes == [] and result.doc_themes == []
    assert "too few sentences" in result.notes[0]
    assert extract_keywords(units) == []


def test_only_stop_words_gives_a_note_not_a_crash() -> None:
    result = fit_themes(_units(["faire aussi plus", "fois faire aussi", "plus fois encore"]))
    assert result.themes == []
    assert result.notes == ["no vocabulary left after stop words and boilerplate"]


def test_post_without_content_words_gets_no_theme() -> None:
    empty = [ThemeUnit("vide", i, i + 1, "Bravo !", "") for i in range(3)]
    result = fit_themes(_units(TINY[:10], "d1") + empty + _units(TINY[10:], "d2"), 2)
    assert {s.doc_id for s in result.doc_themes} == {"d1", "d2"}
    assert {k.doc_id for k in extract_keywords(empty + _units(TINY))} == {"d"}


def test_keywords_of_the_inter_regional_post(seed_units: list[ThemeUnit]) -> None:
    # Post 003 recaps a day of talks in three regions linked by the SCENIC technology, with a
    # section "Facteurs de succès" and a closing on abolished distances: expected by reading.
    keywords = [k for k in extract_keywords(seed_units) if k.doc_id.startswith("003")]
    assert [k.rank for k in keywords] == list(range(1, 11))
    terms = {k.keyword for k in keywords}
    assert {"scenic", "facteur succès", "distance"} <= terms
    assert "numérique" not in terms  # in every post: not distinctive


def test_keyword_ties_are_broken_alphabetically() -> None:
    units = _units(["zèbre lion", "autruche girafe"], "a") + _units(["tigre ours"], "b")
    keywords = [k.keyword for k in extract_keywords(units, top_n=4) if k.doc_id == "a"]
    assert keywords == ["autruche", "autruche girafe", "girafe", "lion"]


def test_keyword_pairs_never_span_two_sentences() -> None:
    units = _units(["musée théâtre", "avion hôtel"], "a") + _units(["usine robot"], "b")
    keywords = {k.keyword for k in extract_keywords(units, top_n=20)}
    assert "musée théâtre" in keywords and "théâtre avion" not in keywords


def test_repeated_sentences_and_contact_lines_are_not_modelled() -> None:
    texts = ["localisez google maps", "visite musée", "localisez google maps", "visite musée"]
    units = [*_units(texts), ThemeUnit("d", 9, 10, "Téléphone +32 (0)10 45 85 14", "téléphone")]
    assert [u.start for u in content_units(units)] == [0, 1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Téléphone +32 (0)10 45 85 14", True),
        ("Téléphone 418 353-1808", True),
        ("Le 27 septembre 2018 à 14 h 30", False),
        ("Tél. : 01 85 76 30 90", True),
        ("Appelez le (418) 353-1808.", True),
        ("Un budget de 1 000 000 $ pour le projet.", False),
        ("Du 3 au 11 juin 2017, 27 Québécois étaient en France.", False),
    ],
)
def test_phone_numbers(text: str, expected: bool) -> None:
    assert has_phone_number(text) is expected


@pytest.mark.parametrize(
    ("term", "texts", "expected"),
    [
        ("québec", ["Mission au Québec", "Québec numérique", "le québec"], "Québec"),
        ("numérique", ["Le Numérique", "le numérique", "virage numérique"], "numérique"),
        ("ami", ["nos amis d'Angers"], "ami"),
        ("angers", ["à Angers", "d'Angers"], "Angers"),
    ],
)
def test_surface_form(term: str, texts: list[str], expected: str) -> None:
    assert surface_form(term, texts) == expected


def test_matched_jaccard_ignores_topic_order() -> None:
    topics = [{1, 2, 3}, {4, 5, 6}]
    assert matched_jaccard(topics, topics[::-1]) == 1.0
    assert matched_jaccard(topics, [{1, 2, 9}, {4, 5, 6}]) == pytest.approx((0.5 + 1) / 2)


@pytest.mark.parametrize(
    ("p_ij", "p_i", "p_j", "expected"),
    [(0.0, 0.1, 0.1, -1.0), (0.01, 0.1, 0.1, 0.0), (0.1, 0.1, 0.1, 1.0), (1.0, 1.0, 1.0, 1.0)],
)
def test_pair_npmi(p_ij: float, p_i: float, p_j: float, expected: float) -> None:
    assert pair_npmi(p_ij, p_i, p_j) == pytest.approx(expected, abs=1e-9)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b", "c"]), st.lists(st.sampled_from(WORDS), max_size=5)),
        max_size=30,
    )
)
def test_any_corpus_gives_valid_shares_and_ranks(rows: list[tuple[str, list[str]]]) -> None:
    units = [
        ThemeUnit(doc, i, i + 1, " ".join(words), " ".join(words))
        for i, (doc, words) in enumerate(rows)
    ]
    result = fit_themes(units, seed=0)
    assert all(total == pytest.approx(1.0, abs=1e-9) for total in _totals(result).values())
    assert result.themes or result.notes
    keywords = extract_keywords(units, top_n=3)
    for doc in {k.doc_id for k in keywords}:
        ranks = [k.rank for k in keywords if k.doc_id == doc]
        assert ranks == list(range(1, len(ranks) + 1))


def _dominant(result: ThemeResult) -> dict[str, int]:
    best: dict[str, tuple[float, int]] = {}
    for share in result.doc_themes:
        if share.doc_id not in best or share.share > best[share.doc_id][0]:
            best[share.doc_id] = (share.share, share.theme_id)
    return {doc_id: theme for doc_id, (_, theme) in best.items()}


@pytest.mark.parametrize("n_themes", [None, 4])
def test_posts_on_one_subject_share_a_theme_others_do_not(
    subject_units: list[ThemeUnit], n_themes: int | None
) -> None:
    result = fit_themes(subject_units, n_themes)
    dominant = _dominant(result)
    assert len(dominant) == 12
    by_subject = {s: {dominant[f"{s}-{i}"] for i in range(3)} for s in SUBJECT_POSTS}
    assert all(len(themes) == 1 for themes in by_subject.values())  # one theme per subject
    assert len({next(iter(t)) for t in by_subject.values()}) == 4  # four subjects, four themes
    assert len(result.themes) == 4  # nor split further: 2 posts per theme at least


def test_subject_themes_are_labelled_and_described(subject_units: list[ThemeUnit]) -> None:
    result = fit_themes(subject_units)
    dominant = _dominant(result)
    php = result.themes[dominant["php-0"]]
    assert {"php", "développeur"} <= set(php.top_terms)
    assert set(php.representative_posts) == {"php-0", "php-1", "php-2"}
    assert all("PHP" in s or "développeur" in s for s in php.representative_sentences)
    velo = result.themes[dominant["velo-0"]]
    assert "vélo" in velo.label and "cycliste" in velo.top_terms
    for theme in result.themes:  # the sentences every post holds make no theme
        assert not {"merci", "journée", "retrouver"} & set(theme.top_terms[:3])


def test_names_label_a_theme_but_speakers_do_not(subject_units: list[ThemeUnit]) -> None:
    names = {f"php-{i}": ["Forum PHP", "Jeanne Martin"] for i in range(3)}
    names |= {f"velo-{i}": ["Grenoble"] for i in range(2)}
    labels = {"php-0": ["Forum PHP"], "php-1": ["Forum PHP"], "velo-0": ["Grenoble"]}
    labels |= {"velo-1": ["Grenoble"]}
    result = fit_themes(subject_units, names=names, label_names=labels)
    dominant = _dominant(result)
    assert result.themes[dominant["php-0"]].label.startswith("Forum PHP · ")
    assert result.themes[dominant["velo-0"]].label.startswith("Grenoble · ")
    assert all("Jeanne" not in theme.label for theme in result.themes)


def test_order_of_units_does_not_change_the_themes(subject_units: list[ThemeUnit]) -> None:
    reordered = sorted(subject_units, key=lambda u: (u.doc_id[::-1], -u.start))
    assert fit_themes(reordered, seed=2) == fit_themes(subject_units, seed=2)


def test_markup_never_becomes_a_term(fr: spacy.language.Language) -> None:
    units = []
    for subject, posts in SUBJECT_POSTS.items():
        for i, text in enumerate(posts):
            markup = (
                '{{< gallery dir="photos" >}}\n<div class="photo"><img src="x.jpg"></div>\n'
                "Voir [le programme](https://www.exemple.org/programme.html).\n"
            )
            units.extend(_lemmatised(fr, f"{subject}-{i}", markup + text))
    terms = {term for theme in fit_themes(units).themes for term in theme.top_terms}
    assert not terms & {"gallery", "photos", "div", "class", "img", "src", "https", "www"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Voir [Dan Martin](https://twitter.com/danm) à Lyon", {"https", "twitter", "com", "danm"}),
        ('{{< gallery dir="expo" >}}', {"gallery", "dir", "expo"}),
        ("Le vélo en ville, à Pau.", set()),
        ("<b>Rock</b> et rock à Rennes", set()),
    ],
)
def test_markup_only_words(text: str, expected: set[str]) -> None:
    assert markup_only_words(text) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Julien Durand](https://twitter.com", "Julien Durand"), ("MiXiT.", "MiXiT"), ("Pau", "Pau")],
)
def test_clean_name(name: str, expected: str) -> None:
    assert clean_name(name) == expected


def test_labels_skip_terms_the_name_already_holds() -> None:
    assert (
        theme_label("Forum PHP", ["PHP", "conférence", "Symfony"])
        == "Forum PHP · conférence · Symfony"
    )
    assert (
        theme_label("", ["Québec", "Québécois", "mission", "France"]) == "Québec · mission · France"
    )
