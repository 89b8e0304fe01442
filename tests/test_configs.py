"""Every leaf config builds, and its model trains on its own pipeline's output.

Each config reads a tiny file in its dataset's real format instead of the
data it names: NTU configs the synthetic COCO-17 pickle (mmaction2's pose
format), BABEL configs synthetic release files (``*_ntu_sk_60.npy`` +
``*_label_60.pkl``), BAST configs a synthetic BAST folder, RGB configs
synthetic videos. Seed 001's PoseC3D configs are also checked against its
recipe (backbone, noise, objective, labelled fraction; see SEED001), and the
skeleton-input model is run on several test clips.
"""
import ast
import glob
import importlib.util
import os.path as osp
from typing import List

import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope

from conftest import ROOT

LEAVES = sorted(
    p for p in glob.glob(
        osp.join(ROOT, 'configs', '**', '*.py'), recursive=True)
    if '_base_' not in p)


VIDEO_READERS = ('DecordInit', 'OpenCVInit', 'PyAVInit')


@pytest.fixture
def tiny_files(request, tiny_synthetic):
    """The tiny training file for a dataset type (built on first use)."""

    def for_type(dataset_type, num_keypoints=None):
        if dataset_type == 'BABELDataset':
            return request.getfixturevalue('tiny_babel')['train']['label_file']
        if dataset_type == 'BASTDataset':
            return request.getfixturevalue('tiny_bast')['ann_files']['train']
        if num_keypoints == 25:  # NTU-25 3D joints
            return request.getfixturevalue('tiny_synthetic_3d')
        return tiny_synthetic

    return for_type


def video_list(root: str, head, request) -> str:
    """The tiny videos as mmaction2's VideoDataset list (``path label``),
    labels folded into the head's classes."""
    from mmhar_robust.utils.safe_pickle import load_pickle
    path = str(request.getfixturevalue('tmp_path') / 'videos.txt')
    with open(path, 'w') as f:
        for ann in load_pickle(osp.join(root, 'annotations.pkl'))[
                'annotations']:
            f.write(f"{ann['filename']} {ann['label'] % head.num_classes}\n")
    return path


@pytest.mark.parametrize(
    'path', LEAVES, ids=[osp.basename(p)[:-3] for p in LEAVES])
def test_config_trains_one_step_on_its_pipeline(path, tiny_files, request):
    import mmhar_robust  # noqa: F401
    from mmaction.registry import DATASETS, HOOKS, MODELS
    cfg = Config.fromfile(path)
    init_default_scope(cfg.default_scope)
    dataset_cfg = cfg.train_dataloader.dataset
    while 'dataset' in dataset_cfg:  # RepeatDataset and the like
        dataset_cfg = dataset_cfg.dataset
    if any(t['type'] in VIDEO_READERS for t in dataset_cfg.pipeline):
        root = request.getfixturevalue('tiny_video')
        dataset_cfg.ann_file = osp.join(root, 'annotations.pkl')
        dataset_cfg.data_prefix = dict(video=root)
        if dataset_cfg.type == 'VideoDataset':  # "path label" list files
            dataset_cfg.ann_file = video_list(root, cfg.model.cls_head,
                                              request)
    else:
        dataset_cfg.ann_file = tiny_files(dataset_cfg.type,
                                          dataset_cfg.get('num_keypoints'))
    if dataset_cfg.type == 'BASTDataset':  # a lab sets it to its label file
        dataset_cfg.pop('num_classes', None)
    if dataset_cfg.get('split', '').startswith('xview'):  # no views here
        dataset_cfg.split = 'xsub_train'
    dataset = DATASETS.build(dataset_cfg)
    if dataset_cfg.type == 'BASTDataset':
        cfg.model.cls_head.num_classes = len(dataset.metainfo['classes'])
    if cfg.model.backbone.type == 'ResNeXt3d':  # ResNeXt-101: 40 s a step
        cfg.model.backbone.update(stage_blocks=(1, 1, 1, 1), cardinality=4,
                                  base_channels=32, bottleneck_width=2)
        cfg.model.cls_head.in_channels = 256
    if cfg.model.backbone.type == 'DSTformer':
        # The released size (60 M parameters, 243 frames) takes minutes a
        # step on CPU; the pipeline and the wiring are what is tested.
        cfg.model.backbone.update(dim_feat=32, dim_rep=32, depth=1,
                                  num_heads=2)
        cfg.model.cls_head.update(in_channels=32, hidden_dim=64)
    if cfg.model.backbone.type == 'SkeletonTransformer':
        # Seed 003's size (width 256, 5 + 3 + 3 layers and a teacher) takes
        # seconds a step on CPU; keep the grid (clip_len, patch_size, mode).
        small = dict(embed_dims=16, depth=1, num_heads=2)
        cfg.model.backbone.update(small)
        for part in ('predictor', 'decoder'):
            if cfg.model.get(part):
                cfg.model[part].update(small)
        if 'cls_head' in cfg.model:
            cfg.model.cls_head.in_channels = 16
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    for hook_cfg in cfg.get('custom_hooks', []):
        hook = HOOKS.build(hook_cfg)
        if hasattr(hook, 'apply'):  # e.g. ClassBalanceHook sets loss weights
            hook.apply(model, dataset)
    model.train()
    batch = model.data_preprocessor(
        pseudo_collate([dataset[i] for i in range(2)]), training=True)
    losses = model(**batch, mode='loss')
    loss = sum(v for k, v in losses.items() if k.startswith('loss'))
    assert torch.isfinite(loss)
    loss.backward()


