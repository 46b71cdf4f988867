"""Time the theme stage alone at 5 to 5,000 posts (``python benchmarks/bench_themes.py [N ...]``).

The seed posts are lemmatised once as the pipeline does, then replicated with distinct ids, each
copy losing a random fifth of its lemmas (fixed seed) so that copies are not identical rows.
Prints, for each size, the seconds taken by :func:`recap_nlp.themes.fit_themes` with K chosen
automatically, the chosen K and the peak memory of the process so far.
"""

from __future__ import annotations

import random
import resource
import sys
import time
from pathlib import Path

import spacy

from recap_nlp.themes import ThemeUnit, fit_themes

CORPUS = Path("corpus")
SIZES = (5, 50, 500, 5000)
DROP = 0.2


def seed_units() -> dict[str, list[ThemeUnit]]:
    """Sentence units of each seed post, lemmatised like ``pipeline.sentence_spans``."""
    nlp = spacy.load("fr_core_news_sm", exclude=["ner", "parser"])
    nlp.enable_pipe("senter")
    posts: dict[str, list[ThemeUnit]] = {}
    for path in sorted(CORPUS.glob("*.txt")):
        for sent in nlp(path.read_text(encoding="utf-8")).sents:
            lemmas = " ".join(t.lemma_.lower() for t in sent if t.is_alpha and not t.is_stop)
            unit = ThemeUnit(path.stem, sent.start_char, sent.end_char, sent.text.strip(), lemmas)
            posts.setdefault(path.stem, []).append(unit)
    return posts


def replicated(posts: dict[str, list[ThemeUnit]], n: int) -> list[ThemeUnit]:
    """``n`` posts copied round the seeds, each copy with a random fifth of its lemmas dropped."""
    rng = random.Random(0)
    names = sorted(posts)
    units = []
    for i in range(n):
        for unit in posts[names[i % len(names)]]:
            kept = " ".join(w for w in unit.lemmas.split() if rng.random() > DROP)
            doc_id = f"{unit.doc_id}-{i:05d}"
            units.append(ThemeUnit(doc_id, unit.start, unit.end, f"{unit.text} {i}", kept))
    return units


def main(sizes: tuple[int, ...]) -> None:
    posts = seed_units()
    for n in sizes:
        units = replicated(posts, n)
        started = time.perf_counter()
        result = fit_themes(units)
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{n:>5} posts  {seconds:6.1f} s  K={len(result.themes)}  peak {peak:,.0f} MB")


if __name__ == "__main__":
    main(tuple(int(a) for a in sys.argv[1:]) or SIZES)
