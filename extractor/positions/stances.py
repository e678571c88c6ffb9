"""How a stance answer is settled: the model says whether there is a view, code's witnesses say which way.

A pair's answer keeps the model's ``none`` and ``mixed``. Otherwise the direction comes from, in order:
the parse path between topic and holder (:mod:`.polarity`), the model's own support-over-oppose margin
judged against its lean over the article (batch calibration), and the sentences' stance words, which may
overrule a ``support``. The stance words alone are also what the fake model answers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from extractor.llm.drafts import PairStanceValue
from extractor.text.patterns import whole_words

__all__ = ["CALIBRATION_BATCH", "StanceAnswer", "lexical_stance", "support_margin"]

CALIBRATION_BATCH = 4
"""Scored stance answers an article needs before their median margin is taken as the model's lean."""

# Word beginnings, written for whole_words so that re skips to the letters they open with.
_OPPOSE = re.compile(
    whole_words(
        r"oppos\w* reject\w* criticis\w* criticiz\w* against block\w* repeal\w* overturn\w* condemn\w*"
        r" denounc\w* warn\w* rebuk\w* dissent\w* refus\w* never stop\w* end".split(),
        literal=False,
    )
)
_SUPPORT = re.compile(
    whole_words(
        [
            *r"support\w* back\w* want\w* push\w* propos\w* advocat\w* threat\w* promis\w* approv\w*"
            r" defend\w* favou?r\w* sided endors\w* champion\w* urg\w* plans? planned authori[sz]\w*".split(),
            r"call\w* for",
        ],
        literal=False,
    )
)


@dataclass(frozen=True)
class StanceAnswer:
    """The model's stance for a pair, code's witnesses of its direction, and the model's own margin."""

    stance: PairStanceValue
    direction: PairStanceValue | None
    """The direction the parse path from topic to holder gives (:mod:`.polarity`)."""
    lexical: PairStanceValue
    """The side the sentences' stance words lean to."""
    margin: float | None
    """Log-probability of ``support`` minus that of ``oppose`` for the answer's first token."""

    def settled(self, lean: float | None) -> PairStanceValue:
        """The stance kept, given the model's lean over the article (None: not known).

        The model tells whether the sentences show a view far better than which way. Which way: the
        parse path where it gives one, else the model's margin against its lean, else the model's answer,
        a ``support`` overruled by the sentences' stance words.
        """
        if self.stance in ("none", "mixed"):
            return self.stance
        if self.direction is not None:
            return self.direction
        if lean is not None and self.margin is not None:
            return "support" if self.margin > lean else "oppose"
        if self.stance == "support" and self.lexical == "oppose":
            return "oppose"
        return self.stance


def support_margin(scores: Mapping[str, float] | None) -> float | None:
    """Log-probability of ``support`` minus that of ``oppose`` from first-token alternatives, if both."""
    if not scores:
        return None
    best: dict[str, float] = {}
    for token, logprob in scores.items():
        for choice in ("support", "oppose"):
            if choice.startswith(token) and logprob > best.get(choice, float("-inf")):
                best[choice] = logprob
    if len(best) < 2:
        return None
    return best["support"] - best["oppose"]


def lexical_stance(text: str) -> PairStanceValue:
    """Code's guess from stance words alone (what the fake model answers): the more frequent side wins."""
    oppose = len(_OPPOSE.findall(text))
    support = len(_SUPPORT.findall(text))
    if oppose == support:
        return "mixed" if oppose else "none"
    return "support" if support > oppose else "oppose"
