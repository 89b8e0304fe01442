"""ChannelsLastDataPreprocessor: mmaction2's values, with every 3D clip laid
out channels-last, viewable as (N x clips, C, T, H, W) without a copy."""
import torch
from mmaction.structures import ActionDataSample

import mmhar_robust  # noqa: F401  (registers the preprocessor)
from mmhar_robust.registry import MODELS

MEAN, STD = (10.0, 20.0, 30.0), (2.0, 4.0, 5.0)


def _batch(shape, num=2):
    gen = torch.Generator().manual_seed(0)
    return dict(
        inputs=[
            torch.randint(0, 256, shape, generator=gen, dtype=torch.uint8)
            for _ in range(num)
        ],
        data_samples=[ActionDataSample().set_gt_label(i) for i in range(num)])


def _build(type_name, **kwargs):
    return MODELS.build(dict(type=type_name, **kwargs))


def test_clips_are_normalised_and_channels_last():
    batch = _batch((2, 3, 4, 6, 5))  # 2 clips of (C, T, H, W)
    out = _build(
        'ChannelsLastDataPreprocessor',
        mean=MEAN,
        std=STD,
        format_shape='NCTHW')(
            batch)
    inputs = out['inputs']
    assert inputs.shape == (2, 2, 3, 4, 6, 5)
    # By hand: (x - mean_c) / std_c on each channel.
    raw = torch.stack(batch['inputs']).float()
    mean = torch.tensor(MEAN).view(3, 1, 1, 1)
    std = torch.tensor(STD).view(3, 1, 1, 1)
    torch.testing.assert_close(inputs, (raw - mean) / std)
    flat = inputs.flatten(0, 1)
    assert flat.is_contiguous(memory_format=torch.channels_last_3d)
    assert not flat.is_contiguous()
    # The recognizer's view, without a copy.
    assert inputs.view(4, 3, 4, 6, 5).data_ptr() == inputs.data_ptr()
    assert [s.gt_label.item() for s in out['data_samples']] == [0, 1]


def test_same_values_as_mmaction2s_preprocessor():
    cfg = dict(mean=MEAN, std=STD, format_shape='NCTHW')
    ours = _build('ChannelsLastDataPreprocessor', **cfg)(
        _batch((1, 3, 2, 4, 4)))
    theirs = _build('ActionDataPreprocessor', **cfg)(_batch((1, 3, 2, 4, 4)))
    assert theirs['inputs'].is_contiguous()
    assert not ours['inputs'].is_contiguous()
    torch.testing.assert_close(
        ours['inputs'], theirs['inputs'], rtol=0, atol=0)


def test_two_dimensional_inputs_pass_through():
    batch = _batch((3, 4, 4))  # NCHW: (C, H, W) images
    cfg = dict(mean=MEAN, std=STD, format_shape='NCHW')
    ours = _build('ChannelsLastDataPreprocessor', **cfg)(batch)['inputs']
    theirs = _build('ActionDataPreprocessor', **cfg)(batch)['inputs']
    assert ours.shape == (2, 3, 4, 4)
    assert ours.stride() == theirs.stride()
    torch.testing.assert_close(ours, theirs, rtol=0, atol=0)


def test_skeleton_values_are_unchanged():
    # GCN inputs (N, clips, M, T, V, C) are 6-D too: their values must stay.
    gen = torch.Generator().manual_seed(1)
    x = [torch.randn(1, 2, 5, 17, 3, generator=gen) for _ in range(3)]
    out = _build(
        'ChannelsLastDataPreprocessor', format_shape='NCTVM')(
            dict(
                inputs=x, data_samples=[ActionDataSample() for _ in range(3)]))
    torch.testing.assert_close(out['inputs'], torch.stack(x), rtol=0, atol=0)
