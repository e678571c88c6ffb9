"""Orchestration: article -> text -> actors -> claims -> positions -> :class:`schemas.ArticleExtraction`.

Owns the order of the stages and the model rounds between them (:mod:`.run`), the token meter
(:mod:`.meter`), the typed hand-offs between stages (:mod:`.results`), and the ``single`` strategy, one
request for everything for strong hosted models (:mod:`.single`). The faces call only this package (and
the SDK built on it); no stage imports it.
"""

from __future__ import annotations

from extractor.pipeline.meter import UsageMeter
from extractor.pipeline.results import Analysis, StageOutput
from extractor.pipeline.run import prompts_in_use, run_extraction
from extractor.pipeline.single import extract_single

__all__ = ["Analysis", "StageOutput", "UsageMeter", "extract_single", "prompts_in_use", "run_extraction"]
