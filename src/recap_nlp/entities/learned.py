"""The learned layer: a span re-labeller over the names the rules and the model found in a post.

The rules decide a label per mention; on real posts they stop generalising (headings, talk
titles and English phrases taken for organisations, a conference labelled as its organiser).
This layer looks at every distinct name of a post at once (all its mentions: shape, the words
around them, cue words, gazetteer flags, the labels and recognisers the rules gave, the post's
title) and answers PER, CITY, ORG, EVENT or NONE (not an entity of these kinds) with a
multinomial logistic regression trained by ``make train`` (``evaluation/entity_training.py``) on
the hand-made gold of ``../shared/realdev``.

Run time is pure numpy: one sparse dot product per name. The weights are JSON
(``data/entity_relabeller.json``), never pickle. A name is relabelled only when the rules gave
it a label the layer is enabled for (``enabled`` in the weights file: the labels where the
layer beat the rules on posts it never saw, by cross-validation) and never when a user
gazetteer named it: the user's word wins.

Features never hold a capitalised word of a name: the layer learns kinds of names (shape,
context, cues), not the names of the training posts.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from importlib import resources
from itertools import pairwise
from pathlib import Path

from recap_nlp.entities import lexicon
from recap_nlp.entities.lexicon import strip_accents
from recap_nlp.model import DEFAULT_MODEL, lemma_tables
from recap_nlp.records import Document, Mention

WEIGHTS_FILE = "entity_relabeller.json"
NONE = "NONE"
#: the label given to a name the layer rejects: kept in the tables, never counted as an entity
REJECTED_LABEL = "MISC"
LEARNED_SOURCE = "learned"
_WORD = re.compile(r"[\w'’.-]+")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_URLISH = re.compile(r"https?|www\.|\.(?:com|fr|org|net|io|ca|be|ch)\b", re.IGNORECASE)
_SITE = re.compile(r"\w\.(?:fr|com|org|net|io|ca|be|ch|eu)$", re.IGNORECASE)
_ENGLISH = frozenset(
    {"the", "of", "and", "for", "to", "in", "on", "with", "a", "an", "is", "are", "at", "by"}
    | {"from", "your", "my", "our", "how", "why", "what", "when", "you", "we", "it", "this"}
    | {"that", "be", "not", "or", "all", "new"}
)


class WeightsError(RuntimeError):
    """The learned layer's weights file is missing or unreadable; the message names the file."""


@dataclass(frozen=True)
class Relabeller:
    """Logistic-regression weights: ``coef[class][feature]`` as dense rows over ``features``."""

    classes: tuple[str, ...]
    features: Mapping[str, int]
    coef: tuple[tuple[float, ...], ...]
    intercept: tuple[float, ...]
    enabled: frozenset[str]

    def probabilities(self, feats: Mapping[str, float]) -> dict[str, float]:
        """Class probabilities (softmax) for one name's features."""
        scores = list(self.intercept)
        for name, value in feats.items():
            j = self.features.get(name)
            if j is None:
                continue
            for k, row in enumerate(self.coef):
                scores[k] += row[j] * value
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return {c: e / total for c, e in zip(self.classes, exps, strict=True)}


def read_weights(path: Path) -> Relabeller:
    """Read a weights file written by ``make train``.

    Raises:
        WeightsError: the file is missing, is not valid JSON, or lacks a field or has
            inconsistent shapes; the message names the file.
    """
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise WeightsError(f"{path}: the learned layer's weights file is missing") from err
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise WeightsError(f"{path}: the learned layer's weights are unreadable ({err})") from err
    try:
        classes = tuple(str(c) for c in raw["classes"])
        features = {str(f): j for j, f in enumerate(raw["features"])}
        coef = tuple(tuple(float(v) for v in row) for row in raw["coef"])
        intercept = tuple(float(v) for v in raw["intercept"])
        enabled = frozenset(str(label) for label in raw["enabled"])
    except (KeyError, TypeError, ValueError) as err:
        raise WeightsError(f"{path}: the learned layer's weights lack a field ({err})") from err
    shapes_ok = len(coef) == len(classes) == len(intercept) and all(
        len(row) == len(features) for row in coef
    )
    if not shapes_ok:
        raise WeightsError(f"{path}: the learned layer's weights have inconsistent shapes")
    return Relabeller(classes, features, coef, intercept, enabled)


