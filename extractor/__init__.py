"""claimscope: actors, attributed claims and policy positions from news articles.

The SDK face::

    from extractor import Extractor
    result = Extractor().extract(text)              # embedded local model, no key needed
    result = await Extractor("openai/gpt-4o-mini").aextract(text)
"""

from extractor.errors import (
    ArticleTooLargeError,
    BudgetExceededError,
    ClaimscopeError,
    ConfigError,
    DecodeError,
    DuplicateIdError,
    EmbeddedModelError,
    EmptyArticleError,
    InputError,
    InvalidRecordError,
    LLMAuthError,
    LLMConnectionError,
    LLMError,
    LLMOutputError,
    LLMRateLimitError,
    LLMTimeoutError,
    MalformedLineError,
    MissingTextError,
)
from extractor.sdk import Extractor, prepare_article
from extractor.settings import EMBEDDED_MODEL, Settings, get_settings
from schemas import Actor, Article, ArticleExtraction, Claim, PolicyPosition, Span, Topic

__all__ = [
    "EMBEDDED_MODEL",
    "Actor",
    "Article",
    "ArticleExtraction",
    "ArticleTooLargeError",
    "BudgetExceededError",
    "Claim",
    "ClaimscopeError",
    "ConfigError",
    "DecodeError",
    "DuplicateIdError",
    "EmbeddedModelError",
    "EmptyArticleError",
    "Extractor",
    "InputError",
    "InvalidRecordError",
    "LLMAuthError",
    "LLMConnectionError",
    "LLMError",
    "LLMOutputError",
    "LLMRateLimitError",
    "LLMTimeoutError",
    "MalformedLineError",
    "MissingTextError",
    "PolicyPosition",
    "Settings",
    "Span",
    "Topic",
    "aextract",
    "extract",
    "get_settings",
    "prepare_article",
]


def extract(text: str, **kwargs: object) -> ArticleExtraction:
    """Extract with a default :class:`Extractor` (embedded model unless settings say otherwise)."""
    return Extractor().extract(text, **kwargs)  # type: ignore[arg-type]


async def aextract(text: str, **kwargs: object) -> ArticleExtraction:
    """Async :func:`extract`."""
    return await Extractor().aextract(text, **kwargs)  # type: ignore[arg-type]
