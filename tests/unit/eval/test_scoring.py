"""The scorer on hand-made gold/prediction pairs whose precision, recall and F1 are known."""

from __future__ import annotations

import pytest

from extractor.eval.matching import content_overlap, kind_families, max_matching, names_match
from extractor.eval.scoring import layer_mode, score_document, summarize
from schemas import PolicyPosition, Span
from tests.unit.eval.evalkit import actor, claim, extraction, gold_claim, gold_doc, gspan, span

G1 = "the Elm Street bridge will reopen in May"
G2 = '"We are ahead of schedule and under budget,"'
G3 = "inspections had not finished"
G4 = "the steel deck still needs work"


def four_gold_claims() -> list[dict[str, object]]:
    return [
        gold_claim("c0", G1, "Mayor Lena Ortiz"),
        gold_claim("c1", G2, "Ortiz"),
        gold_claim("c2", G3, "The Harbor Council"),
        gold_claim("c3", G4, "engineers at Brightline Surveys"),
    ]


def people():
    return [
        actor("ortiz", "Lena Ortiz", "person", span("Mayor Lena Ortiz"), span("Ortiz", 1)),
        actor("council", "Harbor Council", "government", span("Harbor Council")),
    ]


def test_perfect_extraction_scores_one() -> None:
    actors = [*people(), actor("engineers", "engineers", "group", span("engineers"))]
    claims = [
        claim("c1", "ortiz", span(G1)),
        claim("c2", "ortiz", span(G2)),
        claim("c3", "council", span(G3)),
        claim("c4", "engineers", span(G4)),
    ]
    score = score_document(extraction(actors, claims), gold_doc(claims=four_gold_claims()))
    assert score.claims is not None and score.claims_with_speaker is not None
    assert score.claims.as_dict()["f1"] == 1.0
    assert score.claims_with_speaker.as_dict()["f1"] == 1.0
    assert score.alignment.missed_claims == () and score.alignment.spurious_claims == ()


def test_known_precision_recall_f1() -> None:
    claims = [
        claim("c1", "ortiz", span(G1)),  # right content, right speaker
        claim("c2", "council", span(G2)),  # right content, wrong speaker
        claim("c3", "ortiz", span("they were tired of the detour")),  # not in the gold
    ]
    score = score_document(extraction(people(), claims), gold_doc(claims=four_gold_claims()))
    found = score.claims.as_dict()
    assert (found["n_matched"], found["n_gold"], found["n_pred"]) == (2, 4, 3)
    assert found["precision"] == pytest.approx(2 / 3)
    assert found["recall"] == pytest.approx(1 / 2)
    assert found["f1"] == pytest.approx(4 / 7)
    speaker = score.claims_with_speaker.as_dict()
    assert speaker["precision"] == pytest.approx(1 / 3)
    assert speaker["recall"] == pytest.approx(1 / 4)
    assert speaker["f1"] == pytest.approx(2 / 7)
    assert score.alignment.claim_pairs == (("c0", "c1", True), ("c1", "c2", False))
    assert score.alignment.missed_claims == ("c2", "c3")
    assert score.alignment.spurious_claims == ("c3",)


def test_overlap_threshold_is_half_of_the_shorter_span() -> None:
    assert content_overlap((15, 25), [(10, 20)]) == 5  # exactly half of 10: a match
    assert content_overlap((16, 26), [(10, 20)]) == 0  # 4 of 10: not
    assert content_overlap((12, 14), [(0, 100)]) == 2  # contained in a long gold span
    assert content_overlap((0, 20), [(0, 4), (16, 20)]) == 8  # split gold content sums its pieces
    assert content_overlap((5, 5), [(0, 10)]) == 0


