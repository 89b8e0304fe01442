"""Tell the training pipeline's random transforms which epoch it is."""
from typing import Iterator, List

from mmengine.dataset import ConcatDataset
from mmengine.hooks import Hook

from ...registry import HOOKS


def _datasets(dataset) -> Iterator:
    """The dataset and every dataset it wraps (MMEngine's wrappers)."""
    yield dataset
    if isinstance(dataset, ConcatDataset) or hasattr(dataset, 'datasets'):
        for inner in getattr(dataset, 'datasets', []):
            yield from _datasets(inner)
    elif hasattr(dataset, 'dataset'):
        yield from _datasets(dataset.dataset)


def _transforms(transform) -> Iterator:
    """A transform and the transforms nested in it (``Compose``,
    ``ForEachView`` and other wrappers with ``transforms``)."""
    yield transform
    inner = getattr(transform, 'transforms', None)
    if inner is not None and not isinstance(inner, (str, bytes)):
        for child in getattr(inner, 'transforms', inner):
            yield from _transforms(child)


def epoch_keyed_transforms(dataset) -> List:
    """The transforms of ``dataset``'s pipelines that have ``set_epoch``."""
    found = []
    for inner in _datasets(dataset):
        pipeline = getattr(inner, 'pipeline', None)
        if pipeline is None:
            continue
        for transform in _transforms(pipeline):
            if callable(getattr(transform, 'set_epoch', None)) and \
                    transform not in found:
                found.append(transform)
    return found


@HOOKS.register_module()
class KeypointNoiseEpochHook(Hook):
    """Before every training epoch, set the epoch of the training pipeline's
    epoch-keyed transforms (:class:`KeypointNoise` in training mode).

    Their per-sample generators are keyed by ``(seed, sample, epoch)``: each
    epoch gets fresh noise, and the noise a sample gets does not depend on the
    number of dataloader workers or processes, nor on whether the run was
    resumed. The transforms keep the epoch in shared memory, so workers
    forked earlier (``persistent_workers=True``) see the new value.

    Our ``default_runtime`` config registers it as a default hook.
    """
    priority = 'NORMAL'

    def before_train_epoch(self, runner) -> None:
        for transform in epoch_keyed_transforms(
                runner.train_dataloader.dataset):
            transform.set_epoch(runner.epoch)
