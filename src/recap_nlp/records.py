"""Typed records passed between the pipeline's stages.

Every record is a frozen dataclass. Character offsets (``start``, ``end``) always point
into ``Document.text``, the decoded *original* text of the post, never into the
normalised copy handed to spaCy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

EntityLabel = Literal["PER", "CITY", "ORG", "EVENT", "LOC", "MISC"]
COUNTED_LABELS: tuple[EntityLabel, ...] = ("PER", "CITY", "ORG", "EVENT")

SentimentLabel = Literal["positive", "neutral", "negative"]
Precision = Literal["day", "month", "year"]


@dataclass(frozen=True, slots=True)
class Link:
    """A link or image target left out of the analysed text, with the text it carried.

    ``start``/``end`` cover the whole link in the source file (``[texte](cible)``).
    """

    url: str
    text: str
    start: int
    end: int
    kind: str = "link"  # "link", "image", "reference", "url" (a bare address in the text)


PublishedSource = Literal["metadata", "front_matter", "html", "rst", "text", "file_name", ""]


@dataclass(frozen=True, slots=True)
class Document:
    """One post, as read from the corpus (text decoded, not yet normalised).

    ``text`` is the analysed text. For Markdown and reStructuredText it has the length of the
    source file, markup blanked (spaces, line breaks), so its offsets are the file's offsets.
    """

    doc_id: str
    text: str
    source_path: str
    format: Literal["txt", "md", "rst", "html", "jsonl"]
    content_hash: str
    encoding: str = "utf-8"
    title: str = ""
    published: str = ""  # ISO 8601 date, "" when unknown
    published_source: PublishedSource = ""
    author: str = ""
    url: str = ""
    language: str = "fr"
    warnings: tuple[str, ...] = ()
    lastmod: str = ""
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    slug: str = ""
    draft: bool = False
    links: tuple[Link, ...] = ()
    # Blanks of ``text`` that stood for inline markup: deleted, not spaced, for the model.
    joined: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file (or a JSON line) that could not be processed, and why."""

    path: str
    reason: str
    doc_id: str = ""


@dataclass(frozen=True, slots=True)
class Duplicate:
    """A document left out because it repeats another one (exactly or nearly)."""

    doc_id: str
    duplicate_of: str
    kind: Literal["exact", "near"]
    similarity: float


@dataclass(frozen=True, slots=True)
class SentenceSpan:
    """A sentence boundary in the original text."""

    doc_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Mention:
    """One occurrence of a named entity in a document."""

    doc_id: str
    start: int
    end: int
    text: str
    label: EntityLabel
    sentence: str
    sentence_start: int
    source: str  # which recogniser produced it: "model", "ruler", "gazetteer", ...
    canonical: str = ""
    entity_id: str = ""


@dataclass(frozen=True, slots=True)
class Entity:
    """One real-world thing, with every surface form seen in the corpus."""

    entity_id: str
    canonical: str
    label: EntityLabel
    aliases: tuple[str, ...]
    n_mentions: int
    n_docs: int


@dataclass(frozen=True, slots=True)
class FactMention:
    """One fact stated in one document, with its quote and provenance.

    ``value`` is the normalised value as text (ISO date, integer, canonical name);
    ``value_min``/``value_max`` bound numeric or date values (ISO strings for dates).
    """

    fact_id: str
    doc_id: str
    attribute: str  # "date", "delegation_size", "participants", "city", "organiser", "sponsor", ...
    value: str
    value_min: str
    value_max: str
    precision: str  # "day" | "month" | "year" | "exact" | "approximate" | "name"
    start: int
    end: int
    sentence: str
    extractor: str
    event_hint: str = ""  # named event or event word the fact belongs to
    note: str = ""  # e.g. how a year was inferred, what a count counts
    event_id: str = ""
    # For a main_event fact, the kind of post: recap, announcement, interview, trip.
    post_kind: str = ""
    # For a headcount: "" (the event's), "subgroup" (part of it), "previous_edition".
    scope: str = ""


@dataclass(frozen=True, slots=True)
class Event:
    """A real-world event, grouped from fact mentions across posts."""

    event_id: str
    name: str
    kind: str
    start_date: str
    end_date: str
    cities: tuple[str, ...]
    organiser: str
    doc_ids: tuple[str, ...]
    n_facts: int
    series: str = ""  # "Blend Web Mix": the name without edition, year or town
    edition_year: int | None = None
    edition_number: int | None = None  # "la 15e édition" -> 15
    display_name: str = ""  # "Blend Web Mix 2019"
    main_in: tuple[str, ...] = ()  # posts whose main event it is
    mentioned_in: tuple[str, ...] = ()  # posts that only mention it in passing


@dataclass(frozen=True, slots=True)
class Conflict:
    """The reconciled view of one attribute of one event (agree, compatible, conflict)."""

    event_id: str
    attribute: str
    values: tuple[str, ...]
    doc_ids: tuple[str, ...]
    quotes: tuple[str, ...]
    chosen: str
    status: Literal["agree", "compatible", "conflict", "unresolved", "single"]
    confidence: float
    reason: str
    fact_ids: tuple[str, ...] = field(default=())
    basis: str = ""  # what the confidence rests on: "2 posts, 1 independent source: ..."


