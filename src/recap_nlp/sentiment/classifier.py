"""The trained sentence classifier at run time: pure numpy over the shipped weights.

``make train`` (``recap_nlp.evaluation.sentiment_training``) fits a multinomial logistic
regression on :func:`~recap_nlp.sentiment.features.sentence_features` plus the mean word vector
of the sentence, and writes ``data/sentiment_model.npz`` (read with ``allow_pickle=False``):
the feature names, one coefficient row per class, the intercepts, a calibration temperature
and, for the word vectors, each word's class scores (the vector times its coefficients, so the
vectors themselves are not shipped: the mean of the words' scores equals the coefficients times
the mean vector). Scoring a sentence is a sparse dot product and a softmax.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import pairwise
from pathlib import Path

import numpy as np

from recap_nlp.records import SentimentLabel
from recap_nlp.sentiment.features import _sentence_features, embedding_words, stem
from recap_nlp.sentiment.lexicon import normalise
from recap_nlp.sentiment.scorer import tokenize

MODEL_FILE = "sentiment_model.npz"
MODEL_FORMAT = 2
CLASSES: tuple[SentimentLabel, ...] = ("positive", "neutral", "negative")
ARRAYS = (
    "meta",
    "features",
    "coef",
    "intercept",
    "word_keys",
    "word_rows",
    "word_scores",
)
# Drivers shown per sentence, and the smallest contribution worth showing.
MAX_DRIVERS = 6
MIN_DRIVER = 0.05


class SentimentModelError(RuntimeError):
    """The weights file is missing or not a valid sentiment model."""


@dataclass(frozen=True)
class Model:
    """Shipped weights: ``coef`` and ``word_scores`` columns follow ``CLASSES``."""

    index: dict[str, int]
    coef: np.ndarray  # (3, n_features)
    intercept: np.ndarray  # (3,)
    temperature: float
    words: dict[str, int]  # word -> row of word_scores
    word_scores: np.ndarray  # (n_rows, 3): a word's contribution to the class scores
    meta: dict


@dataclass(frozen=True)
class Classified:
    """One sentence's class probabilities, label, polarity and signed drivers."""

    p_positive: float
    p_neutral: float
    p_negative: float
    label: SentimentLabel
    polarity: float  # p_positive - p_negative, in [-1, 1]
    drivers: tuple[str, ...]


def model_path() -> Path:
    """Where the shipped weights live (inside the installed package)."""
    return Path(str(resources.files("recap_nlp.data").joinpath(MODEL_FILE)))


def text_digest(text: str) -> str:
    """A short digest of a sentence, to tell later whether the model saw it (no text kept)."""
    return hashlib.sha1(normalise(" ".join(text.split())).encode()).hexdigest()[:12]


def pack_strings(items: list[str]) -> np.ndarray:
    """Strings as one UTF-8 byte array (newline-separated): storable without pickle."""
    return np.frombuffer("\n".join(items).encode("utf-8"), dtype=np.uint8)


def unpack_strings(array: np.ndarray) -> list[str]:
    """The inverse of :func:`pack_strings`."""
    text = array.astype(np.uint8).tobytes().decode("utf-8")
    return text.split("\n") if text else []


def model_from_arrays(arrays: dict[str, np.ndarray], source: str = MODEL_FILE) -> Model:
    """Check and convert the stored arrays; raise :class:`SentimentModelError` naming ``source``."""
    try:
        meta = json.loads(unpack_strings(arrays["meta"])[0])
        if meta.get("format") != MODEL_FORMAT or tuple(meta.get("classes", ())) != CLASSES:
            raise ValueError(f"format {meta.get('format')!r} / classes {meta.get('classes')!r}")
        features = unpack_strings(arrays["features"])
        coef = np.asarray(arrays["coef"], dtype=np.float64)
        intercept = np.asarray(arrays["intercept"], dtype=np.float64)
        temperature = float(meta["temperature"])
        keys = unpack_strings(arrays["word_keys"])
        rows = np.asarray(arrays["word_rows"], dtype=np.int64)
        scores = np.asarray(arrays["word_scores"], dtype=np.float64).reshape(-1, len(CLASSES))
        if coef.shape != (len(CLASSES), len(features)) or intercept.shape != (len(CLASSES),):
            raise ValueError(f"coef shape {coef.shape} for {len(features)} features")
        if len(keys) != len(rows) or (len(rows) and (rows.min() < 0 or rows.max() >= len(scores))):
            raise ValueError("word table does not match its scores")
        finite = np.isfinite(coef).all() and np.isfinite(intercept).all()
        if not (finite and np.isfinite(scores).all() and temperature > 0):
            raise ValueError("non-finite weights or temperature")
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as error:
        raise SentimentModelError(
            f"sentiment weights {source} are invalid ({error}); regenerate them with `make train`"
        ) from error
    index = {name: i for i, name in enumerate(features)}
    words = dict(zip(keys, rows.tolist(), strict=True))
    return Model(index, coef, intercept, temperature, words, scores, meta)


