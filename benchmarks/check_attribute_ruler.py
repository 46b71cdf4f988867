"""Check that the array attribute ruler leaves every token as spaCy's ruler does, on corpora.

Every file's text goes through the whole pipeline twice, with the pipeline's
:class:`recap_nlp.nlp.ArrayAttributeRuler`, then with its class put back to spaCy's
``AttributeRuler``; each token's ORTH, TAG, POS, MORPH, DEP, HEAD, LEMMA, entity and sentence
start, the entities and the span groups are compared. The exit status is 1 if any post differs::

    python benchmarks/check_attribute_ruler.py CORPUS [CORPUS ...]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, ORTH, POS, SENT_START, TAG
from spacy.pipeline import AttributeRuler

from recap_nlp.nlp import ArrayAttributeRuler, load_pipeline

COLUMNS = [ORTH, TAG, POS, MORPH, DEP, HEAD, LEMMA, ENT_IOB, ENT_TYPE, SENT_START]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="+", type=Path)
    args = parser.parse_args()
    files = [p for corpus in args.corpora for p in sorted(corpus.rglob("*")) if p.is_file()]
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in files]
    nlp = load_pipeline()
    ruler = nlp.get_pipe("attribute_ruler")
    if type(ruler) is not ArrayAttributeRuler:
        print("the pipeline's attribute ruler is spaCy's: nothing to compare")
        return 0

    def annotations() -> list[tuple[np.ndarray, list[tuple[int, int, str]], str]]:
        return [
            (doc.to_array(COLUMNS), [(e.start, e.end, e.label_) for e in doc.ents], str(doc.spans))
            for doc in nlp.pipe(texts, batch_size=32)
        ]

    arrays = annotations()
    ruler.__class__ = AttributeRuler
    try:
        stock = annotations()
    finally:
        ruler.__class__ = ArrayAttributeRuler
    differing = [
        path
        for path, (a, e, s), (b, f, t) in zip(files, arrays, stock, strict=True)
        if not (np.array_equal(a, b) and e == f and s == t)
    ]
    for path in differing:
        print(f"differs: {path}")
    tokens = sum(len(a) for a, _, _ in arrays)
    print(f"{len(files)} posts, {tokens} tokens; posts that differ: {len(differing)}")
    return 1 if differing else 0


if __name__ == "__main__":
    raise SystemExit(main())
