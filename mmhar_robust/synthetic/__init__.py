from .actions import (ACTIONS, ALL_ACTIONS, ALL_CLASS_NAMES, CLASS_NAMES,
                      ActionClass, ClipStyle)
from .babel_export import export_babel
from .bast_export import (export_bast, synthetic_eval_classes,
                          synthetic_eval_labels)
from .body import JOINTS, BodyShape, forward_kinematics
from .camera import Camera
from .generator import SyntheticSkeletonConfig, SyntheticSkeletonGenerator
from .layouts import COCO17, LAYOUTS, NTU25, flip_pairs, layout_indices
from .tasks import TASKS, SyntheticTask, get_task, write_video_lists

__all__ = [
    'export_bast', 'synthetic_eval_classes', 'synthetic_eval_labels',
    'export_babel', 'ACTIONS', 'CLASS_NAMES', 'ActionClass', 'ClipStyle',
    'JOINTS', 'BodyShape', 'forward_kinematics', 'Camera',
    'SyntheticSkeletonConfig', 'SyntheticSkeletonGenerator', 'COCO17', 'NTU25',
    'LAYOUTS', 'flip_pairs', 'layout_indices', 'ALL_ACTIONS',
    'ALL_CLASS_NAMES', 'TASKS', 'SyntheticTask', 'get_task',
    'write_video_lists'
]
