from .bilstm import BiLSTM
from .dstformer import DSTformer
from .resnext3d import ResNeXt3d
from .tcn import TCN
from .tiny_c3d import TinyC3D

__all__ = ['BiLSTM', 'DSTformer', 'ResNeXt3d', 'TCN', 'TinyC3D']
