"""Target layers by dotted name (and the errors listing valid ones), and the
CAM methods that really handle 5-D activations in the installed library."""
import pytest
import torch

import mmhar_robust  # noqa: F401  (patches before mmaction imports)
from mmhar_robust.visualization.cam import (CAMSession, candidate_layer_names,
                                            compute_cam, get_method,
                                            resolve_layer, supports_volumes,
                                            volume_methods)

from cam_planted import GCN_MODEL, RGB_MODEL, build


def test_dotted_names_resolve_to_modules():
    model = build(GCN_MODEL)
    assert resolve_layer(model, 'backbone.gcn.1') is model.backbone.gcn[1]
    rgb = build(RGB_MODEL)
    assert resolve_layer(rgb, 'backbone.layer1') is rgb.backbone.layer1
    wrapped = torch.nn.DataParallel(rgb)
    assert resolve_layer(wrapped, 'backbone.layer1') is rgb.backbone.layer1


def test_bad_name_lists_the_valid_blocks():
    model = build(RGB_MODEL)
    with pytest.raises(ValueError) as error:
        resolve_layer(model, 'backbone.layer4')
    message = str(error.value)
    assert "'backbone.layer4' is not a module of Recognizer3D" in message
    assert 'Did you mean backbone.layer1' in message or \
        'Did you mean backbone.layer2' in message
    for name in ('backbone.conv1', 'backbone.layer1', 'backbone.layer2.0'):
        assert name in message
    # Blocks and convs only: no norms, activations or head layers.
    assert 'backbone.conv1.bn' not in message
    assert 'cls_head' not in message


def test_listed_names_stay_few_for_a_deep_backbone():
    """A ResNet3d-50 has hundreds of modules; the list keeps to blocks and
    convs at most three parts deep."""
    import copy
    cfg = copy.deepcopy(RGB_MODEL)
    cfg['backbone'].update(
        depth=50,
        num_stages=4,
        out_indices=(3, ),
        stage_blocks=(3, 4, 6, 3),
        inflate=(0, 0, 1, 1),
        spatial_strides=(1, 2, 2, 2),
        temporal_strides=(1, 1, 1, 1),
        dilations=(1, 1, 1, 1))
    cfg['cls_head']['in_channels'] = 256
    model = build(cfg)
    names = candidate_layer_names(model)
    assert len(list(model.named_modules())) > 200
    assert 'backbone.layer4.2' in names and 'backbone.layer4' in names
    assert all(n.count('.') <= 2 for n in names)
    assert len(names) < 30  # stages, blocks and the stem
    with pytest.raises(ValueError) as error:
        resolve_layer(model, 'backbone.nope')
    assert ', '.join(names) in str(error.value)


def test_explicit_layer_is_used():
    model = build(GCN_MODEL)
    inputs = torch.randn(
        1, 1, 1, 12, 17, 3, generator=torch.Generator().manual_seed(0))
    result = compute_cam(model, inputs, target_layer='backbone.gcn.0')[0]
    assert result.layer == 'backbone.gcn.0'
    default = compute_cam(model, inputs)[0]
    assert default.layer == 'backbone.gcn.1'
    assert not (result.cam == default.cam).all()


def test_volume_support_is_what_the_library_does():
    # Checked against the library at run time (twin 2D/3D models); these are
    # the answers for pytorch-grad-cam 1.5.5.
    for name in ('GradCAM', 'HiResCAM', 'EigenCAM', 'LayerCAM',
                 'GradCAMElementWise', 'EigenGradCAM'):
        assert supports_volumes(name), name
    for name in ('GradCAMPlusPlus', 'XGradCAM', 'ScoreCAM'):
        assert not supports_volumes(name), name
    assert 'GradCAM' in volume_methods()
    assert 'GradCAMPlusPlus' not in volume_methods()


def test_method_without_volume_support_is_rejected_for_3d_cnns():
    with pytest.raises(ValueError) as error:
        CAMSession(build(RGB_MODEL), 'GradCAMPlusPlus')
    message = str(error.value)
    assert "'GradCAMPlusPlus' does not support 5-D" in message
    assert 'GradCAM, HiResCAM' in message
    # The same method is fine on a GCN's 4-D activations.
    inputs = torch.randn(
        1, 1, 1, 12, 17, 3, generator=torch.Generator().manual_seed(0))
    cam = compute_cam(build(GCN_MODEL), inputs, method='GradCAMPlusPlus')
    assert cam[0].cam.shape == (1, 1, 12, 17)


@pytest.mark.parametrize('method', ['HiResCAM', 'EigenCAM', 'LayerCAM'])
def test_volume_methods_run_on_a_3d_cnn(method):
    inputs = torch.randn(
        1, 1, 3, 8, 16, 16, generator=torch.Generator().manual_seed(0))
    result = compute_cam(build(RGB_MODEL), inputs, method=method)[0]
    assert result.cam.shape == (1, 8, 16, 16)
    assert result.cam.min() >= 0 and result.cam.max() == pytest.approx(1)


def test_unknown_method_lists_the_known_ones():
    with pytest.raises(ValueError, match='choose one of GradCAM'):
        get_method('GradCRAM')
