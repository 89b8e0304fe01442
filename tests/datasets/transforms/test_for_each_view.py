"""ForEachView: the persons of a two-view sample are split into views (with
their scores and visibility), each view runs the sub-pipeline alone, and the
outputs are stacked clean view first."""
from typing import Dict

import numpy as np
import pytest
from mmcv.transforms import BaseTransform

from mmhar_robust.datasets.transforms import (FastGeneratePoseTarget,
                                              ForEachView, KeypointNoise)


class Record(BaseTransform):
    """Keeps a copy of what each view brings and renders ``imgs`` as the
    keypoints plus 100 x the view's number."""

    def __init__(self) -> None:
        self.seen = []

    def transform(self, results: Dict) -> Dict:
        self.seen.append({
            k: v.copy() if isinstance(v, np.ndarray) else v
            for k, v in results.items()
        })
        view = len(self.seen) - 1
        results['imgs'] = results['keypoint'] + 100 * view
        results['view'] = view
        return results


def _sample(persons=4, frames=3, joints=5):
    """Person p's keypoints are all p (x) and 10 p (y), scores p / 10,
    visible for even persons only."""
    p = np.arange(persons, dtype=np.float32)[:, None, None]
    keypoint = np.stack([
        np.broadcast_to(p, (persons, frames, joints)),
        np.broadcast_to(10 * p, (persons, frames, joints))
    ], -1).copy()
    return dict(
        frame_dir='S001',
        keypoint=keypoint,
        keypoint_score=np.broadcast_to(p / 10,
                                       (persons, frames, joints)).copy(),
        keypoint_visible=np.broadcast_to(p % 2 == 0,
                                         (persons, frames, joints)).copy(),
        view_persons=2)


def test_persons_scores_and_visibility_are_split_into_views():
    record = Record()
    out = ForEachView([record])(_sample())
    first, second = record.seen
    for view, persons in ((first, [0, 1]), (second, [2, 3])):
        assert view['keypoint'].shape == (2, 3, 5, 2)
        np.testing.assert_array_equal(view['keypoint'][:, 0, 0, 0], persons)
        np.testing.assert_array_equal(view['keypoint'][:, 0, 0, 1],
                                      [10 * p for p in persons])
        np.testing.assert_allclose(view['keypoint_score'][:, 0, 0],
                                   [p / 10 for p in persons])
        np.testing.assert_array_equal(view['keypoint_visible'][:, 0, 0],
                                      [True, False])
        assert 'view_persons' not in view  # consumed here
        assert view['frame_dir'] == 'S001'
    assert out['num_views'] == 2 and 'view_persons' not in out


def test_concat_keys_are_stacked_clean_view_first_others_from_the_first():
    out = ForEachView([Record()])(_sample())
    sample = _sample()
    # imgs: view 0's keypoints, then view 1's plus 100.
    expected = np.concatenate(
        [sample['keypoint'][:2], sample['keypoint'][2:] + 100])
    np.testing.assert_array_equal(out['imgs'], expected)
    np.testing.assert_array_equal(out['keypoint'], sample['keypoint'])
    # Not in concat_keys: the first view's, as it came out.
    assert out['view'] == 0
    assert out['keypoint_score'].shape == (2, 3, 5)
    np.testing.assert_allclose(out['keypoint_score'][:, 0, 0], [0, 0.1])


def test_only_the_listed_keys_present_are_stacked():
    out = ForEachView([Record()], concat_keys=('imgs', 'heatmap_imgs'))(
        _sample())
    assert out['imgs'].shape == (4, 3, 5, 2)
    assert out['keypoint'].shape == (2, 3, 5, 2)  # not listed: view 0's
    assert 'heatmap_imgs' not in out


def test_optional_keys_stay_absent():
    sample = _sample()
    del sample['keypoint_score'], sample['keypoint_visible']
    record = Record()
    ForEachView([record])(sample)
    assert all('keypoint_score' not in view and 'keypoint_visible' not in view
               for view in record.seen)


def test_three_views_of_one_person():
    sample = _sample(persons=3)
    sample['view_persons'] = 1
    record = Record()
    out = ForEachView([record])(sample)
    assert out['num_views'] == 3
    assert [view['keypoint'][0, 0, 0, 0] for view in record.seen] == [0, 1, 2]
    np.testing.assert_array_equal(out['imgs'][:, 0, 0, 0], [0, 101, 202])


def test_heatmaps_equal_each_view_rendered_alone():
    """Behind KeypointNoise(two_views=True), the stacked heatmaps are the
    clean view's render followed by the noisy view's."""
    rng = np.random.default_rng(0)
    sample = dict(
        frame_dir='S002',
        keypoint=rng.uniform(4, 28, (2, 4, 17, 2)).astype(np.float32),
        keypoint_score=rng.uniform(0.5, 1, (2, 4, 17)).astype(np.float32),
        img_shape=(32, 32),
        total_frames=4)
    noise = KeypointNoise(
        level=0.05, scale='video', test_mode=True, two_views=True)
    noisy = noise(dict(sample, keypoint=sample['keypoint'].copy()))
    assert noisy['view_persons'] == 2
    render = FastGeneratePoseTarget(sigma=0.6)
    views = [
        render(
            dict(
                noisy,
                keypoint=noisy['keypoint'][s],
                keypoint_score=noisy['keypoint_score'][s]))['imgs']
        for s in (slice(0, 2), slice(2, 4))
    ]
    out = ForEachView([render], concat_keys=('imgs', ))(dict(noisy))
    assert out['imgs'].shape == (8, 17, 32, 32)  # 2 views x 4 frames
    np.testing.assert_array_equal(out['imgs'], np.concatenate(views))
    clean = render(dict(sample))['imgs']
    np.testing.assert_array_equal(out['imgs'][:4], clean)
    assert not np.array_equal(out['imgs'][4:], clean)


def test_errors_name_what_is_wrong():
    sample = _sample()
    del sample['view_persons']
    with pytest.raises(KeyError, match=r'view_persons.*two_views=True'):
        ForEachView([Record()])(sample)
    sample = _sample(persons=5)
    with pytest.raises(
            ValueError, match='5 persons cannot be split into views of 2'):
        ForEachView([Record()])(sample)
    sample = _sample()
    sample['view_persons'] = 0
    with pytest.raises(ValueError, match='views of 0'):
        ForEachView([Record()])(sample)
