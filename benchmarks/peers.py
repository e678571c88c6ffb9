"""The tools a user would pick instead, doing the same work against the same fake server.

- :func:`run_instructor_loop`: what a user writes by hand: ``instructor.from_openai(AsyncOpenAI(...))``
  with its defaults (tool-calling mode, httpx transport), one request per article for one extraction
  model, ``asyncio.gather`` under a semaphore.
- :func:`run_langextract`: ``langextract.extract`` over the same articles through its OpenAI provider
  pointed at the fake server's ``base_url`` (``ModelConfig(provider="openai")``), with ``max_workers`` and
  ``batch_length`` set to the concurrency and its other defaults (1,000-character chunks, one pass).
- :func:`time_langextract_aligner`: langextract's resolver aligning quotes back to a long text.

Peers import their own libraries: the rule that only ``extractor/llm.py`` imports LLM libraries is for
claimscope's code, and a peer is by definition someone else's.
"""

from __future__ import annotations

import asyncio
import time
import warnings
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, Field

__all__ = [
    "PeerResult",
    "langextract_available",
    "run_instructor_loop",
    "run_langextract",
    "time_langextract_aligner",
]

_SYSTEM = (
    "You extract from news articles the actors (people, governments, organisations) and every claim an "
    "actor makes, with the speaker and the verbatim quotation."
)


class PeerActor(BaseModel):
    """An actor the article mentions."""

    name: str
    kind: Literal["person", "government", "organization", "country", "group", "media", "other"]


class PeerClaim(BaseModel):
    """A claim an actor makes."""

    speaker: str
    quote: str
    kind: Literal[
        "statement", "threat", "promise", "prediction", "accusation", "denial", "opinion", "warning"
    ]


class PeerExtraction(BaseModel):
    """What a hand-written loop asks for: everything in one model."""

    actors: list[PeerActor] = Field(default_factory=list)
    claims: list[PeerClaim] = Field(default_factory=list)


@dataclass(frozen=True)
class PeerResult:
    """One peer's run: how many articles in how long."""

    name: str
    articles: int
    ok: int
    wall_s: float
    cpu_s: float
    note: str = ""

    @property
    def articles_per_s(self) -> float:
        """Articles completed per wall second."""
        return self.ok / self.wall_s if self.wall_s else 0.0


async def _instructor_loop(texts: list[str], base_url: str, concurrency: int) -> int:
    import instructor
    import openai

    raw = openai.AsyncOpenAI(base_url=base_url, api_key="sk-bench")
    client = instructor.from_openai(raw)
    semaphore = asyncio.Semaphore(concurrency)

    async def one(text: str) -> PeerExtraction:
        async with semaphore:
            result: PeerExtraction = await client.chat.completions.create(
                model="bench-instructor",
                response_model=PeerExtraction,
                messages=[{"role": "system", "content": _SYSTEM}, {"role": "user", "content": text}],
            )
            return result

    results = await asyncio.gather(*(one(text) for text in texts), return_exceptions=True)
    await raw.close()
    return sum(1 for result in results if isinstance(result, PeerExtraction))


def run_instructor_loop(texts: list[str], base_url: str, concurrency: int) -> PeerResult:
    """Run the hand-written instructor loop over ``texts`` (a fresh event loop, like a user's script)."""
    import instructor  # noqa: F401  (imported before the clock starts)
    import openai  # noqa: F401

    started, cpu = time.perf_counter(), time.process_time()
    ok = asyncio.run(_instructor_loop(texts, base_url, concurrency))
    return PeerResult(
        "instructor loop", len(texts), ok, time.perf_counter() - started, time.process_time() - cpu
    )


def langextract_available() -> str | None:
    """None when langextract imports, else why not (the ``bench`` extra installs it)."""
    try:
        import langextract  # noqa: F401
    except ImportError as error:
        return f"langextract is not installed ({error}); pip install 'claimscope[bench]'"
    return None


def _langextract_examples() -> list[Any]:
    import langextract as lx

    text = '"We will not raise taxes this year," said Finance Minister Ana Ruiz on Tuesday.'
    return [
        lx.data.ExampleData(
            text=text,
            extractions=[
                lx.data.Extraction(
                    extraction_class="claim",
                    extraction_text="We will not raise taxes this year",
                    attributes={"speaker": "Ana Ruiz", "kind": "promise"},
                ),
                lx.data.Extraction(
                    extraction_class="actor",
                    extraction_text="Finance Minister Ana Ruiz",
                    attributes={"kind": "person"},
                ),
            ],
        )
    ]


def run_langextract(texts: list[str], base_url: str, concurrency: int) -> PeerResult:
    """Run ``langextract.extract`` over ``texts`` against the fake server."""
    import langextract as lx
    from langextract.factory import ModelConfig

    documents = [lx.data.Document(text=text, document_id=f"doc{i}") for i, text in enumerate(texts)]
    config = ModelConfig(
        model_id="bench-langextract",
        provider="openai",
        provider_kwargs={"api_key": "sk-bench", "base_url": base_url},
    )
    started, cpu = time.perf_counter(), time.process_time()
    with warnings.catch_warnings():
        # langextract warns that schema constraints come from the examples when a config is passed.
        warnings.simplefilter("ignore")
        results = lx.extract(
            text_or_documents=documents,
            prompt_description=_SYSTEM,
            examples=_langextract_examples(),
            config=config,
            max_workers=concurrency,
            batch_length=concurrency,
            show_progress=False,
        )
    wall, cpu_s = time.perf_counter() - started, time.process_time() - cpu
    done = results if isinstance(results, list) else [results]
    return PeerResult("langextract", len(texts), len(done), wall, cpu_s)


def time_langextract_aligner(text: str, quotes: list[str]) -> float:
    """Seconds langextract's resolver takes to align ``quotes`` (as extractions) back to ``text``."""
    import langextract as lx
    from langextract import resolver as lx_resolver

    extractions = [lx.data.Extraction(extraction_class="claim", extraction_text=q) for q in quotes]
    resolver = lx_resolver.Resolver()
    started = time.perf_counter()
    aligned = resolver.align(extractions, text, token_offset=0, char_offset=0)
    list(aligned)
    return time.perf_counter() - started
