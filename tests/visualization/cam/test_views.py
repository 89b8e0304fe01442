"""Views: where every input pixel lies in the decoded frame, checked
against the pixels mmaction2's transforms produce (frames whose red value is
their x and green value their y), for resizes, crops, ThreeCrop, TenCrop,
flips and lazy ops; and the arithmetic by hand."""
import numpy as np
import pytest

import mmhar_robust  # noqa: F401
from mmengine.registry import init_default_scope

from mmhar_robust.registry import TRANSFORMS
from mmhar_robust.visualization.cam.views import View, ViewTrace

H, W, FRAMES = 160, 240, 2


def test_view_arithmetic_by_hand():
    # 270 x 480 resized to 32 x 57, then cropped from x 24: frame column x
    # is at (x + 0.5) * 57 / 480 - 0.5 - 24 in the input.
    view = View.identity((270, 480)).resized((32, 57)).cropped(24, 0, (32, 32))
    assert view.shape == (32, 32)
    assert view.to_input(200.0, 0) == pytest.approx(200.5 * 57 / 480 - 24.5)
    assert view.to_frame(view.to_input(123.0, 1), 1) == pytest.approx(123.0)
    flipped = view.flipped()
    # A flip of the 32-wide input: x -> 31 - x.
    assert flipped.to_input(200.0,
                            0) == pytest.approx(31 - view.to_input(200.0, 0))
    assert flipped.to_input(50.0, 1) == view.to_input(50.0, 1)
    # Nearest frame pixel of every input pixel; outside the frame: False.
    small = View.identity((2, 4)).cropped(-1, 0, (2, 3))
    image = np.array([[1, 2, 3, 4], [5, 6, 7, 8]], np.uint8)
    np.testing.assert_array_equal(small.sample(image), [[0, 1, 2], [0, 5, 6]])


class FakeDecode:
    """Decoded frames whose red value is x and green value y."""

    def __call__(self, results):
        frame = np.zeros((H, W, 3), np.uint8)
        frame[..., 0] = np.arange(W)[None, :]
        frame[..., 1] = np.arange(H)[:, None]
        results['imgs'] = [frame.copy() for _ in range(FRAMES)]
        results['img_shape'] = (H, W)
        results['original_shape'] = (H, W)
        return results


def trace_of(pipeline):
    init_default_scope('mmaction')
    transforms = [FakeDecode()] + [TRANSFORMS.build(t) for t in pipeline]
    results = dict(modality='RGB', num_clips=1, clip_len=FRAMES)
    trace = ViewTrace(keep_frames=False)
    for transform in transforms:
        before = trace.snapshot(results)
        results = transform(results)
        trace.step(type(transform).__name__, before, results)
    return trace, results['imgs']


PIPELINES = {
    'center_crop': ([dict(type='CenterCrop', crop_size=(100, 60))], 0),
    'three_crop': ([dict(type='ThreeCrop', crop_size=160)], 0),
    'ten_crop': ([dict(type='TenCrop', crop_size=96)], 0),
    'flip': ([dict(type='Flip', flip_ratio=1.0)], 0),
    'crop_then_flip': ([
        dict(type='CenterCrop', crop_size=64),
        dict(type='Flip', flip_ratio=1.0)
    ], 0),
    'resize_three_crop': ([
        dict(type='Resize', scale=(-1, 64)),
        dict(type='ThreeCrop', crop_size=64)
    ], 1),
    'lazy': ([
        dict(type='Resize', scale=(-1, 64), lazy=True),
        dict(type='CenterCrop', crop_size=64, lazy=True),
        dict(type='Flip', flip_ratio=1.0, lazy=True),
        dict(type='Fuse')
    ], 1),
}


@pytest.mark.parametrize('name', sorted(PIPELINES))
def test_views_explain_the_pixels(name):
    pipeline, tolerance = PIPELINES[name]
    trace, imgs = trace_of(pipeline)
    assert trace.failure is None and trace.num_frames == FRAMES
    views = {
        'center_crop': 1,
        'three_crop': 3,
        'ten_crop': 10,
        'flip': 1,
        'crop_then_flip': 1,
        'resize_three_crop': 3,
        'lazy': 1
    }[name]
    assert len(trace.views) == views and len(imgs) == views * FRAMES
    for v, view in enumerate(trace.views):
        x = view.to_frame(np.arange(view.shape[1]), 0)
        y = view.to_frame(np.arange(view.shape[0]), 1)
        # Away from the borders, where interpolation clamps.
        inner_x, inner_y = (x > 1) & (x < W - 2), (y > 1) & (y < H - 2)
        for t in range(FRAMES):
            img = imgs[v * FRAMES + t].astype(float)
            red = img[inner_y][:, inner_x, 0]
            green = img[inner_y][:, inner_x, 1]
            np.testing.assert_allclose(
                red, np.broadcast_to(x[inner_x], red.shape), atol=tolerance)
            np.testing.assert_allclose(
                green,
                np.broadcast_to(y[inner_y][:, None], green.shape),
                atol=tolerance)


def test_ten_crop_views_by_hand():
    trace, _ = trace_of([dict(type='TenCrop', crop_size=96)])
    # Steps (240 - 96) // 4 = 36 and (160 - 96) // 4 = 16: corners, centre,
    # each followed by its mirror image.
    lefts = [-v.offset[0] if v.scale[0] > 0 else None for v in trace.views]
    assert lefts[0::2] == [0, 144, 0, 144, 72]
    for plain, mirrored in zip(trace.views[0::2], trace.views[1::2]):
        assert mirrored.to_input(
            100.0, 0) == pytest.approx(95 - plain.to_input(100.0, 0))


def test_an_unexplained_step_is_reported():

    class DropFrame:

        def __call__(self, results):
            results['imgs'] = results['imgs'][1:]
            return results

    init_default_scope('mmaction')
    trace = ViewTrace()
    results = dict(modality='RGB')
    for transform in (FakeDecode(), DropFrame()):
        before = trace.snapshot(results)
        results = transform(results)
        trace.step(type(transform).__name__, before, results)
    assert trace.failure == ('after DropFrame there are 1 images, not 1 '
                             'views x 2 frames')
    # The decoded frames were kept, at most 320 px long (here as they are).
    assert trace.frames.shape == (2, H, W, 3)
