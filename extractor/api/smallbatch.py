"""``POST /v1/extract/batch``: a few articles through the batch engine, answered in one response."""

from __future__ import annotations

from extractor.api.models import BatchItem, BatchResponse
from extractor.api.problems import ApiProblem, problem_for_code
from extractor.api.service import ExtractionService
from extractor.batch.lines import RecordParser
from extractor.batch.records import BatchOptions, ErrorRecord, InputLine, run_batch
from schemas import Article, ArticleExtraction

__all__ = ["MemorySink", "run_small_batch"]


class MemorySink:
    """A :class:`extractor.batch.records.ResultSink` that keeps outcomes in memory, by record key."""

    def __init__(self) -> None:
        self.results: dict[str, ArticleExtraction] = {}
        self.errors: dict[int, ErrorRecord] = {}

    def done_ids(self, *, retry_failed: bool = False) -> set[str]:
        """Nothing is ever resumed."""
        return set()

    def write_result(self, id: str, extraction: ArticleExtraction) -> None:
        """Keep one extraction."""
        self.results[id] = extraction

    def write_error(self, record: ErrorRecord) -> None:
        """Keep one error record, by its line (the item's position plus one)."""
        self.errors[record.line] = record


async def run_small_batch(
    service: ExtractionService, articles: list[Article], model: str | None, *, instance: str
) -> BatchResponse:
    """Extract ``articles`` concurrently; one item per article, in request order.

    Raises:
        ApiProblem: when the model itself is unusable (unreachable, bad credentials): every item would
            fail the same way, so the whole request fails with that problem.
    """
    parser = RecordParser(max_chars=service.settings.max_article_chars)
    records = [
        parser.parse_obj(article.model_dump(mode="json", exclude_none=True), n + 1)
        for n, article in enumerate(articles)
    ]
    ids = {record.line: record.id for record in records if isinstance(record, InputLine)}
    sink = MemorySink()
    # One try per article: the LLM door already retries each request, and the client is waiting.
    options = BatchOptions(concurrency=min(len(articles), service.settings.api_llm_concurrency), attempts=1)
    summary = await run_batch(records, sink, service.bound_to(model), options)
    if summary.status != "completed":
        fatal = summary.error or {"type": "internal_error", "message": summary.status}
        problem = problem_for_code(fatal["type"], fatal["message"], instance=instance)
        raise ApiProblem(problem.status, problem.code, problem.detail or problem.title, title=problem.title)
    items = []
    for index, article in enumerate(articles):
        line = index + 1
        record_id = ids.get(line)
        result = sink.results.get(record_id) if record_id is not None else None
        if result is not None:
            items.append(BatchItem(index=index, id=article.id, ok=True, result=result))
            continue
        error = sink.errors.get(line)
        code, message = (error.type, error.message) if error else ("internal_error", None)
        problem = problem_for_code(code, message, instance=f"{instance}#{index}")
        items.append(BatchItem(index=index, id=article.id, ok=False, error=problem))
    succeeded = sum(item.ok for item in items)
    return BatchResponse(items=items, succeeded=succeeded, failed=len(items) - succeeded)
