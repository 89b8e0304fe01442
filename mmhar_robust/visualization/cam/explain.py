"""Explain samples end to end: CAMs, overlays and in-person fractions; what
the Grad-CAM hook and ``tools/gradcam.py`` share."""
import os
from typing import Dict, List, Optional, Sequence, Tuple, Union

from .cam_session import CAMResult, CAMSession
from .overlays import save_frame_overlays, save_volume_overlays
from .reliance import in_person_fraction, mask_like
from .sample_masks import check_mask, person_mask_of
from .samples import Sample, preprocess
from .skeleton_overlays import graph_edges, save_skeleton_overlays


def _target(sample: Sample, target: Union[str, int]) -> Optional[int]:
    if isinstance(target, int):
        return target
    if target == 'gt':
        if sample.label is None:
            raise ValueError(f'sample {sample.name} has no ground-truth '
                             'label to explain (target="gt")')
        return sample.label
    if target == 'pred':
        return None
    raise ValueError(f'target must be "pred", "gt" or a class index, got '
                     f'{target!r}')


def check_masks(samples: List[Sample],
                mask: Optional[str] = 'box',
                edges: Optional[Sequence[Tuple[int, int]]] = None,
                kind: Optional[str] = None) -> None:
    """Refuse, before any CAM is computed, samples whose person mask would
    fail or be silently wrong (:func:`~.sample_masks.check_mask`); nothing
    to check for GCNs (``kind='gcn'``) or ``mask=None``.

    Raises:
        ValueError: naming the first such sample.
    """
    if mask is None or kind == 'gcn':
        return
    for sample in samples:
        check_mask(sample, mask, edges)


def _overlays(session: CAMSession, sample: Sample, inputs, result: CAMResult,
              out_dir: str) -> List[str]:
    stem = f'{sample.name}_{result.method}'
    if result.kind == 'gcn':
        return save_skeleton_overlays(inputs[0], result.cam, out_dir, stem,
                                      graph_edges(session.model))
    trace = sample.views
    if (result.kind == 'rgb' and trace is not None and trace.frames is not None
            and trace.failure is None):
        return save_frame_overlays(trace, result.cam, out_dir, stem)
    return save_volume_overlays(inputs[0], result.cam, result.kind, out_dir,
                                stem, session.model.data_preprocessor)


def explain_samples(
        session: CAMSession,
        samples: List[Sample],
        out_dir: Optional[str] = None,
        mask: Optional[str] = 'box',
        target: Union[str, int] = 'pred',
        edges: Optional[Sequence[Tuple[int, int]]] = None) -> List[Dict]:
    """CAMs of ``samples`` (one at a time, so test batching is irrelevant),
    their overlays in ``out_dir`` and one report row each. Every sample's
    mask is checked first (:func:`check_masks`).

    RGB CAMs are drawn on the decoded video frames when the sample kept
    them (``keep_frames``), through the view of each clip (the crop it
    shows is in colour, the rest of the frame dimmed); otherwise, and for
    heatmaps, on the model's input.

    Args:
        session (CAMSession): An entered session.
        samples (list[Sample]): Pipeline outputs.
        out_dir (str, optional): Where overlays go; None draws nothing.
            Defaults to None.
        mask (str, optional): Person mask mode (``'box'`` or
            ``'silhouette'``); None skips the in-person fraction.
            Defaults to 'box'.
        target (str | int): ``'pred'``, ``'gt'`` or a class index.
            Defaults to 'pred'.
        edges (Sequence[tuple], optional): Bones of the silhouette mask;
            None: the built-in layout's (COCO-17, NTU-25). Defaults to None.

    Returns:
        list[dict]: ``sample``, ``gt``, ``pred``, ``target``, ``score``
        (target logit), ``in_person`` (None for GCNs, samples without
        keypoints, or ``mask=None``), ``layer``, ``method``, ``files``.
    """
    check_masks(samples, mask, edges, session.kind)
    if out_dir is not None:
        os.makedirs(out_dir, exist_ok=True)
    rows = []
    for sample in samples:
        inputs, _ = preprocess(session.model, [sample])
        result: CAMResult = session(inputs, _target(sample, target))[0]
        fraction = None
        if mask is not None and result.kind != 'gcn':
            person = person_mask_of(sample, mask, edges)
            if person is not None:
                fraction = in_person_fraction(result.cam,
                                              mask_like(person, result.cam))
        files: List[str] = []
        if out_dir is not None:
            files = _overlays(session, sample, inputs, result, out_dir)
        rows.append(
            dict(
                sample=sample.name,
                gt=sample.label,
                pred=result.pred,
                target=result.target,
                score=float(result.scores[result.target])
                if result.target >= 0 else None,
                in_person=fraction,
                layer=result.layer,
                method=result.method,
                files=';'.join(os.path.basename(f) for f in files)))
    return rows
