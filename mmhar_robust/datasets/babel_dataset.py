"""BABEL's action-recognition release, read in place."""
import os.path as osp
from typing import Callable, Dict, List, Optional, Union

import numpy as np
from mmaction.datasets import BaseActionDataset
from mmengine.dataset import BaseDataset

from ..registry import DATASETS
from .babel_format import (LABEL_MAP_FILE, data_file_for, frame_dirs,
                           num_classes_for, open_skeletons, read_class_names,
                           read_labels, to_keypoint)
from .validation import PoseAnnotationError


@DATASETS.register_module()
class BABELDataset(BaseActionDataset):
    """BABEL-60/120 from the official ``.npy``/``.pkl`` release files.

    The skeleton array is memory-mapped: opening the training split reads
    only the label file, and each sample reads its own 150 frames. Samples
    come out in MMAction2's pose format, so mmaction2's GCN pipelines and
    ours run on them unchanged::

        dict(keypoint=(M, T, 25, 3) float32, total_frames=T, label=int,
             frame_dir='<seg_id>_<chunk_n>_<label>', seg_id=..., sid=...,
             chunk_n=..., anntr_id=..., babel_index=<row in the array>)

    Chunks shorter than 5 s are zero-padded in the release; put
    :class:`PadNullFrames` first in the pipeline to fill them.

    Args:
        ann_file (str): A label file, e.g.
            ``data/babel/train_label_60.pkl`` or
            ``data/babel/val_extra_label_120.pkl``.
        pipeline (list[dict | callable]): Data transforms.
        data_file (str, optional): The skeleton array. Defaults to the
            release's name for ``ann_file`` (``train_ntu_sk_60.npy``).
        num_classes (int, optional): 60 or 120. Defaults to the number in
            the file name.
        label_map_file (str, optional): Class names as the release's
            ``action_label_2_idx.json``. Defaults to that file next to
            ``ann_file`` when it exists; without it classes are unnamed.
        check_values (bool): Check each sample for NaN/inf when it is read.
            Defaults to True.
        **kwargs: Passed to ``BaseActionDataset`` (``test_mode``,
            ``indices``, ...).
    """

    def __init__(self,
                 ann_file: str,
                 pipeline: List[Union[Dict, Callable]],
                 data_file: Optional[str] = None,
                 num_classes: Optional[int] = None,
                 label_map_file: Optional[str] = None,
                 check_values: bool = True,
                 **kwargs) -> None:
        self.data_file = data_file or data_file_for(ann_file)
        num_classes = num_classes or num_classes_for(ann_file)
        self.check_values = check_values
        self._skeletons: Optional[np.ndarray] = None
        if label_map_file is None:
            default = osp.join(osp.dirname(ann_file), LABEL_MAP_FILE)
            label_map_file = default if osp.isfile(default) else None
        self.label_map_file = label_map_file
        metainfo = kwargs.pop('metainfo', None)
        if label_map_file is not None and metainfo is None:
            metainfo = dict(
                classes=tuple(read_class_names(label_map_file, num_classes)))
        super().__init__(
            ann_file,
            pipeline,
            num_classes=num_classes,
            modality='Pose',
            metainfo=metainfo,
            **kwargs)

    def load_data_list(self) -> List[Dict]:
        """Read the label file and check it against the array's shape."""
        babel = read_labels(self.ann_file, self.num_classes)
        skeletons = open_skeletons(self.data_file, len(babel.seg_ids),
                                   self.ann_file)
        total_frames = skeletons.shape[2]
        return [
            dict(
                frame_dir=frame_dir,
                label=int(babel.labels[i]),
                total_frames=total_frames,
                seg_id=babel.seg_ids[i],
                sid=babel.sids[i],
                chunk_n=babel.chunk_ns[i],
                anntr_id=babel.anntr_ids[i],
                babel_index=i)
            for i, frame_dir in enumerate(frame_dirs(babel))
        ]

    @property
    def skeletons(self) -> np.ndarray:
        """The memory-mapped array, opened once per process."""
        if self._skeletons is None:
            self._skeletons = open_skeletons(self.data_file)
        return self._skeletons

    def __getstate__(self) -> Dict:
        # Dataloader workers (spawn) re-open the map instead of receiving a
        # pickled copy of the whole array.
        state = self.__dict__.copy()
        state['_skeletons'] = None
        return state

    def get_labels(self) -> np.ndarray:
        """Every sample's label, without reading any skeleton."""
        return np.array([
            BaseDataset.get_data_info(self, i)['label']
            for i in range(len(self))
        ],
                        dtype=np.int64)

    def get_data_info(self, idx: int) -> Dict:
        """The sample's annotation with its keypoints read from the map."""
        info = super().get_data_info(idx)
        keypoint = to_keypoint(self.skeletons[info['babel_index']])
        if self.check_values and not np.isfinite(keypoint).all():
            bad = np.argwhere(~np.isfinite(keypoint))[0]
            raise PoseAnnotationError(
                self.data_file, 'holds NaN or infinite values, first at '
                f'(person, frame, joint, coord) = {tuple(bad.tolist())}',
                sample=f"#{info['babel_index']} {info['seg_id']}",
                field='keypoint')
        info['keypoint'] = keypoint
        return info