@cache
def packaged_relabeller() -> Relabeller:
    """The shipped weights, read once per process (a clear error if they are broken)."""
    with resources.as_file(resources.files("recap_nlp.data").joinpath(WEIGHTS_FILE)) as path:
        return read_weights(path)


@cache
def _french_lexicon() -> tuple[frozenset[str], object]:
    """The French model's lemmatizer tables: lemmas by part of speech, inflected forms."""
    lookups = lemma_tables(DEFAULT_MODEL)
    index = lookups.get_table("lemma_index")
    lemmas = frozenset(w for pos in ("noun", "verb", "adj", "adv") for w in index.get(pos, ()))
    return lemmas, lookups.get_table("lemma_lookup")


def is_french_word(word: str) -> bool:
    """A common French word by the model's lemmatizer tables: "guitare", "déposez".

    The tables come with ``fr_core_news_sm`` (the pipeline loaded once per process).
    """
    lemmas, forms = _french_lexicon()
    return word in lemmas or word in forms  # type: ignore[operator]


@lru_cache(maxsize=2**16)
def fold_key(text: str) -> str:
    """The key grouping a post's mentions of one name: case, accents, articles folded.

    Each distinct name is folded once per process (a bounded cache): a post's names are
    grouped, featured and changed, each time by this key.

    Example: ``fold_key("la Conférence")`` -> ``"conference"``.
    """
    text = strip_accents(text.replace("’", "'")).lower().strip()
    text = re.sub(r"^(?:la|le|les|l')\s*", "", text)
    return " ".join(re.sub(r"[^\w' ]", " ", text.replace("-", " ")).split())


def name_groups(mentions: Iterable[Mention]) -> dict[str, list[Mention]]:
    """A post's mentions grouped by folded name (a user gazetteer's names left out)."""
    groups: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        if m.source != "gazetteer" and fold_key(m.text):
            groups[fold_key(m.text)].append(m)
    return dict(groups)


def rules_label(group: Sequence[Mention]) -> str:
    """The label the rules give a name: the most frequent counted label, else LOC or MISC."""
    counted = Counter(m.label for m in group if m.label in {"PER", "CITY", "ORG", "EVENT"})
    counts = counted or Counter(m.label for m in group)
    return min(counts, key=lambda label: (-counts[label], label))


def name_features(doc: Document, key: str, group: Sequence[Mention]) -> dict[str, float]:
    """The features of one name of a post (binary, a few counts on a log scale).

    Example: "Salon Numérix" written three times in a post titled
    "Retour sur le Salon Numérix 2019", once after "au" and once before "2019", gives
    ``in_title``, ``year_after``, ``prev=au``, ``head_event`` and ``rule=EVENT`` among others.
    """
    lex = lexicon.cues()
    surface = Counter(m.text for m in group).most_common(1)[0][0]
    feats: dict[str, float] = {"bias_name": 1.0, f"rule={rules_label(group)}": 1.0}
    for m in group:
        feats[f"label={m.label}"] = 1.0
        feats[f"src={m.source}"] = 1.0
        feats[f"src_label={m.source}:{m.label}"] = 1.0
    feats["log_mentions"] = math.log1p(len(group))
    feats.update(_shape(surface))
    feats.update(_name_words(surface, lex))
    for m in group:
        feats.update(_context(m))
    title = fold_key(doc.title or doc.text[:200].split("\n", 1)[0])
    if key and f" {key} " in f" {title} ":
        feats["in_title"] = 1.0
    feats[f"format={doc.format}"] = 1.0
    words = surface.split()
    if len(words) == 1 and is_french_word(surface.lower()):
        feats["french_word"] = 1.0  # "Guitare", "Histoire": a common noun, capitalised
    if len(words) == 1 and surface.isupper() and len(surface) > 4:
        feats["caps_word"] = 1.0  # a heading in capitals: "POSITION"
    lowered = surface.lower()
    # the plain substring test before the regex: most names are never written in lower case
    written_lower = lowered != surface and lowered in doc.text
    if written_lower and re.search(rf"(?<!\w){re.escape(lowered)}(?!\w)", doc.text):
        feats["also_lowercase"] = 1.0  # written as a common word elsewhere: "le pattern"
    return feats


