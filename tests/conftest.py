"""Shared fixtures: a tiny synthetic dataset and config overrides for fast runs."""
import os.path as osp
import sys
from typing import Dict, List

import pytest

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
SYNTHETIC_CONFIG = osp.join(
    ROOT, 'configs', 'skeleton', 'posec3d',
    'slowonly_r50-tiny_1xb8-u16-12e_synthetic-xsub-keypoint.py')


@pytest.fixture(scope='session')
def tiny_synthetic(tmp_path_factory) -> str:
    """A 39-clip synthetic set (3 subjects x 13 classes): 26 train, 13 val."""
    from mmhar_robust.synthetic import (SyntheticSkeletonConfig,
                                        SyntheticSkeletonGenerator)
    path = str(tmp_path_factory.mktemp('synthetic') / 'tiny_2d.pkl')
    SyntheticSkeletonGenerator(
        SyntheticSkeletonConfig(
            num_subjects=3,
            repeats=1,
            frames_range=(20, 40),
            train_fraction=0.67)).dump(path)
    return path


@pytest.fixture(scope='session')
def tiny_synthetic_3d(tmp_path_factory) -> str:
    """The tiny synthetic set as NTU-25 3D joints, for 3D pickle configs."""
    from mmhar_robust.synthetic import (SyntheticSkeletonConfig,
                                        SyntheticSkeletonGenerator)
    path = str(tmp_path_factory.mktemp('synthetic_3d') / 'tiny_3d.pkl')
    SyntheticSkeletonGenerator(
        SyntheticSkeletonConfig(
            num_subjects=3, repeats=1, frames_range=(20, 40),
            train_fraction=0.67, layout='nturgb+d')).dump(path)
    return path


@pytest.fixture(scope='session')
def tiny_babel(tmp_path_factory) -> Dict[str, Dict[str, str]]:
    """BABEL-60 release files (exact format) for 3 subjects x 13 classes:
    one 150-frame chunk per clip, zero-padded like BABEL's."""
    from mmhar_robust.synthetic import (SyntheticSkeletonConfig, export_babel)
    folder = str(tmp_path_factory.mktemp('babel'))
    return export_babel(
        folder,
        SyntheticSkeletonConfig(
            num_subjects=3, repeats=1, frames_range=(60, 120),
            train_fraction=0.67),
        num_classes=60)


@pytest.fixture(scope='session')
def tiny_bast(tmp_path_factory) -> Dict:
    """A BAST folder (docs/bast.md) of synthetic 2D clips: 3 subjects x 9
    classes as consecutive segments of 10 fps videos."""
    from mmhar_robust.synthetic import (CLASS_NAMES, SyntheticSkeletonConfig,
                                        export_bast)
    return export_bast(
        str(tmp_path_factory.mktemp('bast')),
        SyntheticSkeletonConfig(
            num_subjects=3, repeats=1, fps=10.0, frames_range=(80, 160),
            train_fraction=0.67, classes=CLASS_NAMES[:9]))


@pytest.fixture(scope='session')
def tiny_video(tmp_path_factory) -> str:
    """A biased synthetic video set (2 subjects x 13 classes, 16 frames of
    64 x 64): the folder holding annotations.pkl, videos/ and plates/."""
    from mmhar_robust.synthetic.video import (SyntheticVideoConfig,
                                              SyntheticVideoGenerator)
    root = str(tmp_path_factory.mktemp('video') / 'biased')
    SyntheticVideoGenerator(
        SyntheticVideoConfig(num_subjects=2, repeats=1, frames=16,
                             train_fraction=0.5)).dump(root)
    return root


def fast_train_options(ann_file: str, epochs: int = 1) -> Dict[str, object]:
    """Config overrides for a training run of seconds on the tiny set."""
    options: Dict[str, object] = {
        'train_cfg.max_epochs': epochs,
        'train_cfg.val_begin': 1
    }
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        options.update({
            f'{loader}.dataset.ann_file': ann_file,
            f'{loader}.batch_size': 8,
            f'{loader}.num_workers': 0,
            f'{loader}.persistent_workers': False,
        })
    return options


def as_cli(options: Dict[str, object]) -> List[str]:
    """``--cfg-options`` arguments for a dict of overrides."""
    return ['--cfg-options'] + [f'{k}={v}' for k, v in options.items()]


PYTHON = sys.executable
