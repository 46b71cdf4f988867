"""CPU seconds per spaCy component and per per-post stage, over one corpus, in one process.

The pipeline's components are run one after the other over the same batches (what
``nlp.pipe`` does, split so each is timed), then the per-post stages over the parsed posts.
No profiler, so no distortion; the figures are process CPU time (``time.process_time``)::

    python benchmarks/components.py CORPUS [--batch-size 32]
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

STARTED = time.process_time()

from recap_nlp.entities.learned import relabel_mentions  # noqa: E402 - timed import
from recap_nlp.ingest.normalize import normalize  # noqa: E402
from recap_nlp.nlp import load_pipeline  # noqa: E402
from recap_nlp.pipeline import per_document, runner  # noqa: E402
from recap_nlp.sentiment import score_sentences  # noqa: E402

IMPORTED = time.process_time()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()
    print(f"imports (the pipeline's modules): {IMPORTED - STARTED:.2f} s")
    started = time.process_time()
    documents, _, _ = runner.read_documents(args.corpus)
    print(f"read {len(documents)} posts: {time.process_time() - started:.2f} s")
    started = time.process_time()
    nlp = load_pipeline()
    print(f"load pipeline: {time.process_time() - started:.2f} s")
    normalized = [normalize(doc.text, doc.joined) for doc in documents]
    spent: dict[str, float] = defaultdict(float)
    parsed = []
    for i in range(0, len(normalized), args.batch_size):
        started = time.process_time()
        batch = [nlp.make_doc(n.text) for n in normalized[i : i + args.batch_size]]
        spent["tokenizer"] += time.process_time() - started
        for name, component in nlp.pipeline:
            started = time.process_time()
            if hasattr(component, "pipe"):
                batch = list(component.pipe(batch, batch_size=args.batch_size))
            else:
                batch = [component(doc) for doc in batch]
            spent[name] += time.process_time() - started
        parsed.extend(batch)
    print(f"spaCy: {sum(spent.values()):.2f} s")
    for name, seconds in spent.items():
        print(f"  {name:28s} {seconds:6.2f}")
    stages: dict[str, float] = defaultdict(float)
    for doc, sdoc, norm in zip(documents, parsed, normalized, strict=True):
        started = time.process_time()
        sentences, _ = per_document.sentence_spans(doc, sdoc, norm)
        stages["sentence_spans"] += time.process_time() - started
        started = time.process_time()
        mentions = per_document.rule_mentions(doc, sdoc, norm, sentences)
        stages["rule_mentions"] += time.process_time() - started
        started = time.process_time()
        relabel_mentions(doc, mentions)
        stages["relabel_mentions"] += time.process_time() - started
        started = time.process_time()
        score_sentences(doc, sentences)
        stages["score_sentences"] += time.process_time() - started
    print(f"per-post stages: {sum(stages.values()):.2f} s")
    for name, seconds in stages.items():
        print(f"  {name:28s} {seconds:6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
