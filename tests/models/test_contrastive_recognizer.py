"""Contrastive recognizers on real pipelines: PoseC3D and ST-GCN++."""
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.logging import MessageHub
from mmengine.registry import init_default_scope

from conftest import ROOT

POSEC3D = osp.join(
    ROOT, 'configs', 'skeleton', 'posec3d',
    'slowonly_r50-tiny_contrastive-a0.025-g5-g1_1xb8-u16-3e_synthetic-xsub-'
    'keypoint.py')
STGCNPP = osp.join(
    ROOT, 'configs', 'skeleton', 'stgcnpp',
    'stgcnpp_contrastive-a0.025-g5-g1_8xb16-joint-u100-80e_ntu60-xsub-'
    'keypoint-2d.py')


def _build(config, ann_file, level=None, **model_overrides):
    import mmhar_robust  # noqa: F401
    from mmaction.registry import DATASETS, MODELS
    cfg = Config.fromfile(config)
    init_default_scope('mmaction')
    dataset_cfg = cfg.train_dataloader.dataset
    if dataset_cfg.type == 'RepeatDataset':
        dataset_cfg = dataset_cfg.dataset
    dataset_cfg.ann_file = ann_file
    if level is not None:
        for t in dataset_cfg.pipeline:
            if t['type'] == 'KeypointNoise':
                t['level'] = level
    cfg.model.update(model_overrides)
    torch.manual_seed(0)
    return MODELS.build(cfg.model), DATASETS.build(dataset_cfg)


def _batch(model, dataset, n=4):
    batch = pseudo_collate([dataset[i] for i in range(n)])
    return model.data_preprocessor(batch, training=True)


def _count_backbone_calls(model):
    calls = []
    original = model.backbone.forward

    def counting(x, *args, **kwargs):
        calls.append(x.shape[0])
        return original(x, *args, **kwargs)

    model.backbone.forward = counting
    return calls


@pytest.mark.parametrize('representation', ['softmax', 'projection'])
@pytest.mark.parametrize(
    'config', [POSEC3D, STGCNPP], ids=['posec3d', 'stgcnpp'])
def test_one_fused_forward_and_all_losses(config, representation,
                                          tiny_synthetic):
    model, dataset = _build(
        config, tiny_synthetic, representation=representation)
    data = _batch(model, dataset)
    assert data['inputs'].shape[1] == 2  # clean + noisy views
    calls = _count_backbone_calls(model)
    losses = model(**data, mode='loss')
    assert calls == [8]  # 4 samples x 2 views, in a single backbone call
    for key in ('loss_cls', 'loss_inst'):
        assert torch.isfinite(losses[key]) and losses[key] > 0, key
    # An untrained model may predict one class for all: seed 001's group
    # term is then 0.
    assert torch.isfinite(losses['loss_group']) and losses['loss_group'] >= 0
    sum(v for k, v in losses.items() if k.startswith('loss')).backward()
    assert next(model.backbone.parameters()).grad is not None
    if representation == 'projection':
        assert model.projector[0].weight.grad.abs().sum() > 0
    else:
        assert not hasattr(model, 'projector')


@pytest.mark.parametrize(
    'config', [POSEC3D, STGCNPP], ids=['posec3d', 'stgcnpp'])
def test_views_differ_only_by_the_noise(config, tiny_synthetic):
    """Random crops and flips are shared: at noise level 0 the two views are
    identical, at a positive level they are not."""
    model, dataset = _build(config, tiny_synthetic, level=0.0)
    # What the network gets (PoseC3D's heatmaps are rendered by the data
    # preprocessor): (N, 2, ...), clean view first.
    for views in _batch(model, dataset, 3)['inputs']:
        assert views.shape[0] == 2
        torch.testing.assert_close(views[0], views[1], rtol=0, atol=0)
    model, dataset = _build(config, tiny_synthetic, level=0.05)
    views = _batch(model, dataset, 1)['inputs'][0]
    assert not torch.equal(views[0], views[1])


def test_sup_thresh_trains_cross_entropy_alone_first(tiny_synthetic):
    model, dataset = _build(POSEC3D, tiny_synthetic, sup_thresh=2)
    data = _batch(model, dataset)
    hub = MessageHub.get_current_instance()
    calls = _count_backbone_calls(model)
    hub.update_info('epoch', 1)
    losses = model(**data, mode='loss')
    assert losses['loss_inst'] == 0 and losses['loss_group'] == 0
    assert calls == [4]  # only the clean views went through the backbone
    hub.update_info('epoch', 2)
    losses = model(**data, mode='loss')
    assert losses['loss_inst'] > 0 and calls == [4, 8]
    hub.update_info('epoch', 0)


def test_semi_supervised_cross_entropy_on_labelled_samples_only(
        tiny_synthetic):
    model, dataset = _build(POSEC3D, tiny_synthetic, labeled_key='labeled')
    data = _batch(model, dataset)
    model.eval()  # no dropout, fixed BN statistics: comparable losses
    for sample in data['data_samples']:
        sample.set_metainfo(dict(labeled=False))
    losses = model(**data, mode='loss')
    assert losses['loss_cls'] == 0 and losses['loss_inst'] > 0
    data['data_samples'][1].set_metainfo(dict(labeled=True))
    partial = model(**data, mode='loss')['loss_cls']
    expected = model.cls_head.loss(
        model.extract_feat(data['inputs'][1:2, :1], stage='backbone')[0],
        [data['data_samples'][1]])['loss_cls']
    assert partial.item() == pytest.approx(expected.item(), rel=1e-4)


def test_single_view_inputs_are_refused_in_training(tiny_synthetic):
    model, dataset = _build(POSEC3D, tiny_synthetic)
    data = _batch(model, dataset)
    with pytest.raises(ValueError, match='2 views per sample'):
        model(data['inputs'][:, :1], data['data_samples'], mode='loss')


def test_prediction_is_the_plain_recognizers(tiny_synthetic):
    model, dataset = _build(POSEC3D, tiny_synthetic)
    model.eval()
    data = _batch(model, dataset)
    with torch.no_grad():
        preds = model(
            data['inputs'][:, :1], data['data_samples'], mode='predict')
    from mmhar_robust.compat import pred_score
    assert pred_score(preds[0]).shape == (13, )