def _shape(text: str) -> dict[str, float]:
    words = text.split()
    letters = [c for c in text if c.isalpha()]
    feats = {f"ntok={min(len(words), 5)}": 1.0}
    if letters and all(c.isupper() for c in letters):
        feats["all_caps"] = 1.0
    if letters and all(c.islower() for c in letters):
        feats["all_lower"] = 1.0
    if words and all(w[:1].isupper() for w in words):
        feats["all_title"] = 1.0
    if any(w[:1].islower() for w in words[1:]):
        feats["inner_lower_word"] = 1.0
    if any(c.isdigit() for c in text):
        feats["digit"] = 1.0
    if _YEAR.match(words[-1] if words else ""):
        feats["ends_year"] = 1.0
    if _URLISH.search(text):
        feats["urlish"] = 1.0
    if _SITE.search(text):
        feats["site_name"] = 1.0
    if any(a.islower() and b.isupper() for a, b in pairwise(text)):
        feats["camel"] = 1.0
    if len(text) <= 3:
        feats["short"] = 1.0
    if any(c in text for c in "()[]/*_#|:"):
        feats["odd_chars"] = 1.0
    if sum(w.lower() in _ENGLISH for w in words) and len(words) > 1:
        feats["english_word"] = 1.0
    return feats


def _name_words(text: str, cues: lexicon.Cues) -> dict[str, float]:
    """Cue and gazetteer flags of the name's words; lowercase words by themselves."""
    words = text.split()
    if not words:
        return {}
    first, last = words[0], words[-1]
    names = lexicon.first_names()
    feats: dict[str, float] = {}
    flags = {
        "head_event": first in cues.event_heads,
        "head_org": first in cues.org_heads,
        "tail_event": last in cues.event_tails,
        "tail_org": last in cues.org_tails,
        "first_name": first in names or first.split("-")[0] in names,
        "first_name_alone": len(words) == 1 and first in names,
        "place": lexicon.places().label(text) is not None,
        "city": text in lexicon.places().cities,
        "first_is_place": lexicon.places().label(first) is not None,
        "last_is_place": len(words) > 1 and lexicon.places().label(last) is not None,
        "generic": text in cues.generic_terms or first.lower() in cues.leading_words,
    }
    feats.update({name: 1.0 for name, on in flags.items() if on})
    for word in words:
        if word.islower():
            feats[f"word={word}"] = 1.0
    if last.islower():
        feats[f"last_lower={last}"] = 1.0
    return feats


