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
from extractor.text.tokens import token_table

__all__ = ["Attribution", "AttributionReader", "attributions"]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

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

    A sentence is asked for once for its own claims and once more per quotation in it.
    """

    def __init__(self, doc: Doc) -> None:
        self._doc = doc
        table = token_table(doc)
        lower, count = table.lower, len(table.lower)
        # Token indexes of possible cues, in text order: "according to" and reporting verbs.
        self._cues = [
            i
            for i in range(count)
            if (lower[i] == "according" and i + 1 < count and lower[i + 1] == "to")
            or (table.pos[i] == "VERB" and table.lemma[i] in REPORTING_LEMMAS)
        ]
        self._read: dict[int, Attribution | None] = {}

    def within(self, start: int, end: int) -> list[Attribution]:
        """Reporting constructions whose cue lies in ``[start, end)`` of the article, in text order."""
        window = self._doc.char_span(start, end, alignment_mode="expand")
        if window is None:
            return []
        found = []
        for i in self._cues[bisect_left(self._cues, window.start) : bisect_left(self._cues, window.end)]:
            if i not in self._read:
                self._read[i] = _read(self._doc[i])
            item = self._read[i]
            if item is not None:
                found.append(item)
        return sorted(found, key=lambda item: item.cue[0])


def _read(token: Token) -> Attribution | None:
    if token.lower_ == "according" and token.i + 1 < len(token.doc) and token.nbor().lower_ == "to":
        return _according_to(token)
    return _reporting_verb(token)


def _span(tokens: list[Token]) -> tuple[int, int]:
    first, last = min(tokens, key=lambda t: t.i), max(tokens, key=lambda t: t.i)
    return first.idx, last.idx + len(last.text)


def _subtree(token: Token, leave_out: Token | None = None) -> list[Token]:
    if leave_out is None:
        return _trimmed(list(token.subtree))
    heads = token_table(token.doc).head
    return _trimmed([t for t in token.subtree if not _within(heads, t.i, leave_out.i)])


def _trimmed(tokens: list[Token]) -> list[Token]:
    """Without the punctuation, "that" or "to" that open a complement, or the punctuation that closes it."""
    while tokens and (tokens[0].is_punct or tokens[0].lower_ in ("that", "to") or tokens[0].dep_ == "mark"):
        tokens = tokens[1:]
    while tokens and tokens[-1].is_punct and tokens[-1].text not in (")", "]"):
        tokens = tokens[:-1]
    return tokens


def _within(heads: list[int], token: int, ancestor: int) -> bool:
    """Whether token ``token`` is ``ancestor`` or hangs below it (``Token.ancestors``, on indexes)."""
    if token == ancestor:
        return True
    # A root is its own head; the step limit guards against a cycle as spaCy's own walk does.
    for _ in range(len(heads)):
        if heads[token] == token:
            return False
        token = heads[token]
        if token == ancestor:
            return True
    return False


def _contiguous(tokens: list[Token], verb: Token) -> list[Token]:
    """The run of ``tokens`` on one side of the verb (a complement does not jump over its verb)."""
    before = [t for t in tokens if t.i < verb.i]
    after = [t for t in tokens if t.i > verb.i]
    return after if len(after) >= len(before) else before


def _subject_of(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in _SUBJECTS:
            # "experts who said": the relative pronoun stands for the noun the clause describes.
            return verb.head if child.tag_ in ("WP", "WDT") and verb.dep_ == "relcl" else child
    for child in verb.children:
        if child.dep_ == "agent":
            objects = [grand for grand in child.children if grand.dep_ == "pobj"]
            if objects:
                return objects[0]
    if any(child.dep_ in ("nsubjpass", "auxpass") for child in verb.children):
        return None
    if verb.dep_ in _INHERITS_SUBJECT and verb.head != verb:
        return _subject_of(verb.head)
    if verb.dep_ == "relcl":
        return verb.head  # "experts who said": the noun the clause describes
    return None


def _reporting_verb(verb: Token) -> Attribution | None:
    complement = next((c for c in verb.children if c.dep_ in _COMPLEMENTS), None)
    if complement is None and verb.dep_ in ("ccomp", "parataxis") and verb.head.i < verb.i:
        # '"We will win," she said': the parser hangs the reporting verb on the reported clause.
        content_tokens = _subtree(verb.head, leave_out=verb)
    elif complement is not None:
        content_tokens = _contiguous(_without_side_reports(_subtree(complement), complement), verb)
    elif verb.lemma_.lower() in _CHARGE_LEMMAS and (charge := _charge(verb)) is not None:
        # "accusing the billionaire of enlisting ...", "blamed Congress for the delay": the charge.
        content_tokens = [t for t in _subtree(charge) if t is not charge]
    elif verb.lemma_.lower() in OBJECT_STANCE_LEMMAS:
        # The object, else a phrase after the verb ("called for a ban"), never an opening adverbial.
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None) or next(
            (c for c in verb.rights if c.dep_ == "prep"), None
        )
        content_tokens = _subtree(obj) if obj is not None else []
    else:
        # "spoke about the need for reform", "complained of delays": what is talked about.
        topic = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ in _TOPIC_PREPOSITIONS), None)
        if topic is None:
            return None
        content_tokens = [t for t in _subtree(topic) if t is not topic]
    words = len([t for t in content_tokens if not t.is_punct])
    # "Cruz has endorsed Trump": a stance toward a name is whole in one word.
    named_object = verb.lemma_.lower() in _NAME_STANCE_LEMMAS and any(
        t.pos_ == "PROPN" for t in content_tokens
    )
    if words < _MIN_CONTENT_TOKENS and not named_object:
        return None
    subject = _subject_of(verb)
    cue_tokens = [verb] + [c for c in verb.children if c.dep_ == "prt"]
    found = _attribution(cue_tokens, verb.lemma_.lower(), content_tokens, subject)
    if verb.dep_ == "relcl":
        relative = next((c for c in verb.children if c.dep_ in _SUBJECTS and c.tag_ in ("WP", "WDT")), None)
        if relative is not None:
            return replace(found, relative=_span([relative]))
    return found


def _without_side_reports(tokens: list[Token], complement: Token) -> list[Token]:
    """The complement without a report of someone else hung on it ("..., though she noted that ...").

    The parser attaches such a clause to the complement's verb as an adverbial or a conjunct; a
    reporting verb there with a subject of its own is a separate claim, not part of this one.
    """
    side = [
        t
        for t in tokens
        if t is not complement
        and t.dep_ in ("advcl", "conj")
        and t.pos_ == "VERB"
        and t.lemma_.lower() in REPORTING_LEMMAS
        and any(child.dep_ in _SUBJECTS for child in t.children)
    ]
    if not side:
        return tokens
    heads = token_table(complement.doc).head
    return _trimmed([t for t in tokens if not any(_within(heads, t.i, report.i) for report in side)])


def _charge(verb: Token) -> Token | None:
    """The ``of``/``for`` phrase on a verb's object that says what the object is accused or praised of."""
    objects = [child for child in verb.children if child.dep_ == "dobj"]
    for obj in objects:
        for child in obj.children:
            if child.dep_ == "prep" and child.lower_ in ("of", "for"):
                return child
    if objects:
        # "criticized Obama for not acting": the parser may hang the phrase on the verb.
        return next(
            (c for c in verb.rights if c.dep_ == "prep" and c.lower_ in ("of", "for") and c.i > objects[0].i),
            None,
        )
    return None