def read_model(path: Path) -> Model:
    """Load weights from ``path``; a missing or corrupt file is a clear error naming it."""
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in ARRAYS}
    except FileNotFoundError as error:
        raise SentimentModelError(
            f"sentiment weights {path} are missing; regenerate them with `make train`"
        ) from error
    except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise SentimentModelError(
            f"sentiment weights {path} are unreadable ({error}); regenerate them with `make train`"
        ) from error
    return model_from_arrays(arrays, str(path))


@cache
def load_model() -> Model:
    """The shipped model, read once."""
    return read_model(model_path())


def _owners(
    text: str, words: list[str] | None = None, stems: list[str] | None = None
) -> dict[str, list[str]]:
    """Which words each word-level feature belongs to, so drivers read as words.

    ``words`` and ``stems``, when given, are those of ``text`` (as the features found them).
    """
    owners: dict[str, list[str]] = {}
    if words is None or stems is None:
        words = [t.key for t in tokenize(text) if t.kind in ("word", "idiom", "multi")]
        stems = [stem(w) for w in words]
    for w, s in zip(words, stems, strict=True):
        for key in ("w:" + w, "s:" + s, "n:" + s, "a:" + s):  # four distinct keys
            found = owners.get(key)
            if found is None:
                owners[key] = [w]
            else:
                found.append(w)
    for (a, stem_a), (b, stem_b) in pairwise(zip(words, stems, strict=True)):
        owners.setdefault(f"b:{stem_a}_{stem_b}", []).extend([a, b])
    return owners


def _display(key: str) -> str:
    kind, _, name = key.partition(":")
    if kind == "f":
        return f"[{name}]"
    if kind == "lex":
        return "lexicon"  # the lexicon scorer's signals, shown as one driver
    if kind == "p":
        shown = {
            "excl": "!",
            "question": "?",
            "ellipsis": "…",
            "log_words": "length",
            "first_person": "je/nous",
            "second_person": "vous",
        }
        return shown.get(name, name)
    return name


@cache
def function_words() -> frozenset[str]:
    """Stop words (``data/stopwords_fr.txt``) except negators and "mais".

    They are not listed among the drivers, and have no word vector in the model.
    """
    text = resources.files("recap_nlp.data").joinpath("stopwords_fr.txt").read_text("utf-8")
    words = {normalise(w.strip()) for w in text.splitlines() if w.strip() and w[0] != "#"}
    words |= {w + "'" for w in ("l", "d", "j", "m", "n", "s", "t", "c", "qu")}
    return frozenset(words - {"pas", "jamais", "rien", "aucun", "aucune", "sans", "ni", "mais"})


def _add(totals: dict[str, float], name: str, value: float) -> None:
    totals[name] = totals.get(name, 0.0) + value


_WORD_KINDS = frozenset({"w:", "s:", "n:", "a:", "b:"})


def _drivers(
    text: str,
    keys: list[str],
    contributions: np.ndarray,
    word_part: dict[str, float],
    owners: dict[str, list[str]] | None = None,
) -> tuple[str, ...]:
    """Signed contributions toward positive (+) or negative (-), grouped by word.

    Function words are left out of the list (they still count in the probabilities).
    ``owners`` is ``_owners(text)`` when already known.
    """
    if owners is None:
        owners = _owners(text)
    totals = dict(word_part)
    for key, contribution in zip(keys, contributions.tolist(), strict=True):
        who = owners.get(key) if key[:2] in _WORD_KINDS else None
        if who:
            share = contribution / len(who)
            mark = "¬" if key.startswith("n:") else ""
            for word in who:
                name = mark + word
                totals[name] = totals.get(name, 0.0) + share
        else:
            name = _display(key)
            totals[name] = totals.get(name, 0.0) + contribution
    stop = function_words()
    ranked = sorted(
        ((k, v) for k, v in totals.items() if k.lstrip("¬") not in stop),
        key=lambda kv: (-abs(kv[1]), kv[0]),
    )
    return tuple(f"{name}:{v:+.2f}" for name, v in ranked[:MAX_DRIVERS] if abs(v) >= MIN_DRIVER)


