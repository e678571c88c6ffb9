"""Peers on the embedded model: accuracy and model time on the same documents, side by side in one run.

Three clients read the same documents (the seed and the five shortest exhaustive-claims documents of
``../shared/eval/dev.jsonl``, read in place) from the same running embedded server, one request at a
time, through one :class:`~benchmarks.model_meter.ModelMeter`:

- **claimscope**: :class:`~extractor.Extractor` with the default ``pipeline`` strategy and the embedded
  model's client settings, result cache off;
- **instructor**: ``instructor.from_openai(OpenAI(...), mode=JSON_SCHEMA)`` (llama-server constrains
  its answer by the JSON schema; it takes no tool calls), ONE request per article for a response model
  built from the public schema: actors (name, kind) and claims (speaker name, verbatim quote, kind);
- **langextract**: ``langextract.extract`` through its OpenAI provider, its own prompt template with the
  same task description and worked example as the throughput peers (:mod:`benchmarks.peers`), its
  defaults otherwise (1,000-character chunks, one pass), one worker.

Every client gets temperature 0. Each answer is grounded and scored by :mod:`benchmarks.peer_scoring`
(the project's scorer). **Model seconds** are llama-server's own prompt and generation time of every
request an article caused (the wait behind other users of a shared server left out); the wall time is
kept beside it. The order of the clients rotates from one document to the next.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
import warnings
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, Field

from benchmarks.model_meter import ModelMeter, summarize_requests
from benchmarks.peer_scoring import PeerClaim, gold_documents, score, to_extraction
from schemas import Actor, ActorKind, ArticleExtraction, Claim, ClaimKind

__all__ = ["PublicExtraction", "run_peers_embedded"]

CLIENTS = ("claimscope", "instructor", "langextract")
_MAX_TOKENS = 1024
"""Answer cap of the peers' requests, so a model caught in a loop cannot hold the server for minutes."""
_TIMEOUT_S = 600.0
_TASK = (
    "You extract from news articles the actors (people, governments, organisations) and every claim an "
    "actor makes, with the speaker and the verbatim quotation."
)


def _doc(model: type[BaseModel], field: str) -> str | None:
    return model.model_fields[field].description


class PublicActor(BaseModel):
    """An actor the article mentions (the public schema's ``Actor``, names and kind only)."""

    name: str = Field(description=_doc(Actor, "name"))
    kind: ActorKind = Field(description=_doc(Actor, "kind"))


class PublicClaim(BaseModel):
    """An attributed claim (the public schema's ``Claim``, the speaker by name, the quote as text)."""

    speaker: str = Field(description="Name of the speaking actor, as in the actors list.")
    quote: str = Field(description=_doc(Claim, "quote"))
    kind: ClaimKind = Field(description=_doc(Claim, "kind"))


class PublicExtraction(BaseModel):
    """Everything the article says, in one answer."""

    actors: list[PublicActor] = Field(default_factory=list)
    claims: list[PublicClaim] = Field(default_factory=list)


def _claimscope(base_url: str) -> Callable[[str, str], ArticleExtraction]:
    from extractor import Extractor, Settings
    from extractor.sdk import embedded_client

    def run(text: str, doc_id: str) -> ArticleExtraction:
        settings = Settings(cache_enabled=False)
        extractor = Extractor(llm=embedded_client(base_url, settings), use_cache=False, settings=settings)

        async def one() -> ArticleExtraction:
            try:
                return await extractor.aextract(text)
            finally:
                await extractor.aclose()

        return asyncio.run(one())

    return run


def _instructor(base_url: str) -> Callable[[str, str], ArticleExtraction]:
    import instructor
    import openai

    client = instructor.from_openai(
        openai.OpenAI(base_url=base_url, api_key="sk-no-key-needed", timeout=_TIMEOUT_S, max_retries=0),
        mode=instructor.Mode.JSON_SCHEMA,
    )

    def run(text: str, doc_id: str) -> ArticleExtraction:
        answer: PublicExtraction = client.chat.completions.create(
            model="local",
            response_model=PublicExtraction,
            messages=[{"role": "system", "content": _TASK}, {"role": "user", "content": text}],
            temperature=0.0,
            max_tokens=_MAX_TOKENS,
            max_retries=1,
        )
        return to_extraction(
            text,
            [(actor.name, actor.kind) for actor in answer.actors],
            [PeerClaim(claim.speaker, claim.quote, claim.kind) for claim in answer.claims],
            peer="instructor",
            article_id=doc_id,
        )

    return run


