"""Grad-CAM of chosen samples after testing (and validation), with the
background-reliance score (share of CAM mass on the person)."""
import os.path as osp
from typing import Dict, List, Optional, Sequence, Union

import numpy as np
from mmengine.dist import is_main_process
from mmengine.hooks import Hook
from PIL import Image

from ...registry import HOOKS

MASK_MODES = ('box', 'silhouette', None)


@HOOKS.register_module()
class GradCAMHook(Hook):
    """Explain chosen samples with a pytorch-grad-cam method.

    After the test epoch (and every ``every``-th validation), the samples
    ``sample_indices`` of the loop's dataset are taken one by one through the
    dataset's pipeline and the model's data preprocessor, apart from the
    loop's batches, which stay untouched. For each, overlays are written
    (RGB/heatmap frame grid + GIF, or skeleton + joints x frames images) and
    a row of ``reliance.json``/``reliance.csv`` with its in-person fraction
    (None for GCNs). The mean is logged as ``{test,val}/gradcam_in_person``
    and added to the loop's metrics. The model is left exactly as it was.

    Every PNG also goes to ``runner.visualizer.add_image`` (named
    ``gradcam_<file stem>``, at step ``runner.epoch``), so it reaches every
    backend of the config's ``vis_backends``: ``LocalVisBackend``'s
    ``vis_data/vis_image``, TensorBoard, W&B. The files in ``out_dir`` are
    written as before: the GIFs and the reliance reports are only there.

    Example:
        >>> custom_hooks = [dict(type='GradCAMHook', sample_indices=[0, 5])]

    Args:
        sample_indices (Sequence[int]): Dataset indices to explain.
            Defaults to (0, ).
        method (str): CAM method (see
            ``mmhar_robust.visualization.cam.methods``). Defaults to
            'GradCAM'.
        target_layer (str, optional): Dotted module name; None picks the
            last backbone stage with feature maps (``backbone.layer3`` of a
            PoseC3D SlowOnly, ``backbone.gcn.9`` of ST-GCN). Defaults to
            None.
        out_dir (str, optional): Root of the outputs; None means
            ``{runner.log_dir}/gradcam``. Each run writes a ``test`` or
            ``val_epoch_{N}`` sub-folder. Defaults to None.
        mask (str, optional): Person mask from keypoints, ``'box'`` or
            ``'silhouette'``; None skips the score. Defaults to 'box'.
        every (int): Also run after every ``every``-th validation; 0 only
            after testing. Defaults to 0.
        target (str | int): Class explained: ``'pred'``, ``'gt'`` or an
            index. Defaults to 'pred'.
    """

    priority = 'NORMAL'  # before LoggerHook, which logs our scalar

    def __init__(self,
                 sample_indices: Sequence[int] = (0, ),
                 method: str = 'GradCAM',
                 target_layer: Optional[str] = None,
                 out_dir: Optional[str] = None,
                 mask: Optional[str] = 'box',
                 every: int = 0,
                 target: Union[str, int] = 'pred') -> None:
        indices = list(sample_indices)
        if not indices or not all(
                isinstance(i, int) and i >= 0 for i in indices):
            raise ValueError('sample_indices must be a non-empty list of '
                             f'dataset indices >= 0, got {sample_indices!r}')
        if mask not in MASK_MODES:
            raise ValueError(f'mask must be one of {MASK_MODES}, got {mask!r}')
        if not isinstance(every, int) or every < 0:
            raise ValueError(f'every must be an int >= 0, got {every!r}')
        # pytorch-grad-cam (and torchvision) load only when the hook is used:
        # registering it must not slow down `import mmhar_robust`.
        from ...visualization.cam.methods import get_method
        get_method(method)  # an unknown name fails here, not after testing
        self.sample_indices = indices
        self.method = method
        self.target_layer = target_layer
        self.out_dir = out_dir
        self.mask = mask
        self.every = every
        self.target = target
        self._validations = 0

    def before_test(self, runner) -> None:
        """Fail on indices outside the test set before, not after, testing.

        Raises:
            IndexError: naming the first index out of range.
        """
        size = len(runner.test_loop.dataloader.dataset)
        outside = [i for i in self.sample_indices if i >= size]
        if outside:
            raise IndexError(f'GradCAMHook: sample index {outside[0]} is '
                             f'outside the test set of {size} samples')

    def after_val_epoch(self,
                        runner,
                        metrics: Optional[Dict[str, float]] = None) -> None:
        if self.every == 0:
            return
        self._validations += 1
        if self._validations % self.every == 0:
            self._explain(runner, runner.val_loop.dataloader.dataset, 'val',
                          f'val_epoch_{runner.epoch}', metrics)

    def after_test_epoch(self,
                         runner,
                         metrics: Optional[Dict[str, float]] = None) -> None:
        self._explain(runner, runner.test_loop.dataloader.dataset, 'test',
                      'test', metrics)

    def _explain(self, runner, dataset, phase: str, folder: str,
                 metrics: Optional[Dict[str, float]]) -> None:
        if not is_main_process():
            return
        from ...visualization.cam import (CAMSession, explain_samples,
                                          summarize, write_report)
        from ...visualization.cam.samples import dataset_sample
        out_dir = osp.join(
            self.out_dir or osp.join(runner.log_dir, 'gradcam'), folder)
        samples = [
            dataset_sample(dataset, i, prefix=f'{phase}_')
            for i in self.sample_indices
        ]
        with CAMSession(runner.model, self.method,
                        self.target_layer) as session:
            rows = explain_samples(session, samples, out_dir, self.mask,
                                   self.target)
        write_report(rows, out_dir)
        self._publish(runner, rows, out_dir)
        summary = summarize(row['in_person'] for row in rows)
        mean = summary['mean_in_person']
        shown = 'n/a' if mean is None else f'{mean:.4f}'
        runner.logger.info(
            f'Grad-CAM ({self.method}, {rows[0]["layer"]}) of '
            f'{len(rows)} {phase} samples written to {out_dir}; mean '
            f'in-person fraction {shown} over {summary["num_scored"]} '
            'samples with keypoints')
        if mean is not None:
            runner.message_hub.update_scalar(f'{phase}/gradcam_in_person',
                                             mean)
            if metrics is not None:
                metrics['gradcam_in_person'] = mean

    @staticmethod
    def _publish(runner, rows: List[Dict], out_dir: str) -> None:
        """Send the PNGs written in ``out_dir`` to the runner's visualizer."""
        for row in rows:
            for name in row['files'].split(';'):
                if name.endswith('.png'):
                    with Image.open(osp.join(out_dir, name)) as image:
                        rgb = np.asarray(image.convert('RGB'))
                    runner.visualizer.add_image(
                        f'gradcam_{osp.splitext(name)[0]}',
                        rgb,
                        step=runner.epoch)
