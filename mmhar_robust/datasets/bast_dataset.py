"""The BAST dance dataset: timed segments of long videos cut into clips."""
import os
import os.path as osp
from collections import OrderedDict
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
from mmaction.datasets import BaseActionDataset
from mmengine.dataset import BaseDataset, force_full_init
from mmengine.logging import MMLogger

from ..registry import DATASETS
from .bast_format import (BASTFormatError, Segment, pose_file_path,
                          read_annotation_table, read_label_file,
                          read_pose_file, seconds_to_frame)
from .video_checks import apply_pipeline


def cut_clips(start: int, end: int, length: int, stride: int,
              min_length: int) -> List[Tuple[int, int]]:
    """Cut the frames ``[start, end)`` of a segment into clips.

    Windows of ``length`` frames start every ``stride`` frames from
    ``start`` while they fit in the segment. If they leave at least
    ``min_length`` frames at the end uncovered, one more window ends flush
    with the segment. A segment of at most ``length`` frames is one clip, if
    it has at least ``min_length`` frames (and at least one).

    Returns:
        list[tuple[int, int]]: ``(first frame, number of frames)`` per clip.
    """
    duration = end - start
    min_length = max(1, min_length)
    if duration < min_length:
        return []
    if duration <= length:
        return [(start, duration)]
    starts = list(range(start, end - length + 1, stride))
    if end - (starts[-1] + length) >= min_length:
        starts.append(end - length)
    return [(s, length) for s in starts]


