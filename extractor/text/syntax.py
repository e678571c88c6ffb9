"""Attribution read off the dependency parse: a reporting verb, its subject and its complement.

Reads the parse of :mod:`.nlp` (lemmas, part-of-speech tags, dependency labels); writes
:class:`Attribution` records with article offsets. A reporting construction is a verb whose lemma
reports speech, belief or a stance, with what it reports as a clausal complement (``said that ...``,
``urged Obama to retaliate``), as a clause before it (``"...," said X``), or, for stance verbs, as its
object (``endorses Trump``); ``according to X`` reports the clause it modifies. The subject comes from
the verb (``nsubj``), from the agent of a passive (``was announced by X``), or, for a coordinated or
participle verb (``and said``, ``, saying``), from the verb it hangs on.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, replace

from extractor.text.lexicon import OBJECT_STANCE_LEMMAS, REPORTING_LEMMAS
from extractor.text.tokens import TokenTable, char_tokens, token_table

__all__ = ["Attribution", "AttributionReader", "attributions"]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from spacy.tokens import Doc

# A passive subject is what is reported on ("he is expected to win"), not who reports: passives take
# their speaker from the agent ("was announced by the ministry").
_SUBJECTS = frozenset({"nsubj", "csubj"})
_COMPLEMENTS = ("ccomp", "xcomp")
_INHERITS_SUBJECT = frozenset({"conj", "advcl", "xcomp", "pcomp", "acl"})
_MIN_CONTENT_TOKENS = 3
# Words that count the subject rather than name it ("several experts" are the experts).
_QUANTIFIERS = frozenset({"several", "many", "some", "other", "few", "most", "numerous", "various"})
_TOPIC_PREPOSITIONS = frozenset({"about", "on", "of", "over", "against"})
# Verbs whose object's "of"/"for" phrase is the charge or the merit ("accused him of lying").
_CHARGE_LEMMAS = frozenset(
    "accuse blame criticize criticise praise thank fault credit condemn applaud commend attack".split()
)
_NAME_STANCE_LEMMAS = frozenset(
    "support endorse oppose back reject condemn praise criticize criticise".split()
)


@dataclass(frozen=True)
class Attribution:
    """A reporting construction in one sentence, as article offsets.

    Attributes:
        cue: The reporting verb (with its particle: ``called on``), or ``according to``.
        lemma: The cue's lemma.
        content: What is reported: the complement clause, or the object of a stance verb.
        subject: The whole subject phrase, when the parse names one.
        subject_head: The subject's head word (a name's last word, a pronoun, "experts").
        subject_pronoun: Whether the subject head is a personal or relative pronoun.
        subject_name: The subject as an actor name: its entity, else its noun phrase without determiners.
        subject_label: The entity label of the subject head ("" when it is in no entity).
        subject_plural: Whether the subject head is a plural noun.
        relative: The relative pronoun that stands for the subject in the clause (``who`` of ``experts
            who said``): the place the text names the speaker at the cue.
    """

    cue: tuple[int, int]
    lemma: str
    content: tuple[int, int]
    subject: tuple[int, int] | None
    subject_head: tuple[int, int] | None
    subject_pronoun: bool
    subject_name: tuple[int, int] | None = None
    subject_label: str = ""
    subject_plural: bool = False
    relative: tuple[int, int] | None = None


def attributions(doc: Doc, start: int, end: int) -> list[Attribution]:
    """Reporting constructions whose cue lies in ``[start, end)`` of the article, in text order."""
    return AttributionReader(doc).within(start, end)


class AttributionReader:
    """The reporting constructions of one parse, each cue word read once however often it is asked for.

    A sentence is asked for once for its own claims and once more per quotation in it. The parse is read
    through its :class:`~extractor.text.tokens.TokenTable` by token index: a ``Token`` object per step of
    every subtree walk cost more than all the rest of the reading.
    """

    def __init__(self, doc: Doc) -> None:
        self._doc = doc
        self._table = table = token_table(doc)
        lower, count = table.lower, len(table.lower)
        # Token indexes of possible cues, in text order: "according to" and reporting verbs.
        self._cues = [
            i
            for i in range(count)
            if (lower[i] == "according" and i + 1 < count and lower[i + 1] == "to")
            or (table.pos[i] == "VERB" and table.lemma[i] in REPORTING_LEMMAS)
        ]
        self._read: dict[int, Attribution | None] = {}
        # A sentence is asked for again for each of its quotations.
        self._windows: dict[tuple[int, int], list[Attribution]] = {}

    def within(self, start: int, end: int) -> list[Attribution]:
        """Reporting constructions whose cue lies in ``[start, end)`` of the article, in text order.

        The list is shared between callers asking for the same window: read it, do not change it.
        """
        key = (start, end)
        found = self._windows.get(key)
        if found is None:
            found = self._windows[key] = self._find(start, end)
        return found

    def _find(self, start: int, end: int) -> list[Attribution]:
        tokens = char_tokens(self._doc, start, end)
        if tokens is None:
            return []
        found = []
        for i in self._cues[bisect_left(self._cues, tokens[0]) : bisect_left(self._cues, tokens[1])]:
            if i not in self._read:
                self._read[i] = _read(self._table, i)
            item = self._read[i]
            if item is not None:
                found.append(item)
        return sorted(found, key=lambda item: item.cue[0])


def _read(table: TokenTable, token: int) -> Attribution | None:
    if table.lower[token] == "according" and token + 1 < len(table.lower) and table.lower[token + 1] == "to":
        return _according_to(table, token)
    return _reporting_verb(table, token)


def _span(table: TokenTable, tokens: list[int]) -> tuple[int, int]:
    return table.idx[min(tokens)], table.end[max(tokens)]


def _lefts(table: TokenTable, token: int) -> list[int]:
    return [child for child in table.children(token) if child < token]


def _rights(table: TokenTable, token: int) -> list[int]:
    return [child for child in table.children(token) if child > token]


def _walk(table: TokenTable, token: int, into: list[int], skip: int = -1) -> None:
    """Append ``token``'s subtree to ``into`` in ``Token.subtree``'s order: left children's, it, right's.

    The subtree of ``skip``, a token below ``token``, is left out.
    """
    starts = table.head_starts
    placed = False
    # Children come in text order: the left ones, then the right ones.
    for child in table.by_head[starts[token] : starts[token + 1]]:
        if not placed and child > token:
            into.append(token)
            placed = True
        if child == skip:
            continue
        if starts[child] == starts[child + 1]:
            into.append(child)  # a word with no dependents (most words): no call for it
        else:
            _walk(table, child, into, skip)
    if not placed:
        into.append(token)


def _subtree(table: TokenTable, token: int, leave_out: int = -1) -> list[int]:
    """``token``'s subtree without the subtree of ``leave_out`` (a token below it), trimmed."""
    tokens: list[int] = []
    _walk(table, token, tokens, leave_out)
    return _trimmed(table, tokens)


