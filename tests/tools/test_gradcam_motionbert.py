"""tools/gradcam.py on the MotionBERT-Lite config (random weights, tiny
synthetic set): the DSTformer's default layer, H36M bones, the outputs."""
import json
import os.path as osp
import subprocess

import numpy as np
import pytest
import torch
from PIL import Image

import mmhar_robust  # noqa: F401
from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmhar_robust.registry import MODELS
from mmhar_robust.visualization.cam.skeleton_overlays import (H36M_EDGES,
                                                              graph_edges)

from conftest import PYTHON, ROOT, as_cli

LITE = osp.join(
    ROOT, 'configs', 'skeleton', 'motionbert',
    'motionbert_dstformer-lite_1xb8-u16-8e_synthetic-xsub-'
    'keypoint.py')


def _lite_checkpoint(path):
    init_default_scope('mmaction')
    model = MODELS.build(Config.fromfile(LITE).model)
    gen = torch.Generator().manual_seed(0)
    for module in model.modules():
        if isinstance(module, torch.nn.Linear):
            torch.nn.init.normal_(module.weight, std=0.1, generator=gen)
    torch.save({'state_dict': model.state_dict()}, path)
    return model


def test_h36m_bones_for_the_dstformer():
    init_default_scope('mmaction')
    model = MODELS.build(Config.fromfile(LITE).model)
    edges = graph_edges(model)
    assert edges == list(H36M_EDGES) and len(edges) == 16
    # A tree over the 17 joints: every joint but the root has one parent.
    assert sorted(j for _, j in edges) == list(range(1, 17))


@pytest.mark.slow  # one run of the tool, 8-15 s on 2 shared cores
def test_lite_sample(tiny_synthetic, tmp_path):
    ckpt = str(tmp_path / 'lite.pth')
    _lite_checkpoint(ckpt)
    out = str(tmp_path / 'out')
    result = subprocess.run([
        PYTHON, 'tools/gradcam.py', LITE, ckpt, '--indices', '3', '--method',
        'HiResCAM', '--out-dir', out,
        *as_cli({'test_dataloader.dataset.ann_file': tiny_synthetic})
    ],
                            cwd=ROOT,
                            capture_output=True,
                            text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    with open(osp.join(out, 'reliance.json')) as f:
        row = json.load(f)['samples'][0]
    assert row['layer'] == 'backbone.pre_logits' and row['in_person'] is None
    assert row['files'] == ('test_3_HiResCAM_skeleton.png;'
                            'test_3_HiResCAM_joints.png')
    joints = np.asarray(Image.open(osp.join(out, row['files'].split(';')[1])))
    assert joints.ndim == 3 and joints.std() > 0  # drawn, not blank
    assert 'gcn model, HiResCAM on backbone.pre_logits' in result.stdout