def _word_rows(model: Model, text: str) -> tuple[list[str], list[int]]:
    found = [(w, model.words[w]) for w in embedding_words(text) if w in model.words]
    return [w for w, _ in found], [r for _, r in found]


def logits(model: Model, text: str) -> tuple[np.ndarray, list[str], np.ndarray, dict[str, float]]:
    """Uncalibrated class scores, the known features used, their values, and word-vector parts.

    The last item maps each word found in the word-vector table to its signed contribution
    (positive minus negative class score), for the drivers.
    """
    scores, keys, values, word_part, _ = _logits(model, text, _sentence_features(text)[0])
    return scores, keys, values, word_part


def _logits(
    model: Model, text: str, feats: dict[str, float]
) -> tuple[np.ndarray, list[str], np.ndarray, dict[str, float], np.ndarray]:
    """:func:`logits` from the sentence's features, and the known features' coefficients."""
    index = model.index
    keys = [k for k in feats if k in index]
    cols = np.array([index[k] for k in keys], dtype=np.int64)
    values = np.array([feats[k] for k in keys], dtype=np.float64)
    coef = model.coef[:, cols]
    scores = model.intercept + coef @ values
    words, rows = _word_rows(model, text)
    word_part: dict[str, float] = {}
    if rows:
        per_word = model.word_scores[rows] / len(rows)
        scores = scores + per_word.sum(axis=0)
        # each word's positive minus negative score, subtracted for all the words at once
        for w, signed in zip(words, (per_word[:, 0] - per_word[:, 2]).tolist(), strict=True):
            _add(word_part, w, signed)
    return scores, keys, values, word_part, coef


def classify(text: str, model: Model | None = None) -> Classified:
    """Classify one French sentence as positive, neutral or negative, with its reasons.

    Example:
        >>> classify("Quarante minutes de queue pour un café.").label
        'negative'
    """
    return classify_all([text], model)[0]


def classify_all(texts: Iterable[str], model: Model | None = None) -> list[Classified]:
    """:func:`classify` for each sentence of ``texts`` (a post's), in order; the same results.

    The model and tables are looked up once for all of them, and each sentence's words and
    stems, found by its features, are reused to group its drivers.

    Example:
        >>> [c.label for c in classify_all(["Quel coup de cœur !", "Le musée ouvre à 9 h."])]
        ['positive', 'neutral']
    """
    model = model or load_model()
    return [_classify(model, text) for text in texts]


def _classify(model: Model, text: str) -> Classified:
    feats, words, stems = _sentence_features(text)
    scores, keys, values, word_part, coef = _logits(model, text, feats)
    z = scores / model.temperature
    exp = np.exp(z - z.max())
    probs = exp / exp.sum()
    contributions = values * (coef[0] - coef[2])
    p_pos, p_neu, p_neg = (round(p, 4) for p in probs.tolist())
    owner_text = _owner_text(text)
    owners = _owners(owner_text, words, stems) if owner_text is text else _owners(owner_text)
    return Classified(
        p_positive=p_pos,
        p_neutral=p_neu,
        p_negative=p_neg,
        label=CLASSES[int(np.argmax(probs))],
        polarity=round(p_pos - p_neg, 4),
        drivers=_drivers(owner_text, keys, contributions, word_part, owners),
    )


def _owner_text(text: str) -> str:
    """The text whose words the drivers are grouped by: ``normalise(text)``, tokenized as is.

    Tokenizing normalises again; where that changes nothing (every text but a few with exotic
    letters), the raw text tokenizes the same and its tokens are already cached by the
    features, so the sentence is not tokenized a second time.
    """
    norm = normalise(text)
    return text if normalise(norm) == norm else norm
