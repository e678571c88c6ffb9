"""A claim found by code, and the speech act and modality its words suggest."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extractor.actors.roster import ActorDraft
from extractor.text.candidates import Cue, Quote, SentenceInfo
from extractor.text.lexicon import VERB_KIND
from extractor.text.patterns import whole_words
from schemas import ClaimKind, Modality

__all__ = ["ClaimCandidate", "kind_of_cue", "kind_of_lemma", "modality_of"]

_HYPOTHETICAL = re.compile(whole_words(["could", "might", "may", "would", "possibly", "perhaps"]))
_CONDITIONAL = re.compile(whole_words(["if", "unless", "any"]))
_NEGATED = re.compile(whole_words(["not", "never", "no", "n't", "nothing", "nobody"]))


@dataclass
class ClaimCandidate:
    """A claim found by code, with the speaker if code could tell.

    Attributes:
        sentence: The sentence carrying the claim.
        content: (start, end) of the claim's content in the article.
        quote: The quotation, when the claim quotes words.
        cue: The reporting expression, when there is one.
        speaker: The speaker code resolved, or None for the model to decide.
        speaker_mention: Where the speaker is referred to near the claim.
        kind: Speech act guessed from the cue verb.
        modality: Modality guessed from the content's wording.
    """

    sentence: SentenceInfo
    content: tuple[int, int]
    quote: Quote | None
    cue: Cue | None
    speaker: ActorDraft | None = None
    speaker_mention: tuple[int, int] | None = None
    kind: ClaimKind = "statement"
    modality: Modality = "asserted"


def kind_of_cue(cue: Cue | None) -> ClaimKind:
    """The speech act a reporting cue suggests."""
    return "statement" if cue is None else kind_of_lemma(cue.text.lower())


@lru_cache(maxsize=1024)
def kind_of_lemma(word: str) -> ClaimKind:
    """The speech act of a reporting word (any inflection: matched by prefix)."""
    for prefix, kind in VERB_KIND.items():
        if word.startswith(prefix):
            return kind  # type: ignore[return-value]
    return "statement"


def modality_of(content: str) -> Modality:
    """How firmly the words put the claim forward."""
    if _HYPOTHETICAL.search(content):
        return "conditional" if _CONDITIONAL.search(content) else "hypothetical"
    if _NEGATED.search(content):
        return "negated"
    return "asserted"
