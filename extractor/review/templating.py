"""The jinja2 environment of the review pages: templates shipped in ``templates/``, HTML autoescaped."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jinja2

__all__ = ["render_template"]


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("extractor.review", "templates"),
        # Every value is escaped in the HTML templates; the inlined CSS and JS are files of our own.
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html",), disabled_extensions=("css", "js"), default=True
        ),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def render_template(name: str, **context: Any) -> str:
    """Render one template of ``templates/`` with ``context``."""
    return _environment().get_template(name).render(**context)