def _langextract(base_url: str) -> Callable[[str, str], ArticleExtraction]:
    import langextract as lx
    from langextract.factory import ModelConfig

    from benchmarks.peers import _langextract_examples

    config = ModelConfig(
        model_id="local",
        provider="openai",
        provider_kwargs={
            "api_key": "sk-no-key-needed",
            "base_url": base_url,
            "temperature": 0.0,
            "max_output_tokens": _MAX_TOKENS,
        },
    )

    def run(text: str, doc_id: str) -> ArticleExtraction:
        with warnings.catch_warnings():
            # langextract warns that schema constraints come from the examples when a config is passed.
            warnings.simplefilter("ignore")
            result = lx.extract(
                text_or_documents=text,
                prompt_description=_TASK,
                examples=_langextract_examples(),
                config=config,
                max_workers=1,
                batch_length=1,
                show_progress=False,
            )
        document = result[0] if isinstance(result, list) else result
        actors, claims = [], []
        for item in document.extractions or []:
            attributes = item.attributes or {}
            if item.extraction_class == "actor":
                actors.append((item.extraction_text, str(attributes.get("kind", "other"))))
            elif item.extraction_class == "claim":
                where = item.char_interval
                claims.append(
                    PeerClaim(
                        str(attributes.get("speaker", "")),
                        item.extraction_text,
                        str(attributes.get("kind", "statement")),
                        where.start_pos if where else None,
                        where.end_pos if where else None,
                    )
                )
        return to_extraction(text, actors, claims, peer="langextract", article_id=doc_id)

    return run


_RUNNERS: dict[str, Callable[[str], Callable[[str, str], ArticleExtraction]]] = {
    "claimscope": _claimscope,
    "instructor": _instructor,
    "langextract": _langextract,
}


def _empty(text: str, doc_id: str) -> ArticleExtraction:
    return to_extraction(text, [], [], peer="failed", article_id=doc_id)


def _embedded_base_url() -> str:
    from extractor import Settings
    from extractor.llm.embedded import ensure_server

    return ensure_server(Settings())


def _summary(name: str, rows: dict[str, Any], pairs: list[tuple[ArticleExtraction, dict[str, Any]]]) -> Any:
    scored = score(pairs)
    model_s = [row["model_s"] for row in rows.values()]
    mean_model_s = sum(model_s) / len(model_s) if model_s else 0.0
    f1 = (scored["claims_with_speaker"] or {}).get("f1") or 0.0
    return {
        **scored,
        "mean_model_s": round(mean_model_s, 2),
        "mean_wall_s": round(sum(row["wall_s"] for row in rows.values()) / max(len(rows), 1), 2),
        "failed_documents": sum(1 for row in rows.values() if row.get("error")),
        "speaker_f1_per_model_s": round(f1 / mean_model_s, 5) if mean_model_s else None,
        "per_document": rows,
    }


def run_peers_embedded(
    dev_docs: int = 5,
    base_url: str | None = None,
    clients: tuple[str, ...] = CLIENTS,
    budget_s: float | None = None,
) -> dict[str, Any]:
    """Run every client on the documents against ``base_url`` (default: the embedded server, started if
    none runs); the figures per client and ``f1_per_model_s_vs_best_peer``.

    With ``budget_s``, no document is started once that many seconds have passed: the figures cover the
    documents every client read, and ``documents_left`` names the others.
    """
    docs = gold_documents(dev_docs)
    started_run = time.perf_counter()
    left: list[str] = []
    upstream = base_url or _embedded_base_url()
    rows: dict[str, dict[str, Any]] = {name: {} for name in clients}
    pairs: dict[str, list[tuple[ArticleExtraction, dict[str, Any]]]] = {name: [] for name in clients}
    with ModelMeter(upstream, timeout_s=_TIMEOUT_S) as meter:
        runners = {name: _RUNNERS[name](meter.base_url) for name in clients}
        for index, gold in enumerate(docs):
            text, doc_id = str(gold["text"]), str(gold["id"])
            if budget_s is not None and time.perf_counter() - started_run > budget_s:
                left.append(doc_id)
                continue
            shift = index % len(clients)
            for name in clients[shift:] + clients[:shift]:
                meter.take()
                started, error = time.perf_counter(), None
                try:
                    extraction = runners[name](text, doc_id)
                except Exception as failure:  # a peer failing on one article scores it as empty
                    extraction, error = _empty(text, doc_id), f"{type(failure).__name__}: {failure}"[:500]
                wall = time.perf_counter() - started
                row = summarize_requests(meter.take())
                row.update(
                    client_wall_s=round(wall, 2),
                    chars=len(text),
                    claims=len(extraction.claims),
                    actors=len(extraction.actors),
                )
                if error:
                    row["error"] = error
                # Progress on stderr: a full run takes many minutes.
                print(f"peers_embedded {doc_id[:40]} {name}: {json.dumps(row)}", file=sys.stderr, flush=True)
                rows[name][doc_id] = row
                pairs[name].append((extraction, gold))
    out: dict[str, Any] = {
        "upstream": "embedded" if base_url is None else base_url,
        "documents": [str(gold["id"]) for gold in docs if str(gold["id"]) not in left],
        "documents_left": left,
        "budget_s": budget_s,
        "clients": {name: _summary(name, rows[name], pairs[name]) for name in clients},
    }
    ours = out["clients"].get("claimscope", {}).get("speaker_f1_per_model_s")
    peers = [
        row["speaker_f1_per_model_s"]
        for name, row in out["clients"].items()
        if name != "claimscope" and row.get("speaker_f1_per_model_s") is not None
    ]
    best = max(peers) if peers else None
    out["best_peer_speaker_f1_per_model_s"] = best
    out["f1_per_model_s_vs_best_peer"] = round(ours / best, 3) if ours is not None and best else None
    return out
