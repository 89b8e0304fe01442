"""The Grad-CAM person mask on data shaped like real data: a 1920 x 1080
video, a 480 x 270 resized copy of it with the 1080p pose file,
mmaction2's ThreeCrop test views, keypoints normalised to [0, 1], NTU-25
skeletons; masks checked pixel by pixel against coordinates worked out by
hand, and bad samples refused before any CAM is computed."""
import pickle

import cv2
import numpy as np
import pytest

import mmhar_robust  # noqa: F401
from mmengine.registry import init_default_scope

from mmhar_robust.visualization.cam.explain import explain_samples
from mmhar_robust.visualization.cam.file_samples import file_sample
from mmhar_robust.visualization.cam.reliance import (in_person_fraction,
                                                     mask_like)
from mmhar_robust.visualization.cam.sample_masks import (check_mask,
                                                         person_mask_of)

THREE_CROP = [
    dict(type='DecordInit'),
    dict(
        type='SampleFrames',
        clip_len=2,
        frame_interval=1,
        num_clips=1,
        test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 32)),
    dict(type='ThreeCrop', crop_size=32),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
# The person's keypoints in the 1920 x 1080 frame: a column of 17 joints
# spanning x 801.5..1117.5, y 241.5..877.5 (box 316 x 636 px).
X0, X1, Y0, Y1 = 801.5, 1117.5, 241.5, 877.5


def write_video(path, width, height, frames=2):
    writer = cv2.VideoWriter(
        str(path), cv2.VideoWriter_fourcc(*'mp4v'), 10, (width, height))
    for _ in range(frames):
        writer.write(np.full((height, width, 3), 60, np.uint8))
    writer.release()
    return str(path)


def write_pose(path, keypoint, **fields):
    with open(path, 'wb') as f:
        pickle.dump(dict(keypoint=keypoint, **fields), f)
    return str(path)


def column_keypoints(joints=17, frames=2):
    kp = np.zeros((1, frames, joints, 2), np.float32)
    kp[0, :, :, 0] = np.linspace(X0, X1, joints)
    kp[0, :, :, 1] = np.linspace(Y0, Y1, joints)
    return kp


@pytest.fixture(scope='module')
def real_shaped(tmp_path_factory):
    """A 1080p video, its 480 x 270 copy, and the 1080p pose file."""
    root = tmp_path_factory.mktemp('real')
    return dict(
        full=write_video(root / 'full.mp4', 1920, 1080),
        small=write_video(root / 'small.mp4', 480, 270),
        pose=write_pose(
            root / 'pose.pkl', column_keypoints(), img_shape=(1080, 1920)),
        root=root)


def expected_three_crop_mask():
    """By hand. Resize(-1, 32) makes 270 x 480 (or 1080 x 1920) frames
    32 x 57 (mmcv: int(480 * 32 / 270 + 0.5) = 57); ThreeCrop(32) cuts x at
    0, 24 and 12 (step (57 - 32) // 2 = 12), in that order.

    480 x 270: the keypoints at 1/4 scale are x = (x' + 0.5) / 4 - 0.5, so
    200..279 and y 60..219; the box (margin 0.1 x 160 = 16 px) covers
    pixels x 184..295, y 44..235. The 57-wide frame's column k has its
    centre at (k + 0.5) * 480 / 57 - 0.5, nearest pixel floor((k + 0.5) *
    8.421): k = 21 -> 181 (out), 22 -> 189 (in), 34 -> 290 (in), 35 -> 298
    (out). Rows: floor((r + 0.5) * 8.4375): 4 -> 37, 5 -> 46, 27 -> 232,
    28 -> 240, so rows 5..27.

    1920 x 1080: the box (pad 63.6 px) covers x 738..1181, y 178..941;
    floor((k + 0.5) * 33.684): 21 -> 724, 22 -> 757, 34 -> 1162, 35 -> 1195;
    floor((r + 0.5) * 33.75): 4 -> 151, 5 -> 185, 27 -> 928, 28 -> 961:
    the same columns 22..34 and rows 5..27.

    So in each crop: left (x 0..31) columns 22..31, right (x 24..55)
    columns 0..10, middle (x 12..43) columns 10..22.
    """
    mask = np.zeros((3, 2, 32, 32), bool)
    mask[0, :, 5:28, 22:32] = True
    mask[1, :, 5:28, 0:11] = True
    mask[2, :, 5:28, 10:23] = True
    return mask.reshape(6, 32, 32)


