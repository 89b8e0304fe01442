from .tiny_c3d import TinyC3D

__all__ = ['TinyC3D']
