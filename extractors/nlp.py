"""underthesea's sentence splitter, word segmenter and part-of-speech tagger: the one place the
extractors reach it, each piece loaded on first use.

- Sentences: underthesea's `__init__` loads every pipeline it has (joblib, numpy, the CRF models)
  in a third of a second, while its sentence splitter is one module that reads one JSON file. That
  module is loaded alone from underthesea's installed files, so that a small plan does not pay for
  the rest; a release that moves it sends callers through `underthesea.sent_tokenize`. Its splitter walks the
  text one character at a time in Python; the same walk stepping from one sentence end to the next is used
  in its place once it agrees with underthesea's on a few probes.
- Words: underthesea's own `word_tokenize`, with its model put in place first (the module variable
  that function fills on its first call), read through the C unpickler rather than joblib's Python one.
- POS tags: underthesea's `pos_tag` builds each word's 22 template features in Python, re-splitting
  the whole sentence for every word and template (quadratic in the sentence): for the long prose
  items of a plan that was a seventh of all extraction time. The features below are the same
  strings, made in one pass, and go to the same model; a test holds them equal to underthesea's own.
"""
from __future__ import annotations

import functools
import importlib.util
import pickle
import re
import sys
from pathlib import Path
from typing import Callable


def _sentence_module_alone():
    """underthesea's sentence-splitting module, run from its file without its package's `__init__`."""
    package = importlib.util.find_spec("underthesea")  # finds the package without running it
    path = Path(package.submodule_search_locations[0], "pipeline", "sent_tokenize", "__init__.py")
    spec = importlib.util.spec_from_file_location("vnplans.extractors._underthesea_sent_tokenize", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@functools.lru_cache(maxsize=1)
def _sentence_splitter() -> Callable[[str], list[str]]:
    module = None
    if "underthesea" not in sys.modules:  # else it is paid for: nothing to save
        try:
            module = _sentence_module_alone()
        except Exception:  # a release that moved or changed the module
            pass
    if module is None:
        import underthesea.pipeline.sent_tokenize as module
    try:
        module._load_model()
        stepping = _stepping(module.sentence_tokenizer)
        if all(stepping(probe) == module.sent_tokenize(probe) for probe in _PROBES):
            return stepping
    except AttributeError:  # a release whose splitter is built otherwise: its own function, as it is
        pass
    return module.sent_tokenize


# texts on which the stepping splitter must agree with underthesea's before it is used in its place
_PROBES = ("Xin chào. Tôi là Lan.", "Đạt 1.500.000 đồng vào 15.12.2025! Tp. Hà Nội... Tiếp theo? Có.",
           "TS. Nguyễn Văn A... và B.\nDòng mới. e.g. x", "...", "Kết thúc.  ", "a . b ?! C")
_SENTENCE_END = re.compile(r"[.?!]")


def _stepping(tokenizer) -> Callable[[str], list[str]]:
    """underthesea's `PunktSentenceTokenizer.sentences_from_text`, stepping from one '.', '?' or '!' to the next
    where it steps one character at a time: every other character only moves it on, so the states at those
    characters, and the sentences, are the same (a test holds the two equal on the corpus). A fifth of the
    time of finding targets went to that character loop."""
    boundary = tokenizer._is_sentence_boundary

    def sentences(text: str) -> list[str]:
        if not text or not text.strip():
            return []
        out: list[str] = []
        start = i = 0
        n = len(text)
        while True:
            found = _SENTENCE_END.search(text, i)
            if found is None:
                break
            i = found.start()
            if text[i] == ".":
                dot_end = i
                while dot_end < n and text[dot_end] == ".":
                    dot_end += 1
                if dot_end - i >= 3:  # an ellipsis ends a sentence at the end or before a capital
                    after = dot_end
                    while after < n and text[after] in " \t":
                        after += 1
                    if after >= n or text[after].isupper():
                        sentence = text[start:dot_end].strip()
                        if sentence:
                            out.append(sentence)
                        while dot_end < n and text[dot_end] in " \t\n\r":
                            dot_end += 1
                        start = dot_end
                    i = dot_end
                    continue
            if boundary(text, i):
                end = i + 1
                while end < n and text[end] in ".?!":
                    end += 1
                sentence = text[start:end].strip()
                if sentence:
                    out.append(sentence)
                while end < n and text[end] in " \t\n\r":
                    end += 1
                start = i = end
                continue
            i += 1
        final = text[start:].strip()
        if final:
            out.append(final)
        return out

    return sentences


def sent_tokenize(text: str) -> list[str]:
    """underthesea.sent_tokenize(text)."""
    return _sentence_splitter()(text)


# the model directory underthesea.pipeline.word_tokenize.word_tokenize loads on its first call
SEGMENTATION_MODEL = "ws_crf_vlsp2013_20230727"


@functools.lru_cache(maxsize=1)
def _word_segmenter() -> Callable[[str], list[str]]:
    """underthesea's word_tokenize, its model loaded here first through the C unpickler: joblib reads
    the model's 1 MB dictionary with Python's own unpickler, 0.3 s. The files are plain pickles, and the
    model is built as underthesea builds it; a release that moves them leaves the loading to underthesea."""
    import underthesea.pipeline.word_tokenize as segmentation

    if segmentation.word_tokenize_model is None:
        try:
            from underthesea.models.fast_crf_sequence_tagger import FastCRFSequenceTagger
            from underthesea_core import CRFFeaturizer, CRFTagger

            model = FastCRFSequenceTagger()
            base = Path(segmentation.__file__).parent / "models" / SEGMENTATION_MODEL
            estimator = CRFTagger()
            estimator.load(str(base / model.path_model))
            features = pickle.loads((base / model.path_features).read_bytes())
            dictionary = pickle.loads((base / model.path_dictionary).read_bytes())
            model.featurizer, model.estimator = CRFFeaturizer(features, dictionary), estimator
            segmentation.word_tokenize_model = model
        except (ImportError, AttributeError, OSError, ValueError, pickle.UnpicklingError):
            pass
    return segmentation.word_tokenize


def word_tokenize(text: str) -> list[str]:
    """underthesea.word_tokenize(text)."""
    return _word_segmenter()(text)


# underthesea.pipeline.pos_tag.model_crf.CRFPOSTagPredictor's template, in its order
TEMPLATE = [
    "T[-2].lower", "T[-1].lower", "T[0].lower", "T[1].lower", "T[2].lower",
    "T[0].istitle", "T[-1].istitle", "T[1].istitle",
    "T[-2]", "T[-1]", "T[0]", "T[1]", "T[2]",
    "T[-2,-1]", "T[-1,0]", "T[0,1]", "T[1,2]",
    "T[-3][1]", "T[-2][1]", "T[-1][1]",
    "T[-3,-2][1]", "T[-2,-1][1]",
]


def _istitle(word: str) -> str:
    """underthesea's text_istitle: every space-separated syllable starts with a capital."""
    try:
        return str(all(s[0].istitle() for s in word.split(" "))) if word else "False"
    except IndexError:  # two spaces in a row
        return "False"


def features(words: list[str]) -> list[list[str]]:
    """The template's features of each word, as underthesea's TaggedTransformer spells them (every word
    carries the placeholder label "X" in the second column)."""
    n = len(words)
    lower = [w.lower() for w in words]
    title = [_istitle(w) for w in words]

    def one(values: list[str], i: int, k: int) -> str:
        j = i + k
        return "BOS" if j < 0 else "EOS" if j >= n else values[j]

    def two(values: list[str], i: int, a: int, b: int) -> str:
        if i + a < 0:
            return "BOS"
        if i + a >= n or i + b >= n:
            return "EOS"
        return " ".join(values[i + a:i + b + 1])

    labels = ["X"] * n
    out = []
    for i in range(n):
        out.append([
            f"T[-2].lower={one(lower, i, -2)}", f"T[-1].lower={one(lower, i, -1)}", f"T[0].lower={lower[i]}",
            f"T[1].lower={one(lower, i, 1)}", f"T[2].lower={one(lower, i, 2)}",
            f"T[0].istitle={title[i]}", f"T[-1].istitle={one(title, i, -1)}", f"T[1].istitle={one(title, i, 1)}",
            f"T[-2]={one(words, i, -2)}", f"T[-1]={one(words, i, -1)}", f"T[0]={words[i]}",
            f"T[1]={one(words, i, 1)}", f"T[2]={one(words, i, 2)}",
            f"T[-2,-1]={two(words, i, -2, -1)}", f"T[-1,0]={two(words, i, -1, 0)}",
            f"T[0,1]={two(words, i, 0, 1)}", f"T[1,2]={two(words, i, 1, 2)}",
            f"T[-3][1]={one(labels, i, -3)}", f"T[-2][1]={one(labels, i, -2)}", f"T[-1][1]={one(labels, i, -1)}",
            f"T[-3,-2][1]={two(labels, i, -3, -2)}", f"T[-2,-1][1]={two(labels, i, -2, -1)}",
        ])
    return out


@functools.lru_cache(maxsize=1)
def _model():
    """underthesea's POS model when its template is the one above; None sends callers to underthesea's
    own pos_tag (a release that changed the tagger)."""
    try:
        from underthesea.pipeline.pos_tag.model_crf import CRFPOSTagPredictor

        predictor = CRFPOSTagPredictor.Instance()
        return predictor.model if predictor.transformer.template == TEMPLATE else None
    except (ImportError, AttributeError):
        return None


def pos_tag(text: str) -> list[tuple[str, str]]:
    """underthesea.pos_tag(text): its word segmentation, then its tagger."""
    model = _model()
    if model is None:
        from underthesea import pos_tag as underthesea_pos_tag

        return underthesea_pos_tag(text)
    words = word_tokenize(text)
    return list(zip(words, model.tag(features(words)))) if words else []
