"""CAM drawings for skeleton GCNs: the skeleton with each joint sized and
coloured by its importance, and a joints x frames image."""
import os.path as osp
from typing import List, Optional, Sequence, Tuple

import numpy as np
import torch
# A bare Figure draws with Agg and leaves pyplot's global state alone.
from matplotlib.figure import Figure

from .model_wrapper import channels_last_features

Edge = Tuple[int, int]


def present_persons(keypoints: np.ndarray) -> List[int]:
    """Persons with any non-zero coordinate (FormatGCNInput pads with
    zeros); all of them when none is."""
    present = [m for m in range(len(keypoints)) if np.abs(keypoints[m]).any()]
    return present or list(range(len(keypoints)))


def visible_joints(keypoints: np.ndarray) -> np.ndarray:
    """``(M, T, V)`` joints to draw: for (x, y, score) input those with a
    positive score (a missed detection keeps its placeholder coordinates),
    otherwise those with a non-zero coordinate."""
    if keypoints.shape[-1] == 3 and np.all((keypoints[..., 2] >= 0)
                                           & (keypoints[..., 2] <= 1)):
        return keypoints[..., 2] > 0
    return np.abs(keypoints).any(axis=-1)


# MotionBERT's H36M-17 order (COCOToH36M): legs, spine to head, arms.
H36M_EDGES = ((0, 1), (1, 2), (2, 3), (0, 4), (4, 5), (5, 6), (0, 7), (7, 8),
              (8, 9), (9, 10), (8, 11), (11, 12), (12, 13), (8, 14), (14, 15),
              (15, 16))


def graph_edges(model: torch.nn.Module) -> List[Edge]:
    """Bones of the backbone's skeleton graph (``backbone.graph.inward`` of
    ST-GCN-style backbones), H36M-17's for MotionBERT's ``DSTformer``; none
    when it has no graph."""
    if channels_last_features(model):
        return list(H36M_EDGES)
    graph = getattr(getattr(model, 'backbone', None), 'graph', None)
    return [tuple(e) for e in getattr(graph, 'inward', [])]


def save_skeleton_frames(keypoints: np.ndarray,
                         cam: np.ndarray,
                         path: str,
                         edges: Sequence[Edge] = (),
                         num_frames: int = 8) -> str:
    """Skeletons of ``num_frames`` evenly spaced frames, joints sized and
    coloured by importance.

    Args:
        keypoints (np.ndarray): ``(M, T, V, >=2)`` one clip's input
            coordinates (x, y first).
        cam (np.ndarray): ``(M, T, V)`` importance in [0, 1].
        path (str): PNG to write.
        edges (list[tuple]): Bones as joint pairs. Defaults to ().
        num_frames (int): Frames drawn. Defaults to 8.
    """
    persons = present_persons(keypoints)
    visible = visible_joints(keypoints)
    t = keypoints.shape[1]
    frames = np.unique(np.linspace(0, t - 1, min(num_frames, t)).astype(int))
    fig = Figure(figsize=(2 * len(frames), 2.4))
    axes = fig.subplots(1, len(frames), squeeze=False)
    # Robust limits: one stray joint (a missed detection) would shrink
    # every skeleton to a dot.
    xy = keypoints[persons][visible[persons]][..., :2].reshape(-1, 2)
    if not len(xy):
        xy = keypoints[persons][..., :2].reshape(-1, 2)
    lo, hi = np.percentile(xy, 1, axis=0), np.percentile(xy, 99, axis=0)
    pad = 0.1 * (hi - lo).max() + 1e-6
    for ax, f in zip(axes[0], frames):
        for m in persons:
            seen = visible[m, f]
            for i, j in edges:
                if not (seen[i] and seen[j]):
                    continue
                ax.plot(
                    keypoints[m, f, [i, j], 0],
                    keypoints[m, f, [i, j], 1],
                    color='0.6',
                    linewidth=1,
                    zorder=1)
            ax.scatter(
                keypoints[m, f, seen, 0],
                keypoints[m, f, seen, 1],
                s=10 + 140 * cam[m, f, seen],
                c=cam[m, f, seen],
                cmap='jet',
                vmin=0,
                vmax=1,
                zorder=2)
        ax.set_xlim(lo[0] - pad, hi[0] + pad)
        ax.set_ylim(hi[1] + pad, lo[1] - pad)  # image y axis points down
        ax.set_aspect('equal')
        ax.set_title(f'frame {f}', fontsize=8)
        ax.axis('off')
    fig.tight_layout()
    fig.savefig(path, dpi=80, bbox_inches='tight')
    return path


def save_joint_frame_image(cam: np.ndarray,
                           path: str,
                           persons: Optional[Sequence[int]] = None) -> str:
    """One joints x frames image per person of a ``(M, T, V)`` CAM."""
    persons = list(range(len(cam))) if persons is None else list(persons)
    fig = Figure(figsize=(4 * len(persons), 3))
    axes = fig.subplots(1, len(persons), squeeze=False)
    for ax, m in zip(axes[0], persons):
        image = ax.imshow(
            cam[m].T,
            aspect='auto',
            cmap='jet',
            vmin=0,
            vmax=1,
            origin='lower',
            interpolation='nearest')
        ax.set_xlabel('frame')
        ax.set_ylabel('joint')
        ax.set_title(f'person {m}', fontsize=9)
    fig.colorbar(image, ax=axes[0].tolist(), shrink=0.8)
    fig.savefig(path, dpi=80, bbox_inches='tight')
    return path


def save_skeleton_overlays(inputs: torch.Tensor,
                           cam: np.ndarray,
                           out_dir: str,
                           stem: str,
                           edges: Sequence[Edge] = ()) -> List[str]:
    """Skeleton frames and joints x frames images of every clip.

    Args:
        inputs (Tensor): ``(clips, M, T, V, C)`` one sample's input.
        cam (np.ndarray): ``(clips, M, T, V)`` CAM.
        out_dir (str): Existing folder to write to.
        stem (str): File name prefix.
        edges (list[tuple]): Bones. Defaults to ().

    Returns:
        list[str]: The written paths.
    """
    keypoints = inputs.detach().cpu().float().numpy()
    paths = []
    for clip in range(len(cam)):
        suffix = f'_clip{clip}' if len(cam) > 1 else ''
        base = osp.join(out_dir, f'{stem}{suffix}')
        paths.append(
            save_skeleton_frames(keypoints[clip], cam[clip],
                                 base + '_skeleton.png', edges))
        paths.append(
            save_joint_frame_image(cam[clip], base + '_joints.png',
                                   present_persons(keypoints[clip])))
    return paths
