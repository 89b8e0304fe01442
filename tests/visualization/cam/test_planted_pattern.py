"""Planted patterns: a model trained to find a pattern at a known place and
time must be explained by a CAM that peaks there (RGB 3D CNN and GCN)."""
import numpy as np
import pytest

import mmhar_robust  # noqa: F401  (patches before mmaction imports)
from mmaction.structures import ActionDataSample

from mmhar_robust.compat import with_gt_label
from mmhar_robust.visualization.cam import (CAMSession, compute_cam,
                                            explain_samples,
                                            in_person_fraction)
from mmhar_robust.visualization.cam.samples import Sample

from cam_planted import (GCN_MODEL, GCN_REGIONS, RGB_MODEL, RGB_REGIONS,
                         accuracy, build, gcn_clips, rgb_clips, train)


@pytest.fixture(scope='module')
def rgb_model():
    inputs, labels = rgb_clips(16, seed=0)
    return train(build(RGB_MODEL), inputs, labels, steps=40)


@pytest.fixture(scope='module')
def gcn_model():
    inputs, labels = gcn_clips(16, seed=0)
    return train(build(GCN_MODEL), inputs, labels, steps=60)


def _box(shape, region):
    t0, t1, y0, y1, x0, x1 = region
    box = np.zeros(shape, bool)
    box[t0:t1, y0:y1, x0:x1] = True
    return box


def test_rgb_cam_peaks_on_the_planted_blob(rgb_model):
    inputs, labels = rgb_clips(4, seed=1)  # unseen clips
    assert accuracy(rgb_model, inputs, labels) >= 0.9
    planted = labels > 0
    results = compute_cam(rgb_model, inputs[planted],
                          [int(c) for c in labels[planted]])
    assert results[0].layer == 'backbone.layer2'  # the default: last stage
    for result in results:
        cam = result.summary()
        assert cam.shape == (8, 16, 16)
        peak = np.unravel_index(cam.argmax(), cam.shape)
        t0, t1, y0, y1, x0, x1 = RGB_REGIONS[result.target]
        assert t0 <= peak[0] < t1, (result.target, peak)
        assert y0 <= peak[1] < y1 and x0 <= peak[2] < x1, (result.target, peak)
        # The blob's box holds 75 of 2048 voxels (3.7 %): 4x that at least.
        box = _box(cam.shape, RGB_REGIONS[result.target])
        assert in_person_fraction(cam, box) > 0.15


def test_rgb_cam_of_the_other_class_is_elsewhere(rgb_model):
    inputs, labels = rgb_clips(4, seed=1)
    red = inputs[labels == 1]
    # Explaining class 1 (red blob) on red clips vs class 2 on the same
    # clips: the class-2 evidence is not on the red blob's box.
    own = compute_cam(rgb_model, red, 1)
    other = compute_cam(rgb_model, red, 2)
    box = _box((8, 16, 16), RGB_REGIONS[1])
    for mine, theirs in zip(own, other):
        assert in_person_fraction(mine.summary(), box) > in_person_fraction(
            theirs.summary(), box)


def test_gcn_importance_peaks_on_the_moving_joint_in_its_window(gcn_model):
    inputs, labels = gcn_clips(4, seed=1)
    assert accuracy(gcn_model, inputs, labels) >= 0.9
    planted = labels > 0
    results = compute_cam(gcn_model, inputs[planted])  # predicted class
    assert results[0].layer == 'backbone.gcn.1'
    # A graph convolution mixes each joint with its neighbours, so the
    # peak may sit one bone away, as a CNN's may sit one stride away.
    neighbours = {
        9: {9, 7},  # left wrist - left elbow
        16: {16, 14}  # right ankle - right knee
    }
    for result, label in zip(results, labels[planted].tolist()):
        assert result.target == result.pred == label
        cam = result.summary()
        assert cam.shape == (32, 17)
        joint, t0, t1 = GCN_REGIONS[label]
        frame, top = np.unravel_index(cam.argmax(), cam.shape)
        assert t0 <= frame < t1, (label, frame)
        assert top in neighbours[joint], (label, top)
        # Its window (a quarter of the clip) holds most of the importance,
        # and the moving joint is among the two most important ones there.
        assert cam[t0:t1].sum() / cam.sum() > 0.45
        assert joint in np.argsort(-cam[t0:t1].sum(0))[:2]


def _sample_with_person(clip, label, box):
    """A packed sample of a planted clip whose "person" keypoints are the
    corners of ``box`` = (y0, y1, x0, x1) in every frame."""
    y0, y1, x0, x1 = box
    keypoint = np.zeros((1, 8, 17, 2), np.float32)
    keypoint[0, :, :4] = [(x0, y0), (x1 - 1, y0), (x0, y1 - 1),
                          (x1 - 1, y1 - 1)]
    keypoint[0, :, 4:] = ((x0 + x1 - 1) / 2, (y0 + y1 - 1) / 2)
    data_sample = with_gt_label(ActionDataSample(), label)
    return Sample(
        name=f'planted_{box}',
        packed=dict(inputs=clip, data_samples=data_sample),
        raw=dict(keypoint=keypoint, img_shape=(16, 16)),
        transforms=('PoseDecode', 'PackActionInputs'))


def test_in_person_fraction_of_a_person_on_or_off_the_evidence(
        rgb_model, tmp_path):
    inputs, labels = rgb_clips(1, seed=2)
    clip = inputs[1]  # class 1: the red blob top right
    on = _sample_with_person(clip, 1, (0, 7, 9, 16))
    off = _sample_with_person(clip, 1, (9, 16, 0, 7))
    with CAMSession(rgb_model) as session:
        rows = explain_samples(session, [on, off], str(tmp_path), 'box', 'gt')
    assert [r['target'] for r in rows] == [1, 1]
    assert rows[0]['in_person'] > 0.3 > 0.05 > rows[1]['in_person']
    assert (tmp_path / f'{on.name}_GradCAM.gif').is_file()