def test_matching_is_one_to_one_and_maximal() -> None:
    # Gold 0 prefers prediction 1, but only prediction 1 can serve gold 1: the best pairing uses both.
    assert max_matching([[1, 0], [1]]) == {0: 0, 1: 1}
    assert max_matching([[0], [0]]) == {0: 0}
    text = "x" * 40
    gold = gold_doc(
        text=text,
        claims=[
            {"id": "g0", "content": {"spans": [[0, 10]]}, "speaker": None},
            {"id": "g1", "content": {"spans": [[10, 20]]}, "speaker": None},
        ],
    )
    wide = claim("c1", None, Span(start=0, end=20, text=text[:20]))
    score = score_document(extraction(claims=[wide], text=text), gold)
    assert (score.claims.matched, score.claims.n_gold, score.claims.n_pred) == (1, 2, 1)


def test_split_gold_content_is_one_claim() -> None:
    gold = gold_doc(claims=[gold_claim("c0", ['"We are ahead of schedule', 'and under budget,"'], "Ortiz")])
    score = score_document(extraction(people(), [claim("c1", "ortiz", span(G2))]), gold)
    assert score.claims.matched == 1 and score.claims_with_speaker.matched == 1


def test_speaker_through_gold_coreference() -> None:
    # The gold speaker span is "Ortiz" in the second sentence; the prediction only knows the first mention.
    only_first = [actor("ortiz", "Lena Ortiz", "person", span("Mayor Lena Ortiz"))]
    claims = [claim("c1", "ortiz", span(G2))]
    plain = gold_doc(claims=[gold_claim("c0", G2, gspan("Ortiz", 1))])
    assert score_document(extraction(only_first, claims), plain).claims_with_speaker.matched == 0
    linked = gold_doc(
        claims=[gold_claim("c0", G2, gspan("Ortiz", 1), speaker_actor="a0")],
        actors=[
            {"id": "a0", "name": "Lena Ortiz", "type": "person", "mentions": [gspan("Mayor Lena Ortiz")]}
        ],
    )
    assert score_document(extraction(only_first, claims), linked).claims_with_speaker.matched == 1


def test_author_and_unattributed_claims() -> None:
    gold = gold_doc(claims=[gold_claim("c0", G4, None), gold_claim("c1", G3, "The Harbor Council")])
    claims = [claim("c1", None, span(G4)), claim("c2", None, span(G3), attribution="unattributed")]
    score = score_document(extraction(people(), claims), gold)
    assert score.claims.matched == 2
    assert score.claims_with_speaker.matched == 1  # only the claim the gold gives no speaker
    # An actor as speaker where the gold has none is wrong.
    wrong = score_document(extraction(people(), [claim("c1", "ortiz", span(G4))]), gold)
    assert wrong.claims_with_speaker.matched == 0


def test_speaker_by_name_when_gold_has_no_speaker_span() -> None:
    gold = gold_doc(
        claims=[gold_claim("c0", "ahead of schedule", None, speaker_name="Lena Ortiz")],
        layers={"claims": "partial: fragments", "actors": "absent", "stances": "absent"},
    )
    score = score_document(extraction(people(), [claim("c1", "ortiz", span(G2))]), gold)
    assert score.claims_with_speaker.matched == 1
    numbers = score.claims.as_dict()
    assert numbers["recall"] == 1.0 and numbers["precision"] is None and numbers["f1"] is None
    assert score.alignment.spurious_claims == ()  # partial gold: unmatched predictions are not wrong


def test_ungrounded_content_counts_but_never_matches() -> None:
    lost = claim("c1", "ortiz", Span(text=G1, alignment="ungrounded"))
    score = score_document(extraction(people(), [lost]), gold_doc(claims=[gold_claim("c0", G1, "Ortiz")]))
    assert (score.claims.matched, score.claims.n_pred) == (0, 1)


GUM_LAYERS = {"claims": "derived: rst", "actors": "exhaustive: named", "stances": "absent"}


