"""mmaction2's ``PoseDataset`` with its annotations checked on load."""
import os.path as osp
from typing import Callable, Dict, List, Optional, Union

from mmaction.datasets import BaseActionDataset, PoseDataset

from ..registry import DATASETS
from .validation import check_pose_samples, load_pose_pickle, select_split
from .video_checks import apply_pipeline, check_video_files


@DATASETS.register_module()
class CheckedPoseDataset(PoseDataset):
    """``PoseDataset`` that validates every sample when it loads.

    It reads the same pickle format as mmaction2's ``PoseDataset`` (a dict with
    ``split`` and ``annotations``) and produces the same samples, but a missing
    or unreadable file, an unknown split, a wrong keypoint shape, NaN or
    infinite coordinates, a sample without persons, an empty split or a label
    out of range raise an error that names the file, the sample
    (``frame_dir``) and the field. With a pipeline that opens videos, a
    missing video is refused when the dataset loads, and one that cannot be
    decoded is named with its sample when it is read.

    Unlike ``PoseDataset`` (``mmengine.load``, i.e. ``pickle.load``), it reads
    the pickle with a restricted unpickler that admits only numpy arrays,
    dtypes and plain Python types, so a crafted annotation file cannot run
    code (see docs/reliability.md).

    Args:
        ann_file (str): Path to the annotation pickle.
        pipeline (list[dict | callable]): Data transforms.
        split (str, optional): Split to use, e.g. ``'xsub_train'``. None uses
            every annotation. Defaults to None.
        num_classes (int, optional): If given, labels must be in
            ``[0, num_classes)``. Defaults to None.
        num_keypoints (int, optional): If given, every sample must have this
            many joints. Defaults to None.
        safe_load (bool): Read the pickle with the restricted unpickler.
            Set False only for a trusted file whose samples hold custom
            objects: ``pickle.load`` runs any code a pickle names.
            Defaults to True.
        **kwargs: Passed to ``PoseDataset`` (``valid_ratio``, ``box_thr``,
            ``data_prefix``, ``test_mode`` ...).
    """

    def __init__(self,
                 ann_file: str,
                 pipeline: List[Union[Dict, Callable]],
                 split: Optional[str] = None,
                 num_classes: Optional[int] = None,
                 num_keypoints: Optional[int] = None,
                 safe_load: bool = True,
                 **kwargs) -> None:
        self.num_keypoints = num_keypoints
        self.safe_load = safe_load
        # BaseActionDataset stores num_classes (used for multi-class labels).
        super().__init__(
            ann_file, pipeline, split=split, num_classes=num_classes, **kwargs)

    def load_data_list(self) -> List[Dict]:
        """Load, select the split and check every sample."""
        data = load_pose_pickle(self.ann_file, safe=self.safe_load)
        data_list = select_split(data, self.ann_file, self.split)
        check_pose_samples(
            data_list,
            self.ann_file,
            num_classes=self.num_classes,
            num_keypoints=self.num_keypoints)
        if 'video' in self.data_prefix:
            for item in data_list:
                for key in ('filename', 'frame_dir'):
                    if key in item:
                        item[key] = osp.join(self.data_prefix['video'],
                                             item[key])
        check_video_files(data_list, self.ann_file, self.pipeline)
        return data_list

    def prepare_data(self, idx: int) -> Optional[Dict]:
        """The sample through the pipeline; a video that cannot be read
        is named with the sample."""
        return apply_pipeline(self.pipeline, self.get_data_info(idx),
                              self.ann_file, idx)

    def get_data_info(self, idx: int) -> Dict:
        """The sample; with ``data_prefix['skeleton']``, its per-sample
        pickle is read like the annotation file (``PoseDataset`` would use
        ``pickle.load``)."""
        if 'skeleton' not in self.data_prefix or not self.safe_load:
            return super().get_data_info(idx)
        info = BaseActionDataset.get_data_info(self, idx)
        name = info['filename' if 'filename' in info else 'frame_dir']
        path = osp.join(self.data_prefix['skeleton'], name + '.pkl')
        info.update(load_pose_pickle(path, safe=True))
        return info
