"""The review pages: self-contained HTML files that show extractions over their article texts.

Owns reading extractions for review (one extraction, or a batch output file), the article a page shows
(:class:`PageDoc`) and the sketch of an article from its spans when its text is absent (:mod:`.inputs`);
cutting the article into keyed, coloured segments (:mod:`.marks`); the page of one or more articles
(:mod:`.page`): spans highlighted per actor, side lists of actors, claims and positions, the actor x
topic matrix of the positions (:mod:`.matrix`), and, for eval reports, marks of what the extraction
missed or made up against gold; and the review site of a batch (:mod:`.site`): a searchable list of the
articles with a page each. Every page is rendered from the jinja2 templates in ``templates/`` (HTML
autoescaped), through :mod:`.templating`. It may use eval's scoring (review -> eval); eval never imports
the pages.
"""

from __future__ import annotations

from extractor.review.inputs import (
    BatchFailure,
    BatchOutput,
    BatchResult,
    load_batch_output,
    load_extraction,
    sketch_article,
)
from extractor.review.page import PageDoc, render_page
from extractor.review.site import SiteSummary, write_site

__all__ = [
    "BatchFailure",
    "BatchOutput",
    "BatchResult",
    "PageDoc",
    "SiteSummary",
    "load_batch_output",
    "load_extraction",
    "render_page",
    "sketch_article",
    "write_site",
]
