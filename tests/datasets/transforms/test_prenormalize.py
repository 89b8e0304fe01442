"""PreNormalize3D's rotation and frame handling, piece by piece."""
import numpy as np
import pytest

from mmhar_robust.datasets.transforms.prenormalize import (
    keep_main_person_frames, prenormalize3d_rotation, rotation_onto)

Z = np.array([0.0, 0.0, 1.0])


def _theirs(vector, target):
    from mmaction.datasets.transforms import PreNormalize3D
    pre = PreNormalize3D()
    return pre.rotation_matrix(
        np.cross(vector, target), pre.angle_between(vector, target))


@pytest.mark.parametrize(
    'vector', [[0.3, -0.2, 0.9], [-1.0, 2.0, -0.5], [0.0, 0.0, 2.0],
               [0.0, 0.0, -1.0], [1e-7, 0.0, 2e-7], [0.0, 1e-7, 1.0]])
def test_rotation_onto_is_prenormalize3ds_matrix(vector):
    """Including its quirks: an opposite vector (zero cross product), a
    tiny vector and a tiny angle all give the identity."""
    vector = np.asarray(vector)
    rot = rotation_onto(vector, Z)
    np.testing.assert_allclose(rot, _theirs(vector, Z), atol=1e-12)
    np.testing.assert_allclose(rot @ rot.T, np.eye(3), atol=1e-12)
    if np.abs(np.cross(vector, Z)).sum() > 1e-6:
        np.testing.assert_allclose(
            rot @ vector, np.linalg.norm(vector) * Z, atol=1e-12)


def test_two_rotations_put_the_spine_on_z_then_the_shoulders_on_x():
    frame = np.zeros((9, 3))
    frame[0], frame[1] = [0.1, 0.2, 0.3], [0.2, 0.5, 0.6]
    frame[4], frame[8] = [-0.3, 0.1, 0.5], [0.2, 0.4, 0.8]
    rot = prenormalize3d_rotation(frame, (0, 1), (4, 8))
    shoulders = rot @ (frame[8] - frame[4])
    np.testing.assert_allclose(
        shoulders / np.linalg.norm(shoulders), [1, 0, 0], atol=1e-12)
    # by hand: the first rotation alone puts the spine on Z
    first = rotation_onto(frame[1] - frame[0], Z)
    np.testing.assert_allclose(
        first @ (frame[1] - frame[0]),
        [0, 0, np.linalg.norm(frame[1] - frame[0])],
        atol=1e-12)
    second = rotation_onto(first @ (frame[8] - frame[4]), np.eye(3)[0])
    np.testing.assert_allclose(rot, second @ first, atol=1e-12)


def test_keep_main_person_frames_moves_it_first_and_drops_its_gaps():
    keypoint = np.arange(3 * 4 * 1 * 1, dtype=float).reshape(3, 4, 1, 1)
    visible = np.array([[1, 1, 1, 1], [0, 1, 0, 1], [1, 0, 0, 0]], bool)[...,
                                                                         None]
    results = dict(
        keypoint=keypoint,
        keypoint_visible=visible,
        keypoint_score=keypoint + 0.5,
        total_frames=4)
    keep_main_person_frames(results, 1)
    # persons (1, 0, 2), frames 1 and 3
    np.testing.assert_array_equal(results['keypoint'][..., 0, 0],
                                  [[5, 7], [1, 3], [9, 11]])
    np.testing.assert_array_equal(results['keypoint_score'][..., 0, 0],
                                  [[5.5, 7.5], [1.5, 3.5], [9.5, 11.5]])
    np.testing.assert_array_equal(results['keypoint_visible'][..., 0],
                                  [[1, 1], [1, 1], [0, 0]])
    assert results['total_frames'] == 2
