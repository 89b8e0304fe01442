"""Bad pose annotations fail with the file, the sample and the field named."""
import copy
import datetime
import os
import os.path as osp
import pickle

import numpy as np
import pytest

from mmhar_robust.datasets import CheckedPoseDataset, PoseAnnotationError
from mmhar_robust.utils.safe_pickle import UnsafePickleError


@pytest.fixture(scope='module')
def tiny_data(tiny_synthetic):
    with open(tiny_synthetic, 'rb') as f:
        return pickle.load(f)


def _write(tmp_path, data, name='ann.pkl'):
    path = str(tmp_path / name)
    with open(path, 'wb') as f:
        pickle.dump(data, f)
    return path


def _load(path, **kwargs):
    kwargs.setdefault('split', 'xsub_train')
    return CheckedPoseDataset(ann_file=path, pipeline=[], **kwargs)


def test_loads_the_same_samples_as_mmaction_pose_dataset(tiny_synthetic):
    from mmaction.datasets import PoseDataset
    ours = _load(tiny_synthetic, num_classes=13, num_keypoints=17)
    theirs = PoseDataset(
        ann_file=tiny_synthetic, pipeline=[], split='xsub_train')
    assert len(ours) == len(theirs) == 26
    a, b = ours.get_data_info(5), theirs.get_data_info(5)
    assert a['frame_dir'] == b['frame_dir']
    np.testing.assert_array_equal(a['keypoint'], b['keypoint'])


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match='nothere.pkl'):
        _load(str(tmp_path / 'nothere.pkl'))