def _context(m: Mention) -> dict[str, float]:
    """The words right around one mention; capitalised words only as a shape."""
    offset = m.start - m.sentence_start
    before = m.sentence[:offset] if 0 <= offset <= len(m.sentence) else ""
    after = m.sentence[m.end - m.sentence_start :] if offset >= 0 else ""
    left, right = _WORD.findall(before)[-2:], _WORD.findall(after)[:2]
    feats: dict[str, float] = {}
    if not before.strip():
        feats["line_start"] = 1.0
    stripped = before.rstrip()
    if stripped[-1:] in {"(", "[", "-", "–", "—", ":", ",", "«", '"', "*", "#"}:
        feats[f"char_before={stripped[-1]}"] = 1.0
    following = after.lstrip()[:1]
    if following in {")", "]", "-", "–", "—", ":", ",", "»", '"', "(", "."}:
        feats[f"char_after={following}"] = 1.0
    if not after.strip():
        feats["line_end"] = 1.0
    for name, words in (("prev", left[::-1]), ("next", right)):
        for k, word in enumerate(words):
            feats[f"{name}{k + 1}={_word_form(word)}"] = 1.0
    if right and _YEAR.match(right[0]):
        feats["year_after"] = 1.0
    return feats


def _before_year(m: Mention) -> bool:
    """The mention is followed by a year: "le Hackathon d'hiver 2021"."""
    after = m.sentence[m.end - m.sentence_start :] if m.end >= m.sentence_start else ""
    words = _WORD.findall(after)[:1]
    return bool(words) and bool(_YEAR.match(words[0]))


def _word_form(word: str) -> str:
    if _YEAR.match(word):
        return "<year>"
    if word[:1].isupper():
        return "<Cap>"
    if any(c.isdigit() for c in word):
        return "<num>"
    return strip_accents(word.lower().replace("’", "'"))


def transition(rule: str, predicted: str) -> str:
    """The name of a change of label, as listed in the weights' ``enabled``: ``"ORG>EVENT"``."""
    return f"{rule}>{predicted}"


def predictions(
    doc: Document, mentions: list[Mention], model: Relabeller
) -> dict[str, tuple[str, str]]:
    """For each name of the post the layer may change: (the rules' label, the layer's class).

    An EVENT the post's title names (its main event) or writes before a year (an edition:
    "Hackathon d'hiver 2021") is left to the rules.
    """
    sources = {t.split(">")[0] for t in model.enabled}
    found = {}
    title = f" {fold_key(doc.title or doc.text[:200].split(chr(10), 1)[0])} "
    for key, group in name_groups(mentions).items():
        rule = rules_label(group)
        if rule == "EVENT" and (f" {key} " in title or any(map(_before_year, group))):
            continue  # the title's event, or an edition ("X 2021"): left to the rules
        if rule in sources:
            probs = model.probabilities(name_features(doc, key, group))
            found[key] = (rule, max(model.classes, key=lambda c: probs[c]))
    return found


def apply_changes(
    mentions: list[Mention], changes: Mapping[str, tuple[str, str]], enabled: frozenset[str]
) -> list[Mention]:
    """The mentions with the enabled changes applied; NONE becomes MISC (kept, not counted)."""
    result = []
    for m in mentions:
        rule, best = changes.get(fold_key(m.text), ("", ""))
        label = REJECTED_LABEL if best == NONE else best
        if m.source == "gazetteer" or transition(rule, best) not in enabled or label == m.label:
            result.append(m)
        else:
            result.append(replace(m, label=label, source=LEARNED_SOURCE))  # type: ignore[arg-type]
    return result


def relabel_mentions(
    doc: Document, mentions: list[Mention], relabeller: Relabeller | None = None
) -> list[Mention]:
    """The post's mentions with the learned layer's label where it is enabled.

    Only the changes listed in the weights' ``enabled`` (``"ORG>EVENT"``: a name the rules call
    ORG that the layer calls EVENT) are made: those that beat the rules on held-out posts. A
    rejected name takes the label MISC (kept, not counted); a relabelled mention's source
    becomes ``"learned"``. Mentions from a user gazetteer are never touched.

    Example: a heading "Les coulisses" that the rules called ORG comes back MISC; "Forum PHP",
    called ORG by the model in a post titled after it, comes back EVENT.
    """
    model = relabeller or packaged_relabeller()
    if not model.enabled:
        return mentions
    return apply_changes(mentions, predictions(doc, mentions, model), model.enabled)
