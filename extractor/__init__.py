"""claimscope: actors, attributed claims and policy positions from news articles.

The SDK face::

    from extractor import Extractor
    result = Extractor().extract(text)              # embedded local model, no key needed
    result = await Extractor("openai/gpt-4o-mini").aextract(text)
    for item in Extractor().extract_many(texts, concurrency=4):   # input order, errors as values
        print(item.index, item.extraction if item.ok else item.error)

``extractor.testing`` (the fake model for tests) is reachable as an attribute after ``import extractor``
but imported only on first use.
"""

import collections.abc
from importlib import import_module as _import_module
from importlib.metadata import PackageNotFoundError as _PackageNotFoundError
from importlib.metadata import version as _version
from types import ModuleType as _ModuleType

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
    "Topic",
    "__version__",
    "aextract",
    "aextract_many",
    "extract",
    "extract_many",
    "get_settings",
    "prepare_article",
]

try:
    __version__ = _version("claimscope")
except _PackageNotFoundError:  # a source tree on sys.path without an installed distribution
    __version__ = "0+unknown"

_LAZY_SUBMODULES = frozenset({"testing"})


def __getattr__(name: str) -> _ModuleType:
    """Import ``extractor.testing`` when first reached as an attribute, keeping ``import extractor`` light."""
    if name in _LAZY_SUBMODULES:
        return _import_module(f"extractor.{name}")
    raise AttributeError(f"module 'extractor' has no attribute {name!r}")


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
