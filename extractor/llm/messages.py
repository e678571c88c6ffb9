"""The chat messages a question sends: plain role/content dicts, as every OpenAI-compatible API takes.

Kept apart from the client so the stages that write questions depend on this type and not on the door.
"""

from __future__ import annotations

__all__ = ["Message"]

Message = dict[str, str]
