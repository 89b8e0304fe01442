"""Explain samples end to end: CAMs, overlays and in-person fractions; what
the Grad-CAM hook and ``tools/gradcam.py`` share."""
import os
from typing import Dict, List, Optional, Union

from .cam_runner import CAMResult, CAMSession
from .overlays import save_volume_overlays
from .reliance import in_person_fraction, mask_like
from .samples import Sample, person_mask_of, preprocess
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


def explain_samples(session: CAMSession,
                    samples: List[Sample],
                    out_dir: Optional[str] = None,
                    mask: Optional[str] = 'box',
                    target: Union[str, int] = 'pred') -> List[Dict]:
    """CAMs of ``samples`` (one at a time, so test batching is irrelevant),
    their overlays in ``out_dir`` and one report row each.

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

    Returns:
        list[dict]: ``sample``, ``gt``, ``pred``, ``target``, ``score``
        (target logit), ``in_person`` (None for GCNs, samples without
        keypoints, or ``mask=None``), ``layer``, ``method``, ``files``.
    """
    if out_dir is not None:
        os.makedirs(out_dir, exist_ok=True)
    rows = []
    for sample in samples:
        inputs, _ = preprocess(session.model, [sample])
        result: CAMResult = session(inputs, _target(sample, target))[0]
        fraction = None
        if mask is not None and result.kind != 'gcn':
            person = person_mask_of(sample, mask)
            if person is not None:
                fraction = in_person_fraction(result.cam,
                                              mask_like(person, result.cam))
        files: List[str] = []
        if out_dir is not None:
            stem = f'{sample.name}_{result.method}'
            if result.kind == 'gcn':
                files = save_skeleton_overlays(inputs[0], result.cam,
                                               out_dir, stem,
                                               graph_edges(session.model))
            else:
                files = save_volume_overlays(inputs[0], result.cam,
                                             result.kind, out_dir, stem,
                                             session.model.data_preprocessor)
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
