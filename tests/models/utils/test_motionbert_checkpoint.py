"""MotionBERT's released checkpoints, faked from the (name, shape) facts in
motionbert_release.py, load strictly into our recognizer: through the
converter tool and through ``load_from`` (MMEngine's checkpoint loader); bad
ones fail naming the key."""
import importlib.util
import os.path as osp

import pytest
import torch
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint

import mmhar_robust  # noqa: F401  (registers the models and the loader)
from mmhar_robust.models.utils import (adapt_motionbert_checkpoint,
                                       check_state_dict_matches,
                                       convert_motionbert_checkpoint)
from mmhar_robust.registry import MODELS
from mmhar_robust.utils.checkpoint_match import check_checkpoint_matches
from motionbert_release import (RELEASE, RELEASE_BACKBONE_PARAMS, SMALL,
                                SMALL_RECOGNIZER, action_shapes,
                                backbone_shapes, fake_action_checkpoint,
                                fake_pretrained_checkpoint, head_shapes,
                                pretrained_shapes)

from conftest import ROOT

init_default_scope('mmaction')


def _tool():
    spec = importlib.util.spec_from_file_location(
        'motionbert_to_mmaction',
        osp.join(ROOT, 'tools', 'convert', 'motionbert_to_mmaction.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _model():
    return MODELS.build(SMALL_RECOGNIZER)


def _released(state, name):
    """Our name -> the release's tensor."""
    name = name.replace('cls_head.', 'head.', 1)
    return state['module.' + name]


def test_facts_are_the_release_sizes():
    shapes = dict(backbone_shapes(**RELEASE))
    assert shapes['temp_embed'] == (1, 243, 1, 512)
    assert shapes['blocks_ts.4.mlp_t.fc1.weight'] == (1024, 512)
    assert dict(head_shapes(**RELEASE))['fc1.weight'] == (2048, 8704)
    count = sum(torch.Size(s).numel() for _, s in backbone_shapes(**RELEASE))
    assert count == RELEASE_BACKBONE_PARAMS


def test_full_size_model_has_the_release_names_and_shapes():
    """The default DSTformer + MotionBERTHead(60) state, in order, is the
    release's with backbone./head. renamed (no file: 240 MB)."""
    model = MODELS.build(dict(
        type='RecognizerGCN', backbone=dict(type='DSTformer'),
        cls_head=dict(type='MotionBERTHead', num_classes=60)))
    ours = [(k.replace('cls_head.', 'head.', 1), tuple(v.shape))
            for k, v in model.state_dict().items()]
    assert ours == [(k[len('module.'):], s) for k, s in action_shapes(
        **RELEASE)]
    assert sum(p.numel() for p in model.backbone.parameters()) == \
        RELEASE_BACKBONE_PARAMS


def test_action_checkpoint_converts_and_loads_strictly(tmp_path):
    official = fake_action_checkpoint(**SMALL)
    src, dst = str(tmp_path / 'best_epoch.bin'), str(tmp_path / 'ft.pth')
    torch.save(official, src)
    _tool().main([src, dst, '--expect', 'action'])
    converted = torch.load(dst, weights_only=True)
    assert converted['meta']['motionbert_kind'] == 'action'
    assert converted['meta']['epoch'] == 7
    for path in (dst, src):  # the converted file, and load_from's path
        model = _model()
        load_checkpoint(model, path, map_location='cpu', strict=True)
        for name, value in model.state_dict().items():
            torch.testing.assert_close(
                value, _released(official['model'], name), rtol=0, atol=0)
        check_checkpoint_matches(model, path, allow_unexpected=False)


def test_pretrained_checkpoint_initialises_the_backbone(tmp_path):
    official = fake_pretrained_checkpoint(**SMALL)
    src = str(tmp_path / 'latest_epoch.bin')
    torch.save(official, src)
    model = _model()
    head_before = model.cls_head.fc1.weight.clone()
    load_checkpoint(model.backbone, src, map_location='cpu', strict=True,
                    revise_keys=[(r'^backbone\.', '')])
    for name, value in model.backbone.state_dict().items():
        torch.testing.assert_close(value, official['model_pos'][
            'module.' + name], rtol=0, atol=0)
    assert torch.equal(model.cls_head.fc1.weight, head_before)
    # the converter writes a backbone checkpoint; a full model lacks a head
    dst = str(tmp_path / 'pre.pth')
    _tool().main([src, dst])
    state = torch.load(dst, weights_only=True)['state_dict']
    check_state_dict_matches(state, _model(), dst, backbone_only=True)
    with pytest.raises(KeyError, match="'cls_head.bn.weight'.*load_from"):
        check_state_dict_matches(state, _model(), dst)


def test_pose_checkpoint_is_refused_as_an_action_model():
    with pytest.raises(KeyError, match='best.bin holds key model_pos'):
        convert_motionbert_checkpoint(
            fake_pretrained_checkpoint(**SMALL), 'best.bin', expect='action')


def test_backbone_only_drops_the_action_head():
    state, kind = convert_motionbert_checkpoint(
        fake_action_checkpoint(**SMALL), expect='backbone')
    assert kind == 'backbone'
    assert all(k.startswith('backbone.') for k in state)
    assert len(state) == len(pretrained_shapes(**SMALL))


@pytest.mark.parametrize('drop', ['module.backbone.blocks_ts.1.attn_t.proj.'
                                  'bias', 'module.backbone.temp_embed'])
def test_missing_key_is_named(drop):
    official = fake_action_checkpoint(**SMALL)
    del official['model'][drop]
    state, _ = convert_motionbert_checkpoint(official, 'ft.bin')
    ours = drop[len('module.'):]
    with pytest.raises(KeyError, match=f"ft.bin lacks '{ours}'"):
        check_state_dict_matches(state, _model(), 'ft.bin')


def test_wrong_shape_is_named():
    official = fake_action_checkpoint(**dict(SMALL, num_classes=7))
    state, _ = convert_motionbert_checkpoint(official, 'ft.bin')
    with pytest.raises(ValueError,
                       match=r"'cls_head.fc2.weight' has shape \(7, 40\)"):
        check_state_dict_matches(state, _model(), 'ft.bin')
    official = fake_action_checkpoint(**dict(SMALL, maxlen=243))
    state, _ = convert_motionbert_checkpoint(official, 'ft.bin')
    with pytest.raises(ValueError, match="'backbone.temp_embed'"):
        check_state_dict_matches(state, _model(), 'ft.bin')


def test_unexpected_key_is_named():
    official = fake_action_checkpoint(**SMALL)
    official['model']['module.backbone.extra.weight'] = torch.zeros(1)
    state, _ = convert_motionbert_checkpoint(official, 'ft.bin')
    with pytest.raises(KeyError, match="'backbone.extra.weight'"):
        check_state_dict_matches(state, _model(), 'ft.bin')


def test_other_motionbert_heads_are_named():
    embed = fake_action_checkpoint(**SMALL)
    for key in ('fc2.weight', 'fc2.bias'):
        del embed['model']['module.head.' + key]
    with pytest.raises(KeyError, match='ActionHeadEmbed'):
        convert_motionbert_checkpoint(embed, 'oneshot.bin')
    mesh = fake_action_checkpoint(**SMALL)
    mesh['model']['module.head.head_pose.weight'] = torch.zeros(3)
    with pytest.raises(KeyError, match='head.head_pose.weight'):
        convert_motionbert_checkpoint(mesh, 'mesh.bin')
    with pytest.raises(KeyError, match="neither key model.*'state'"):
        convert_motionbert_checkpoint(dict(state={}), 'x.bin')


def test_other_checkpoints_pass_through_the_loader_unchanged():
    mmengine = dict(state_dict={'backbone.joints_embed.weight': 1}, meta={})
    assert adapt_motionbert_checkpoint(mmengine) is mmengine
    plain = {'conv.weight': torch.zeros(1)}
    assert adapt_motionbert_checkpoint(plain) is plain
