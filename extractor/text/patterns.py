r"""Regular expressions for whole words that ``re`` can scan for quickly.

Python's ``re`` skips ahead to the places where a match can begin only when the pattern opens with a
character class or a literal (its "charset prefix"). A pattern that opens with ``\b``, a lookbehind, a
case-insensitive alternation or a repeated group is tried at every position of the text: on the
benchmark articles that made the analysis's word searches 1.5-8x slower than they need to be.

:func:`whole_words` writes ``\b(?:said|warned)\b`` (case-insensitive) as a pattern that opens with the
class of the words' first letters, checks the word boundary behind that letter with a lookbehind, and
only then tries the rest of each word: it matches exactly the same spans.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["whole_words"]

# Characters other than the ASCII pair that re's case-insensitive matching (simple case folding) equates
# with a lowercase ASCII letter: "İ" and "ı" match "i", "K" (the Kelvin sign) "k", "ſ" (long s) "s".
_FOLDS_TO = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}


def whole_words(words: Iterable[str], *, ignore_case: bool = True, literal: bool = True) -> str:
    r"""The pattern of ``\b(?:w1|w2|...)\b`` with a leading character class.

    Args:
        words: The words, each starting and ending with a word character. The end boundary is ``\b``,
            so a shorter word cannot match where a longer one does (a word followed by a word
            character fails ``\b``): the alternatives' order does not matter.
        ignore_case: Whether ``Said`` and ``SAID`` count as ``said`` (as ``re.IGNORECASE`` would).
        literal: Whether the words are plain text. Otherwise each word is a pattern after its first
            character, which is a plain one (``oppos\w*``, ``call\w* for``); the alternatives' order is
            not kept, so no two of them may match different spans at one place.

    Returns:
        A pattern string; compile it without ``re.IGNORECASE`` (case is handled inside it).
    """
    by_first: dict[str, list[str]] = {}
    for word in sorted(set(words)):
        if not word or not (word[0].isalnum() or word[0] == "_"):
            raise ValueError(f"a whole word must start with a word character: {word!r}")
        first = word[0].lower() if ignore_case else word[0]
        rest = word[1:] if not literal else _escape(word[1:].lower() if ignore_case else word[1:])
        by_first.setdefault(first, []).append(rest)
    if not by_first:
        raise ValueError("whole_words needs at least one word")
    firsts = "".join(_forms(first, ignore_case) for first in sorted(by_first))
    branches = "|".join(
        # The lookbehind re-reads the letter just matched, so each word keeps its own first letter.
        f"(?<={_escape(first)})(?:{'|'.join(rests)})"
        for first, rests in sorted(by_first.items())
    )
    body = f"(?i:{branches})" if ignore_case else f"(?:{branches})"
    # (?<!\w[...]): the character before the first letter is not a word character, i.e. \b before it.
    return rf"[{firsts}](?<!\w[{firsts}]){body}\b"


def _forms(letter: str, ignore_case: bool) -> str:
    if not ignore_case:
        return _escape(letter)
    forms = {letter, letter.upper(), letter.lower()} | set(_FOLDS_TO.get(letter, ""))
    return "".join(_escape(form) for form in sorted(forms))


def _escape(text: str) -> str:
    # Inside and outside a class alike: word characters need no escape, anything else gets one.
    return "".join(ch if ch.isalnum() or ch == "_" else "\\" + ch for ch in text)