@pytest.mark.parametrize('video', ['full', 'small'])
def test_three_crop_mask_of_the_video_and_its_resized_copy(real_shaped, video):
    init_default_scope('mmaction')
    sample = file_sample(THREE_CROP, 'rgb', real_shaped[video],
                         real_shaped['pose'])
    assert tuple(sample.packed['inputs'].shape) == (3, 3, 2, 32, 32)
    mask = person_mask_of(sample, 'box')
    np.testing.assert_array_equal(mask, expected_three_crop_mask())
    # A CAM that is 1 on the left crop's person columns only: all of its
    # mass is on the person; 1 on the right crop's: 11/32 of it.
    cam = np.zeros((3, 2, 32, 32))
    cam[0, :, 5:28, 22:32] = 1.0
    assert in_person_fraction(cam, mask_like(mask, cam)) == 1.0
    cam = np.zeros((3, 2, 32, 32))
    cam[1, :, 5:28, :] = 1.0
    assert in_person_fraction(cam, mask_like(mask, cam)) == 11 / 32


def test_normalised_keypoints_are_refused(real_shaped):
    init_default_scope('mmaction')
    kp = column_keypoints() / np.array([1920, 1080], np.float32)
    pose = write_pose(
        real_shaped['root'] / 'unit.pkl', kp, img_shape=(1080, 1920))
    sample = file_sample(THREE_CROP, 'rgb', real_shaped['small'], pose)
    with pytest.raises(
            ValueError,
            match=r'sample small: keypoint lies '
            r'within \[-1, 1\].*normalised'):
        check_mask(sample, 'box')
    with pytest.raises(ValueError, match='sample small: keypoint'):
        person_mask_of(sample, 'box')


def test_a_resized_copy_without_the_pose_shape_is_refused(real_shaped):
    init_default_scope('mmaction')
    pose = write_pose(real_shaped['root'] / 'no_shape.pkl', column_keypoints())
    sample = file_sample(THREE_CROP, 'rgb', real_shaped['small'], pose)
    with pytest.raises(
            ValueError,
            match='sample small: keypoint reaches.*'
            'far outside the 480x270 frame.*img_shape'):
        person_mask_of(sample, 'box')
    # At the video's own resolution the pose needs no img_shape.
    sample = file_sample(THREE_CROP, 'rgb', real_shaped['full'], pose)
    np.testing.assert_array_equal(
        person_mask_of(sample, 'box'), expected_three_crop_mask())


def test_ntu25_silhouette_and_unknown_layouts(real_shaped):
    """NTU-25 skeletons get their built-in bones; a 19-joint layout without
    edges fails before any CAM, naming the sample."""
    init_default_scope('mmaction')
    kp = np.zeros((1, 2, 25, 2), np.float32)
    # A 1080p stick figure: every joint on the line x = 960, y 300..800.
    kp[0, :, :, 0] = 960.0
    kp[0, :, :, 1] = np.linspace(300, 800, 25)
    pose = write_pose(
        real_shaped['root'] / 'ntu.pkl', kp, img_shape=(1080, 1920))
    sample = file_sample(THREE_CROP, 'rgb', real_shaped['small'], pose)
    silhouette = person_mask_of(sample, 'silhouette')
    box = person_mask_of(sample, 'box')
    assert silhouette.any() and not (silhouette & ~box).any()

    odd = write_pose(
        real_shaped['root'] / 'odd.pkl',
        column_keypoints(19),
        img_shape=(1080, 1920))
    sample = file_sample(THREE_CROP, 'rgb', real_shaped['small'], odd)
    assert person_mask_of(sample, 'box').any()  # a box needs no bones

    class NoCAM:
        kind = 'rgb'

        def __call__(self, *args, **kwargs):
            raise AssertionError('a CAM was computed before the check')

    with pytest.raises(
            ValueError,
            match='sample small: its keypoint has 19 '
            'joints.*no built-in layout'):
        explain_samples(NoCAM(), [sample], mask='silhouette')
    edges = [(i, i + 1) for i in range(18)]
    assert person_mask_of(sample, 'silhouette', edges).any()
