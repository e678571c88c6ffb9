"""Versioned prompt templates and their rendering into chat messages.

Each prompt lives in ``templates/<name>.v<N>.j2`` with a ``=== system ===`` and a ``=== user ===`` part.
The questions of the pipeline (topics, pair_stance, actor_kinds, attribute_speaker) put their fixed
instructions first and the passage they decide over after them: a server with prefix caching
(llama-server) keeps the instructions of consecutive questions of one kind, and each question shows only
the sentences its decision needs, not the whole article. ``extract_all`` starts with the whole article.

The system message of topics, pair_stance, actor_kinds and attribute_speaker asks for one line of compact
JSON: left to itself the embedded model indents its answers, and on a CPU every generated token is slow.
``extract_all`` does not ask so, because on the seed that makes its one answer longer, not shorter.
actor_kinds carries no example answer: with one, the model types titled people ("Prime Minister X")
as governments. :data:`PROMPTS` names the version in use of each prompt; the other versions stay in
``templates/`` because a released version's text never changes (it is part of the cache key).

topics lists code's topic candidates with keys and asks the model to group and label them; its answer may
cite only those keys. pair_stance asks one actor's stance on one topic from the sentences that show both,
with ``none`` an allowed answer (see ``extractor.positions``). The positions and window_positions
templates are released texts that no extraction uses.

The article is data: it sits in a delimited block and the system message says instructions inside it
are to be ignored.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from jinja2 import StrictUndefined, Template
from jinja2.sandbox import SandboxedEnvironment

__all__ = ["PROMPTS", "render", "template_source"]

PROMPTS: dict[str, str] = {
    "actor_kinds": "v4",
    "attribute_speaker": "v4",
    "topics": "v2",
    "pair_stance": "v3",
    "extract_all": "v2",
}
"""Prompt name -> current version."""

_CLOSING_TAG = re.compile(r"</\s*article", re.IGNORECASE)
_SPLIT_SYSTEM = "=== system ==="
_SPLIT_USER = "=== user ==="


@lru_cache(maxsize=1)
def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def template_source(name: str, version: str) -> str:
    """The raw template text of one prompt version."""
    if PROMPTS.get(name) is None and not name.startswith("_"):
        raise KeyError(f"unknown prompt {name!r}; known: {sorted(PROMPTS)}")
    path = resources.files("prompts") / "templates" / f"{name}.{version}.j2"
    return path.read_text(encoding="utf-8")


@lru_cache(maxsize=64)
def _compiled(name: str, version: str) -> Template:
    source = template_source(name, version).replace("{{ ARTICLE_BLOCK }}", template_source("_article", "v1"))
    template = _environment().from_string(source)
    # Jinja gives a template its globals as a ChainMap over the environment's, and every render copies
    # them key by key through it (half of a question's rendering). Nothing adds globals later, so a flat
    # dict of the same names renders the same.
    template.globals = dict(template.globals)
    return template


def render(name: str, version: str | None = None, **context: object) -> list[dict[str, str]]:
    """Render a prompt into ``[{"role": "system", ...}, {"role": "user", ...}]``."""
    article = context.get("article")
    if isinstance(article, str):
        # The article must not be able to close its own data block.
        context["article"] = _CLOSING_TAG.sub("</ article", article)
    rendered = _compiled(name, version or PROMPTS[name]).render(**context)
    system, _, user = rendered.partition(_SPLIT_USER)
    system = system.replace(_SPLIT_SYSTEM, "").strip()
    return [{"role": "system", "content": system}, {"role": "user", "content": user.strip()}]
