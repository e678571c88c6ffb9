"""The policy-position questions: per speaker, or per article window for all its speakers.

Both ask, for each of the most prolific speakers (at most six), the policy or action their claims take a
stance on, the stance, and the claims showing it; they differ in how many requests that takes.

- ``speaker`` (prompt ``positions``): one request per speaker. Every request carries the speaker's
  article window, but llama-server's prefix cache processes that window once, so each further request
  costs only its short suffix; the short answers are quick to generate on a CPU. The embedded model's
  default.
- ``window`` (prompt ``window_positions``): one request per window for all its speakers. A hosted model
  bills and reads every request's window again: on the seed this sends 2 requests and 2,208 prompt tokens
  instead of 7 and 6,709. The default for every other model.

On the embedded model the two take about as long (measured side by side, window over speaker: median
1.03, 0.90-1.20 on the seed and three dev documents; the same dev-split accuracy), because its prefix
cache already spares the repeated windows; per-speaker answers there name more specific topics on the
seed ("land strikes on drug cartels" rather than "land strikes"). Hence the choice by model
(``Settings.positions_grouping``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from extractor.decisions import Decisions, PositionDecision
from extractor.errors import LLMOutputError
from extractor.llm.drafts import position_model, window_positions_model
from extractor.llm.questions import Question
from extractor.settings import EMBEDDED_MODEL, Settings
from extractor.text.chunking import window_for
from prompts import render

__all__ = ["Grouping", "position_grouping", "position_questions"]

Grouping = Literal["speaker", "window"]
_MAX_SPEAKERS = 6
_MAX_CLAIMS = 8
_Recorders = tuple[Callable[[Decisions, Any], None], Callable[[Decisions, LLMOutputError], None]]


def position_grouping(settings: Settings, model: str) -> Grouping:
    """How positions are asked of ``model``: the setting, or when it is ``auto``, chosen by model."""
    if settings.positions_grouping != "auto":
        return settings.positions_grouping
    return "speaker" if model == EMBEDDED_MODEL else "window"


def position_questions(
    text: str, spans: list[tuple[int, int]], actors: list[Any], claims: list[Any], grouping: Grouping
) -> list[Question]:
    """The questions that decide each ranked speaker's position (the most prolific speakers first)."""
    names = {actor.id: actor.name for actor in actors}
    by_speaker: dict[str, list[Any]] = {}
    for claim in claims:
        if claim.speaker_id:
            by_speaker.setdefault(claim.speaker_id, []).append(claim)
    ranked = sorted(by_speaker.items(), key=lambda item: -len(item[1]))[:_MAX_SPEAKERS]
    if grouping == "speaker":
        return [
            _speaker_question(
                text, _window(spans, own), _AskedSpeaker.numbered("s1", speaker_id, names, own, 0)
            )
            for speaker_id, own in ranked
        ]
    by_window: dict[tuple[int, int], list[_AskedSpeaker]] = {}
    for speaker_id, own in ranked:
        group = by_window.setdefault(_window(spans, own), [])
        # Claim keys run on across the speakers of one question, so each key names one claim.
        numbered = sum(len(speaker.local_ids) for speaker in group)
        group.append(_AskedSpeaker.numbered(f"s{len(group) + 1}", speaker_id, names, own, numbered))
    return [_window_question(text, window, speakers) for window, speakers in by_window.items()]


def _window(spans: list[tuple[int, int]], own: list[Any]) -> tuple[int, int]:
    """The window of a speaker's first claim."""
    return window_for(spans, own[0].content.start, own[0].content.end)


@dataclass(frozen=True)
class _AskedSpeaker:
    """A speaker in a positions question: its key there (s1..), its claims and their keys (c1..)."""

    key: str
    speaker_id: str
    name: str
    local_ids: dict[str, str]
    claim_texts: list[str]

    @classmethod
    def numbered(
        cls, key: str, speaker_id: str, names: dict[str, str], own: list[Any], numbered: int
    ) -> _AskedSpeaker:
        # Speakers and claims are numbered per question (s1.., c1..), not by their article ids: short keys
        # are fewer tokens to write, and per-speaker questions then need one response class per count.
        shown = own[:_MAX_CLAIMS]
        local_ids = {f"c{numbered + n}": claim.id for n, claim in enumerate(shown, start=1)}
        return cls(key, speaker_id, names[speaker_id], local_ids, [c.content.text[:300] for c in shown])

    def listed_claims(self) -> list[dict[str, str]]:
        """The claims as the prompt lists them."""
        return [
            {"id": local, "text": text} for local, text in zip(self.local_ids, self.claim_texts, strict=True)
        ]


def _speaker_question(text: str, window: tuple[int, int], speaker: _AskedSpeaker) -> Question:
    messages = render(
        "positions", article=text[window[0] : window[1]], speaker=speaker.name, claims=speaker.listed_claims()
    )
    return Question(messages, position_model(list(speaker.local_ids)), 120, *_recorders([speaker]))


def _window_question(text: str, window: tuple[int, int], speakers: list[_AskedSpeaker]) -> Question:
    messages = render(
        "window_positions",
        article=text[window[0] : window[1]],
        speakers=[
            {"id": speaker.key, "name": speaker.name, "claims": speaker.listed_claims()}
            for speaker in speakers
        ],
    )
    model = window_positions_model({speaker.key: list(speaker.local_ids) for speaker in speakers})
    return Question(messages, model, 120 * len(speakers), *_recorders(speakers, keyed=True))


def _recorders(speakers: list[_AskedSpeaker], *, keyed: bool = False) -> _Recorders:
    def record(decisions: Decisions, answer: Any) -> None:
        for speaker in speakers:
            position = answer.positions[speaker.key] if keyed else answer
            cited = tuple(dict.fromkeys(speaker.local_ids[local] for local in position.claims))
            decisions.positions.append(
                PositionDecision(speaker.speaker_id, position.topic, position.stance, cited)
            )

    def warn(decisions: Decisions, error: LLMOutputError) -> None:
        undecided = ", ".join(speaker.speaker_id for speaker in speakers)
        noun = "positions" if len(speakers) > 1 else "position"
        decisions.warnings.append(f"{noun} of {undecided} undecided ({error.attempts} attempts)")

    return record, warn
