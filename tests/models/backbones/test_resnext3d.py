"""ResNeXt3d: Hara et al.'s 3D ResNeXt, checked for shapes, grouped convs,
parameter counts computed by hand, freezing and building from a config."""
import pytest
import torch
from mmengine.registry import init_default_scope

import mmhar_robust  # noqa: F401
from mmhar_robust.models.backbones import ResNeXt3d
from mmhar_robust.registry import MODELS

TINY = dict(stem_channels=8, base_channels=16, cardinality=4,
            bottleneck_width=2, stage_blocks=(1, 1, 1, 1))


def count(module):
    return sum(p.numel() for p in module.parameters())


def hand_count(blocks, num_classes=0, stem=64, base=256, groups=32,
               width=4):
    """Conv weights (no biases) plus BN's weight and bias, block by block,
    as Hara's architecture table lays them out."""
    total = 3 * stem * 7**3 + 2 * stem
    channels = stem
    for i, n in enumerate(blocks):
        mid, out = groups * width * 2**i, base * 2**i
        for j in range(n):
            total += channels * mid + 2 * mid  # 1x1x1 reduce
            total += mid * (mid // groups) * 27 + 2 * mid  # grouped 3x3x3
            total += mid * out + 2 * out  # 1x1x1 expand
            if j == 0:  # projection shortcut (type B)
                total += channels * out + 2 * out
            channels = out
    return total + (channels * num_classes + num_classes) * (num_classes > 0)


def test_resnext101_parameter_count():
    model = ResNeXt3d(depth=101)
    assert count(model) == hand_count((3, 4, 23, 3)) == 47_521_216
    # With a 400-class linear layer: 48.34 M, the size quoted for Hara's
    # Kinetics ResNeXt-101 in Kopuklu et al. 2019's comparison table.
    assert round(hand_count((3, 4, 23, 3), 400) / 1e6, 2) == 48.34
    assert count(ResNeXt3d(depth=50)) == hand_count((3, 4, 6, 3))


def test_grouped_3x3x3_convs():
    model = ResNeXt3d(depth=50)
    conv = model.stages[0][0].conv2.conv
    assert conv.groups == 32 and conv.kernel_size == (3, 3, 3)
    assert tuple(conv.weight.shape) == (128, 4, 3, 3, 3)
    last = model.stages[3][2].conv2.conv
    assert last.groups == 32 and tuple(last.weight.shape) == (1024, 32, 3, 3,
                                                              3)
    assert model.feat_dim == 2048


def test_shapes_of_a_16x112x112_clip():
    model = ResNeXt3d(**TINY).eval()
    with torch.no_grad():
        out = model(torch.randn(2, 3, 16, 112, 112))
    # Stem (1, 2, 2) and pool 2, then three stride-2 stages: /16 in time,
    # /32 in space.
    assert tuple(out.shape) == (2, 128, 1, 4, 4)
    assert model.stages[2][0].downsample.conv.stride == (2, 2, 2)


def test_frozen_stages_stay_frozen_in_training():
    model = ResNeXt3d(frozen_stages=1, **TINY)
    model.train()
    assert not any(p.requires_grad for p in model.stem.parameters())
    assert not any(p.requires_grad for p in model.stages[0].parameters())
    assert all(p.requires_grad for p in model.stages[1].parameters())
    assert not model.stages[0][0].conv1.bn.training
    assert model.stages[1][0].conv1.bn.training


@pytest.mark.parametrize('kwargs,field', [
    (dict(depth=34), 'depth'),
    (dict(stage_blocks=(1, 1, 1)), 'stage_blocks'),
    (dict(frozen_stages=5), 'frozen_stages'),
])
def test_bad_arguments_are_named(kwargs, field):
    with pytest.raises(ValueError, match=field):
        ResNeXt3d(**kwargs)


def test_a_recognizer_with_it_builds_from_config_and_trains():
    init_default_scope('mmaction')
    model = MODELS.build(
        dict(type='Recognizer3D',
             backbone=dict(type='ResNeXt3d', **TINY),
             cls_head=dict(type='I3DHead', in_channels=128, num_classes=3),
             data_preprocessor=dict(type='ActionDataPreprocessor',
                                    format_shape='NCTHW')))
    from mmaction.structures import ActionDataSample
    samples = [ActionDataSample().set_gt_label(i) for i in (0, 2)]
    inputs = torch.rand(2, 1, 3, 16, 32, 32)
    losses = model(inputs, samples, mode='loss')
    assert losses['loss_cls'].item() > 0