def _trimmed(table: TokenTable, tokens: list[int]) -> list[int]:
    """Without the punctuation, "that" or "to" that open a complement, or the punctuation that closes it."""
    punct, lower, dep = table.punct, table.lower, table.dep
    first, last = 0, len(tokens)
    while first < last and (
        punct[tokens[first]] or lower[tokens[first]] in ("that", "to") or dep[tokens[first]] == "mark"
    ):
        first += 1
    while first < last and punct[tokens[last - 1]] and lower[tokens[last - 1]] not in (")", "]"):
        last -= 1
    return tokens[first:last]


def _under(table: TokenTable, token: int) -> set[int]:
    """``token`` and every token that hangs below it (``Token.subtree``, as a set)."""
    tokens: list[int] = []
    _walk(table, token, tokens)
    return set(tokens)


def _contiguous(tokens: list[int], verb: int) -> list[int]:
    """The run of ``tokens`` on one side of the verb (a complement does not jump over its verb)."""
    before = [t for t in tokens if t < verb]
    if not before:
        # The usual case, a complement after its verb: the run is all of it.
        return tokens if verb not in tokens else [t for t in tokens if t != verb]
    after = [t for t in tokens if t > verb]
    return after if len(after) >= len(before) else before


def _subject_of(table: TokenTable, verb: int) -> int | None:
    dep, head, children = table.dep, table.head, table.children(verb)
    for child in children:
        if dep[child] in _SUBJECTS:
            # "experts who said": the relative pronoun stands for the noun the clause describes.
            return head[verb] if table.tag[child] in ("WP", "WDT") and dep[verb] == "relcl" else child
    for child in children:
        if dep[child] == "agent":
            objects = [grand for grand in table.children(child) if dep[grand] == "pobj"]
            if objects:
                return objects[0]
    if any(dep[child] in ("nsubjpass", "auxpass") for child in children):
        return None
    if dep[verb] in _INHERITS_SUBJECT and head[verb] != verb:
        return _subject_of(table, head[verb])
    if dep[verb] == "relcl":
        return head[verb]  # "experts who said": the noun the clause describes
    return None


