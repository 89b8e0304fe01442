"""tools/convert/motionbert_to_mmaction.py on fake release files shaped
like the Lite config's model: the --config check passes for a matching file
and names the key of a mismatching one; a pose file is refused as an
action model."""
import importlib.util
import os.path as osp
import sys

import pytest
import torch

from conftest import ROOT

LITE = osp.join(ROOT, 'configs', 'skeleton', 'motionbert',
                'motionbert_dstformer-lite_1xb8-u16-8e_synthetic-xsub-'
                'keypoint.py')
LITE_DIMS = dict(dim_feat=256, mlp_hidden=1024, depth=1, dim_rep=256,
                 maxlen=16, num_joints=17, dim_in=3, dim_out=3, hidden_dim=512,
                 num_classes=13)


def _load(name, *parts):
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, osp.join(ROOT, *parts))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        sys.modules[name] = module
    return sys.modules[name]


@pytest.fixture(scope='module')
def tool():
    return _load('motionbert_to_mmaction', 'tools', 'convert',
                 'motionbert_to_mmaction.py')


@pytest.fixture(scope='module')
def release():
    return _load('motionbert_release', 'tests', 'models', 'utils',
                 'motionbert_release.py')


def test_converts_and_checks_against_the_config(tool, release, tmp_path,
                                                capsys):
    src, dst = str(tmp_path / 'best_epoch.bin'), str(tmp_path / 'out.pth')
    torch.save(release.fake_action_checkpoint(**LITE_DIMS), src)
    tool.main([src, dst, '--expect', 'action', '--config', LITE])
    assert '(action, ' in capsys.readouterr().out
    saved = torch.load(dst, weights_only=True)
    assert set(saved) == {'state_dict', 'meta'}
    assert 'cls_head.fc2.weight' in saved['state_dict']


def test_pretrained_file_checks_its_backbone(tool, release, tmp_path):
    src, dst = str(tmp_path / 'latest_epoch.bin'), str(tmp_path / 'b.pth')
    torch.save(release.fake_pretrained_checkpoint(**LITE_DIMS), src)
    tool.main([src, dst, '--config', LITE])
    with pytest.raises(KeyError, match='holds key model_pos'):
        tool.main([src, dst, '--expect', 'action'])


def test_mismatch_with_the_config_names_the_key(tool, release, tmp_path):
    src, dst = str(tmp_path / 'best_epoch.bin'), str(tmp_path / 'out.pth')
    torch.save(release.fake_action_checkpoint(**dict(LITE_DIMS, maxlen=243)),
               src)
    with pytest.raises(ValueError, match="'backbone.temp_embed' has shape "
                       r'\(1, 243, 1, 256\)'):
        tool.main([src, dst, '--config', LITE])
    assert not osp.exists(dst)
