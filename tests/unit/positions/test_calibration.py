"""How a stance answer's direction is settled: the parse path, the model's calibrated margin, stance words."""

from __future__ import annotations

import pytest

from extractor.positions.candidates import SentenceMap
from extractor.positions.questions import PositionPlan
from extractor.positions.stances import CALIBRATION_BATCH, StanceAnswer, support_margin


def _plan(*answers: StanceAnswer) -> PositionPlan:
    plan = PositionPlan("", SentenceMap(()), [], [], [], {})
    plan.answers = dict(enumerate(answers))
    return plan


def test_the_margin_reads_the_choices_from_their_first_tokens() -> None:
    assert support_margin({"op": -0.5, "support": -1.5, "none": -2.0}) == pytest.approx(-1.0)
    assert support_margin({"support": -0.2, "none": -2.0}) is None
    assert support_margin(None) is None


def test_an_article_judges_each_margin_against_its_median() -> None:
    # Every answer says support; the two with the smallest lean to it are the article's opposes.
    margins = [2.0, 1.8, 0.3, 0.1]
    plan = _plan(*(StanceAnswer("support", None, "none", margin) for margin in margins))
    plan.calibrate_stances()
    assert [plan.stances[i] for i in range(4)] == ["support", "support", "oppose", "oppose"]


def test_one_answer_the_model_is_very_sure_of_does_not_move_the_lean() -> None:
    # The mean (1.13) would make every answer but the first an oppose; the median (0.3) does not.
    margins = [7.0, 0.6, 0.5, 0.3, 0.1, -0.2, -0.4]
    plan = _plan(*(StanceAnswer("support", None, "none", margin) for margin in margins))
    plan.calibrate_stances()
    assert [plan.stances[i] for i in range(7)] == ["support"] * 3 + ["oppose"] * 4


def test_too_few_answers_keep_the_models_choice() -> None:
    plan = _plan(*(StanceAnswer("support", None, "none", 0.1) for _ in range(CALIBRATION_BATCH - 1)))
    plan.calibrate_stances()
    assert set(plan.stances.values()) == {"support"}


@pytest.mark.parametrize(
    ("answer", "settled"),
    [
        (StanceAnswer("none", "oppose", "oppose", -3.0), "none"),  # whether there is a view: the model's
        (StanceAnswer("support", "oppose", "none", 3.0), "oppose"),  # which way: the parse path first
        (StanceAnswer("support", None, "none", -1.0), "oppose"),  # then the margin against the lean
        (StanceAnswer("support", None, "oppose", None), "oppose"),  # then the sentences' stance words
        (StanceAnswer("mixed", None, "support", 0.0), "mixed"),
    ],
)
def test_the_order_of_witnesses(answer: StanceAnswer, settled: str) -> None:
    assert answer.settled(0.5) == settled
