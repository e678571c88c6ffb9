"""claimscope: actors, attributed claims and policy positions from news articles.

The SDK face::

    from extractor import Extractor
    result = Extractor().extract(text)              # embedded local model, no key needed
    result = await Extractor("openai/gpt-4o-mini").aextract(text)

``extractor.testing`` (the fake model for tests) is reachable as an attribute after ``import extractor``
but imported only on first use.
"""

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
    "__version__",
    "aextract",
    "extract",
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