# Seed 001's PoseC3D configs (docs/posec3d_inputs.md): what each must hold.
POSEC3D = osp.join(ROOT, 'configs', 'skeleton', 'posec3d')
NTU_U24 = '8xb16-u24-150e_ntu60-xsub-keypoint.py'
TINY_U16 = '1xb8-u16-12e_synthetic-xsub-keypoint.py'
TINY_U16_3E = '1xb8-u16-3e_synthetic-xsub-keypoint.py'
INPUT_CHANNELS = {'': 17, 'grayscale_': 1, 'skeleton_': 68}
# name -> (input prefix, alpha, gamma1, gamma2, labelled fraction); alpha
# None: supervised; gamma1 None: the noise-augmentation ablation.
SEED001 = {
    f'slowonly_r50_{NTU_U24}': ('', None, None, None, None),
    f'slowonly_r50_noiseaug-a0.025_{NTU_U24}': ('', 0.025, None, None, None),
    f'slowonly_r50_contrastive-a0.025-g5-g1_{NTU_U24}':
    ('', 0.025, 5.0, 1.0, None),
    f'slowonly_r50_contrastive-a0.025-g5-g1-semi10_{NTU_U24}':
    ('', 0.025, 5.0, 1.0, 0.1),
    f'slowonly_r50_grayscale_{NTU_U24}': ('grayscale_', None, None, None,
                                          None),
    f'slowonly_r50_grayscale_noiseaug-a0.025_{NTU_U24}':
    ('grayscale_', 0.025, None, None, None),
    f'slowonly_r50_grayscale_contrastive-a0.025-g5-g1_{NTU_U24}':
    ('grayscale_', 0.025, 5.0, 1.0, None),
    f'slowonly_r50_skeleton_{NTU_U24}': ('skeleton_', None, None, None,
                                         None),
    f'slowonly_r50_skeleton_noiseaug-a0.025_{NTU_U24}':
    ('skeleton_', 0.025, None, None, None),
    f'slowonly_r50_skeleton_noiseaug-a0.01_{NTU_U24}':
    ('skeleton_', 0.01, None, None, None),
    f'slowonly_r50_skeleton_contrastive-a0.025-g5-g1_{NTU_U24}':  # C_Sk_2
    ('skeleton_', 0.025, 5.0, 1.0, None),
    f'slowonly_r50_skeleton_contrastive-a0.01-g1-g0.3_{NTU_U24}':  # C_Sk_1
    ('skeleton_', 0.01, 1.0, 0.3, None),
    **{
        f'slowonly_r50_skeleton_contrastive-a0.025-g5-g1-semi{p}_{NTU_U24}':
        ('skeleton_', 0.025, 5.0, 1.0, p / 100)
        for p in (5, 10, 20)
    },
    f'slowonly_r50-tiny_skeleton_{TINY_U16}': ('skeleton_', None, None, None,
                                               None),
    f'slowonly_r50-tiny_skeleton_noiseaug-a0.025_{TINY_U16}':
    ('skeleton_', 0.025, None, None, None),
    f'slowonly_r50-tiny_skeleton_contrastive-a0.025-g5-g1_{TINY_U16}':
    ('skeleton_', 0.025, 5.0, 1.0, None),
    # The demo's 3-epoch continuations of the supervised model.
    f'slowonly_r50-tiny_skeleton_noiseaug-a0.025_{TINY_U16_3E}':
    ('skeleton_', 0.025, None, None, None),
    f'slowonly_r50-tiny_skeleton_contrastive-a0.025-g5-g1_{TINY_U16_3E}':
    ('skeleton_', 0.025, 5.0, 1.0, None),
}
ALIASES = {
    'poseconv3d_supervised.py': f'slowonly_r50_skeleton_{NTU_U24}',
    'poseconv3d_noiseaug.py': f'slowonly_r50_skeleton_noiseaug-a0.025_'
    f'{NTU_U24}',
    'poseconv3d_contrastive.py': f'slowonly_r50_skeleton_contrastive-a0.025-'
    f'g5-g1_{NTU_U24}',
}


