from .bilstm import BiLSTM
from .tcn import TCN
from .tiny_c3d import TinyC3D

__all__ = ['BiLSTM', 'TCN', 'TinyC3D']