SourceRole = Literal["organiser", "participant", "press", "other"]


@dataclass(frozen=True, slots=True)
class Source:
    """Who speaks in one post, for whom, and which other posts it relies on.

    ``event_roles`` are "event_id=role" for every event the post states facts about;
    ``depends_on`` the posts it copies or quotes; ``relations`` say in words how it is tied to
    other posts (with the quote that shows it); posts sharing ``group`` count once.
    """

    doc_id: str
    author: str = ""
    author_evidence: str = ""
    publisher: str = ""
    publisher_evidence: str = ""
    role: SourceRole = "other"
    role_evidence: str = ""
    event_roles: tuple[str, ...] = ()
    depends_on: tuple[str, ...] = ()
    same_author_as: tuple[str, ...] = ()
    relations: tuple[str, ...] = ()
    group: str = ""


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence with its class probabilities and polarity (p_positive - p_negative)."""

    doc_id: str
    start: int
    end: int
    text: str
    polarity: float
    label: SentimentLabel
    p_positive: float = 0.0
    p_neutral: float = 1.0
    p_negative: float = 0.0
    drivers: str = ""  # the words and frames that moved the decision, signed, for explanation


@dataclass(frozen=True, slots=True)
class Theme:
    theme_id: int
    label: str
    top_terms: tuple[str, ...]
    weights: tuple[float, ...]
    representative_sentences: tuple[str, ...]
    representative_posts: tuple[str, ...] = ()  # the posts where the theme weighs most


@dataclass(frozen=True, slots=True)
class DocTheme:
    doc_id: str
    theme_id: int
    share: float


@dataclass(frozen=True, slots=True)
class Keyword:
    doc_id: str
    keyword: str
    score: float
    rank: int


@dataclass(frozen=True, slots=True, order=True)
class Copy:
    """A passage two posts share: ``doc_b`` copied or quoted ``doc_a`` (or both copied it).

    ``doc_a`` < ``doc_b``; ``passage`` is written as in ``doc_a``. Sorted by (doc_a, doc_b,
    passage), as the ``copies`` table lists them.
    """

    doc_a: str
    doc_b: str
    passage: str


@dataclass(frozen=True)
class DocSentiment:
    """The overall tone of one post."""

    doc_id: str
    polarity: float
    label: SentimentLabel
    summary: str
    p_positive: float
    p_neutral: float
    p_negative: float
    n_sentences: int
    n_positive: int
    n_negative: int
    top_positive: tuple[str, ...]
    top_negative: tuple[str, ...]
    reason: str = ""


@dataclass(frozen=True)
class EntitySentiment:
    """The tone of the sentences that mention one entity (aspect-level sentiment)."""

    entity: str
    entity_label: EntityLabel
    polarity: float
    label: SentimentLabel
    summary: str
    p_positive: float
    p_neutral: float
    p_negative: float
    n_sentences: int
    n_positive: int
    n_negative: int
    doc_ids: tuple[str, ...]
    sentences: tuple[str, ...]  # the most polar sentences, strongest first


@dataclass(frozen=True)
class ThemeSentiment:
    """The tone of a theme: its posts' sentences weighted by each post's share of the theme."""

    theme_id: int
    polarity: float
    label: SentimentLabel
    summary: str
    p_positive: float
    p_neutral: float
    p_negative: float
    n_docs: int
    n_positive: float  # share-weighted counts of positive / negative sentences
    n_negative: float


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """What the per-document stages produce for one post."""

    doc_id: str
    sentences: list[SentenceSpan]
    mentions: list[Mention]
    scored: list[Sentence]
    lemmas: list[str]  # content-word lemmas of each sentence, for themes
    from_cache: bool = False
    failure: str = ""  # "ValueError: ..." when a per-post stage raised; the post is skipped
    trace: str = ""  # the traceback of that failure, for OUT/run.log


@dataclass(frozen=True)
class RunResult:
    """Every record of a run, built once when the run's stages are done."""

    documents: list[Document] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    sentences: list[SentenceSpan] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    facts: list[FactMention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    copies: list[Copy] = field(default_factory=list)
    scored: list[Sentence] = field(default_factory=list)
    lemmas: list[str] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    doc_themes: list[DocTheme] = field(default_factory=list)
    keywords: list[Keyword] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    n_parsed: int = 0  # posts run through spaCy in this run (the others came from the cache)
    doc_sentiment: list[DocSentiment] = field(default_factory=list)
    entity_sentiment: list[EntitySentiment] = field(default_factory=list)
    theme_sentiment: list[ThemeSentiment] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # wall seconds per stage
    # CPU seconds per stage: this process and the worker processes it waited for.
    cpu_timings: dict[str, float] = field(default_factory=dict)
    tracebacks: list[str] = field(default_factory=list)  # unexpected errors, for OUT/run.log
    sources: list[Source] = field(default_factory=list)
