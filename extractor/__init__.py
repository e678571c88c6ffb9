"""claimscope: actors, attributed claims and policy positions from news articles.

The SDK face::

    from extractor import Extractor
    result = Extractor().extract(text)              # embedded local model, no key needed
    result = await Extractor("openai/gpt-4o-mini").aextract(text)
    for item in Extractor().extract_many(texts, concurrency=4):   # input order, errors as values
        print(item.index, item.extraction if item.ok else item.error)
"""

import collections.abc

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
from extractor.many import ItemResult, ManyProgress
from extractor.sdk import Extractor, prepare_article
from extractor.settings import EMBEDDED_MODEL, Settings, get_settings
from schemas import Actor, Article, ArticleExtraction, Claim, PolicyPosition, Span

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
    "ItemResult",
    "LLMAuthError",
    "LLMConnectionError",
    "LLMError",
    "LLMOutputError",
    "LLMRateLimitError",
    "LLMTimeoutError",
    "MalformedLineError",
    "ManyProgress",
    "MissingTextError",
    "PolicyPosition",
    "Settings",
    "Span",
    "aextract",
    "aextract_many",
    "extract",
    "extract_many",
    "get_settings",
    "prepare_article",
]


def extract(text: str, **kwargs: object) -> ArticleExtraction:
    """Extract with a default :class:`Extractor` (embedded model unless settings say otherwise)."""
    return Extractor().extract(text, **kwargs)  # type: ignore[arg-type]


async def aextract(text: str, **kwargs: object) -> ArticleExtraction:
    """Async :func:`extract`."""
    return await Extractor().aextract(text, **kwargs)  # type: ignore[arg-type]


def extract_many(
    articles: collections.abc.Iterable[str | bytes | Article], **kwargs: object
) -> collections.abc.Iterator[ItemResult]:
    """:meth:`Extractor.extract_many` with a default :class:`Extractor`."""
    return Extractor().extract_many(articles, **kwargs)  # type: ignore[arg-type]


def aextract_many(
    articles: collections.abc.Iterable[str | bytes | Article]
    | collections.abc.AsyncIterable[str | bytes | Article],
    **kwargs: object,
) -> collections.abc.AsyncIterator[ItemResult]:
    """:meth:`Extractor.aextract_many` with a default :class:`Extractor`."""
    return Extractor().aextract_many(articles, **kwargs)  # type: ignore[arg-type]