def _according_to(according: Token) -> Attribution | None:
    to = according.nbor()
    source = next((c for c in to.children if c.dep_ == "pobj"), None)
    if source is None:
        source = next((c for c in according.children if c.dep_ == "pobj"), None)
    clause = according.head
    while clause.dep_ not in ("ROOT", "ccomp", "conj") and clause.head != clause:
        clause = clause.head
    phrase = according if according.head != according else to
    heads = token_table(according.doc).head
    content_tokens = [
        t for t in _subtree(clause) if not _within(heads, t.i, phrase.i) and t not in (according, to)
    ]
    content_tokens = _trimmed(_contiguous(content_tokens, according))
    if source is None or len(content_tokens) < _MIN_CONTENT_TOKENS:
        return None
    return _attribution([according, to], "according to", content_tokens, source)


def _attribution(
    cue_tokens: list[Token], lemma: str, content_tokens: list[Token], subject: Token | None
) -> Attribution:
    subject_tokens = _subtree(subject) if subject is not None else []
    subject_span = _span(subject_tokens) if subject_tokens else None
    return Attribution(
        cue=_span(cue_tokens),
        lemma=lemma,
        content=_span(content_tokens),
        subject=subject_span,
        subject_head=_span([subject]) if subject is not None else None,
        subject_pronoun=subject is not None and subject.tag_ in ("PRP", "WP"),
        subject_name=_name_of(subject) if subject is not None else None,
        subject_label=subject.ent_type_ if subject is not None else "",
        subject_plural=subject is not None and subject.tag_ in ("NNS", "NNPS"),
    )


def _name_of(head: Token) -> tuple[int, int] | None:
    """The words naming the subject: its entity, else its compounds and modifiers without determiners."""
    if head.ent_type_:
        # The entity's tokens, walked from the head (cheaper than listing the document's entities).
        doc, first, last = head.doc, head.i, head.i
        while doc[first].ent_iob_ == "I" and first > 0:
            first -= 1
        while last + 1 < len(doc) and doc[last + 1].ent_iob_ == "I":
            last += 1
        words = [t for t in doc[first : last + 1] if t.lower_ not in ("the", "a", "an") and not t.is_punct]
        return _span(words) if words else None
    if head.pos_ not in ("NOUN", "PROPN"):
        return None
    words = [
        t
        for t in head.lefts
        if t.dep_ in ("compound", "amod", "nummod", "nmod", "quantmod") and t.lower_ not in _QUANTIFIERS
    ]
    words = [t for t in words if t.i >= head.i - 4] + [head]
    return _span(words)
