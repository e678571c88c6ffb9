"""The review page: one self-contained HTML file that shows an extraction over its article text.

Owns reading an extraction for review and sketching an article from its spans when the text is absent
(:mod:`.inputs`), and the page itself (:mod:`.page`): spans highlighted per actor, side lists of actors,
claims and positions, and, for eval reports, marks of what the extraction missed or made up against gold.
The page is rendered from the jinja2 templates in ``templates/``. It may use eval's scoring (review -> eval);
eval never imports the page.
"""

from __future__ import annotations

from extractor.review.inputs import load_extraction, sketch_article
from extractor.review.page import PageDoc, render_page

__all__ = ["PageDoc", "load_extraction", "render_page", "sketch_article"]
