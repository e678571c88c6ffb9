"""Public output models of claimscope: pure data, no I/O, no LLM imports."""

from schemas._base import SCHEMA_VERSION, StrictModel
from schemas.actors import Actor, ActorKind
from schemas.article import Article, ArticleExtraction, Provenance, Usage
from schemas.claims import Attribution, Claim, ClaimKind, Modality
from schemas.positions import PolicyPosition, Stance
from schemas.spans import Alignment, Span
from schemas.topics import Topic

__all__ = [
    "SCHEMA_VERSION",
    "Actor",
    "ActorKind",
    "Alignment",
    "Article",
    "ArticleExtraction",
    "Attribution",
    "Claim",
    "ClaimKind",
    "Modality",
    "PolicyPosition",
    "Provenance",
    "Span",
    "Stance",
    "StrictModel",
    "Topic",
    "Usage",
]