def _base_path(path: str, base: str) -> str:
    """A ``_base_`` entry as a file: relative to ``path``, or for
    ``mmaction::`` in the configs that mmaction2's wheel ships (found
    without MMEngine's lookup, which needs pkg_resources)."""
    if base.startswith('mmaction::'):
        package = importlib.util.find_spec('mmaction')
        root = package.submodule_search_locations[0]
        return osp.join(root, '.mim', 'configs', base[len('mmaction::'):])
    return osp.normpath(osp.join(osp.dirname(path), base))


def direct_bases(path: str) -> List[str]:
    """The files a config's ``_base_`` names, as absolute paths."""
    with open(path) as f:
        tree = ast.parse(f.read())
    for node in tree.body:
        if (isinstance(node, ast.Assign)
                and getattr(node.targets[0], 'id', None) == '_base_'):
            bases = ast.literal_eval(node.value)
            bases = [bases] if isinstance(bases, str) else bases
            return [_base_path(path, b) for b in bases]
    return []


def base_depth(path: str) -> int:
    """Levels of ``_base_`` above a config file (0 for none)."""
    bases = direct_bases(path)
    return 1 + max(base_depth(b) for b in bases) if bases else 0


def test_seed001_config_table_is_complete():
    """Every NTU u24 and tiny skeleton PoseC3D config is in SEED001, so the
    checks below cannot miss a new one."""
    names = {
        osp.basename(p) for p in glob.glob(osp.join(POSEC3D, '*.py'))
        if p.endswith(NTU_U24) or 'skeleton_' in p
    }
    assert names == set(SEED001)


