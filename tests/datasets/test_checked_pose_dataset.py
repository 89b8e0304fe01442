"""Bad pose annotations fail with the file, the sample and the field named."""
import copy
import pickle

import numpy as np
import pytest

from mmhar_robust.datasets import CheckedPoseDataset, PoseAnnotationError


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
