"""Samples from files rather than a dataset: a video (RGB models), a pose
annotation (skeleton models), or both (the keypoints then give the RGB
clip's person mask)."""
import os.path as osp
from typing import Dict, List, Optional

import numpy as np
from mmengine.dataset import Compose

from ...utils.safe_pickle import load_pickle
from .samples import Sample, run_pipeline


def check_video(path: str) -> None:
    """Raise unless ``path`` is a video decord can decode.

    Raises:
        FileNotFoundError: when there is no such file.
        ValueError: naming the file when it cannot be decoded.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'video not found: {path}')
    import decord
    try:
        reader = decord.VideoReader(path, num_threads=1)
        frames = len(reader)
        if frames > 0:
            reader[0]
    except Exception as error:  # decord raises its own DECORDError
        raise ValueError(f'cannot decode video {path}: {error}') from error
    if frames == 0:
        raise ValueError(f'cannot decode video {path}: it has no frames')


def load_pose(path: str) -> Dict:
    """One MMAction2 pose annotation (``keypoint`` (M, T, V, 2),
    ``keypoint_score``, ``img_shape``, ...) from a pickle holding that dict,
    a list with one, or a dataset file (``annotations``) with one.

    Raises:
        FileNotFoundError: when there is no such file.
        ValueError: naming the file when it holds no single annotation.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'pose file not found: {path}')
    data = load_pickle(path)  # restricted: a pose file cannot run code
    if isinstance(data, dict) and 'annotations' in data:
        data = data['annotations']
    if isinstance(data, (list, tuple)):
        if len(data) != 1:
            raise ValueError(
                f'pose file {path} holds {len(data)} annotations; give one, '
                'or explain a dataset\'s samples with --indices')
        data = data[0]
    if not isinstance(data, dict) or 'keypoint' not in data:
        raise ValueError(f'pose file {path} has no "keypoint" array')
    keypoint = np.asarray(data['keypoint'])
    if keypoint.ndim != 4:
        raise ValueError(f'pose file {path}: "keypoint" must be (M, T, V, C), '
                         f'got shape {keypoint.shape}')
    return dict(data)


def file_sample(pipeline: List[Dict],
                kind: str,
                video: Optional[str] = None,
                pose: Optional[str] = None,
                keep_frames: bool = True) -> Sample:
    """A video and/or pose file through a test pipeline config.

    With both, the sample is what a ``PoseDataset`` annotation naming the
    video would give (``keypoint``, ``keypoint_score`` and the pose file's
    ``img_shape`` go along); the person mask is drawn from the pose file's
    keypoints, rescaled from its ``img_shape`` to the decoded video when the
    video is a resized copy.

    Args:
        pipeline (list[dict]): The test pipeline config.
        kind (str): ``'rgb'``, ``'heatmap'`` or ``'gcn'``.
        video (str, optional): Video file (RGB models). Defaults to None.
        pose (str, optional): Pickled pose annotation (skeleton models;
            with a video, the person mask). Defaults to None.
        keep_frames (bool): Keep the decoded frames to draw the CAM on.
            Defaults to True.

    Raises:
        ValueError: when the files do not suit the model kind.
    """
    transforms = list(Compose(pipeline).transforms)
    if kind == 'rgb':
        if video is None:
            raise ValueError('an RGB model needs --video')
        check_video(video)
        results = dict(filename=video, start_index=0, modality='RGB')
        if pose is not None:
            results.update(_pose_fields(load_pose(pose)))
        name = osp.splitext(osp.basename(video))[0]
    else:
        if pose is None:
            raise ValueError('a skeleton model (PoseC3D or GCN) needs --pose')
        if video is not None:
            raise ValueError('skeleton models are explained from --pose alone')
        annotation = load_pose(pose)
        results = dict(annotation, start_index=0, modality='Pose')
        results.setdefault('total_frames', annotation['keypoint'].shape[1])
        if 'img_shape' not in results:
            raise ValueError(f'pose file {pose} lacks "img_shape" (H, W)')
        name = osp.splitext(osp.basename(pose))[0]
    return run_pipeline(transforms, results, name, keep_frames)


def _pose_fields(annotation: Dict) -> Dict:
    keypoint = np.asarray(annotation['keypoint'], np.float32)
    score = annotation.get('keypoint_score')
    if score is None:
        score = np.ones(keypoint.shape[:-1], np.float32)
    fields = dict(keypoint=keypoint, keypoint_score=np.asarray(score))
    if 'img_shape' in annotation:  # the frame the keypoints are in
        fields['img_shape'] = tuple(int(v) for v in annotation['img_shape'])
    return fields