@pytest.mark.parametrize('name', sorted(SEED001))
def test_seed001_posec3d_config(name):
    prefix, alpha, gamma1, gamma2, fraction = SEED001[name]
    path = osp.join(POSEC3D, name)
    cfg = Config.fromfile(path)
    assert base_depth(path) <= 3
    assert 'mmhar_robust' in cfg.custom_imports.imports
    tiny = '-tiny' in name
    # Seed 001's backbone, the same for the three inputs (in_channels).
    backbone = cfg.model.backbone
    assert backbone.type == 'ResNet3dSlowOnly'
    assert backbone.in_channels == INPUT_CHANNELS[prefix]
    assert (backbone.base_channels, backbone.stage_blocks) == (
        (16, (2, 2, 2)) if tiny else (32, (4, 6, 3)))
    assert (backbone.num_stages, backbone.out_indices) == (3, (2, ))
    assert (backbone.conv1_stride_s, backbone.pool1_stride_s) == (1, 1)
    assert backbone.inflate == (0, 1, 1)
    assert backbone.spatial_strides == (2, 2, 2)
    assert backbone.temporal_strides == (1, 1, 2)
    assert cfg.model.cls_head.type == 'I3DHead'
    assert cfg.model.cls_head.in_channels == (256 if tiny else 512)
    assert cfg.model.cls_head.dropout_ratio == 0.5
    if not tiny:
        assert cfg.optim_wrapper.optimizer.type == 'AdamW'
        assert cfg.optim_wrapper.optimizer.lr == 0.001
        assert cfg.train_cfg.max_epochs == 150
        assert cfg.train_dataloader.dataset.ann_file.endswith(
            'ntu60_2d.pkl')
        assert cfg.train_dataloader.dataset.split == 'xsub_train'
        assert cfg.test_dataloader.dataset.split == 'xsub_val'
    train = cfg.train_dataloader.dataset.pipeline
    test = cfg.test_dataloader.dataset.pipeline
    types = [t['type'] for t in train]
    sample = train[types.index('UniformSampleFrames')]
    assert sample.clip_len == (16 if tiny else 24)
    assert test[0].clip_len == sample.clip_len
    # Heatmaps (merged for grayscale) are rendered by the data preprocessor
    # from packed keypoints; skeleton volumes in the pipeline.
    renderer = 'FormatSkeletonVolume' if prefix == 'skeleton_' else \
        'PackPoseInputs'
    preprocessor = cfg.model.data_preprocessor
    if prefix == 'skeleton_':
        assert preprocessor.type == 'ActionDataPreprocessor'
    else:
        assert preprocessor.type == 'PoseTargetDataPreprocessor'
        assert (preprocessor.sigma, preprocessor.use_score,
                preprocessor.with_kp, preprocessor.with_limb) == (0.6, True,
                                                                  True, False)
        assert preprocessor.get('merge') == ('max' if prefix else None)
    # The test pipeline is clean: the sweep adds the noise it evaluates.
    assert 'KeypointNoise' not in [t['type'] for t in test]
    assert renderer in [t['type'] for t in test]
    if fraction is None:
        assert 'MarkLabeled' not in types
    else:
        assert train[0] == dict(type='MarkLabeled', fraction=fraction,
                                seed=0)
        assert 'labeled' in train[-1].meta_keys
        assert cfg.model.labeled_key == 'labeled'
        train, types = train[1:], types[1:]
    if alpha is None:
        assert cfg.model.type == 'Recognizer3D'
        assert 'KeypointNoise' not in types
        assert renderer in types
        return
    # Seed 001 adds its noise to the raw keypoints before frame sampling.
    assert train[0] == dict(type='KeypointNoise', corruption='gaussian',
                            level=alpha, scale='seed001', two_views=True)
    assert types[1] == 'UniformSampleFrames'
    if prefix == 'skeleton_':  # each view formatted, stacked as clips
        assert types[-2] == 'ForEachView'
        assert renderer in [t['type'] for t in train[-2].transforms]
    else:  # PackPoseInputs packs the views as clips
        assert types[-1] == 'PackPoseInputs'
        assert 'ForEachView' not in types
    model = cfg.model
    assert model.type == 'ContrastiveRecognizer3D'
    assert (model.representation, model.sup_thresh) == ('softmax', 0)
    assert model.contrastive_loss.temperature == 0.5
    weights = (model.contrastive_loss.loss_weight_inst,
               model.contrastive_loss.loss_weight_group)
    if gamma1 is None:  # the ablation: the supervised config + noisy views
        assert weights == (0.0, 0.0) and model.cls_on_noisy
        # (the demo's 3-epoch variant continues the 12-epoch ablation)
        assert direct_bases(path) == [
            path.replace(f'noiseaug-a{alpha}_', '') if TINY_U16_3E not in path
            else path.replace(TINY_U16_3E, TINY_U16)
        ]
    else:
        assert weights == (gamma1, gamma2)
        assert not model.get('cls_on_noisy', False)


