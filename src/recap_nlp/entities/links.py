"""Names a link gives: a link whose text spells its own site names the site's owner.

Blog posts link a company, a studio, a podcast or a newspaper to its site or its account:
"[Lune Rousse](http://lunerousse.net/)", "[la gazette](https://www.lagazette.fr/...)",
"[podcast brume](https://twitter.com/podcastbrume)". When the link text, folded (accents,
case, spaces, punctuation), is the site's name (the domain before its suffix, or the account
of a social site), the text names an organisation even when it is lowercase or the model saw
nothing. People link their own names the same way, so a text led by a known first name is left
to the person rules, and technologies (a language linked to its site) are left out.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import replace

from recap_nlp.entities import lexicon
from recap_nlp.entities.learned import is_french_word
from recap_nlp.entities.lexicon import strip_accents
from recap_nlp.records import Document, Mention, SentenceSpan

LINK_SOURCE = "link"
_COUNTED = frozenset({"PER", "CITY", "ORG", "EVENT"})
_HOST = re.compile(r"^(?:https?:)?//(?:www\d?\.)?([^/:?#]+)(/[^?#]*)?", re.IGNORECASE)
#: sites where the first path part is an account: "twitter.com/podcastbrume"
_ACCOUNT_SITES = frozenset(
    {"twitter", "x", "facebook", "instagram", "linkedin", "youtube", "github", "gitlab"}
    | {"soundcloud", "bandcamp", "mastodon", "medium", "vimeo", "tiktok", "twitch"}
)
_ACCOUNT_PATHS = frozenset({"in", "company", "c", "channel", "user", "pages", "groups", "@"})
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gouv", "gov", "ac", "edu", "asso", "qc"})
_ARTICLE = re.compile(r"^(?:l'|le |la |les |the )", re.IGNORECASE)


def squeeze(text: str) -> str:
    """Letters and digits only, lowercase, without accents: ``"Écho FM"`` -> ``"echofm"``."""
    return re.sub(r"[^a-z0-9]", "", strip_accents(text.replace("’", "'")).lower())


def site_name(url: str) -> str:
    """The name a URL gives its owner, squeezed: the domain label, or a social account.

    Example: ``site_name("https://www.lagazette.fr/culture/x.html")`` -> ``"lagazette"``;
    ``site_name("https://twitter.com/podcastbrume")`` -> ``"podcastbrume"``.
    """
    found = _HOST.match(url.strip())
    if found is None:
        return ""
    labels = found.group(1).lower().split(".")
    if len(labels) < 2:
        return ""
    second_level = labels[-2] in _SECOND_LEVEL and len(labels) > 2
    name = labels[-3] if second_level else labels[-2]
    if name in _ACCOUNT_SITES:
        parts = [p for p in (found.group(2) or "").split("/") if p]
        while parts and parts[0].lower() in _ACCOUNT_PATHS:
            parts = parts[1:]
        return squeeze(parts[0]) if parts else ""
    return squeeze(name)


def _named_parts(text: str) -> list[tuple[int, int]]:
    """Where in a link text the site's name may be: the whole text, or after a type noun.

    "la gazette" for lagazette.fr (article kept or not), "verdure" in "L'association verdure".
    """
    stripped = _ARTICLE.sub("", text)
    parts = [(0, len(text)), (len(text) - len(stripped), len(text))]
    words = stripped.split()
    if len(words) > 1 and words[0].lower() in lexicon.cues().org_nouns_before:
        rest = stripped[len(words[0]) :].lstrip()
        parts.append((len(text) - len(rest), len(text)))
    return parts


_CLIPPED = re.compile(r"(?:^|[\s\"«“(])((?:l'|le |la |les )[^\s\"»”)][^\"»”)]*?)[\"»”)]?\s*$", re.I)
_MIN_CLIPPED = 5


def clipped_part(text: str, name: str) -> tuple[int, int] | None:
    """Where a link text ends with its site's name cut short, after an article, else None.

    Blogs shorten a newspaper's name and link it to the paper's site: "un article de la gaz"
    for lagazettedunord.fr. The article, kept in the site's name, must lead the part.

    Example: ``clipped_part('journalistes de "la gaz"', "lagazettedunord")`` -> ``(17, 23)``.
    """
    found = _CLIPPED.search(text.replace("’", "'"))
    if found is None:
        return None
    part = found.group(1).strip()
    squeezed = squeeze(part)
    if len(squeezed) < _MIN_CLIPPED or not name.startswith(squeezed):
        return None
    if _names_person_or_thing(_ARTICLE.sub("", part)):
        return None
    return found.start(1), found.start(1) + len(part)


def _named_in_path(text: str, url: str) -> tuple[int, int] | None:
    """A one-word, capitalised link text that is a word of its page's address, else None.

    A host's page about a service or a member names it: "[Velocity](https://reseau.fr/12-
    Velocity-le-service)". Common French words, places, first names and technologies are
    left out.
    """
    found = _HOST.match(url.strip())
    word = text.strip()
    if found is None or not found.group(2) or " " in word or not word[:1].isupper():
        return None
    if len(word) < 4 or _names_person_or_thing(word) or word in lexicon.first_names():
        return None
    if is_french_word(word.lower()) or lexicon.places().label(word) is not None:
        return None
    parts = {squeeze(p) for p in re.split(r"[/_.,+-]+", found.group(2))}
    start = text.index(word)
    return (start, start + len(word)) if squeeze(word) in parts else None


def _names_person_or_thing(text: str) -> bool:
    words = text.split()
    cues = lexicon.cues()
    if not words or words[0].startswith("@"):
        return True
    if words[0] in lexicon.first_names() and len(words) > 1:
        return True
    return text.lower() in cues.technical_terms or text in cues.generic_terms


def link_mentions(
    doc: Document, mentions: Sequence[Mention], sentences: Sequence[SentenceSpan]
) -> list[Mention]:
    """The post's mentions with the names its links spell labelled ORG.

    A model mention on the named part (MISC, LOC, a lone-word guess) becomes ORG; where no
    recogniser saw it, an ORG mention is added. Names already given a label by a cue rule or a
    user gazetteer, and persons' names, are left alone.

    Example: "l'épisode du [podcast brume](https://twitter.com/podcastbrume)" gives an ORG
    "podcast brume".
    """
    if not doc.links:
        return list(mentions)
    starts = [s.start for s in sentences]
    result = list(mentions)
    for link in doc.links:
        if link.kind not in {"link", "reference"} or not link.text.strip():
            continue
        name = site_name(link.url)
        at = doc.text.find(link.text, link.start, max(link.end, link.start + len(link.text)))
        if len(name) < 3 or at < 0:
            continue
        for a, b in _named_parts(link.text):
            part = link.text[a:b].strip()
            if squeeze(part) != name or _names_person_or_thing(part):
                continue
            start = at + link.text.index(part, a)
            result = _as_org(result, doc, start, start + len(part), sentences, starts)
            break
        else:
            clipped = clipped_part(link.text, name) or _named_in_path(link.text, link.url)
            if clipped is not None:
                result = _as_org(result, doc, at + clipped[0], at + clipped[1], sentences, starts)
    return sorted(result, key=lambda m: (m.start, m.end))


def _as_org(
    mentions: list[Mention],
    doc: Document,
    start: int,
    end: int,
    sentences: Sequence[SentenceSpan],
    starts: list[int],
) -> list[Mention]:
    overlapping = [m for m in mentions if m.start < end and m.end > start]
    if any(m.source in {"gazetteer", "cue", "ruler"} or m.label == "PER" for m in overlapping):
        return mentions
    if any(m.label in _COUNTED - {"ORG"} and m.source != "model" for m in overlapping):
        return mentions
    kept = [m for m in mentions if m not in overlapping]
    k = bisect_right(starts, start) - 1
    sentence = sentences[k] if k >= 0 and sentences[k].start <= start < sentences[k].end else None
    text = doc.text[start:end]
    if sentence is None:
        return [*kept, *overlapping]
    new = Mention(doc.doc_id, start, end, text, "ORG", sentence.text, sentence.start, LINK_SOURCE)
    same = [m for m in overlapping if (m.start, m.end) == (start, end)]
    kept.append(replace(same[0], label="ORG", source=LINK_SOURCE) if same else new)
    return kept
