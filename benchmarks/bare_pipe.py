"""The benchmark's baseline: bare ``nlp.pipe`` of ``fr_core_news_sm`` over a folder's posts.

All the model's components run (nothing disabled), on the files' texts as they are:

    python benchmarks/bare_pipe.py CORPUS [--workers N] [--batch-size N]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import spacy


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()
    files = sorted(p for p in args.corpus.rglob("*") if p.is_file())
    texts = (p.read_text(encoding="utf-8", errors="replace") for p in files)
    nlp = spacy.load("fr_core_news_sm")
    tokens = sum(
        len(doc) for doc in nlp.pipe(texts, n_process=args.workers, batch_size=args.batch_size)
    )
    print(f"{len(files)} posts, {tokens} tokens")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
