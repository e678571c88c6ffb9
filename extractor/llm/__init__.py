"""Everything between claimscope and a model; the only package that imports openai, instructor or litellm.

- the one door, :class:`InstructorLLM` (:mod:`extractor.llm.client`), implementing :class:`LLMClient`;
  a single attempt goes through instructor's public API (:mod:`extractor.llm.structured`) over the openai
  client (:mod:`extractor.llm.transport`) or litellm;
- the one retry loop (:mod:`extractor.llm.retry`): validation re-asks, backoff on timeouts and rate
  limits, usage summed over attempts; :class:`~extractor.testing.FakeLLM` answers through it too;
- the error map (:mod:`extractor.llm.error_map`): provider exceptions onto :mod:`extractor.errors`;
- constrained drafts: response models narrowed to one article's choices (:mod:`extractor.llm.constrained`,
  :mod:`extractor.llm.drafts`) and the questions asked with them (:mod:`extractor.llm.questions`);
- answers' fixed JSON openings written by the door on servers that continue a reply under a grammar
  (:mod:`extractor.llm.prefill` for one-field choices, :mod:`extractor.llm.openings` for the rest);
- the embedded server (:mod:`extractor.llm.embedded`), the local model the default settings run on.

The LLM libraries are imported on first use, so importing this package stays fast.
"""

from extractor.llm.client import InstructorLLM, estimate_cost
from extractor.llm.constrained import Constrained, ResponseSpec
from extractor.llm.protocol import Completion, LLMClient, Message
from extractor.llm.retry import InvalidOutput, Reply, RetryPolicy, complete_with_retries, validate_reply
from extractor.llm.transport import HttpTransport, count_usage

__all__ = [
    "Completion",
    "Constrained",
    "HttpTransport",
    "InstructorLLM",
    "InvalidOutput",
    "LLMClient",
    "Message",
    "Reply",
    "ResponseSpec",
    "RetryPolicy",
    "complete_with_retries",
    "count_usage",
    "estimate_cost",
    "validate_reply",
]
