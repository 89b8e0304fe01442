"""Checks of pose annotations that fail with the file, sample and field named.

A bad sample deep inside a 50 000-clip pickle otherwise surfaces as a bare
numpy error in a dataloader worker, hours into training. These checks run once
when a dataset loads and say exactly what is wrong and where.
"""
import os.path as osp
from typing import Any, Dict, List, Optional

import numpy as np
from mmengine.logging import MMLogger

from ..utils.safe_pickle import UnsafePickleError, load_pickle
from ..utils.sample import sample_name


class PoseAnnotationError(ValueError):
    """A pose annotation file or sample is malformed.

    Args:
        source (str): The annotation file.
        message (str): What is wrong.
        sample (str, optional): The sample's ``frame_dir`` (or index).
        field (str, optional): The offending field.
    """

    def __init__(self,
                 source: str,
                 message: str,
                 sample: Optional[str] = None,
                 field: Optional[str] = None) -> None:
        self.source, self.sample, self.field = source, sample, field
        where = source
        if sample is not None:
            where += f', sample {sample}'
        if field is not None:
            where += f', field {field!r}'
        super().__init__(f'{where}: {message}')


def load_pose_pickle(path: str, safe: bool = True) -> Any:
    """Load a pose annotation pickle, with clear errors.

    Args:
        path (str): Path to a ``.pkl`` file.
        safe (bool): Read it with the restricted unpickler (numpy arrays and
            plain Python types only); False runs ``pickle.load``, for trusted
            files with custom objects. Defaults to True.

    Raises:
        FileNotFoundError: if the file does not exist.
        UnsafePickleError: if it names a global the restricted unpickler
            refuses (the file and the global are named).
        PoseAnnotationError: if it is not a readable pickle.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'annotation file not found: {path}')
    if not path.endswith('.pkl'):
        raise PoseAnnotationError(path, 'pose annotations must be a .pkl file')
    try:
        return load_pickle(path, safe=safe)
    except UnsafePickleError:
        raise
    except Exception as err:  # truncated, not a pickle, missing class, ...
        raise PoseAnnotationError(
            path,
            f'cannot read the pickle ({type(err).__name__}: {err})') from err


def select_split(data: Any, source: str, split: Optional[str]) -> List[Dict]:
    """The samples of one split of MMAction2's ``{split, annotations}`` dict.

    Args:
        data (Any): What the pickle held.
        source (str): The file, for messages.
        split (str, optional): Split name; None takes every annotation (a plain
            list of annotations is accepted too).
    """
    if isinstance(data, list) and split is None:
        if not data:
            raise PoseAnnotationError(source, 'holds no samples')
        return data
    if not isinstance(data, dict) or 'annotations' not in data:
        raise PoseAnnotationError(
            source, "expected a dict with 'split' and 'annotations' "
            f'(MMAction2 pose format), got {type(data).__name__}')
    annos = data['annotations']
    if not isinstance(annos, list):
        raise PoseAnnotationError(
            source, 'must be a list', field='annotations')
    if split is None:
        if not annos:
            raise PoseAnnotationError(
                source, 'holds no samples', field='annotations')
        return annos
    splits = data.get('split')
    if not isinstance(splits, dict) or split not in splits:
        available = sorted(splits) if isinstance(splits, dict) else []
        raise PoseAnnotationError(
            source,
            f'split {split!r} not found; available: {available}',
            field='split')
    wanted = set(splits[split])
    if not wanted:
        raise PoseAnnotationError(
            source, f'split {split!r} lists no samples', field='split')
    key = 'filename' if annos and 'filename' in annos[0] else 'frame_dir'
    selected = [a for a in annos if a.get(key) in wanted]
    if not selected:
        raise PoseAnnotationError(
            source, f'none of the {len(wanted)} samples of split {split!r} '
            f'has an annotation (the split names e.g. '
            f'{sorted(map(str, wanted))[:3]}, matched by {key!r})',
            field='split')
    if len(selected) < len(wanted):
        # mmaction2 drops these silently; say so, but keep going.
        missing = sorted(wanted - {a.get(key) for a in selected})
        MMLogger.get_current_instance().warning(
            f'{source}: split {split!r} names {len(missing)} samples without '
            f'an annotation, e.g. {missing[:5]}')
    return selected


def check_pose_sample(sample: Any,
                      index: int,
                      source: str,
                      num_classes: Optional[int] = None,
                      num_keypoints: Optional[int] = None) -> None:
    """Check one MMAction2 pose annotation.

    Args:
        sample (Any): The annotation dict.
        index (int): Its position in the file.
        source (str): The file, for messages.
        num_classes (int, optional): Labels must lie in ``[0, num_classes)``.
        num_keypoints (int, optional): Required number of joints ``V``.

    Raises:
        PoseAnnotationError: naming the file, the sample and the field.
    """
    if not isinstance(sample, dict):
        raise PoseAnnotationError(
            source, f'expected a dict, got '
            f'{type(sample).__name__}', f'#{index}')
    name = sample_name(sample, index, quote=True)

    def fail(field: str, message: str) -> None:
        raise PoseAnnotationError(source, message, name, field)

    for field in ('label', 'total_frames', 'keypoint'):
        if field not in sample:
            fail(field, 'is missing')
    label = sample['label']
    if not isinstance(label, (int, np.integer)):
        fail('label', f'must be an integer, got {label!r}')
    if label < 0 or (num_classes is not None and label >= num_classes):
        fail('label', f'{label} is outside [0, {num_classes})')
    total = sample['total_frames']
    if not isinstance(total, (int, np.integer)) or total < 1:
        fail('total_frames', f'must be a positive integer, got {total!r}')

    kp = sample['keypoint']
    if not isinstance(kp, np.ndarray) or kp.ndim != 4:
        shape = getattr(kp, 'shape', type(kp).__name__)
        fail('keypoint', f'must be an array (M, T, V, C), got {shape}')
    if kp.shape[0] < 1:
        fail(
            'keypoint', f'holds no person: shape {kp.shape} (M = 0); drop '
            'the sample or give it one person of zeros with score 0')
    if kp.shape[2] < 1:
        fail('keypoint', f'holds no joint: shape {kp.shape}')
    if kp.shape[-1] not in (2, 3):
        fail(
            'keypoint', f'last axis must hold 2 or 3 coordinates, shape is '
            f'{kp.shape}')
    if kp.shape[1] != total:
        fail('keypoint', f'has {kp.shape[1]} frames but total_frames is '
             f'{total}')
    if num_keypoints is not None and kp.shape[2] != num_keypoints:
        fail(
            'keypoint', f'has {kp.shape[2]} joints, expected '
            f'{num_keypoints}; shape is {kp.shape}')
    if not np.isfinite(kp).all():
        bad = np.argwhere(~np.isfinite(kp))[0]
        fail(
            'keypoint', f'holds NaN or infinite values, first at '
            f'(person, frame, joint, coord) = {tuple(int(i) for i in bad)}')

    score = sample.get('keypoint_score')
    if score is not None:
        if not isinstance(score, np.ndarray) or score.shape != kp.shape[:3]:
            fail(
                'keypoint_score', f'shape {getattr(score, "shape", None)} '
                f'does not match keypoint {kp.shape[:3]}')
        if not np.isfinite(score).all():
            fail('keypoint_score', 'holds NaN or infinite values')


def check_pose_samples(samples: List[Any], source: str, **kwargs: Any) -> None:
    """Check every sample with :func:`check_pose_sample`."""
    for index, sample in enumerate(samples):
        check_pose_sample(sample, index, source, **kwargs)
