"""Every error claimscope raises, under one root.

The tree::

    ClaimscopeError
    ├── ConfigError                    bad settings or arguments
    ├── InputError                     the article or input line cannot be used
    │   ├── EmptyArticleError          empty or whitespace-only text
    │   ├── ArticleTooLargeError       longer than ``max_article_chars``
    │   ├── DecodeError                bytes that are not UTF-8 text
    │   ├── MalformedLineError         a batch input line that is not a JSON object
    │   ├── MissingTextError           a batch input line without a text field
    │   ├── InvalidRecordError         a batch input line with a bad id, title, url or date
    │   └── DuplicateIdError           a batch input id seen on an earlier line
    ├── LLMError                       talking to the model failed
    │   ├── LLMTimeoutError            no answer in time
    │   ├── LLMRateLimitError          the provider said slow down (carries ``retry_after``)
    │   ├── LLMConnectionError         the model server cannot be reached
    │   ├── LLMAuthError               the provider refused the credentials
    │   └── LLMOutputError             invalid output after every attempt (carries attempts,
    │                                  the last raw output and the usage summed over attempts)
    ├── EmbeddedModelError             the local model is not installed, corrupt or won't start
    ├── TextModelError                 the spaCy pipeline is missing or not the reviewed version
    └── BudgetExceededError            a token budget was spent

Library errors are wrapped with ``raise ... from`` so the original stays on ``__cause__``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from schemas import Usage

__all__ = [
    "ArticleTooLargeError",
    "BudgetExceededError",
    "ClaimscopeError",
    "ConfigError",
    "DecodeError",
    "DuplicateIdError",
    "EmbeddedModelError",
    "EmptyArticleError",
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
    "TextModelError",
]


class ClaimscopeError(Exception):
    """Root of every claimscope error.

    Attributes:
        code: Stable machine-readable name of the error, used in HTTP problem documents and batch
            error records.
    """

    code = "claimscope_error"


class ConfigError(ClaimscopeError):
    """Settings or arguments that cannot work together."""

    code = "config_error"


class InputError(ClaimscopeError):
    """The article or input record cannot be extracted from."""

    code = "input_error"


class EmptyArticleError(InputError):
    """The article text is empty or only whitespace."""

    code = "empty_article"


class ArticleTooLargeError(InputError):
    """The article is longer than the configured limit."""

    code = "article_too_large"

    def __init__(self, length: int, limit: int) -> None:
        self.length = length
        self.limit = limit
        super().__init__(
            f"article has {length:,} characters, over the limit of {limit:,}; split it, or raise "
            "CLAIMSCOPE_MAX_ARTICLE_CHARS if the model's context and your budget allow"
        )


class DecodeError(InputError):
    """Input bytes are not UTF-8 text."""

    code = "decode_error"


class MalformedLineError(InputError):
    """A batch input line is not valid JSON, or not a JSON object."""

    code = "malformed_json"


class MissingTextError(InputError):
    """A batch input line has no text field, or its value is not a string."""

    code = "missing_text"


class InvalidRecordError(InputError):
    """A batch input line has an unusable id, title, url or published date."""

    code = "invalid_record"


class DuplicateIdError(InputError):
    """A batch input line repeats the id of an earlier line."""

    code = "duplicate_id"


class LLMError(ClaimscopeError):
    """A model request failed.

    Attributes:
        model: The model string the request went to.
    """

    code = "llm_error"

    def __init__(self, message: str, *, model: str | None = None) -> None:
        self.model = model
        super().__init__(message)


class LLMTimeoutError(LLMError):
    """The model did not answer in time."""

    code = "llm_timeout"


class LLMRateLimitError(LLMError):
    """The provider rate-limited the request.

    Attributes:
        retry_after: Seconds the provider asked to wait, when it said.
    """

    code = "llm_rate_limited"

    def __init__(self, message: str, *, model: str | None = None, retry_after: float | None = None) -> None:
        self.retry_after = retry_after
        super().__init__(message, model=model)


class LLMConnectionError(LLMError):
    """The model server could not be reached."""

    code = "llm_unreachable"


class LLMAuthError(LLMError):
    """The provider refused the credentials."""

    code = "llm_auth"


class LLMOutputError(LLMError):
    """The model's output stayed invalid after every attempt.

    Attributes:
        attempts: How many requests were made.
        last_output: The raw text of the last completion (may be None if the provider sent none).
        usage: Token usage summed over all attempts.
    """

    code = "llm_bad_output"

    def __init__(
        self,
        message: str,
        *,
        model: str | None = None,
        attempts: int,
        last_output: str | None,
        usage: Usage,
    ) -> None:
        self.attempts = attempts
        self.last_output = last_output
        self.usage = usage
        super().__init__(message, model=model)


class EmbeddedModelError(ClaimscopeError):
    """The embedded local model is missing, corrupt, or failed to start."""

    code = "embedded_model_error"


class TextModelError(ClaimscopeError):
    """The spaCy pipeline the text layer reads articles with is missing or not the reviewed one."""

    code = "text_model_error"


class BudgetExceededError(ClaimscopeError):
    """A token budget has been spent."""

    code = "budget_exceeded"