def test_truncated_pickle(tmp_path, tiny_synthetic):
    raw = open(tiny_synthetic, 'rb').read()
    path = str(tmp_path / 'broken.pkl')
    open(path, 'wb').write(raw[:len(raw) // 2])
    with pytest.raises(PoseAnnotationError, match='broken.pkl.*cannot read'):
        _load(path)


def test_wrong_structure_and_unknown_split(tmp_path, tiny_data):
    with pytest.raises(PoseAnnotationError, match="'split' and 'annotations'"):
        _load(_write(tmp_path, {'foo': 1}))
    with pytest.raises(
            PoseAnnotationError,
            match=r"split 'xview_train' not found.*xsub_train"):
        _load(_write(tmp_path, tiny_data), split='xview_train')


@pytest.mark.parametrize('field,corrupt,message', [
    ('keypoint', lambda a: a.update(keypoint=a['keypoint'][0]),
     r'\(M, T, V, C\)'),
    ('keypoint', lambda a: a['keypoint'].__setitem__(
        (0, 3, 4, 1), np.nan), r'NaN or infinite.*\(0, 3, 4, 1\)'),
    ('keypoint', lambda a: a['keypoint'].__setitem__(
        (0, 0, 0, 0), np.inf), 'NaN or infinite'),
    ('keypoint', lambda a: a.update(keypoint=a['keypoint'][:, :, :15]),
     'has 15 joints, expected 17'),
    ('keypoint', lambda a: a.update(total_frames=a['total_frames'] + 1),
     'total_frames'),
    ('label', lambda a: a.update(label=13), r'13 is outside \[0, 13\)'),
    ('label', lambda a: a.update(label=-1), 'outside'),
    ('label', lambda a: a.pop('label'), 'is missing'),
    ('keypoint_score',
     lambda a: a.update(keypoint_score=a['keypoint_score'][:, 1:]),
     'does not match'),
])
def test_bad_sample_names_file_sample_and_field(tmp_path, tiny_data, field,
                                                corrupt, message):
    data = copy.deepcopy(tiny_data)
    victim = data['annotations'][4]
    corrupt(victim)
    path = _write(tmp_path, data, 'corrupt.pkl')
    with pytest.raises(PoseAnnotationError, match=message) as info:
        _load(path, num_classes=13, num_keypoints=17)
    err = info.value
    assert err.source == path and err.field == f'{field}'
    assert err.sample == repr(victim['frame_dir'])
    assert 'corrupt.pkl' in str(err) and victim['frame_dir'] in str(err)


def test_sample_without_persons_fails_at_load(tmp_path, tiny_data):
    data = copy.deepcopy(tiny_data)
    victim = data['annotations'][2]
    victim['keypoint'] = victim['keypoint'][:0]
    victim['keypoint_score'] = victim['keypoint_score'][:0]
    path = _write(tmp_path, data, 'nobody.pkl')
    with pytest.raises(PoseAnnotationError, match='holds no person') as info:
        _load(path)
    err = info.value
    assert (err.source, err.sample, err.field) == (path,
                                                   repr(victim['frame_dir']),
                                                   'keypoint')
    assert 'nobody.pkl' in str(err) and '(0, ' in str(err)


@pytest.mark.parametrize('empty,message', [
    (lambda d: d['split'].update(xsub_train=[]),
     "split 'xsub_train' lists no samples"),
    (lambda d: d['split'].update(xsub_train=['nowhere_1', 'nowhere_2']),
     "none of the 2 samples of split 'xsub_train'"),
])
def test_empty_split_fails_at_load_naming_file_and_split(
        tmp_path, tiny_data, empty, message):
    data = copy.deepcopy(tiny_data)
    empty(data)
    path = _write(tmp_path, data, 'empty.pkl')
    with pytest.raises(PoseAnnotationError, match=message) as info:
        _load(path)
    assert info.value.source == path and info.value.field == 'split'
    assert str(info.value).startswith(path)


def test_file_without_samples_fails_at_load(tmp_path):
    path = _write(tmp_path, dict(split={}, annotations=[]), 'none.pkl')
    with pytest.raises(PoseAnnotationError, match='holds no samples'):
        _load(path, split=None)


class _Touch:
    """Unpickles as ``os.system('touch <marker>')``."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f'touch {self.marker}', ))


def test_crafted_annotation_file_runs_nothing(tmp_path, tiny_data):
    data = copy.deepcopy(tiny_data)
    marker = str(tmp_path / 'pwned')
    data['annotations'][0]['frame_dir'] = _Touch(marker)
    path = _write(tmp_path, data, 'crafted.pkl')
    with pytest.raises(UnsafePickleError) as info:
        _load(path)
    assert not osp.exists(marker)
    assert path in str(info.value)
    assert info.value.global_name == f'{os.system.__module__}.system'


def test_safe_load_false_reads_a_trusted_file_with_custom_objects(
        tmp_path, tiny_data):
    data = copy.deepcopy(tiny_data)
    data['annotations'][0]['recorded'] = datetime.date(2020, 1, 2)
    path = _write(tmp_path, data, 'custom.pkl')
    with pytest.raises(UnsafePickleError, match="'datetime.date'"):
        _load(path)
    ds = _load(path, safe_load=False)
    recorded = [ds.get_data_info(i).get('recorded') for i in range(len(ds))]
    assert datetime.date(2020, 1, 2) in recorded


def test_per_sample_skeleton_files_are_read_safely(tmp_path, tiny_data):
    """With ``data_prefix['skeleton']`` PoseDataset unpickles one file per
    sample with pickle.load; ours reads them restricted."""
    from mmengine.dataset import BaseDataset
    names = tiny_data['split']['xsub_train'][:2]
    marker = str(tmp_path / 'pwned')
    folder = tmp_path / 'skeletons'
    folder.mkdir()
    with open(folder / f'{names[0]}.pkl', 'wb') as f:
        pickle.dump({'extra': np.arange(3)}, f)
    with open(folder / f'{names[1]}.pkl', 'wb') as f:
        pickle.dump({'extra': _Touch(marker)}, f)
    ds = _load(
        _write(tmp_path, tiny_data), data_prefix=dict(skeleton=str(folder)))
    index = {
        BaseDataset.get_data_info(ds, i)['frame_dir']: i
        for i in range(len(ds))
    }
    np.testing.assert_array_equal(
        ds.get_data_info(index[names[0]])['extra'], np.arange(3))
    with pytest.raises(UnsafePickleError, match=f'{names[1]}.pkl'):
        ds.get_data_info(index[names[1]])
    assert not osp.exists(marker)