@pytest.mark.parametrize('alias', sorted(ALIASES))
def test_aliases_point_at_seed001s_best_trio(alias):
    path = osp.join(ROOT, 'configs', alias)
    assert base_depth(path) <= 3
    cfg = Config.fromfile(path)
    target = Config.fromfile(osp.join(POSEC3D, ALIASES[alias]))
    assert cfg.to_dict() == target.to_dict()


def test_skeleton_model_averages_its_test_clips(tiny_synthetic):
    """Seed 001's skeleton PoseC3D on a (68, 24, 1, 1) volume per clip: the
    stride-2 stages keep the 1 x 1 map, and with several test clips the
    prediction is the mean of the clips' softmax (I3DHead 'prob')."""
    import mmhar_robust  # noqa: F401
    from mmaction.registry import DATASETS, MODELS
    from mmhar_robust.compat.action_data_sample import pred_score
    cfg = Config.fromfile(osp.join(POSEC3D, f'slowonly_r50_skeleton_'
                                   f'{NTU_U24}'))
    init_default_scope(cfg.default_scope)
    dataset_cfg = cfg.test_dataloader.dataset
    dataset_cfg.ann_file = tiny_synthetic
    dataset_cfg.pipeline[0].num_clips = 3
    dataset = DATASETS.build(dataset_cfg)
    torch.manual_seed(0)
    model = MODELS.build(cfg.model).eval()
    batch = model.data_preprocessor(
        pseudo_collate([dataset[0], dataset[1]]), training=False)
    assert batch['inputs'].shape == (2, 3, 68, 24, 1, 1)
    with torch.no_grad():
        predictions = model(**batch, mode='predict')
        clips = batch['inputs'].flatten(0, 1)
        feats = model.backbone(clips)
        assert feats.shape == (6, 512, 12, 1, 1)
        probs = model.cls_head(feats).softmax(-1).view(2, 3, 60).mean(1)
    for i, sample in enumerate(predictions):
        torch.testing.assert_close(pred_score(sample), probs[i])


@pytest.mark.parametrize('name', sorted(SEED001))
def test_seed001_test_pipeline_gives_its_input(name, tiny_synthetic):
    """The val and test pipelines of each config, with its data
    preprocessor, give its input's volume: 17 or 1 x T x H x W heatmaps, or
    68 x T x 1 x 1 skeletons."""
    import mmhar_robust  # noqa: F401
    from mmaction.registry import DATASETS, MODELS
    cfg = Config.fromfile(osp.join(POSEC3D, name))
    init_default_scope(cfg.default_scope)
    channels = cfg.model.backbone.in_channels
    clip_len = cfg.test_dataloader.dataset.pipeline[0].clip_len
    side = 1 if channels == 68 else (32 if '-tiny' in name else 56)
    preprocessor = MODELS.build(cfg.model.data_preprocessor)
    for loader in ('val_dataloader', 'test_dataloader'):
        dataset_cfg = cfg[loader].dataset
        dataset_cfg.ann_file = tiny_synthetic
        batch = preprocessor(pseudo_collate([DATASETS.build(dataset_cfg)[0]]))
        assert tuple(batch['inputs'].shape) == (1, 1, channels, clip_len,
                                                side, side)
        assert batch['inputs'].amax() > 0.5


@pytest.mark.parametrize(
    'path', LEAVES, ids=[osp.basename(p)[:-3] for p in LEAVES])
def test_every_config_is_shallow_and_imports_mmhar_robust(path):
    # At most three levels of _base_ (mmyolo's rule), counted through
    # mmaction2's own configs for a ``mmaction::`` base; and our
    # custom_imports, so mmaction2's own tools/train.py can run it.
    assert base_depth(path) <= 3
    cfg = Config.fromfile(path)
    assert cfg.custom_imports == dict(
        imports=['mmhar_robust'], allow_failed_imports=False)
