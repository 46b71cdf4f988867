"""Check that the memoised lemmatizer gives spaCy's lemmas on every token of some corpora.

Each post is run through the pipeline up to the lemmatizer, copied, then lemmatised twice:
by a stock ``FrenchLemmatizer`` (loaded apart, with its own cache) and by the pipeline's
:class:`recap_nlp.nlp.MemoFrenchLemmatizer` (its memo kept across posts, as in a run). Any
token whose ``lemma_`` differs is printed; the exit status is 1 then::

    python benchmarks/check_lemmas.py CORPUS [CORPUS ...]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import spacy

from recap_nlp.ingest.normalize import normalize
from recap_nlp.model import DEFAULT_MODEL
from recap_nlp.nlp import MemoFrenchLemmatizer, load_pipeline
from recap_nlp.pipeline import runner


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", type=Path, nargs="+")
    args = parser.parse_args()
    nlp = load_pipeline()
    memo = nlp.get_pipe("lemmatizer")
    assert isinstance(memo, MemoFrenchLemmatizer), type(memo)
    others = [n for n in nlp.component_names if n != "lemmatizer"]
    stock = spacy.load(DEFAULT_MODEL, exclude=others).get_pipe("lemmatizer")
    assert type(stock).__name__ == "FrenchLemmatizer", type(stock)
    before = nlp.pipe_names[: nlp.pipe_names.index("lemmatizer")]
    bad = 0
    for corpus in args.corpora:
        documents, _, _ = runner.read_documents(corpus)
        tokens = preset = 0
        for document in documents:
            doc = nlp.make_doc(normalize(document.text, document.joined).text)
            for name in before:
                doc = nlp.get_pipe(name)(doc)
            preset += sum(1 for token in doc if token.lemma)
            copy = doc.copy()
            stock(doc)
            memo(copy)
            for a, b in zip(doc, copy, strict=True):
                tokens += 1
                if a.lemma_ != b.lemma_ or a.lemma != b.lemma:
                    bad += 1
                    print(f"{document.doc_id}: {a.text!r} {a.pos_}: {a.lemma_!r} != {b.lemma_!r}")
        print(f"{corpus}: {len(documents)} posts, {tokens} tokens ({preset} lemmas preset)")
    print(f"differences: {bad}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
