"""Offline French sentiment: per sentence, per post and per entity, with a gold-set evaluation.

``score_text`` scores one sentence with the textblob-fr lexicon plus rules (negation,
intensifiers, contrast, idioms, emoji, exclamation); ``score_text_lexicon_only`` is the plain
lexicon-averaging baseline it is compared with in ``evaluate_sentiment``.
"""

from recap_nlp.sentiment.aggregate import (
    DocSentiment,
    EntitySentiment,
    doc_sentiment,
    entity_sentiment,
    score_sentences,
)
from recap_nlp.sentiment.evaluate import (
    SentimentScores,
    SplitScores,
    evaluate_sentiment,
    format_sentiment_scores,
)
from recap_nlp.sentiment.scorer import (
    NEGATIVE_THRESHOLD,
    POSITIVE_THRESHOLD,
    Polarity,
    score_text,
    score_text_lexicon_only,
)

__all__ = [
    "NEGATIVE_THRESHOLD",
    "POSITIVE_THRESHOLD",
    "DocSentiment",
    "EntitySentiment",
    "Polarity",
    "SentimentScores",
    "SplitScores",
    "doc_sentiment",
    "entity_sentiment",
    "evaluate_sentiment",
    "format_sentiment_scores",
    "score_sentences",
    "score_text",
    "score_text_lexicon_only",
]
