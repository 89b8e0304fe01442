"""What a sweep's header holds and how two headers are compared: canonical
config digests, annotation and code digests, and changes in words."""
import hashlib
import json

import numpy as np
import pytest
from mmengine.config import ConfigDict

from mmhar_robust.engine.runner import (BackgroundSweepTestLoop,
                                        NoiseSweepTestLoop)
from mmhar_robust.engine.runner.sweep_identity import (annotation_digests,
                                                       canonical_json,
                                                       code_digests,
                                                       config_digest,
                                                       header_changes, plain)


class Opaque:
    """An object whose repr holds its address."""


def test_plain_is_the_same_in_every_process():
    value = ConfigDict(
        type=Opaque,
        size=(1, 2),
        scale=np.float32(0.5),
        shape=np.array([3, 4]),
        keys={'b', 'a'},
        fn=len,
        obj=Opaque())
    assert plain(value) == {
        'type': f'{__name__}.Opaque',
        'size': [1, 2],
        'scale': 0.5,
        'shape': [3, 4],
        'keys': ['a', 'b'],
        'fn': 'builtins.len',
        'obj': f'<{__name__}.Opaque object>'
    }
    assert canonical_json(dict(b=1, a=[1, 2])) == '{"a":[1,2],"b":1}'


def test_config_digest_is_canonical_json_sha256():
    a = dict(type='PoseDataset', pipeline=[dict(type='X', n=1)])
    b = ConfigDict(pipeline=[ConfigDict(n=1, type='X')], type='PoseDataset')
    text = '{"pipeline":[{"n":1,"type":"X"}],"type":"PoseDataset"}'
    assert config_digest(a) == config_digest(b) == hashlib.sha256(
        text.encode()).hexdigest()
    assert config_digest(dict(a, pipeline=[dict(type='X', n=2)])) != \
        config_digest(a)


class Part:

    def __init__(self, **files):
        self.__dict__.update(files)


def test_annotation_digests_follow_wrapped_datasets(tmp_path):
    ann, data = tmp_path / 'ann.pkl', tmp_path / 'data.npy'
    ann.write_bytes(b'annotations')
    data.write_bytes(b'skeletons')
    concat = Part(datasets=[
        Part(ann_file=str(ann)),
        Part(dataset=Part(data_file=str(data), label_file='missing.txt'))
    ])
    assert annotation_digests(concat) == {
        str(ann): hashlib.sha256(b'annotations').hexdigest(),
        str(data): hashlib.sha256(b'skeletons').hexdigest()
    }


def test_code_digests_and_their_changes(tmp_path):
    (tmp_path / 'noise').mkdir()
    (tmp_path / 'noise' / 'a.py').write_text('x = 1\n')
    (tmp_path / 'noise' / 'notes.txt').write_text('not code')
    (tmp_path / 'b.py').write_text('y = 2\n')
    old = code_digests(['noise', 'b.py'], root=str(tmp_path))
    assert old == {
        'noise/a.py': hashlib.sha256(b'x = 1\n').hexdigest(),
        'b.py': hashlib.sha256(b'y = 2\n').hexdigest()
    }
    (tmp_path / 'noise' / 'a.py').write_text('x = 1.5\n')
    new = code_digests(['noise', 'b.py'], root=str(tmp_path))
    assert header_changes(dict(code=old), dict(code=new)) == [
        f'corruption code noise/a.py changed (sha256 {old["noise/a.py"][:12]}'
        f'... -> {new["noise/a.py"][:12]}...)'
    ]


@pytest.mark.parametrize('loop,expected', [
    (NoiseSweepTestLoop, 'datasets/transforms/corruptions/additive.py'),
    (BackgroundSweepTestLoop, 'datasets/transforms/background/fills.py'),
])
def test_the_loops_name_their_corruption_code(loop, expected):
    digests = code_digests(loop.code_files)
    assert expected in digests and 'utils/sample.py' in digests


def test_header_changes_in_words():
    old = dict(
        model='a',
        checkpoint='/x/a.pth',
        seed=0,
        annotations={
            'ann.pkl': '1' * 64,
            'gone.pkl': '3' * 64
        },
        test_dataset=dict(pipeline=[dict(type='S', num_clips=1)]),
        test_dataset_sha256='d' * 64)
    new = json.loads(json.dumps(old))
    new.update(checkpoint='/y/a.pth', seed=2, test_dataset_sha256='e' * 64)
    new['annotations'] = {'ann.pkl': '1' * 64, 'new.pkl': '4' * 64}
    new['test_dataset']['pipeline'][0]['num_clips'] = 10
    new['test_dataset']['pipeline'].append(dict(type='T'))
    assert header_changes(
        old, new, ignore=('checkpoint', )) == [
            'annotation file gone.pkl no longer read',
            'annotation file new.pkl now read',
            'seed: 0 -> 2',
            'test_dataset.pipeline[0].num_clips: 1 -> 10',
            'test_dataset.pipeline[1].type: null -> \'T\'',
        ]
    assert header_changes(old, old) == []
    # The checkpoint's path does not decide a row, its digest does.
    base = dict(checkpoint='/x/a.pth', checkpoint_sha256='a' * 8)
    moved = dict(base, checkpoint='/z/a.pth')
    assert header_changes(base, moved, ignore=('checkpoint', )) == []
    other = dict(moved, checkpoint_sha256='b' * 8)
    assert header_changes(
        base, other, ignore=('checkpoint', )) == [
            "checkpoint_sha256: 'aaaaaaaa' -> 'bbbbbbbb'"
        ]
    many = dict(test_dataset={f'k{i}': i for i in range(12)})
    lines = header_changes(dict(test_dataset=dict(k0=0)), many, limit=3)
    assert lines == [
        'test_dataset.k1: null -> 1', 'test_dataset.k10: null -> 10',
        'test_dataset.k11: null -> 11', '... and 8 more in test_dataset'
    ]
