"""Named entities: recognisers beyond the model, filters, type refinement, canonical names."""

from recap_nlp.entities.canonical import canonicalize
from recap_nlp.entities.mentions import extract_mentions

__all__ = ["canonicalize", "extract_mentions"]
