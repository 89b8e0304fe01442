"""The Skeleton-C definition: versioned, validated, severity 0 clean."""
import copy

import pytest

from mmhar_robust.suites import load_suite
from mmhar_robust.suites.skeleton_c_v1 import SUITE
from mmhar_robust.suites.suite import _check


def test_v1_has_the_issue_families_and_five_severities():
    suite = load_suite('skeleton_c_v1')
    assert suite.version == 'skeleton_c_v1'
    assert list(suite.families) == [
        'noise', 'missing', 'occlusion', 'temporal', 'estimator', 'geometry'
    ]
    assert len(suite.corruptions) == 22
    assert all(len(c.levels) == 5 for c in suite.corruptions)
    assert suite.level('uniform_subsample', 0) == 0.0
    assert suite.level('uniform_subsample', 2) == 3.0
    assert suite.level('occlude_trunk', 5) == 1.0
    assert [c.name for c in suite.corruptions if c.two_person] == [
        'person_missing', 'identity_switch'
    ]
    assert [c.name for c in suite.select(dims='3d')
            if c.family == 'missing'] == [
                'joint_dropout', 'limb_dropout', 'person_missing'
            ]
    with pytest.raises(ValueError, match='0..5'):
        suite.level('rotation', 6)


def test_unknown_version_and_family_are_refused():
    with pytest.raises(ValueError, match="'skeleton_c_v9'.*skeleton_c_v1"):
        load_suite('skeleton_c_v9')
    with pytest.raises(ValueError, match="no family \\['weather'\\]"):
        load_suite().select(['weather'])


@pytest.mark.parametrize('edit,message', [
    (lambda s: s['families'][0]['corruptions'][0].update(levels=(1, 2)),
     '2 severities'),
    (lambda s: s['families'][0]['corruptions'][0].update(
        levels=(0.1, 0.05, 0.2, 0.3, 0.4)), 'increase'),
    (lambda s: s['families'][0]['corruptions'][0].pop('scale'), 'scale'),
    (lambda s: s['families'][1]['corruptions'][0].update(name='fog'),
     'unknown corruption'),
    (lambda s: s['families'][1]['corruptions'][0].update(dims=('4d', )),
     'dims'),
    (lambda s: s['families'][1]['corruptions'][0].update(
        levels=(0.1, 0.2, 0.3, 0.4, 1.5)), 'probability'),
])
def test_a_bad_definition_is_refused(edit, message):
    raw = copy.deepcopy(SUITE)
    edit(raw)
    with pytest.raises(ValueError, match=message):
        _check('skeleton_c_v1', raw, 'test')
