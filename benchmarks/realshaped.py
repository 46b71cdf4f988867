"""A real-shaped benchmark corpus: distinct posts made of real French recap sentences.

Replicating the seed posts makes every event appear in every copy and every passage a copy,
which is not what a real corpus looks like. This module builds posts of about 1,000 words
instead: each has a title line, a date line and paragraphs of sentences drawn at random
(fixed seed) from a pool of real sentences: the seed posts in ``corpus/`` and, when the folder
is there, the real development posts of ``../shared/realdev/posts`` (read through the project's
own readers, so Markdown is rendered first). No post is a copy of another, so duplicate
detection cannot shrink the work; sentences do recur across posts, as boilerplate and quotes
do in real corpora. The texts are written to a scratch folder and never committed.

    python benchmarks/realshaped.py 200 /tmp/bench200   # writes 200 posts there
"""

from __future__ import annotations

import argparse
import os
import random
import re
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# The real development posts (override with RECAP_REALDEV=/path/to/realdev).
REALDEV = Path(os.environ.get("RECAP_REALDEV", REPO.parent / "shared" / "realdev")) / "posts"
SEED = 20261201
WORDS_PER_POST = (700, 1300)
# A sentence ends at . ! ? … (or a line break) before a capital, a quote or a digit.
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[«\"A-ZÀ-ÖØ-Ý0-9])|\n+")


def sentence_pool(folders: list[Path]) -> list[str]:
    """Distinct sentences of 4 to 80 words from every post the project's readers accept."""
    from recap_nlp.ingest.corpus import read_corpus

    seen: set[str] = set()
    pool: list[str] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for doc in sorted(read_corpus(folder).documents, key=lambda d: d.doc_id):
            for piece in SENTENCE_END.split(doc.text):
                sentence = " ".join(piece.split())
                if 4 <= len(sentence.split()) <= 80 and sentence not in seen:
                    seen.add(sentence)
                    pool.append(sentence)
    return pool


def sources() -> list[Path]:
    """The folders the pool is drawn from: the seeds, and realdev when it is at hand."""
    return [REPO / "corpus", REALDEV]


def make_post(index: int, pool: list[str]) -> str:
    """Post ``index``: the same text whatever the corpus size (corpora nest)."""
    rng = random.Random(f"{SEED}-{index}")
    target = rng.randint(*WORDS_PER_POST)
    published = date(2015, 1, 1) + timedelta(days=rng.randrange(3650))
    title_words = rng.choice(pool).split()[:8]
    lines = [" ".join(title_words).rstrip(",;:"), published.isoformat(), ""]
    words = 0
    paragraph: list[str] = []
    while words < target:
        sentence = rng.choice(pool)
        paragraph.append(sentence)
        words += len(sentence.split())
        if len(paragraph) >= rng.randint(2, 6):
            lines += [" ".join(paragraph), ""]
            paragraph = []
    if paragraph:
        lines.append(" ".join(paragraph))
    return "\n".join(lines).rstrip() + "\n"


def write_corpus(size: int, folder: Path, pool: list[str] | None = None) -> int:
    """Write ``size`` posts as ``post_NNNNN.txt`` into ``folder``; return the words written."""
    pool = pool if pool is not None else sentence_pool(sources())
    folder.mkdir(parents=True, exist_ok=True)
    words = 0
    for index in range(size):
        text = make_post(index, pool)
        words += len(text.split())
        (folder / f"post_{index:05d}.txt").write_text(text, encoding="utf-8")
    return words


def describe() -> str:
    """One line for results.md saying what the pool was made of."""
    pool = sentence_pool(sources())
    used = [p.name if p.name != "posts" else "realdev/posts" for p in sources() if p.is_dir()]
    return (
        f"{len(pool):,} distinct sentences from {', '.join(used)}; posts of "
        f"{WORDS_PER_POST[0]}–{WORDS_PER_POST[1]} words (title line, date line, paragraphs of "
        f"2–6 sentences drawn with seed {SEED})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", type=int)
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    words = write_corpus(args.size, args.folder)
    print(f"{args.size} posts, {words:,} words in {args.folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
