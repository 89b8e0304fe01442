"""mmaction2's data preprocessor with channels-last 3D clips."""
from typing import Dict

from mmaction.models import ActionDataPreprocessor

from ...registry import MODELS
from ..utils.memory_format import clips_channels_last


@MODELS.register_module()
class ChannelsLastDataPreprocessor(ActionDataPreprocessor):
    """``ActionDataPreprocessor`` whose 3D clips come out ``channels_last_3d``.

    Identical values, another memory layout: convolutions then use oneDNN's
    faster channels-last kernels on CPU (about 1.4-1.6x for PoseC3D here).
    Only ``format_shape='NCTHW'`` batches are re-laid out; others (e.g. GCN
    skeletons, which are 6-D too) pass through unchanged.

    Args:
        **kwargs: As ``ActionDataPreprocessor`` (``format_shape``, ``mean``,
            ``std``, ...).
    """

    def forward(self, data: Dict, training: bool = False) -> Dict:
        data = super().forward(data, training)
        if self.format_shape == 'NCTHW':
            data['inputs'] = clips_channels_last(data['inputs'])
        return data
