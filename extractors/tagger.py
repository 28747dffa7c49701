"""Part-of-speech tags from underthesea's CRF tagger, with its features computed here.

underthesea's `pos_tag` builds each word's 22 template features in Python, re-splitting the
whole sentence for every word and template (quadratic in the sentence): for the long prose items
of a plan that was a seventh of all extraction time. The features below are the same strings,
made in one pass, and go to the same model; a test holds them equal to underthesea's own.
"""
from __future__ import annotations

import functools

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
    from underthesea import pos_tag as underthesea_pos_tag, word_tokenize

    model = _model()
    if model is None:
        return underthesea_pos_tag(text)
    words = word_tokenize(text)
    return list(zip(words, model.tag(features(words)))) if words else []
