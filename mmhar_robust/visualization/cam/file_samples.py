"""Samples from files rather than a dataset: a video (RGB models), a pose
annotation (skeleton models), or both (the keypoints then give the RGB
clip's person mask)."""
import os.path as osp
import pickle
from typing import Dict, List, Optional

import numpy as np
from mmengine.dataset import Compose

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
    with open(path, 'rb') as f:
        data = pickle.load(f)
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


def _with_pose_decode(transforms: List) -> List:
    """Insert PoseDecode right after the video decode step, so keypoints
    follow the sampled frames and then every crop/resize/flip."""
    from mmaction.datasets.transforms import PoseDecode
    names = [type(t).__name__ for t in transforms]
    if 'PoseDecode' in names:
        return transforms
    decodes = [
        i for i, n in enumerate(names)
        if n.endswith('Decode') and n != 'PoseDecode'
    ]
    if not decodes:
        raise ValueError('the test pipeline has no video decode step to '
                         'attach the --pose keypoints to')
    at = decodes[0] + 1
    return transforms[:at] + [PoseDecode()] + transforms[at:]


def file_sample(pipeline: List[Dict],
                kind: str,
                video: Optional[str] = None,
                pose: Optional[str] = None) -> Sample:
    """A video and/or pose file through a test pipeline config.

    Args:
        pipeline (list[dict]): The test pipeline config.
        kind (str): ``'rgb'``, ``'heatmap'`` or ``'gcn'``.
        video (str, optional): Video file (RGB models). Defaults to None.
        pose (str, optional): Pickled pose annotation (skeleton models;
            with a video, the person mask). Defaults to None.

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
            transforms = _with_pose_decode(transforms)
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
    return run_pipeline(transforms, results, name)


def _pose_fields(annotation: Dict) -> Dict:
    keypoint = np.asarray(annotation['keypoint'], np.float32)
    score = annotation.get('keypoint_score')
    if score is None:
        score = np.ones(keypoint.shape[:-1], np.float32)
    return dict(keypoint=keypoint, keypoint_score=np.asarray(score))
