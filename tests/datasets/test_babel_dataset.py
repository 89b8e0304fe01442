"""BABELDataset on files in the release's exact format."""
import os
import os.path as osp
import pickle

import numpy as np
import pytest
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope

import mmhar_robust  # noqa: F401
from mmhar_robust.datasets import BABELDataset, PoseAnnotationError
from mmhar_robust.datasets.babel_format import (write_label_map,
                                                write_release)

GCN_PIPELINE = [
    dict(type='PadNullFrames'),
    dict(type='CenterSkeleton'),
    dict(type='AlignSkeleton'),
    dict(type='GenSkeFeat', dataset='nturgb+d', feats=['j']),
    dict(type='UniformSampleFrames', clip_len=150, num_clips=1,
         test_mode=True),
    dict(type='PoseDecode'),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs')
]


def _release(folder, num=6, num_classes=60, labels=None, extra=False):
    """A hand-made split: sample i holds the value i + 1 + joint / 100 (no
    joint at the origin: in raw coordinates that means "missing")."""
    x = np.zeros((num, 3, 150, 25, 1), np.float32)
    for i in range(num):
        x[i, :, :100] = i + 1 + np.arange(25)[None, None, :, None] / 100
        x[i, 2, :100, 1] += 0.5  # the spine sits above the hip
        x[i, 0, :100, 8] += 0.3  # and the shoulders apart
    labels = list(range(num)) if labels is None else labels
    return write_release(
        str(folder), 'train', num_classes, x, [f'seg{i}' for i in range(num)],
        labels, [100 + i for i in range(num)], [0] * num, ['a'] * num,
        extra=extra), x


def test_reads_release_files_as_mmaction_pose_samples(tmp_path):
    paths, x = _release(tmp_path)
    names = [f'class {i}' for i in range(150)]
    write_label_map(str(tmp_path), names)
    ds = BABELDataset(paths['label_file'], pipeline=[])
    assert len(ds) == 6
    assert ds.num_classes == 60
    assert ds.metainfo['classes'] == tuple(names[:60])
    np.testing.assert_array_equal(ds.get_labels(), np.arange(6))
    sample = ds[3]
    assert sample['frame_dir'] == 'seg3_0_3'
    assert sample['sid'] == 103 and sample['total_frames'] == 150
    assert sample['keypoint'].dtype == np.float32
    assert sample['keypoint'].shape == (1, 150, 25, 3)
    np.testing.assert_array_equal(sample['keypoint'][0],
                                  x[3, :, :, :, 0].transpose(1, 2, 0))


def test_memory_mapped_and_not_pickled_with_the_dataset(tmp_path):
    paths, x = _release(tmp_path, num=40)
    ds = BABELDataset(paths['label_file'], pipeline=[])
    ds[0]
    assert isinstance(ds.skeletons, np.memmap)
    assert len(pickle.dumps(ds)) < x.nbytes / 4
    clone = pickle.loads(pickle.dumps(ds))
    np.testing.assert_array_equal(clone[5]['keypoint'], ds[5]['keypoint'])


def test_extra_variant_and_explicit_files(tmp_path):
    paths, _ = _release(tmp_path, extra=True, num_classes=120)
    assert paths['label_file'].endswith('train_extra_label_120.pkl')
    ds = BABELDataset(paths['label_file'], pipeline=[])
    assert ds.num_classes == 120
    assert ds.data_file == paths['data_file']
    assert 'classes' not in ds.metainfo  # no label map beside the files


def test_gcn_pipeline_runs_and_normalises(tmp_path):
    init_default_scope('mmaction')
    paths, _ = _release(tmp_path)
    ds = BABELDataset(paths['label_file'], pipeline=GCN_PIPELINE,
                      test_mode=True)
    batch = pseudo_collate([ds[i] for i in range(2)])
    inputs = batch['inputs'][0]
    assert tuple(inputs.shape) == (1, 2, 150, 25, 3)
    # null frames after frame 100 were padded, spine centred at the origin
    assert inputs[0, 0, 120].abs().sum() > 0
    assert inputs[0, 0, :, 1].abs().max() < 1e-6


def test_label_file_length_differs_from_array(tmp_path):
    paths, x = _release(tmp_path)
    np.save(paths['data_file'], x[:4])
    with pytest.raises(PoseAnnotationError) as err:
        BABELDataset(paths['label_file'], pipeline=[])
    assert 'holds 4 samples' in str(err.value)
    assert paths['label_file'] in str(err.value)
    assert paths['data_file'] in str(err.value)


def test_label_outside_the_class_set_names_the_sample(tmp_path):
    paths, _ = _release(tmp_path, labels=[0, 1, 2, 60, 4, 5])
    with pytest.raises(PoseAnnotationError,
                       match=r"train_label_60.pkl, sample #3 seg3, field "
                       r"'labels': label 60 is outside"):
        BABELDataset(paths['label_file'], pipeline=[])