def gum_actors() -> list[dict[str, object]]:
    def gold_actor(ident: str, name: str, kind: str, named: bool, *needles: str) -> dict[str, object]:
        mentions = [gspan(needle) for needle in needles]
        return {"id": ident, "name": name, "type": kind, "named": named, "mentions": mentions}

    return [
        gold_actor("a0", "Lena Ortiz", "person", True, "Mayor Lena Ortiz", "Ortiz"),
        gold_actor("a1", "Harbor Council", "organization", True, "The Harbor Council"),
        gold_actor("a2", "Millbrook", "place", True, "Millbrook"),
        gold_actor("a3", "Brightline Surveys", "organization", True, "Brightline Surveys"),
        gold_actor("a4", "engineers", "person", False, "engineers at Brightline Surveys"),
    ]


def test_named_actor_f1_with_kind_families() -> None:
    predicted = [
        actor("ortiz", "Lena Ortiz", "person", span("Lena Ortiz")),
        actor("council", "Harbor Council", "government", span("Harbor Council")),
        actor("millbrook", "Millbrook", "country", span("Millbrook")),
        # Wrong family for the company, but it sits on the unnamed "engineers" person: left out of precision.
        actor("brightline", "Brightline Surveys", "person", span("Brightline Surveys")),
        actor("reporters", "reporters", "group", span("reporters")),  # nothing in the gold
    ]
    score = score_document(
        extraction(predicted), gold_doc(actors=gum_actors(), layers=GUM_LAYERS, source="gum")
    )
    numbers = score.actors.as_dict()
    assert (numbers["n_matched"], numbers["n_gold"], numbers["n_pred"]) == (3, 4, 4)
    assert numbers["precision"] == pytest.approx(0.75) and numbers["f1"] == pytest.approx(0.75)
    assert score.alignment.missed_actors == ("a3",)
    assert score.alignment.spurious_actors == ("reporters",)


def test_partial_actor_gold_is_matched_by_name() -> None:
    gold = gold_doc(
        actors=[
            {"id": "a0", "name": "Lena Ortiz"},
            {"id": "a1", "name": "Harbor Council"},
            {"id": "a2", "name": "Tom Vance"},
        ],
        layers={"claims": "absent", "actors": "partial: names only", "stances": "absent"},
    )
    numbers = score_document(extraction(people()), gold).actors.as_dict()
    assert numbers["recall"] == pytest.approx(2 / 3) and numbers["precision"] is None


def test_stances_on_gold_items_only() -> None:
    residents = actor("residents", "Residents of Millbrook", "group", span("Residents of Millbrook"))
    complaint = claim("c1", "residents", span("they were tired of the detour"))
    positions = [
        PolicyPosition(
            id="p1",
            topic_id="t1",
            actor_id="council",
            topic="Mayor Ortiz's bridge timeline",
            stance="oppose",
            evidence=[span("The Harbor Council disputed the timeline")],
        ),
        PolicyPosition(
            id="p2",
            topic_id="t2",
            actor_id="ortiz",
            topic="bridge schedule",
            stance="support",
            evidence=[span("ahead of schedule")],
        ),
        PolicyPosition(
            id="p3",
            topic_id="t3",
            actor_id="residents",
            topic="Ortiz detour plan",
            stance="oppose",
            claim_ids=["c1"],
        ),
    ]
    stances = [
        {
            "holder": "Harbor Council",
            "target": "Lena Ortiz",
            "stance": "oppose",
            "scope": "span",
            "evidence": gspan("disputed the timeline"),
        },
        {
            "holder": "author (City Gazette)",
            "target": "Lena Ortiz",
            "stance": "support",
            "scope": "span",
            "evidence": gspan("ahead of schedule"),
        },
        {
            "holder": "other anti",
            "target": "Lena Ortiz",
            "stance": "oppose",
            "scope": "span",
            "evidence": gspan("tired of the detour"),
        },
        {
            "holder": "author (City Gazette)",
            "target": "Lena Ortiz",
            "stance": "neutral",
            "scope": "article",
            "evidence": None,
        },
    ]
    gold = gold_doc(
        stances=stances, layers={"claims": "absent", "actors": "absent", "stances": "partial: bias"}
    )
    result = extraction([*people(), residents], [complaint], positions)
    score = score_document(result, gold)
    numbers = score.stances.as_dict()
    assert numbers["n_gold"] == 3  # the article-level item has no evidence to align and is skipped
    assert numbers["recall"] == pytest.approx(2 / 3)
    assert numbers["aligned"] == 1.0
    assert numbers["holder"] == pytest.approx(2 / 3)
    assert numbers["target"] == pytest.approx(2 / 3)
    assert numbers["polarity"] == 1.0
    assert [v.position_id for v in score.alignment.stances] == ["p1", "p2", "p3"]
    assert score.claims is None and score.actors is None


