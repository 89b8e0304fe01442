"""Overlays: RGB frames recovered from normalised inputs, grey heatmap
frames, frame grids and GIFs, skeleton drawings, and CAMs drawn on the
decoded frames through each crop's view."""
import numpy as np
import pytest
import torch
from PIL import Image

import mmhar_robust  # noqa: F401
from mmaction.models import ActionDataPreprocessor
from mmengine.registry import init_default_scope

from mmhar_robust.registry import TRANSFORMS
from mmhar_robust.visualization.cam.overlays import (
    heatmap_frames, overlay_clip, overlay_on_frames, rgb_frames,
    save_frame_overlays, save_volume_overlays)
from mmhar_robust.visualization.cam.skeleton_overlays import (
    graph_edges, present_persons, save_skeleton_overlays, visible_joints)
from mmhar_robust.visualization.cam.views import View, ViewTrace

from cam_planted import GCN_MODEL, build


def test_rgb_frames_undo_the_normalisation():
    gen = torch.Generator().manual_seed(0)
    raw = torch.randint(0, 256, (2, 3, 4, 5, 6), generator=gen).float()
    pre = ActionDataPreprocessor(
        mean=[100., 110., 120.], std=[50., 60., 70.], format_shape='NCTHW')
    inputs = pre(dict(inputs=[raw], data_samples=[None]))['inputs'][0]
    frames = rgb_frames(inputs, pre)
    assert frames.shape == (2, 4, 5, 6, 3)
    np.testing.assert_allclose(
        frames, raw.permute(0, 2, 3, 4, 1).numpy() / 255, atol=1e-5)


def test_heatmap_frames_sum_the_keypoints():
    volume = torch.zeros(1, 17, 2, 4, 4)
    volume[0, 3, 0, 1, 1] = 0.5
    volume[0, 9, 0, 1, 1] = 0.5  # two joints on one pixel add up
    volume[0, 5, 1, 2, 2] = 0.25
    grey = heatmap_frames(volume)
    assert grey.shape == (1, 2, 4, 4, 3)
    assert grey[0, 0, 1, 1, 0] == 1.0 and grey[0, 1, 2, 2, 0] == 0.25
    assert (grey[..., 0] == grey[..., 2]).all()


def test_overlay_colours_the_hot_spot():
    frames = np.full((1, 4, 4, 3), 0.5, np.float32)
    cam = np.zeros((1, 4, 4), np.float32)
    cam[0, 0, 0] = 1.0
    out = overlay_clip(frames, cam)
    assert out.dtype == np.uint8 and out.shape == (1, 4, 4, 3)
    hot, cold = out[0, 0, 0], out[0, 3, 3]
    assert hot[0] > hot[2] and cold[2] > cold[0]  # jet: red hot, blue cold
    with pytest.raises(ValueError, match='differ in size'):
        overlay_clip(frames, np.zeros((2, 4, 4)))


def test_volume_overlays_grid_and_gif(tmp_path):
    inputs = torch.rand(2, 17, 8, 16, 16)  # two clips of heatmaps
    cam = np.random.default_rng(0).random((2, 8, 16, 16))
    paths = save_volume_overlays(inputs, cam, 'heatmap', str(tmp_path), 's')
    assert [p.split('/')[-1] for p in paths
            ] == ['s_clip0.png', 's_clip0.gif', 's_clip1.png', 's_clip1.gif']
    grid = Image.open(paths[0])
    assert grid.size == (8 * 16 * 8, 16 * 8)  # 8 frames in a row, 8x up
    gif = Image.open(paths[1])
    assert gif.n_frames == 8 and gif.size == (128, 128)


def test_skeleton_drawings(tmp_path):
    model = build(GCN_MODEL)
    edges = graph_edges(model)
    assert (9, 7) in edges and len(edges) == 16  # COCO-17 bones
    inputs = torch.rand(1, 2, 12, 17, 3)
    inputs[:, 1] = 0  # the padding person FormatGCNInput adds
    assert present_persons(inputs[0].numpy()) == [0]
    cam = np.random.default_rng(0).random((1, 2, 12, 17))
    paths = save_skeleton_overlays(inputs, cam, str(tmp_path), 's', edges)
    assert [p.split('/')[-1]
            for p in paths] == ['s_skeleton.png', 's_joints.png']
    for path in paths:
        assert Image.open(path).size[0] > 100


def test_visible_joints_uses_scores_for_2d_and_coordinates_otherwise():
    kp = np.ones((1, 2, 3, 3), np.float32)
    kp[0, 1, 2] = [-1.0, -1.0, 0.0]  # a missed 2D detection: score 0
    visible = visible_joints(kp)
    assert visible[0, 0].all() and visible[0,
                                           1].tolist() == [True, True, False]
    xyz = np.full((1, 2, 3, 3), 2.5, np.float32)  # 3D metres, z > 1
    xyz[0, 0, 1] = 0.0
    assert visible_joints(xyz)[0].tolist() == [[True, False, True],
                                               [True, True, True]]


def test_cam_drawn_on_the_decoded_frames_by_hand():
    frames = np.full((1, 20, 40, 3), 100, np.uint8)
    # The input shows frame columns 10..29 (a crop), at half size.
    view = View.identity((20, 40)).cropped(10, 0, (20, 20)).resized((10, 10))
    cam = np.zeros((1, 10, 10), np.float32)
    cam[0, 2, 3] = 1.0  # input (x 3, y 2): frame x 10 + 6.5, y 4.5
    out = overlay_on_frames(frames, cam, view).astype(int)
    assert out.shape == (1, 20, 40, 3)
    # Outside the crop: the frame dimmed to 40 % (100 -> 40).
    assert (out[0, :, :10] == 40).all() and (out[0, :, 30:] == 40).all()
    heat = out[0, :, 10:30, 0] - out[0, :, 10:30, 2]  # red minus blue
    assert heat.max() > 0 > heat.min()
    rows, cols = np.nonzero(heat == heat.max())
    assert set(rows) <= {4, 5} and set(cols + 10) <= {16, 17}
    with pytest.raises(ValueError, match='does not fit'):
        overlay_on_frames(frames, np.zeros((1, 4, 4)), view)


def test_frame_overlays_of_every_crop(tmp_path):
    from test_views import H, W, FakeDecode
    init_default_scope('mmaction')
    trace = ViewTrace()
    results = dict(modality='RGB', num_clips=1, clip_len=2)
    for transform in (FakeDecode(),
                      TRANSFORMS.build(dict(type='Resize', scale=(-1, 32))),
                      TRANSFORMS.build(dict(type='ThreeCrop', crop_size=32))):
        before = trace.snapshot(results)
        results = transform(results)
        trace.step(type(transform).__name__, before, results)
    cam = np.random.default_rng(0).random((3, 2, 32, 32))
    paths = save_frame_overlays(trace, cam, str(tmp_path), 's')
    assert [p.split('/')[-1] for p in paths] == [
        f's_clip{i}.{ext}' for i in range(3) for ext in ('png', 'gif')
    ]
    # Drawn on the 160 x 240 decoded frames, two in a row.
    assert Image.open(paths[0]).size == (2 * W, H)
    assert Image.open(paths[1]).size == (W, H)
    with pytest.raises(ValueError, match='4 clips x 2 frames does not fit 3'):
        save_frame_overlays(trace, np.zeros((4, 2, 32, 32)), str(tmp_path),
                            's')
