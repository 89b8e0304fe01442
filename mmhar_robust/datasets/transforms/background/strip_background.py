"""Remove the background around people from decoded RGB frames."""
from typing import Dict, Optional, Sequence, Tuple, Union

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from ....registry import TRANSFORMS
from ....utils.sample import sample_identity, sample_name, sample_rng
from .fills import (FILL_MODES, NOISE_KINDS, background_mean, blur_background,
                    noise_frame)
from .layouts import Edge, check_silhouette_layout
from .person_mask import MASK_MODES, person_mask, valid_joints
from .pose_shape import check_in_pixels, check_untransformed, frame_keypoints
from .swap_source import choose_source, resolve_sources, source_frames


@TRANSFORMS.register_module()
class StripBackground(BaseTransform):
    """Replace everything but the people in decoded RGB frames.

    Seed 004 found that RGB recognisers lean on the scene and lose accuracy
    when it is removed; this transform lets a model be trained or tested
    with the background stripped. The people are located from the sample's
    own pose annotation (:func:`person_mask`), and only background pixels
    change: person pixels stay bit-identical.

    Place it right after the decoder (``DecordDecode``, ``OpenCVDecode``,
    ``PyAVDecode``, ``RawFrameDecode``) and before any crop, resize, flip or
    normalisation: ``imgs`` must be the uint8 frames at ``frame_inds`` and
    ``keypoint`` the annotation of the whole video, ``(M, T_total, V, 2)``,
    in pixels. Frame ``frame_inds[i] - start_index`` of the annotation goes
    with ``imgs[i]``. If ``pose_shape`` is present (see
    :class:`RecordPoseShape`), the keypoints are rescaled to the decoded
    frames, for the mask and in ``keypoint`` (so later resizes and crops
    move them with the frames), and ``pose_shape`` is removed; a Resize,
    crop or flip before this transform would scale them twice and is
    refused. Without ``pose_shape`` they must be in the decoded pixels.
    Keypoints normalised to ``[0, 1]`` or far outside the frame are refused.

    Fills (``fill``):

    - ``'black'``: zeros;
    - ``'mean'``: the clip's mean background colour;
    - ``'blur'``: a heavy Gaussian blur of the background alone;
    - ``'noise'``: uniform or Gaussian noise from a generator keyed by
      ``(seed, sample, frame index)``: the same in every run and epoch,
      different between samples and frames;
    - ``'swap'``: the background of another video or image from
      ``swap_source``, chosen by ``(seed, sample)``, read at the same
      relative time and resized to cover the frame.

    Required Keys:

        - imgs
        - frame_inds
        - keypoint
        - keypoint_score (optional)
        - start_index (optional, 0 if absent)
        - pose_shape (optional)
        - total_frames (optional, ``fill='swap'``)
        - frame_dir, filename, video_id or sample_idx (the sample's identity,
          for ``fill='noise'`` and ``'swap'``)

    Modified Keys:

        - imgs
        - keypoint (in the decoded frame's pixels), keypoint_score (both
          removed if ``drop_pose=True``)
        - pose_shape (removed)

    Added Keys:

        - person_fraction (share of the clip's pixels kept as person)
        - person_mask (``(T, H, W)`` bool, if ``keep_mask=True``; in the
          decoded frame, not updated by later crops or resizes)

    Args:
        mask (str): ``'box'`` or ``'silhouette'``. Defaults to 'box'.
        margin (float): Box enlargement as a fraction of the box's longer
            side. Defaults to 0.1.
        limb_width (float, optional): Silhouette limb thickness in pixels;
            None scales it with each person. Defaults to None.
        score_thr (float): Joints scored at or below it are ignored.
            Defaults to 0.0.
        fill (str): One of ``FILL_MODES``. Defaults to 'black'.
        blur_kernel (int, optional): Odd Gaussian kernel size for
            ``fill='blur'``; None picks one from the frame size.
            Defaults to None.
        noise (str): ``'uniform'`` or ``'gaussian'`` for ``fill='noise'``.
            Defaults to 'uniform'.
        swap_source (str | Sequence[str], optional): Video/image files or
            directories for ``fill='swap'``. Defaults to None.
        seed (int): Seed of the noise and of the swap choice. Defaults to 0.
        keep_mask (bool): Store the mask as ``person_mask``.
            Defaults to False.
        drop_pose (bool): Remove ``keypoint``/``keypoint_score`` afterwards
            (needed before ``lazy=True`` crops, which reject keypoints).
            Defaults to False.
        edges (Sequence[tuple], optional): Silhouette bones as joint pairs.
            None: those of the built-in layout with the keypoints' number of
            joints (COCO-17 or NTU-25); a sample of another layout is then
            refused before any work. Defaults to None.
    """

    def __init__(self,
                 mask: str = 'box',
                 margin: float = 0.1,
                 limb_width: Optional[float] = None,
                 score_thr: float = 0.0,
                 fill: str = 'black',
                 blur_kernel: Optional[int] = None,
                 noise: str = 'uniform',
                 swap_source: Optional[Union[str, Sequence[str]]] = None,
                 seed: int = 0,
                 keep_mask: bool = False,
                 drop_pose: bool = False,
                 edges: Optional[Sequence[Edge]] = None) -> None:
        if mask not in MASK_MODES:
            raise ValueError(f'unknown mask {mask!r}; valid: {MASK_MODES}')
        if fill not in FILL_MODES:
            raise ValueError(f'unknown fill {fill!r}; valid: {FILL_MODES}')
        if noise not in NOISE_KINDS:
            raise ValueError(f'unknown noise {noise!r}; valid: {NOISE_KINDS}')
        if margin < 0:
            raise ValueError(f'margin must be >= 0, got {margin}')
        if limb_width is not None and limb_width <= 0:
            raise ValueError(f'limb_width must be > 0, got {limb_width}')
        if blur_kernel is not None and (blur_kernel < 1
                                        or blur_kernel % 2 == 0):
            raise ValueError(
                f'blur_kernel must be a positive odd int, got {blur_kernel}')
        if fill == 'swap' and swap_source is None:
            raise ValueError("fill='swap' needs swap_source: video/image "
                             'files or a directory of them')
        self.mask = mask
        self.margin = margin
        self.limb_width = limb_width
        self.score_thr = score_thr
        self.fill = fill
        self.blur_kernel = blur_kernel
        self.noise = noise
        self.swap_source = swap_source
        self.seed = seed
        self.keep_mask = keep_mask
        self.drop_pose = drop_pose
        self.edges = None if edges is None else [tuple(e) for e in edges]
        self._swap_files = (
            resolve_sources(swap_source) if fill == 'swap' else None)

    def _clip_pose(self, results: Dict, name: str, frame_ids: np.ndarray,
                   height: int,
                   width: int) -> Tuple[np.ndarray, Optional[np.ndarray]]:
        """Keypoints of the decoded frames, in the decoded frame's pixels;
        ``results['keypoint']`` (every frame) is brought there too."""
        if 'keypoint' not in results:
            raise ValueError(
                f'StripBackground: {name} has no keypoint; the sample needs '
                'its pose annotation (M, T, V, 2) to find the person')
        keypoint = np.asarray(results['keypoint'])
        if keypoint.ndim != 4 or keypoint.shape[-1] != 2:
            raise ValueError(f'StripBackground: keypoint of {name} has shape '
                             f'{keypoint.shape}, expected (M, T, V, 2)')
        score = results.get('keypoint_score')
        if score is not None and np.shape(score) != keypoint.shape[:-1]:
            raise ValueError(
                f'StripBackground: keypoint_score of {name} has shape '
                f'{np.shape(score)}, expected {keypoint.shape[:-1]}')
        if self.mask == 'silhouette':
            check_silhouette_layout(keypoint.shape[2], self.edges,
                                    f'StripBackground: {name}')
        total = keypoint.shape[1]
        if frame_ids.min() < 0 or frame_ids.max() >= total:
            raise ValueError(
                f'StripBackground: frame_inds of {name} (minus start_index) '
                f'reach {frame_ids.min()}..{frame_ids.max()}, but its '
                f'keypoint annotation has {total} frames')
        check_untransformed(results, 'StripBackground')
        pose_shape = results.pop('pose_shape', None)
        clip = keypoint[:, frame_ids].astype(np.float64)
        score = None if score is None else np.asarray(score)[:, frame_ids]
        valid = valid_joints(clip, score, self.score_thr)
        who = f'StripBackground: {name}'
        if pose_shape is not None:
            check_in_pixels(clip, valid, pose_shape, who)
            # What travels on must be in the frames that travel on.
            dtype = (
                keypoint.dtype
                if np.issubdtype(keypoint.dtype, np.floating) else np.float32)
            results['keypoint'] = frame_keypoints(
                keypoint, pose_shape, (height, width)).astype(dtype)
            clip = frame_keypoints(clip, pose_shape, (height, width))
        check_in_pixels(
            clip,
            valid, (height, width),
            who,
            hint='Put RecordPoseShape before the decoder (or give '
            'pose_shape)')
        keypoint = clip
        return keypoint, score

    def _replacement(self, frames: np.ndarray, background: np.ndarray,
                     results: Dict, name: str,
                     frame_ids: np.ndarray) -> np.ndarray:
        """What the background pixels become: one ``(H, W, 3)`` frame for
        the whole clip or ``(T, H, W, 3)``."""
        if self.fill == 'black':
            return np.zeros(frames.shape[1:], dtype=np.uint8)
        if self.fill == 'mean':
            return np.full(
                frames.shape[1:],
                background_mean(frames, background),
                dtype=np.uint8)
        if self.fill == 'blur':
            return np.stack([
                blur_background(f, b, self.blur_kernel)
                for f, b in zip(frames, background)
            ])
        identity = sample_identity(results, 'StripBackground')
        if self.fill == 'noise':
            # One generator per (seed, sample, frame), so a frame looks the
            # same whichever clip of the video it is sampled in.
            return np.stack([
                noise_frame(
                    frames.shape[1:],
                    sample_rng(self.seed, identity, 'strip_background_noise',
                               int(i)), self.noise) for i in frame_ids
            ])
        source = choose_source(self._swap_files, self.seed, identity,
                               results.get('filename'))
        length = max(
            int(results.get('total_frames', 0)),
            int(frame_ids.max()) + 1)
        return source_frames(source, frame_ids / length, frames.shape[1],
                             frames.shape[2], name)

    def transform(self, results: Dict) -> Dict:
        """Mask the people and fill the rest of every frame."""
        name = sample_name(results, with_key=True)
        imgs = results.get('imgs')
        if imgs is None or len(imgs) == 0:
            raise ValueError(f'StripBackground: {name} has no decoded imgs; '
                             'put it right after the video decoder')
        frames = np.stack(imgs)  # a copy, pasted into below
        if frames.dtype != np.uint8 or frames.shape[3:] != (3, ):
            raise ValueError(
                f'StripBackground: imgs of {name} are {frames.dtype} '
                f'{frames.shape[1:]}, expected uint8 HxWx3 frames; put it '
                'right after the decoder, before any normalisation')
        if 'frame_inds' not in results:
            raise ValueError(f'StripBackground: {name} has no frame_inds')
        frame_ids = np.asarray(results['frame_inds']).reshape(-1).astype(
            np.int64) - int(results.get('start_index', 0))
        if len(frame_ids) != len(frames):
            raise ValueError(
                f'StripBackground: {name} has {len(frames)} imgs but '
                f'{len(frame_ids)} frame_inds')
        height, width = frames.shape[1:3]
        keypoint, score = self._clip_pose(results, name, frame_ids, height,
                                          width)
        person = person_mask(
            keypoint,
            score,
            img_shape=(height, width),
            mode=self.mask,
            margin=self.margin,
            limb_width=self.limb_width,
            score_thr=self.score_thr,
            edges=self.edges)
        background = ~person
        fill = self._replacement(frames, background, results, name, frame_ids)
        # cv2.copyTo is far faster than a 3-channel np.where.
        for t, mask in enumerate(background.view(np.uint8)):
            frames[t] = cv2.copyTo(fill if fill.ndim == 3 else fill[t], mask,
                                   frames[t])
        results['imgs'] = list(frames)
        results['person_fraction'] = float(person.mean())
        if self.keep_mask:
            results['person_mask'] = person
        if self.drop_pose:
            results.pop('keypoint', None)
            results.pop('keypoint_score', None)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}('
                f'mask={self.mask!r}, '
                f'margin={self.margin}, '
                f'limb_width={self.limb_width}, '
                f'score_thr={self.score_thr}, '
                f'fill={self.fill!r}, '
                f'blur_kernel={self.blur_kernel}, '
                f'noise={self.noise!r}, '
                f'swap_source={self.swap_source!r}, '
                f'seed={self.seed}, '
                f'keep_mask={self.keep_mask}, '
                f'drop_pose={self.drop_pose}, '
                f'edges={self.edges})')