def test_quote_faithfulness() -> None:
    exact = claim("c1", "ortiz", span(G2), quote=span(G2))
    shifted = claim("c2", "ortiz", span(G1), quote=Span(start=0, end=5, text="Lena "))
    lost = claim("c3", "ortiz", span(G3), quote=Span(text="not there", alignment="ungrounded"))
    score = score_document(extraction(people(), [exact, shifted, lost]), gold_doc())
    assert (score.n_exact_quotes, score.n_quotes) == (1, 3)


def test_layer_policy_reads_the_status_word() -> None:
    gold = {
        "gold_layers": {
            "claims": "exhaustive: every attribution",
            "actors": "derived: speakers",
            "quotes": "absent",
        }
    }
    assert layer_mode(gold, "claims") == "full"
    assert layer_mode(gold, "actors") is None
    assert layer_mode(gold, "stances") is None
    assert layer_mode({"gold_layers": {"claims": "derived: rst"}}, "claims") == "recall"
    assert layer_mode({"gold_layers": {"stances": "partial: bias"}}, "stances") == "recall"
    # Statuses without a colon right after the word, as the GUM lines have them.
    assert layer_mode({"gold_layers": {"actors": "exhaustive for named persons (type)"}}, "actors") == "full"
    assert layer_mode({"gold_layers": {"claims": "derived from gold RST relations: x"}}, "claims") == "recall"
    assert layer_mode({"gold_layers": {"quotes": "absent (see claims)"}}, "quotes") is None


def test_summary_overall_uses_exhaustive_documents_for_precision() -> None:
    polnear = score_document(
        extraction(
            people(),
            [claim("c1", "ortiz", span(G1)), claim("c2", "council", span(G2)), claim("c3", None, span(G4))],
        ),
        gold_doc(claims=four_gold_claims()),
    )
    gum = score_document(
        extraction(people(), [claim("c1", "ortiz", span(G1))], article_id="doc-2"),
        gold_doc(claims=four_gold_claims()[:2], layers=GUM_LAYERS, source="gum", ident="doc-2"),
    )
    summary = summarize([polnear, gum])
    overall = summary["overall"]["claims"]
    assert overall["precision"] == pytest.approx(1.0) and overall["recall"] == pytest.approx(3 / 4)
    assert overall["n_gold"] == 4 and overall["n_pred"] == 3
    assert summary["by_source"]["gum"]["claims"] == {
        "precision": None,
        "recall": 0.5,
        "f1": None,
        "n_gold": 2,
        "n_pred": None,
        "n_matched": 1,
    }
    assert summary["by_source"]["polnear"]["actors"] is None
    assert summary["overall"]["n_docs"] == 2
    assert summary["overall"]["quote_faithfulness"] is None


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Lena Ortiz", "Mayor Lena Ortiz", True),
        ("Ortiz", "Lena Ortiz", True),
        ("Ortiz's", "Ortiz", True),
        ("Sen. Ted Cruz", "Ted Cruz", True),
        ("Barack Obama", "Obama administration", False),
        ("other anti", "Lena Ortiz", False),
        ("the", "the", False),
    ],
)
def test_names_match(a: str, b: str, same: bool) -> None:
    assert names_match(a, b) is same


def test_kind_families() -> None:
    assert kind_families("government") >= {"organization", "place"}
    assert "place" in kind_families("country")
    assert "person" in kind_families("group")
    assert kind_families("person").isdisjoint(kind_families("organization"))
