"""The POS features made here are underthesea's own: the tags are the same on real plan lines."""
import pytest
from underthesea import pos_tag as underthesea_pos_tag

from conftest import SEEDS
from vnplans.extractors.tagger import _model, pos_tag


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