@DATASETS.register_module()
class BASTDataset(BaseActionDataset):
    """BAST-format dance videos (see docs/bast.md) as MMAction2 pose clips.

    Every annotated segment of a video is cut into clips of ``clip_len``
    seconds every ``clip_stride`` seconds (:func:`cut_clips`, times rounded
    to the nearest frame). Task ``'base'`` gives one sample per clip labelled
    with its segment's ``base_label``; task ``'eval'`` gives one sample per
    clip and evaluation label of its segment. Segments without a label for
    the task are skipped. Samples are in mmaction2's pose format (``keypoint``
    (M, T, 17, 2), ``keypoint_score``, ``img_shape``, ``total_frames``,
    ``label``, ``frame_dir`` = ``<video>@<start>-<end>`` in seconds, with
    ``#<eval label>`` appended for task ``'eval'``), so PoseC3D and ST-GCN
    pipelines run unchanged. Keypoints are sliced from the video's pose file
    when a sample is fetched; ``data_list`` holds no arrays.

    With ``video_dir``, samples also carry ``filename`` (the video) and the
    clip's frames ``clip_start_frame`` and ``clip_num_frames``: put
    ``ClipWindow`` after ``DecordInit``/``OpenCVInit`` in RGB pipelines.

    Args:
        ann_file (str): Annotation CSV, e.g.
            ``data/bast/annotations/train.csv``.
        pipeline (list[dict | callable]): Data transforms.
        task (str): ``'base'`` or ``'eval'``. Defaults to ``'base'``.
        label_file (str, optional): Class names of the task. Defaults to
            None (``labels_<task>.txt`` in the folder above ``ann_file``'s).
        pose_dir (str, optional): Folder of ``<video>.pkl`` pose files.
            Defaults to None (``poses/`` in the folder above ``ann_file``'s).
        video_dir (str, optional): Folder of the videos, for RGB pipelines.
            Defaults to None (no ``filename``).
        video_ext (str): Extension of the video files. Defaults to ``'.mp4'``.
        clip_len (float): Clip length in seconds. Defaults to 10.
        clip_stride (float): Seconds between clip starts. Defaults to 5.
        min_clip_len (float): Shortest segment, and shortest uncovered tail
            of a segment, that still makes a clip, in seconds. Defaults to 2.
        fps (float, optional): Frame rate of pose files that have no
            ``fps``. Defaults to None (they must have one).
        num_keypoints (int): Joints per person. Defaults to 17 (COCO).
        pose_cache_size (int, optional): Pose files each process keeps in
            memory; None keeps all. Defaults to None.
        safe_load (bool): Read pose pickles with the restricted unpickler
            (numpy arrays and plain Python types only). Set False only for
            trusted files holding custom objects: ``pickle.load`` runs any
            code a pickle names. Defaults to True.
        **kwargs: Passed to ``BaseActionDataset`` (``data_root``,
            ``test_mode``, ``indices``, ``modality`` ...). Relative
            ``label_file``, ``pose_dir`` and ``video_dir`` are joined to
            ``data_root`` like ``ann_file``.
    """
    TASKS = ('base', 'eval')

    def __init__(self,
                 ann_file: str,
                 pipeline: List[Union[Dict, Callable]],
                 task: str = 'base',
                 label_file: Optional[str] = None,
                 pose_dir: Optional[str] = None,
                 video_dir: Optional[str] = None,
                 video_ext: str = '.mp4',
                 clip_len: float = 10.0,
                 clip_stride: float = 5.0,
                 min_clip_len: float = 2.0,
                 fps: Optional[float] = None,
                 num_keypoints: int = 17,
                 pose_cache_size: Optional[int] = None,
                 safe_load: bool = True,
                 modality: str = 'Pose',
                 **kwargs) -> None:
        if task not in self.TASKS:
            raise ValueError(f'task must be one of {self.TASKS}, got {task!r}')
        if not (clip_len > 0 and clip_stride > 0):
            raise ValueError('clip_len and clip_stride must be > 0, got '
                             f'{clip_len} and {clip_stride}')
        if not 0 <= min_clip_len <= clip_len:
            raise ValueError(f'min_clip_len must be in [0, clip_len], got '
                             f'{min_clip_len}')
        if fps is not None and not fps > 0:
            raise ValueError(f'fps must be > 0, got {fps}')
        self.task = task
        self.label_file, self.pose_dir = label_file, pose_dir
        self.video_dir, self.video_ext = video_dir, video_ext
        self.clip_len, self.clip_stride = clip_len, clip_stride
        self.min_clip_len, self.fps = min_clip_len, fps
        self.num_keypoints = num_keypoints
        self.pose_cache_size = pose_cache_size
        self.safe_load = safe_load
        self._pose_cache: 'OrderedDict[str, Dict]' = OrderedDict()
        super().__init__(ann_file, pipeline, modality=modality, **kwargs)

    def _join_prefix(self) -> None:
        super()._join_prefix()
        root = osp.normpath(osp.join(osp.dirname(self.ann_file), os.pardir))
        defaults = dict(
            label_file=osp.join(root, f'labels_{self.task}.txt'),
            pose_dir=osp.join(root, 'poses'),
            video_dir=None)
        for attr, default in defaults.items():
            path = getattr(self, attr)
            if path is None:
                path = default
            elif not osp.isabs(path) and self.data_root:
                path = osp.join(self.data_root, path)
            setattr(self, attr, path)

    # -- loading ------------------------------------------------------------
    def load_data_list(self) -> List[Dict]:
        """Read the labels, the segments and every pose file; cut clips."""
        names = read_label_file(self.label_file)
        if self.num_classes is not None and self.num_classes != len(names):
            raise BASTFormatError(
                self.label_file, f'lists {len(names)} classes but the config '
                f'says num_classes={self.num_classes}: set the model head '
                'and the dataset to the label file')
        self._metainfo['classes'] = tuple(names)
        index = {name: i for i, name in enumerate(names)}
        by_video: Dict[str, List[Segment]] = OrderedDict()
        for seg in read_annotation_table(self.ann_file):
            by_video.setdefault(seg.video, []).append(seg)
        data_list: List[Dict] = []
        unlabelled = too_short = 0
        for video, segments in by_video.items():
            meta = self._video_meta(video, segments[0])
            spans = self._frame_spans(segments, meta)
            for seg, (first, last) in zip(segments, spans):
                labels = self._task_labels(seg, index)
                if not labels:
                    unlabelled += 1
                    continue
                clips = self._cut(first, last, meta['fps'])
                too_short += not clips
                for start, length in clips:
                    data_list.extend(
                        self._clip_info(seg, meta, start, length, label)
                        for label in labels)
        summary = (f'{len(data_list)} clips from {len(by_video)} videos; '
                   f'skipped {unlabelled} segments without a label for the '
                   f'task and {too_short} shorter than {self.min_clip_len} s')
        if not data_list:
            raise BASTFormatError(
                self.ann_file, f'gives no sample for task {self.task!r}: '
                f'{summary}')
        MMLogger.get_current_instance().info(
            f'{self.ann_file} (task {self.task}): {summary}')
        return data_list

    def _video_meta(self, video: str, seg: Segment) -> Dict:
        """Check the video's pose (and video) file; keep only scalars."""
        where = f'{self.ann_file} {seg.describe()}'
        pose = read_pose_file(
            pose_file_path(self.pose_dir, video, where), where,
            self.num_keypoints, self.fps, self.safe_load)
        meta = {k: pose[k] for k in ('fps', 'img_shape', 'original_shape')}
        meta.update(video=video, video_total_frames=pose['total_frames'])
        if self.video_dir is not None:
            meta['filename'] = osp.join(self.video_dir, video + self.video_ext)
            if not osp.isfile(meta['filename']):
                raise FileNotFoundError(
                    f'{where}: video file not found: {meta["filename"]}')
        return meta

    def _frame_spans(self, segments: Sequence[Segment],
                     meta: Dict) -> List[Tuple[int, int]]:
        """Segments as frame ranges, checked against the pose file and each
        other."""
        fps, total = meta['fps'], meta['video_total_frames']
        spans = [(seconds_to_frame(s.start, fps), seconds_to_frame(s.end, fps))
                 for s in segments]
        for seg, (_, last) in zip(segments, spans):
            if last > total:
                raise BASTFormatError(
                    self.ann_file, f'segment ends at {seg.end} s (frame '
                    f'{last}) past the end of its pose file '
                    f'{self.pose_dir}/{seg.video}.pkl: {total} frames '
                    f'({total / fps:.2f} s at {fps:g} fps)', seg.describe(),
                    'end')
        order = sorted(range(len(segments)), key=lambda i: spans[i])
        for before, after in zip(order, order[1:]):
            if spans[after][0] < spans[before][1]:
                seg, prev = segments[after], segments[before]
                raise BASTFormatError(
                    self.ann_file, f'segment {seg.start}-{seg.end} s '
                    f'overlaps line {prev.line} ({prev.start}-{prev.end} s) '
                    'of the same video', seg.describe(), 'start')
        return spans

    def _task_labels(self, seg: Segment, index: Dict[str, int]) -> List[int]:
        if self.task == 'base':
            names, field = ([seg.base_label] if seg.base_label else []), \
                'base_label'
        else:
            names, field = list(seg.eval_labels), 'eval_label'
        for name in names:
            if name not in index:
                raise BASTFormatError(
                    self.ann_file, f'{name!r} is not a class of '
                    f'{self.label_file} ({len(index)} classes)',
                    seg.describe(), field)
        return [index[name] for name in names]

    def _cut(self, first: int, last: int, fps: float) -> List[Tuple[int, int]]:
        return cut_clips(first, last, max(1, round(self.clip_len * fps)),
                         max(1, round(self.clip_stride * fps)),
                         round(self.min_clip_len * fps))

    def _clip_info(self, seg: Segment, meta: Dict, start: int, length: int,
                   label: int) -> Dict:
        fps = meta['fps']
        frame_dir = (f'{seg.video}@{start / fps:.2f}-'
                     f'{(start + length) / fps:.2f}')
        if self.task == 'eval':
            frame_dir += '#' + self._metainfo['classes'][label]
        return dict(
            frame_dir=frame_dir,
            label=label,
            total_frames=length,
            clip_start_frame=start,
            clip_num_frames=length,
            ann_line=seg.line,
            **meta)

    # -- samples ------------------------------------------------------------
    def _pose(self, video: str) -> Dict:
        """The video's pose arrays, from this process's cache."""
        if video in self._pose_cache:
            self._pose_cache.move_to_end(video)
            return self._pose_cache[video]
        where = f'video {video!r}'
        pose = read_pose_file(
            pose_file_path(self.pose_dir, video, where), where,
            self.num_keypoints, self.fps, self.safe_load)
        self._pose_cache[video] = pose
        if self.pose_cache_size is not None:
            while len(self._pose_cache) > max(0, self.pose_cache_size):
                self._pose_cache.popitem(last=False)
        return pose

    def get_data_info(self, idx: int) -> Dict:
        """The sample's annotation with its clip's keypoints sliced in."""
        info = super().get_data_info(idx)
        pose = self._pose(info['video'])
        first = info['clip_start_frame']
        last = first + info['clip_num_frames']
        if last > pose['total_frames']:
            raise BASTFormatError(
                f'{self.pose_dir}/{info["video"]}.pkl', 'has '
                f'{pose["total_frames"]} frames, fewer than when the dataset '
                f'loaded (clip ends at frame {last})', info['frame_dir'],
                'keypoint')
        # Copies: pose transforms edit keypoints in place.
        info['keypoint'] = pose['keypoint'][:, first:last].copy()
        info['keypoint_score'] = pose['keypoint_score'][:, first:last].copy()
        return info

    def prepare_data(self, idx: int) -> Optional[Dict]:
        """The sample through the pipeline; a video that cannot be read
        is named with the sample."""
        return apply_pipeline(self.pipeline, self.get_data_info(idx),
                              self.ann_file, idx)

    @force_full_init
    def get_cat_ids(self, idx: int) -> List[int]:
        """The sample's label, as a list (for ``ClassBalancedDataset``)."""
        return [int(BaseDataset.get_data_info(self, idx)['label'])]

    @force_full_init
    def get_labels(self) -> np.ndarray:
        """Every sample's label, in dataset order, as an int64 array."""
        return np.array([self.get_cat_ids(i)[0] for i in range(len(self))],
                        dtype=np.int64)
