from .gather import gather_with_grad
from .memory_format import clips_channels_last
from .motionbert_checkpoint import (adapt_motionbert_checkpoint,
                                    check_state_dict_matches,
                                    convert_motionbert_checkpoint,
                                    to_mmengine_checkpoint)

__all__ = [
    'gather_with_grad', 'clips_channels_last', 'adapt_motionbert_checkpoint',
    'check_state_dict_matches', 'convert_motionbert_checkpoint',
    'to_mmengine_checkpoint'
]
