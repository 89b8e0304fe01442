import numpy as np
import pytest

from mmhar_robust.datasets.transforms import MergeHeatmaps


def test_merges_joints_into_one_channel():
    imgs = np.zeros((4, 17, 8, 8), np.float32)
    imgs[:, 3, 2, 2] = 0.7
    imgs[:, 5, 2, 2] = 0.9
    imgs[:, 9, 6, 1] = 0.8
    out = MergeHeatmaps()(dict(imgs=imgs.copy()))['imgs']
    assert out.shape == (4, 1, 8, 8) and out.dtype == np.float32
    assert out[0, 0, 2, 2] == pytest.approx(0.9)
    assert out[0, 0, 6, 1] == pytest.approx(0.8)
    summed = MergeHeatmaps('sum')(dict(imgs=imgs.copy()))['imgs']
    assert summed[0, 0, 2, 2] == 1.0  # 1.6 clipped


def test_repr_and_errors():
    assert repr(MergeHeatmaps('sum')) == "MergeHeatmaps(mode='sum')"
    with pytest.raises(ValueError, match='mode'):
        MergeHeatmaps('mean')
    with pytest.raises(ValueError, match='GeneratePoseTarget'):
        MergeHeatmaps()(dict(imgs=np.zeros((4, 8, 8))))
