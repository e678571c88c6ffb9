"""The Ray engine: the per-article function (:func:`extractor.batch.engine.process_record`) in Ray actors.

Reading, resume, sinks and the summary stay in the driver, so the formats and guarantees are the local
engine's; only the articles travel. Each worker is an async actor holding one extractor (so its HTTP
client and cache connection live as long as the actor) and running several articles at once; the
driver keeps at most ``options.concurrency`` articles in flight over all of them.

Where it runs: an already-initialised Ray session, else ``address`` (``ray://head:10001`` or
``auto``), else the ``RAY_ADDRESS`` environment variable, else a local Ray started for the job. The
workers need claimscope installed (or a ``runtime_env`` shipping it); ``CLAIMSCOPE_*`` variables of the
driver are passed to them.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from typing import Any

from extractor.batch.engine import Outcome, RateGate, drive, process_record, worker_failure
from extractor.batch.records import (
    AnySink,
    BatchOptions,
    BatchSummary,
    InputLine,
    ProgressCallback,
    Records,
    SupportsExtract,
)
from extractor.errors import ConfigError

__all__ = ["BatchWorker", "run_batch_ray"]


class BatchWorker:
    """A Ray actor body: builds its extractor on first use and runs articles through it."""

    def __init__(self, factory: Callable[[], SupportsExtract], options: BatchOptions) -> None:
        self._factory = factory
        self._options = options
        self._extractor: SupportsExtract | None = None
        self._gate = RateGate()

    async def run(self, record: InputLine) -> Outcome:
        """Extract one article (see :func:`process_record`)."""
        if self._extractor is None:
            self._extractor = self._factory()
        return await process_record(self._extractor, record, self._options, self._gate)


def _import_ray() -> Any:
    try:
        import ray
    except ImportError as error:
        raise ConfigError("--engine ray needs Ray: pip install 'claimscope[ray]'") from error
    return ray


def _connect(ray: Any, address: str | None) -> bool:
    """Make sure a Ray session exists; True when this call started it."""
    if ray.is_initialized():
        return False
    env = {key: value for key, value in os.environ.items() if key.startswith("CLAIMSCOPE_")}
    ray.init(address=address, runtime_env={"env_vars": env}, log_to_driver=False)
    return True


async def run_batch_ray(
    records: Records,
    sink: AnySink,
    factory: Callable[[], SupportsExtract],
    options: BatchOptions | None = None,
    progress: ProgressCallback | None = None,
    *,
    address: str | None = None,
    workers: int | None = None,
    model: str | None = None,
) -> BatchSummary:
    """Like :func:`extractor.batch.records.run_batch`, with the articles extracted in Ray actors.

    Args:
        records: Input records (read in the driver).
        sink: Where outcomes go (written by the driver).
        factory: Builds the extractor inside each actor; must pickle (a module-level function or a
            ``functools.partial`` of one).
        options: Concurrency (over all actors), resume, budget and retries.
        progress: Called with the live summary after every outcome.
        address: Ray cluster address; None uses ``RAY_ADDRESS`` or starts a local Ray.
        workers: Number of actors; default one per CPU in the cluster, at most ``options.concurrency``.
        model: Model string for the summary; default: ask an extractor built here.
    """
    ray = _import_ray()
    options = options or BatchOptions()
    started_here = _connect(ray, address)
    cpus = int(ray.cluster_resources().get("CPU", 1)) or 1
    count = max(1, min(workers or cpus, options.concurrency))
    per_actor = math.ceil(options.concurrency / count)
    actor_class = ray.remote(BatchWorker).options(
        max_concurrency=per_actor, max_restarts=3, max_task_retries=1, num_cpus=1
    )
    actors = [actor_class.remote(factory, options) for _ in range(count)]
    load = [0] * count

    async def runner(record: InputLine) -> Outcome:
        index = load.index(min(load))
        load[index] += 1
        try:
            outcome: Outcome = await actors[index].run.remote(record)
        except ray.exceptions.RayError as error:
            return worker_failure(
                record, f"Ray worker failed on this article: {type(error).__name__}: {error}"
            )
        finally:
            load[index] -= 1
        return outcome

    try:
        return await drive(
            records, sink, runner, options, progress, model=model or factory().model, engine="ray"
        )
    finally:
        for actor in actors:
            ray.kill(actor)
        if started_here:
            ray.shutdown()
