"""spaCy's French token pattern, compiled once when the package is built, not in every process.

Importing spaCy's French language data builds ``TOKEN_MATCH``: one regular expression of about
1.45 million characters (hyphenated and elided words, "après-midi", "entr'abat"), whose
compilation by Python's ``re`` takes about 3.7 CPU s, in every process that loads the model,
before the first post is read (bare ``nlp.pipe`` pays it too).

``data/regex/fr_token_match.json.gz`` holds that pattern and what ``re`` compiles it into (the
regular-expression engine's code, a list of integers, with its flags and groups). :func:`seed`
hands that code to the engine (``_sre.compile``, the call ``re.compile`` ends with) and puts
the result in ``re``'s cache under the pattern's text, so the ``re.compile`` of spaCy's import,
then of its tokenizer, finds it there. It is the same compiled pattern: the stored code is what
``re._compiler`` produces for that text (``python -m recap_nlp.regex_cache --check`` compares
them). A spaCy whose pattern differs misses the cache and compiles as before; a Python whose
engine differs (another version, another ``_sre.MAGIC``) is not seeded.

``python -m recap_nlp.regex_cache`` writes the file again (``make regex-cache``).
"""

from __future__ import annotations

import _sre
import argparse
import gzip
import json
import re
import sys
from importlib import resources
from typing import Any

STORED = ("data", "regex", "fr_token_match.json.gz")
_SEEDED: list[re.Pattern[str]] = []  # the compiled pattern, once built


def engine_tag() -> str:
    """What the stored code is valid for: the interpreter, its version and its engine's."""
    major, minor = sys.version_info[:2]
    return f"{sys.implementation.name}-{major}.{minor}-sre{_sre.MAGIC}-{_sre.CODESIZE}"


def seed() -> bool:
    """Put the stored compiled pattern in ``re``'s cache (once per process); whether it is there.

    Call it before spaCy's French language data is imported (``recap_nlp.nlp`` does) and before
    a model is loaded (its tokenizer compiles the same text again).
    """
    cache = getattr(re, "_cache", None)
    if not isinstance(cache, dict):
        return False
    if not _SEEDED:
        compiled = _compiled_from_file()
        if compiled is None:
            return False
        _SEEDED.append(compiled)
    pattern = _SEEDED[0]
    cache.setdefault((str, pattern.pattern, 0), pattern)
    return True


def _compiled_from_file() -> re.Pattern[str] | None:
    try:
        stored = _read()
    except (OSError, ValueError, KeyError):
        return None
    if stored.get("engine") != engine_tag():
        return None
    try:
        return _sre.compile(  # type: ignore[no-any-return]
            stored["pattern"],
            stored["flags"],
            stored["code"],
            stored["groups"] - 1,
            stored["groupindex"],
            tuple(stored["indexgroup"]),
        )
    except (RuntimeError, TypeError, ValueError):  # code this engine does not accept
        return None


def _read() -> dict[str, Any]:
    path = resources.files("recap_nlp").joinpath(*STORED)
    with gzip.open(path.open("rb"), "rt", encoding="utf-8") as handle:
        return json.load(handle)  # type: ignore[no-any-return]


def compile_like_re(pattern: str) -> dict[str, Any]:
    """What ``re.compile(pattern)`` hands to the engine, as :func:`seed` stores it."""
    from re import _compiler, _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(pattern, 0)
    code = _compiler._code(parsed, 0)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return {
        "engine": engine_tag(),
        "flags": parsed.state.flags,
        "groups": parsed.state.groups,
        "groupindex": groupindex,
        "indexgroup": indexgroup,
        "code": list(code),
        "pattern": pattern,
    }


def spacy_version() -> str:
    """The installed spaCy's version, stored beside the code (the pattern is its data)."""
    from spacy import about

    return about.__version__


def spacy_token_pattern() -> str:
    """The text of spaCy's French ``TOKEN_MATCH``."""
    from spacy.lang.fr.tokenizer_exceptions import TOKEN_MATCH

    return TOKEN_MATCH.__self__.pattern  # type: ignore[attr-defined,no-any-return]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write or check " + "/".join(STORED) + ".")
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    fresh = {"spacy": spacy_version(), **compile_like_re(spacy_token_pattern())}
    target = resources.files("recap_nlp").joinpath(*STORED)
    if args.check:
        try:
            same = _read() == fresh
        except OSError:
            same = False
        print("up to date" if same else f"stale: run python -m recap_nlp.regex_cache ({target})")
        return 0 if same else 1
    with gzip.GzipFile(str(target), "wb", mtime=0) as handle:  # the same bytes every time
        handle.write(json.dumps(fresh, ensure_ascii=False, separators=(",", ":")).encode())
    print(f"wrote {target} ({len(fresh['code'])} code words, {fresh['engine']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
