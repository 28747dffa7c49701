"""underthesea's pieces as loaded here split, segment and tag real plan lines as underthesea does."""
import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from underthesea import pos_tag as underthesea_pos_tag

from conftest import SEEDS
from vnplans.extractors.nlp import (SEGMENTATION_MODEL, _model, _sentence_module_alone, _sentence_splitter, _stepping,
                                    pos_tag, sent_tokenize)


def _lines() -> list[str]:
    lines = [line.strip()[:300] for path in SEEDS for line in path.read_text("utf-8").splitlines()]
    return [line for line in lines if len(line) > 5][::7]  # every seventh line of the seed plans


def test_the_model_is_the_one_the_features_were_written_for():
    assert _model() is not None  # else every call would fall back to underthesea's slow path


@pytest.mark.parametrize("text", ["", "A", "Sở  Tài chính chủ trì", "UBND TỈNH BÌNH PHƯỚC", "1.2.3"])
def test_edge_cases_tag_as_underthesea_does(text):
    assert pos_tag(text) == underthesea_pos_tag(text)


def test_plan_lines_tag_as_underthesea_does():
    lines = _lines()
    assert len(lines) > 200
    assert [pos_tag(t) for t in lines] == [underthesea_pos_tag(t) for t in lines]


def test_sentences_split_as_underthesea_splits_them():
    from underthesea import sent_tokenize as underthesea_sent_tokenize

    text = "\n".join(path.read_text("utf-8") for path in SEEDS)
    assert _sentence_module_alone().sent_tokenize(text) == underthesea_sent_tokenize(text)
    assert sent_tokenize("Tỷ lệ đạt 1.500.000 đồng. TP. Hồ Chí Minh; xong!") == ["Tỷ lệ đạt 1.500.000 đồng.", "TP. Hồ Chí Minh; xong!"]


def test_the_stepping_splitter_splits_as_underthesea_does():
    """It steps from one sentence end to the next where underthesea steps a character at a time."""
    import random

    from underthesea.pipeline import sent_tokenize as module

    module._load_model()
    stepping = _stepping(module.sentence_tokenizer)
    assert _sentence_splitter().__name__ == stepping.__name__  # the one in use
    paragraphs = [p for path in SEEDS for p in path.read_text("utf-8").split("\n\n")]
    rng = random.Random(5)
    pieces = list("ab Ab.?!  \t\n\r0123") + ["Tp.", "TS.", "...", "....", ". ", "1.5", "e.g.", "Đ", "…"]
    noise = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 40))) for _ in range(20000)]
    assert [stepping(t) for t in paragraphs + noise] == [module.sent_tokenize(t) for t in paragraphs + noise]


def test_the_segmentation_model_files_read_as_joblib_reads_them():
    import joblib
    import underthesea.pipeline.word_tokenize as segmentation

    base = Path(segmentation.__file__).parent / "models" / SEGMENTATION_MODEL
    for name in ("features.bin", "dictionary.bin"):
        assert pickle.loads((base / name).read_bytes()) == joblib.load(base / name)


def test_plan_lines_segment_as_underthesea_segments_them(tmp_path):
    # each in a fresh process, so that each loads the model its own way
    lines = tmp_path / "lines.json"
    lines.write_text(json.dumps(_lines()), "utf-8")
    read = "import json, sys; lines = json.load(open(sys.argv[1], encoding='utf-8')); "
    ours, theirs = (subprocess.run([sys.executable, "-c", read + code, str(lines)], capture_output=True, text=True,
                                   check=True).stdout
                    for code in ("from vnplans.extractors.nlp import word_tokenize; print(json.dumps([word_tokenize(t) for t in lines]))",
                                 "from underthesea import word_tokenize; print(json.dumps([word_tokenize(t) for t in lines]))"))
    assert len(json.loads(ours)) > 200
    assert ours == theirs


def test_a_one_line_plan_extracts_without_loading_underthesea(tmp_path):
    # underthesea's package loads all its models at import (a third of a second): a plan that needs no
    # word segmentation or tags must not pay for it
    plan = tmp_path / "plan.txt"
    plan.write_text("Kế hoạch số 12/KH-UBND về chuyển đổi số năm 2025. Tỷ lệ hồ sơ trực tuyến đạt 80%.\n", "utf-8")
    code = ("import sys; from vnplans.api import extract; ex = extract(sys.argv[1]); "
            "assert ex.targets, 'no target'; print(sorted(m for m in sys.modules if m.split('.')[0] in ('underthesea', 'joblib')))")
    out = subprocess.run([sys.executable, "-c", code, str(plan)], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
