"""The stance vocabulary of the positions stage, in one place, by the job each list does.

Five readers use stance words, each with a different burden of proof:

============================  =====================================================================
list                          read by
============================  =====================================================================
``SUPPORT_LEMMAS`` /          :mod:`.explicit`: the holder is the verb's subject and the topic its
``OPPOSE_LEMMAS``             object ("Lee condemned the raid"); the stance is recorded with no question.
``SUPPORT_VERBS`` /           :mod:`.polarity`: words on the parse path from the topic up to the holder,
``OPPOSE_VERBS``, phrasal     where a wider net is safe because the model still decides whether there is
verbs and nouns               a view; the path only gives its direction ("vowed to end the ban", "must be
                              struck down").
``*_PREDICATES``              :mod:`.polarity` too: an adjective judging the topic as the subject of
                              ``be`` ("argued the mandate was unconstitutional").
``OWNED_HEADS``               :mod:`.polarity`: a topic of this head possessed by the holder is the
                              holder's own policy ("Trump's tariffs"); :mod:`.holders`: its possessor
                              acts in the sentence.
``PEJORATIVE_*``              :mod:`.polarity`: the speaker's own words for the topic ("their impeachment
                              obsession"), the speaker's view whoever the clause's subject is.
``STANCE_VERBS``              :mod:`.candidates`: a noun phrase governed by one of these is a topic
                              candidate ("threatened strikes", "attacked the plan").
============================  =====================================================================

The path lists contain the explicit ones. ``STANCE_VERBS`` names what people act for or against,
whichever side, so it also holds verbs that name no side by themselves ("attack" a plan or a country).
"""

from __future__ import annotations

__all__ = [
    "FOR_HEADS",
    "OPPOSE_LEMMAS",
    "OPPOSE_NOUNS",
    "OPPOSE_PHRASAL",
    "OPPOSE_PREDICATES",
    "OPPOSE_VERBS",
    "OWNED_HEADS",
    "PEJORATIVE_HEADS",
    "PEJORATIVE_MODIFIERS",
    "STANCE_VERBS",
    "SUPPORT_LEMMAS",
    "SUPPORT_NOUNS",
    "SUPPORT_PREDICATES",
    "SUPPORT_VERBS",
]

SUPPORT_LEMMAS = frozenset(
    """support back endorse approve defend propose champion favor favour welcome praise advocate
    promote pass sign introduce""".split()
)
"""Verbs whose subject supports their object, read as a stance outright."""

OPPOSE_LEMMAS = frozenset(
    """oppose reject condemn denounce criticize criticise block repeal overturn fight resist veto slam
    scrap reverse dismantle end kill halt stop challenge decry""".split()
)
"""Verbs whose subject opposes their object, read as a stance outright."""

SUPPORT_VERBS = SUPPORT_LEMMAS | frozenset(
    """want seek urge push pursue threaten plan vow pledge promise demand embrace tout adopt
    implement enact order accept protect preserve uphold strengthen expand fund save""".split()
)
"""Verbs on a parse path that turn it toward support."""

OPPOSE_VERBS = OPPOSE_LEMMAS | frozenset(
    """object refuse abolish cancel withdraw abandon ban prohibit dispute doubt fret question
    undo rescind accuse blame abrogate undermine weaken gut curb limit cut""".split()
)
"""Verbs on a parse path that turn it toward opposition."""

OPPOSE_PHRASAL = frozenset(
    {
        ("strike", "down"),
        ("throw", "out"),
        ("roll", "back"),
        ("tear", "up"),
        ("shoot", "down"),
        ("water", "down"),
    }
)
"""Verbs with their particle that turn a path toward opposition ("the law must be struck down")."""

SUPPORT_NOUNS = frozenset("support backing endorsement approval proposal push call plan".split())
"""Nouns on a parse path that turn it toward support ("her support for the bill")."""

OPPOSE_NOUNS = frozenset(
    """opposition objection criticism skepticism scepticism resistance rejection condemnation veto
    repeal ban challenge""".split()
)
"""Nouns on a parse path that turn it toward opposition ("their opposition to the wall")."""

SUPPORT_PREDICATES = frozenset(
    """constitutional lawful legal necessary essential vital justified right legitimate appropriate
    effective good""".split()
)
"""Adjectives that approve of their subject ("the mandate is constitutional")."""

OPPOSE_PREDICATES = frozenset(
    """unconstitutional unlawful illegal unnecessary unjustified wrong illegitimate dangerous reckless
    harmful outrageous unacceptable disastrous bad""".split()
)
"""Adjectives that condemn their subject ("the mandate was unconstitutional")."""

FOR_HEADS = frozenset("vote call push press argue advocate lobby campaign".split())
"""Words whose "for" marks support of what follows ("voted for the measure")."""

OWNED_HEADS = frozenset(
    """agenda amendment bill budget declaration deal duty inquiry investigation mandate measure order
    plan policy probe program programme proposal reform resolution strategy tariff threat wall""".split()
)
"""Nouns whose possessor is their author ("Trump's tariffs", "the Democrats' inquiry"): the holder's own
policy, which it supports. Acts done to someone ("Trump's impeachment") are not among them."""

PEJORATIVE_HEADS = frozenset(
    "obsession hoax sham charade farce fiasco circus scam travesty vendetta boondoggle stunt hunt".split()
)
"""Nouns a speaker puts over the topic to disparage it ("their impeachment obsession", "a witch hunt")."""

PEJORATIVE_MODIFIERS = frozenset(
    """sham bogus phony reckless disastrous outrageous misguided ridiculous absurd shameful disgraceful
    unconstitutional""".split()
)
"""Adjectives a speaker puts on the topic to disparage it ("this sham impeachment")."""

STANCE_VERBS = frozenset(
    """accept advocate approve attack back ban block champion condemn criticise criticize defend
    demand denounce endorse fight oppose pass promote propose push reject repeal resist reverse
    scrap seek slam support threaten urge veto want welcome""".split()
)
"""Verbs whose object is something the subject takes a stance on (topic candidates)."""
