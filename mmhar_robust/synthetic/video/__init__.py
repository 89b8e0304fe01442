"""Synthetic videos: the synthetic skeletons drawn as people on textures."""
from .config import VARIANTS, SyntheticVideoConfig
from .framing import fit_to_frame
from .generator import SyntheticVideoGenerator
from .painter import Outfit, draw_people, render_person_mask, torso_length
from .textures import TEXTURE_FAMILIES, Texture, texture_bank
from .writer import psnr, read_video, video_extension, write_video

__all__ = [
    'fit_to_frame', 'VARIANTS', 'SyntheticVideoConfig',
    'SyntheticVideoGenerator', 'Outfit', 'draw_people', 'render_person_mask',
    'torso_length', 'TEXTURE_FAMILIES', 'Texture', 'texture_bank', 'psnr',
    'read_video', 'video_extension', 'write_video'
]
