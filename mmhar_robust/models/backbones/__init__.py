from .bilstm import BiLSTM
from .dstformer import DSTformer
from .tcn import TCN
from .tiny_c3d import TinyC3D

__all__ = ['BiLSTM', 'DSTformer', 'TCN', 'TinyC3D']