def _reporting_verb(table: TokenTable, verb: int) -> Attribution | None:
    dep, lower, children, lemma = table.dep, table.lower, table.children(verb), table.lemma[verb]
    complement = None
    for child in children:
        if dep[child] in _COMPLEMENTS:
            complement = child
            break
    content_tokens: list[int]
    if complement is None and dep[verb] in ("ccomp", "parataxis") and table.head[verb] < verb:
        # '"We will win," she said': the parser hangs the reporting verb on the reported clause.
        content_tokens = _subtree(table, table.head[verb], leave_out=verb)
    elif complement is not None:
        content_tokens = _contiguous(
            _without_side_reports(table, _subtree(table, complement), complement), verb
        )
    elif lemma in _CHARGE_LEMMAS and (charge := _charge(table, verb)) is not None:
        # "accusing the billionaire of enlisting ...", "blamed Congress for the delay": the charge.
        content_tokens = [t for t in _subtree(table, charge) if t != charge]
    elif lemma in OBJECT_STANCE_LEMMAS:
        # The object, else a phrase after the verb ("called for a ban"), never an opening adverbial.
        obj = next((c for c in children if dep[c] == "dobj"), None)
        if obj is None:
            obj = next((c for c in _rights(table, verb) if dep[c] == "prep"), None)
        content_tokens = _subtree(table, obj) if obj is not None else []
    else:
        # "spoke about the need for reform", "complained of delays": what is talked about.
        topic = next((c for c in children if dep[c] == "prep" and lower[c] in _TOPIC_PREPOSITIONS), None)
        if topic is None:
            return None
        content_tokens = [t for t in _subtree(table, topic) if t != topic]
    words = len(content_tokens) - sum(map(table.punct.__getitem__, content_tokens))
    # "Cruz has endorsed Trump": a stance toward a name is whole in one word.
    named_object = lemma in _NAME_STANCE_LEMMAS and any(table.pos[t] == "PROPN" for t in content_tokens)
    if words < _MIN_CONTENT_TOKENS and not named_object:
        return None
    subject = _subject_of(table, verb)
    cue_tokens = [verb] + [c for c in children if dep[c] == "prt"]
    found = _attribution(table, cue_tokens, lemma, content_tokens, subject)
    if dep[verb] == "relcl":
        relative = next((c for c in children if dep[c] in _SUBJECTS and table.tag[c] in ("WP", "WDT")), None)
        if relative is not None:
            return replace(found, relative=(table.idx[relative], table.end[relative]))
    return found


