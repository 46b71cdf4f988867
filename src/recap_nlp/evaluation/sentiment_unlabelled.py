"""Unlabelled sentences for the sentiment classifier's self-training (``make train`` only).

The labelled posts hold many more sentences than were labelled (realdev: 1,103 sentences for
325 labels). Self-training reads them: the classifier fitted on the labelled sentences labels
the unlabelled ones, those it gives a class probability of at least ``SELF_TRAIN_THRESHOLD``
join the training set with that label, and the model is fitted again. Cross-validation only
uses unlabelled sentences of posts outside the scored fold, so no scored post is read at
training time, labelled or not.

The sentences are cut as the pipeline cuts them (``fr_core_news_sm``'s sentence recogniser and
the project's line-break rules, then ``sentence_spans``), so they are the spans the classifier
meets at run time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from recap_nlp.ingest.normalize import normalize
from recap_nlp.nlp import load_pipeline, parse
from recap_nlp.pipeline.per_document import sentence_spans
from recap_nlp.pipeline.runner import read_documents
from recap_nlp.sentiment.lexicon import normalise

# A priori: a class probability of 0.7 (a clear majority of three classes) admits a pseudo-label;
# fragments under MIN_WORDS words (headings, captions, "par X") are left out. Measured over six
# fold assignments, thresholds 0.5 to 0.7 and weights 0.7 to 1.5 give the same gain (a plateau).
SELF_TRAIN_THRESHOLD = 0.7
MIN_WORDS = 4
_NOT_ALNUM = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Unlabelled:
    """One sentence of a training post, without a label; ``group`` as in ``Example``."""

    text: str
    group: str


def match_key(text: str) -> str:
    """Letters and digits only, lower case: a sentence cut with or without its Markdown.

    Example:
        >>> match_key("Une *belle* soirée !") == match_key("Une belle soirée")
        True
    """
    return _NOT_ALNUM.sub("", normalise(text).lower())


def post_sentences(folder: Path, prefix: str) -> list[Unlabelled]:
    """Every sentence of the posts under ``folder`` as the pipeline cuts them, in post order.

    ``prefix`` + the post's ``doc_id`` is the group, as for the labelled sentences.
    """
    documents, _, _ = read_documents(folder)
    documents = sorted(documents, key=lambda d: d.doc_id)
    nlp = load_pipeline()
    items = []
    for doc in documents:
        normalized = normalize(doc.text, doc.joined)
        items.append((normalized.text, (doc, normalized)))
    out = []
    for sdoc, (doc, normalized) in parse(nlp, items):
        spans, _ = sentence_spans(doc, sdoc, normalized)
        out += [Unlabelled(s.text, prefix + doc.doc_id) for s in spans]
    return out


def unlabelled_sentences(
    sources: Iterable[tuple[Path, str]], labelled_texts: Iterable[str]
) -> list[Unlabelled]:
    """The sentences of the posts in ``sources`` (folder, group prefix) that carry no label.

    Sentences of fewer than ``MIN_WORDS`` words and those matching a labelled sentence (by
    :func:`match_key`, either inside the other) are left out; duplicates are kept once.
    """
    labelled = {match_key(t) for t in labelled_texts}
    seen: set[str] = set()
    out = []
    for folder, prefix in sources:
        if not folder.is_dir():
            continue
        for item in post_sentences(folder, prefix):
            key = match_key(item.text)
            if len(item.text.split()) < MIN_WORDS or key in seen or not key:
                continue
            if key in labelled or any(key in k or k in key for k in labelled if len(k) > 15):
                continue
            seen.add(key)
            out.append(item)
    return out


def outside(unlabelled: Sequence[Unlabelled], groups: set[str]) -> list[int]:
    """Indices of the unlabelled sentences whose post is not in ``groups`` (the scored fold)."""
    return [i for i, u in enumerate(unlabelled) if u.group not in groups]
