"""Skeleton-C v1: the definition of the corruption suite, as data.

Do not edit a published version: a change of any value is a new version
(``skeleton_c_v2.py``, added to ``suite.KNOWN_VERSIONS``), so that a number
cited as "Skeleton-C v1" always means the same inputs. Read it with
:func:`mmhar_robust.suites.load_suite`; docs/skeleton_c.md has the table.

Each corruption names a function of the corruption registry
(``mmhar_robust/datasets/transforms/corruptions``) and the level of each of
its 5 severities; severity 0 is the clean input. ``scale`` is the unit of
additive noise (the body's size works the same in 2D pixels and 3D metres);
``dims`` the data it applies to; ``two_person``: one-person clips are
skipped (left out of its accuracy and counted).
"""
BODY_NOISE = (0.01, 0.02, 0.04, 0.07, 0.1)
BLOCK = (0.2, 0.4, 0.6, 0.8, 1.0)
BOTH = ('2d', '3d')


def _occlusion(part: str, rationale: str) -> dict:
    return dict(
        name=f'occlude_{part}', levels=BLOCK, dims=BOTH, rationale=rationale)


SUITE = dict(
    version='skeleton_c_v1',
    num_severities=5,
    families=[
        dict(
            name='noise',
            corruptions=[
                dict(
                    name='gaussian', levels=BODY_NOISE, scale='body',
                    dims=BOTH,
                    rationale='seed 001\'s Gaussian keypoint noise, with '
                    'std as a fraction of the body\'s size so that a '
                    'severity means the same in pixels and metres (seed '
                    '001\'s alpha 0.015 on NTU is about severity 3)'),
                dict(
                    name='laplace', levels=BODY_NOISE, scale='body',
                    dims=BOTH,
                    rationale='heavier tails than the Gaussian at the '
                    'same std: the sharp errors of a heatmap argmax'),
                dict(
                    name='student_t', levels=BODY_NOISE, scale='body',
                    dims=BOTH,
                    rationale='Student-t (3 dof) at the same std: mostly '
                    'small errors with rare wild ones, like a detector\'s '
                    'outliers'),
            ]),
        dict(
            name='missing',
            corruptions=[
                dict(
                    name='joint_dropout', levels=(0.05, 0.1, 0.2, 0.3, 0.5),
                    dims=BOTH,
                    rationale='single joints missed independently, as low '
                    'scores filtered out by a pose estimator'),
                dict(
                    name='limb_dropout', levels=(0.05, 0.1, 0.2, 0.3, 0.5),
                    dims=BOTH,
                    rationale='whole limbs missed per frame: self-'
                    'occlusion and motion blur act on limbs, not joints'),
                dict(
                    name='person_missing', levels=BLOCK, dims=BOTH,
                    two_person=True,
                    rationale='one of two interacting persons lost by the '
                    'detector for part of the clip (NTU\'s mutual actions)'),
                dict(
                    name='low_confidence', levels=(0.1, 0.2, 0.4, 0.6, 0.8),
                    dims=('2d', ),
                    rationale='coordinates kept but scores cut to a tenth: '
                    'tests models that weight joints by confidence; 3D '
                    'data has no scores'),
            ]),
        dict(
            name='occlusion',
            corruptions=[
                _occlusion('left_arm', 'RA-GCN\'s occlusion of the left '
                           'arm, over a block of the clip (1: all of it)'),
                _occlusion('right_arm', 'RA-GCN\'s right arm, as left'),
                _occlusion('both_hands', 'RA-GCN\'s two hands: the fine '
                           'joints most actions are told by'),
                _occlusion('legs', 'RA-GCN\'s two legs: a desk or a '
                           'cropped frame'),
                _occlusion('trunk', 'RA-GCN\'s trunk (COCO-17: the head, '
                           'its only axial joints)'),
            ]),
        dict(
            name='temporal',
            corruptions=[
                dict(
                    name='uniform_subsample', levels=(2, 3, 4, 6, 8),
                    dims=BOTH,
                    rationale='SHARDeg\'s lower frame rate, by this factor '
                    '(frames 0, k, 2k ... kept, the others missing)'),
                dict(
                    name='random_subsample', levels=(2, 3, 4, 6, 8),
                    dims=BOTH,
                    rationale='SHARDeg\'s random subsampling: as many '
                    'frames as the uniform one keeps, drawn at random'),
                dict(
                    name='block_drop', levels=(0.1, 0.2, 0.3, 0.4, 0.5),
                    dims=BOTH,
                    rationale='SHARDeg\'s one dropped block, this fraction '
                    'of the clip: a stalled stream'),
                dict(
                    name='frame_jitter', levels=(1, 2, 3, 4, 6), dims=BOTH,
                    rationale='capture timing jitter of up to this many '
                    'frames: repeated and reordered frames'),
            ]),
        dict(
            name='estimator',
            corruptions=[
                dict(
                    name='limb_swap', levels=(0.05, 0.1, 0.2, 0.3, 0.5),
                    dims=BOTH,
                    rationale='left and right exchanged on this fraction '
                    'of frames: the commonest pose-estimator error'),
                dict(
                    name='identity_switch', levels=(1, 2, 3, 4, 6),
                    dims=BOTH, two_person=True,
                    rationale='the tracker swaps the two persons this many '
                    'times'),
                dict(
                    name='frozen_joint', levels=(1, 2, 3, 5, 8), dims=BOTH,
                    rationale='this many joints per person stuck from a '
                    'random frame on: a lost track held at its last place'),
            ]),
        dict(
            name='geometry',
            corruptions=[
                dict(
                    name='rotation', levels=(5, 10, 20, 30, 45), dims=BOTH,
                    rationale='camera rotation in degrees (2D: in-plane '
                    'roll; 3D: about the vertical axis, a new viewpoint)'),
                dict(
                    name='scaling', levels=(0.1, 0.2, 0.3, 0.5, 0.75),
                    dims=BOTH,
                    rationale='camera distance: a zoom by 1 + level or its '
                    'inverse'),
                dict(
                    name='translation', levels=(0.05, 0.1, 0.2, 0.3, 0.5),
                    dims=BOTH,
                    rationale='camera shift by this fraction of the body '
                    'size: tests the pipeline\'s centring'),
            ]),
    ])
