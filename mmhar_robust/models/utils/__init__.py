from .gather import gather_with_grad
from .memory_format import clips_channels_last

__all__ = ['gather_with_grad', 'clips_channels_last']
