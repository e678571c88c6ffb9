from __future__ import annotations

from pathlib import Path

import pytest

from extractor import (
    ArticleTooLargeError,
    DecodeError,
    EmptyArticleError,
    Extractor,
)
from extractor.cache import ResultCache
from extractor.settings import Settings
from extractor.testing import FakeLLM


def _extractor(tmp_path: Path, **kwargs: object) -> Extractor:
    settings = Settings(data_dir=tmp_path, cache_enabled=False)
    return Extractor(llm=FakeLLM(), settings=settings, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_empty_or_whitespace_is_refused(tmp_path: Path, text: str) -> None:
    with pytest.raises(EmptyArticleError, match="empty"):
        _extractor(tmp_path).extract(text)


def test_non_utf8_bytes_are_refused_with_offset(tmp_path: Path) -> None:
    with pytest.raises(DecodeError, match="offset 3"):
        _extractor(tmp_path).extract(b"abc\xff\xfe def")


def test_binary_text_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DecodeError, match="binary"):
        _extractor(tmp_path).extract("PK\x03\x04\x00\x00 binary junk")


def test_a_two_megabyte_article_is_refused_clearly(tmp_path: Path) -> None:
    huge = ("The minister said the plan would work. " * 60_000)[:2_000_000]
    with pytest.raises(ArticleTooLargeError) as caught:
        _extractor(tmp_path).extract(huge)
    assert caught.value.length == 2_000_000
    assert "CLAIMSCOPE_MAX_ARTICLE_CHARS" in str(caught.value)


def test_cache_hit_costs_no_llm_call_and_is_marked(tmp_path: Path, seed_text: str) -> None:
    llm = FakeLLM()
    cache = ResultCache(tmp_path / "cache.sqlite3")
    extractor = Extractor(llm=llm, settings=Settings(data_dir=tmp_path), cache=cache)
    first = extractor.extract(seed_text, article_id="a")
    calls = len(llm.calls)
    second = extractor.extract(seed_text, article_id="b")
    assert len(llm.calls) == calls
    assert second.provenance.cached and not first.provenance.cached
    assert second.article_id == "b"
    assert second.claims == first.claims


def test_unknown_strategy_is_a_config_error(tmp_path: Path) -> None:
    from extractor import ConfigError

    with pytest.raises(ConfigError):
        _extractor(tmp_path, strategy="magic")
