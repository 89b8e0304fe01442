"""FastGeneratePoseTarget draws what mmaction2's GeneratePoseTarget draws."""
import numpy as np
import pytest
from mmaction.datasets.transforms import GeneratePoseTarget

from mmhar_robust.datasets.transforms import FastGeneratePoseTarget


def _sample(seed=0, persons=2, frames=6, size=(40, 48)):
    rng = np.random.default_rng(seed)
    h, w = size
    kp = rng.uniform([-3, -3], [w + 3, h + 3],
                     (persons, frames, 17, 2)).astype(np.float32)
    score = rng.uniform(0, 1, kp.shape[:3]).astype(np.float32)
    score[0, 0, :4] = 0.0  # missed joints
    score[0, 1, 4] = 5e-5  # below GeneratePoseTarget's eps
    kp[0, 2, 5] = [-10, -10]  # far outside the image
    kp[-1, 3, 6] = [w - 0.2, h - 0.3]  # on the border
    return dict(keypoint=kp, keypoint_score=score, img_shape=(h, w))


@pytest.mark.parametrize('kwargs', [
    dict(),
    dict(use_score=False),
    dict(sigma=1.7),
    dict(scaling=0.5),
    dict(double=True),
])
@pytest.mark.parametrize('persons', [1, 2])
def test_matches_mmaction(kwargs, persons):
    for seed in range(3):
        sample = _sample(seed, persons)
        ref = GeneratePoseTarget(**kwargs)(dict(sample))['imgs']
        out = FastGeneratePoseTarget(**kwargs)(dict(sample))['imgs']
        assert out.shape == ref.shape and out.dtype == ref.dtype
        np.testing.assert_allclose(out, ref, rtol=0, atol=1e-6)


def test_limbs_fall_back_to_the_original():
    sample = _sample(1)
    kwargs = dict(with_kp=False, with_limb=True)
    np.testing.assert_array_equal(
        FastGeneratePoseTarget(**kwargs)(dict(sample))['imgs'],
        GeneratePoseTarget(**kwargs)(dict(sample))['imgs'])


def test_repr_names_the_class():
    assert repr(FastGeneratePoseTarget()).startswith('FastGeneratePoseTarget(')