def _without_side_reports(table: TokenTable, tokens: list[int], complement: int) -> list[int]:
    """The complement without a report of someone else hung on it ("..., though she noted that ...").

    The parser attaches such a clause to the complement's verb as an adverbial or a conjunct; a
    reporting verb there with a subject of its own is a separate claim, not part of this one.
    """
    dep = table.dep
    side = [
        t
        for t in tokens
        if t != complement
        and dep[t] in ("advcl", "conj")
        and table.pos[t] == "VERB"
        and table.lemma[t] in REPORTING_LEMMAS
        and any(dep[child] in _SUBJECTS for child in table.children(t))
    ]
    if not side:
        return tokens
    reported = set().union(*(_under(table, report) for report in side))
    return _trimmed(table, [t for t in tokens if t not in reported])


def _charge(table: TokenTable, verb: int) -> int | None:
    """The ``of``/``for`` phrase on a verb's object that says what the object is accused or praised of."""
    dep, lower = table.dep, table.lower
    objects = [child for child in table.children(verb) if dep[child] == "dobj"]
    for obj in objects:
        for child in table.children(obj):
            if dep[child] == "prep" and lower[child] in ("of", "for"):
                return child
    if objects:
        # "criticized Obama for not acting": the parser may hang the phrase on the verb.
        return next(
            (
                c
                for c in _rights(table, verb)
                if dep[c] == "prep" and lower[c] in ("of", "for") and c > objects[0]
            ),
            None,
        )
    return None


def _according_to(table: TokenTable, according: int) -> Attribution | None:
    dep, head = table.dep, table.head
    to = according + 1
    source = next((c for c in table.children(to) if dep[c] == "pobj"), None)
    if source is None:
        source = next((c for c in table.children(according) if dep[c] == "pobj"), None)
    clause = head[according]
    while dep[clause] not in ("ROOT", "ccomp", "conj") and head[clause] != clause:
        clause = head[clause]
    phrase = according if head[according] != according else to
    left_out = _under(table, phrase)
    content_tokens = [t for t in _subtree(table, clause) if t not in left_out and t not in (according, to)]
    content_tokens = _trimmed(table, _contiguous(content_tokens, according))
    if source is None or len(content_tokens) < _MIN_CONTENT_TOKENS:
        return None
    return _attribution(table, [according, to], "according to", content_tokens, source)


def _attribution(
    table: TokenTable, cue_tokens: list[int], lemma: str, content_tokens: list[int], subject: int | None
) -> Attribution:
    if subject is None:
        return Attribution(
            cue=_span(table, cue_tokens),
            lemma=lemma,
            content=_span(table, content_tokens),
            subject=None,
            subject_head=None,
            subject_pronoun=False,
        )
    subject_tokens = _subtree(table, subject)
    tag = table.tag[subject]
    return Attribution(
        cue=_span(table, cue_tokens),
        lemma=lemma,
        content=_span(table, content_tokens),
        subject=_span(table, subject_tokens) if subject_tokens else None,
        subject_head=(table.idx[subject], table.end[subject]),
        subject_pronoun=tag in ("PRP", "WP"),
        subject_name=_name_of(table, subject),
        subject_label=table.ent_type[subject],
        subject_plural=tag in ("NNS", "NNPS"),
    )


def _name_of(table: TokenTable, head: int) -> tuple[int, int] | None:
    """The words naming the subject: its entity, else its compounds and modifiers without determiners."""
    lower = table.lower
    if table.ent_type[head]:
        # The entity's tokens, walked from the head (cheaper than listing the document's entities).
        inside, first, last = table.ent_inside, head, head
        while inside[first] and first > 0:
            first -= 1
        while last + 1 < len(inside) and inside[last + 1]:
            last += 1
        words = [
            t for t in range(first, last + 1) if lower[t] not in ("the", "a", "an") and not table.punct[t]
        ]
        return _span(table, words) if words else None
    if table.pos[head] not in ("NOUN", "PROPN"):
        return None
    words = [
        t
        for t in _lefts(table, head)
        if table.dep[t] in ("compound", "amod", "nummod", "nmod", "quantmod") and lower[t] not in _QUANTIFIERS
    ]
    words = [t for t in words if t >= head - 4] + [head]
    return _span(table, words)