def test_bad_structures_and_shapes(tmp_path):
    paths, x = _release(tmp_path)
    with open(paths['label_file'], 'wb') as f:
        pickle.dump({'labels': [0]}, f)
    with pytest.raises(PoseAnnotationError, match='expected \\(sample_names'):
        BABELDataset(paths['label_file'], pipeline=[])
    with open(paths['label_file'], 'wb') as f:
        pickle.dump((['a', 'b'], ([0, 1], [1], [0, 0], ['x', 'y'])), f)
    with pytest.raises(PoseAnnotationError, match="field 'sid'"):
        BABELDataset(paths['label_file'], pipeline=[])
    paths, x = _release(tmp_path)
    np.save(paths['data_file'], x[:, :, :, :17])
    with pytest.raises(PoseAnnotationError, match=r'\(N, 3, T, 25, M\)'):
        BABELDataset(paths['label_file'], pipeline=[])
    with pytest.raises(FileNotFoundError, match='val_label_60'):
        BABELDataset(osp.join(tmp_path, 'val_label_60.pkl'), pipeline=[])
    with pytest.raises(ValueError, match='pass data_file'):
        BABELDataset(osp.join(tmp_path, 'labels.pkl'), pipeline=[])


def test_nan_sample_is_named_when_read(tmp_path):
    paths, x = _release(tmp_path)
    x[2, 1, 7, 3, 0] = np.nan
    np.save(paths['data_file'], x)
    ds = BABELDataset(paths['label_file'], pipeline=[])
    ds[1]
    with pytest.raises(PoseAnnotationError,
                       match=r'sample #2 seg2.*\(0, 7, 3, 1\)'):
        ds[2]


def test_bad_label_map(tmp_path):
    paths, _ = _release(tmp_path)
    write_label_map(str(tmp_path), ['walk', 'stand'])
    with pytest.raises(PoseAnnotationError, match='no name for indices'):
        BABELDataset(paths['label_file'], pipeline=[])


class _Touch:
    """Unpickles as ``os.system('touch <marker>')``."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f'touch {self.marker}', ))


def test_label_file_without_samples_fails_at_load(tmp_path):
    paths, _ = _release(tmp_path, num=0)
    with pytest.raises(PoseAnnotationError, match='holds no samples') as info:
        BABELDataset(paths['label_file'], pipeline=[])
    assert info.value.source == paths['label_file']


def test_crafted_label_file_runs_nothing(tmp_path):
    from mmhar_robust.datasets.babel_format import read_labels
    from mmhar_robust.utils.safe_pickle import UnsafePickleError
    paths, _ = _release(tmp_path, num=2)
    marker = str(tmp_path / 'pwned')
    with open(paths['label_file'], 'wb') as f:
        pickle.dump(
            (['a', 'b'], ([0, 1], [1, 2], [0, 0], [_Touch(marker), 'y'])), f)
    with pytest.raises(UnsafePickleError) as info:
        BABELDataset(paths['label_file'], pipeline=[])
    assert not osp.exists(marker)
    assert info.value.source == paths['label_file']
    assert info.value.global_name == f'{os.system.__module__}.system'
    assert read_labels(
        paths['label_file'], 60, safe=False).seg_ids == ['a', 'b']
    assert osp.exists(marker)  # the opt-out is plain pickle


@pytest.mark.parametrize('cut,what', [
    (np.s_[:, :, :0], r'no frames \(T = 0\): shape \(6, 3, 0, 25, 1\)'),
    (np.s_[..., :0], r'no person \(M = 0\): shape \(6, 3, 150, 25, 0\)'),
])
def test_array_without_frames_or_persons_fails_at_load(tmp_path, cut, what):
    paths, x = _release(tmp_path)
    np.save(paths['data_file'], x[cut])
    with pytest.raises(PoseAnnotationError, match=what) as info:
        BABELDataset(paths['label_file'], pipeline=[])
    assert info.value.source == paths['data_file']
    assert info.value.field == 'keypoint'


@pytest.mark.parametrize('chunk_size', [1, 2, 256])
def test_check_finite_names_the_first_bad_sample_and_counts(
        tmp_path, chunk_size):
    from mmhar_robust.datasets.babel_format import check_finite
    x = np.zeros((6, 3, 4, 25, 2), np.float32)
    x[5, 0, 0, 0, 0] = np.nan
    x[3, 2, 1, 7, 1] = -np.inf  # (C, T, V, M) = (2, 1, 7, 1)
    names = [f'seg{i}' for i in range(6)]
    check_finite(x[:3], 'a.npy', names, chunk_size)  # no error
    with pytest.raises(PoseAnnotationError) as info:
        check_finite(x, 'a.npy', names, chunk_size)
    assert str(info.value) == (
        "a.npy, sample #3 seg3, field 'keypoint': holds NaN or infinite "
        'values in 2 of 6 samples, first at (person, frame, joint, coord) '
        '= (1, 1, 7, 2)')
