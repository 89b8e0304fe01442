"""The exact ``repr`` of every transform the package registers, with default
and with non-default arguments: the strings are written out by hand, so a
changed default, a dropped argument or a wrong quote shows."""
import inspect

import pytest
from mmengine.registry import init_default_scope

import mmhar_robust  # noqa: F401  (registers the transforms)
from mmhar_robust.registry import TRANSFORMS

FAST_DEFAULTS = (
    'FastGeneratePoseTarget(sigma=0.6, use_score=True, with_kp=True, '
    'with_limb=False, skeletons=((0, 1), (0, 2), (1, 3), (2, 4), (0, 5), '
    '(5, 7), (7, 9), (0, 6), (6, 8), (8, 10), (5, 11), (11, 13), (13, 15), '
    '(6, 12), (12, 14), (14, 16), (11, 12)), double=False, '
    'left_kp=(1, 3, 5, 7, 9, 11, 13, 15), '
    'right_kp=(2, 4, 6, 8, 10, 12, 14, 16), '
    'left_limb=(0, 2, 4, 5, 6, 10, 11, 12), '
    'right_limb=(1, 3, 7, 8, 9, 13, 14, 15), scaling=1.0)')

CASES = [
    (dict(type='AlignSkeleton'),
     "AlignSkeleton(z_axis=(0, 1), x_axis=(4, 8), mode='spine')"),
    (dict(
        type='AlignSkeleton',
        z_axis=[0, 20],
        x_axis=[8, 4],
        mode='prenormalize3d'),
     "AlignSkeleton(z_axis=(0, 20), x_axis=(8, 4), mode='prenormalize3d')"),
    (dict(type='CenterSkeleton'), 'CenterSkeleton(joint=1, per_frame=True)'),
    (dict(type='CenterSkeleton', joint=0,
          per_frame=False), 'CenterSkeleton(joint=0, per_frame=False)'),
    (dict(type='ClipWindow'), 'ClipWindow(max_missing_frames=5)'),
    (dict(type='InterpolateMissing'), 'InterpolateMissing(extrapolate=True)'),
    (dict(type='InterpolateMissing', extrapolate=False),
     'InterpolateMissing(extrapolate=False)'),
    (dict(type='TemporalMedianFilter'), 'TemporalMedianFilter(window=5)'),
    (dict(type='TemporalMedianFilter', window=3),
     'TemporalMedianFilter(window=3)'),
    (dict(type='ClipWindow',
          max_missing_frames=0), 'ClipWindow(max_missing_frames=0)'),
    (dict(type='FastGeneratePoseTarget'), FAST_DEFAULTS),
    (dict(
        type='FastGeneratePoseTarget',
        sigma=1.2,
        use_score=False,
        with_kp=False,
        with_limb=True,
        skeletons=((0, 1), (1, 2)),
        double=True,
        left_kp=(1, ),
        right_kp=(2, ),
        left_limb=(0, ),
        right_limb=(1, ),
        scaling=0.5),
     'FastGeneratePoseTarget(sigma=1.2, use_score=False, with_kp=False, '
     'with_limb=True, skeletons=((0, 1), (1, 2)), double=True, '
     'left_kp=(1,), right_kp=(2,), left_limb=(0,), right_limb=(1,), '
     'scaling=0.5)'),
    (dict(
        type='ForEachView',
        transforms=[
            dict(type='MergeHeatmaps', mode='sum'),
            dict(type='ClipWindow', max_missing_frames=2)
        ]), 'ForEachView(transforms=Compose(\n'
     "    MergeHeatmaps(mode='sum')\n"
     '    ClipWindow(max_missing_frames=2)\n'
     "), concat_keys=('imgs', 'keypoint'))"),
    (dict(type='ForEachView', transforms=[], concat_keys=['imgs']),
     "ForEachView(transforms=Compose(\n), concat_keys=('imgs',))"),
    (dict(type='FormatSkeletonVolume'),
     'FormatSkeletonVolume(num_persons=2, num_keypoints=17)'),
    (dict(type='FormatSkeletonVolume', num_persons=1, num_keypoints=25),
     'FormatSkeletonVolume(num_persons=1, num_keypoints=25)'),
    (dict(type='KeypointNoise'),
     "KeypointNoise(corruption='gaussian', level=0.0, scale='motion', "
     'seed=0, test_mode=False, two_views=False, corrupt_missing=False)'),
    (dict(
        type='KeypointNoise',
        corruption='joint_dropout',
        level=1,
        scale='body',
        seed=7,
        test_mode=True,
        two_views=True,
        corrupt_missing=True),
     "KeypointNoise(corruption='joint_dropout', level=1.0, scale='body', "
     'seed=7, test_mode=True, two_views=True, corrupt_missing=True)'),
    (dict(type='MarkLabeled',
          fraction=0.1), 'MarkLabeled(fraction=0.1, seed=0)'),
    (dict(type='MarkLabeled', fraction=1,
          seed=4), 'MarkLabeled(fraction=1, seed=4)'),
    (dict(type='MergeHeatmaps'), "MergeHeatmaps(mode='max')"),
    (dict(type='MergeHeatmaps', mode='sum'), "MergeHeatmaps(mode='sum')"),
    (dict(type='PadNullFrames'), "PadNullFrames(mode='last')"),
    (dict(type='PadNullFrames', mode='loop'), "PadNullFrames(mode='loop')"),
    (dict(type='RecordPoseShape'), 'RecordPoseShape()'),
    (dict(type='StripBackground'),
     "StripBackground(mask='box', margin=0.1, limb_width=None, "
     "score_thr=0.0, fill='black', blur_kernel=None, noise='uniform', "
     'swap_source=None, seed=0, keep_mask=False, drop_pose=False, '
     'edges=None)'),
    (dict(
        type='StripBackground',
        mask='silhouette',
        margin=0,
        limb_width=4.5,
        score_thr=0.2,
        fill='blur',
        blur_kernel=9,
        noise='gaussian',
        swap_source=['a.mp4', 'b.mp4'],
        seed=2,
        keep_mask=True,
        drop_pose=True,
        edges=[[0, 1], (1, 2)]),
     "StripBackground(mask='silhouette', margin=0, limb_width=4.5, "
     "score_thr=0.2, fill='blur', blur_kernel=9, noise='gaussian', "
     "swap_source=['a.mp4', 'b.mp4'], seed=2, keep_mask=True, "
     'drop_pose=True, edges=[(0, 1), (1, 2)])'),
    (dict(type='PackPoseInputs'),
     "PackPoseInputs(double=False, collect_keys=None, meta_keys=("
     "'img_shape', 'num_clips', 'clip_len', 'frame_dir', 'img_key', "
     "'video_id', 'timestamp'))"),
    (dict(type='PackPoseInputs', double=True,
          meta_keys=('img_shape', 'num_clips', 'clip_len')),
     "PackPoseInputs(double=True, collect_keys=None, meta_keys=("
     "'img_shape', 'num_clips', 'clip_len', 'double'))"),
    (dict(type='MotionBERTNormalize'), 'MotionBERTNormalize()'),
    (dict(type='COCOToH36M'), 'COCOToH36M(reorder_score=True)'),
    (dict(type='COCOToH36M', reorder_score=False),
     'COCOToH36M(reorder_score=False)'),
    (dict(type='MotionBERTPersons'), 'MotionBERTPersons(num_persons=2)'),
    (dict(type='MotionBERTPersons', num_persons=1),
     'MotionBERTPersons(num_persons=1)'),
    (dict(type='MotionBERTResample'),
     'MotionBERTResample(clip_len=243, maxlen=243, test_mode=False, '
     'seed=0)'),
    (dict(type='MotionBERTResample', clip_len=None, maxlen=100,
          test_mode=True, seed=3),
     'MotionBERTResample(clip_len=None, maxlen=100, test_mode=True, '
     'seed=3)'),
    (dict(type='TemporalCropResize'),
     'TemporalCropResize(clip_len=120, crop_ratio=(0.5, 1.0), '
     'crop_len=None, test_mode=False, seed=0)'),
    (dict(type='TemporalCropResize', clip_len=48, crop_ratio=[0.9, 0.9],
          crop_len=30, test_mode=True, seed=2),
     'TemporalCropResize(clip_len=48, crop_ratio=(0.9, 0.9), crop_len=30, '
     'test_mode=True, seed=2)'),
    (dict(type='MotionBERTRandomMove'),
     'MotionBERTRandomMove(angle_range=(-10.0, 10.0), scale_range=(0.9, '
     '1.1), translate_range=(-0.1, 0.1), move_time_candidate=(1,), '
     'seed=0)'),
    (dict(type='MotionBERTRandomMove', angle_range=[-5, 5],
          scale_range=[1, 1], translate_range=[0, 0.2],
          move_time_candidate=[1, 2], seed=4),
     'MotionBERTRandomMove(angle_range=(-5, 5), scale_range=(1, 1), '
     'translate_range=(0, 0.2), move_time_candidate=(1, 2), seed=4)'),
    (dict(type='MotionBERTCropScale'),
     'MotionBERTCropScale(scale_range=(1.0, 3.0), seed=0)'),
    (dict(type='MotionBERTCropScale', scale_range=[2, 2], seed=1),
     'MotionBERTCropScale(scale_range=(2.0, 2.0), seed=1)'),
    (dict(type='MotionBERTFormatInput'), 'MotionBERTFormatInput()'),
    (dict(type='ClipAugment'),
     'ClipAugment(filters=(add(value=(-40.0, 40.0)), multiply(factor=(0.8, '
     '1.2)), salt(fraction=(0.01, 0.05)), pepper(fraction=(0.01, 0.05)), '
     'elastic(alpha=(20.0, 40.0), sigma=(4.0, 6.0)), blur(sigma=(0.5, '
     "1.5)), flip()), mode='one', prob=1.0, seed=0, test_mode=False, "
     'left_kp=None, right_kp=None)'),
    (dict(type='ClipAugment', filters=['flip', dict(type='add',
                                                    value=(-10, 20))],
          mode='all', prob=0.5, seed=3, test_mode=True, left_kp=[1, 3],
          right_kp=[2, 4]),
     "ClipAugment(filters=(flip(), add(value=(-10.0, 20.0))), mode='all', "
     'prob=0.5, seed=3, test_mode=True, left_kp=(1, 3), right_kp=(2, 4))'),
]


@pytest.mark.parametrize(
    'cfg,expected',
    CASES,
    ids=[f'{i}-{cfg["type"]}' for i, (cfg, _) in enumerate(CASES)])
def test_repr_is_exact(cfg, expected):
    init_default_scope('mmaction')  # ForEachView builds its sub-pipeline
    assert repr(TRANSFORMS.build(dict(cfg))) == expected


def test_every_registered_transform_of_the_package_is_covered():
    ours = {
        name
        for name, cls in TRANSFORMS.module_dict.items()
        if cls.__module__.startswith('mmhar_robust.')
    }
    covered = {cfg['type'] for cfg, _ in CASES}
    assert ours == covered
    # Each with its defaults and, if it takes any, other arguments.
    for name in ours:
        takes = len(inspect.signature(TRANSFORMS.get(name)).parameters)
        cases = sum(cfg['type'] == name for cfg, _ in CASES)
        assert cases >= min(takes, 1) + 1, name
