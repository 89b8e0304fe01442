"""Dataset wrappers of the sweep loops: samples that carry their index, and
every condition of a sweep from one read of each sample."""
import copy
from typing import Callable, Dict, List, Sequence

from mmcv.transforms import Compose
from mmengine.structures import BaseDataElement
from torch.utils.data import Dataset

from ...datasets.video_checks import apply_pipeline
from ...evaluation.metrics.sample_outcome_metric import INDEX_KEY
from ...utils.sample import sample_name


def _mark_index(item, index: int):
    """Put the sample's index in its data sample's metainfo."""
    sample = item.get('data_samples') if isinstance(item, dict) else None
    # Anything else is left as it is; the outcome metric then reports the
    # missing index instead of failing the sweep.
    if isinstance(sample, BaseDataElement):
        sample.set_metainfo({INDEX_KEY: int(index)})
    return item


class IndexedDataset(Dataset):
    """A dataset whose samples carry their index (``sample_idx`` in the
    data sample's metainfo), which mmaction2's ``PackActionInputs`` drops:
    the sweep's outcomes are keyed by it.

    Args:
        dataset (Dataset): The test set; its items are dicts whose
            ``data_samples`` is a data sample.
    """

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset

    def __len__(self) -> int:
        return len(self.dataset)

    def __getitem__(self, index: int) -> Dict:
        return _mark_index(self.dataset[index], index)


def shared_prefix(pipelines: Sequence[Sequence]) -> int:
    """How many leading transforms all pipelines share (the same objects)."""
    count = min(len(p) for p in pipelines)
    for i in range(count):
        if any(p[i] is not pipelines[0][i] for p in pipelines):
            return i
    return count


class ConditionsDataset(Dataset):
    """Every condition of a sweep from one read of each sample.

    Item ``i`` is the list of sample ``i`` under each condition, in the
    order of ``pipelines``: the transforms all pipelines share (the same
    objects, at the front: reading, decoding, and frame sampling when the
    condition comes after it) run once, and each condition's own tail runs
    on a deep copy of their output. A condition's item therefore equals
    the dataset's own item with the dataset's pipeline set to that
    condition, when the shared transforms are deterministic (as test
    pipelines are) and do not change their input in place.

    Args:
        dataset (Dataset): An MMEngine dataset (``get_data_info``).
        pipelines (Sequence[list]): The full list of transforms for each
            condition.
    """

    def __init__(self, dataset: Dataset,
                 pipelines: Sequence[Sequence[Callable]]) -> None:
        if not pipelines:
            raise ValueError('ConditionsDataset needs at least one pipeline')
        self.dataset = dataset
        start = shared_prefix(pipelines)
        self.shared = Compose(list(pipelines[0][:start]))
        self.tails = [Compose(list(p[start:])) for p in pipelines]

    def __len__(self) -> int:
        return len(self.dataset)

    def _run(self, transforms: Compose, results: Dict, index: int) -> Dict:
        """As the dataset runs its pipeline (a video reader's failure names
        the sample); a sample a transform drops is an error."""
        name = sample_name(results, index, quote=True)
        results = apply_pipeline(transforms, results,
                                 getattr(self.dataset, 'ann_file', ''), index)
        if results is None:
            raise ValueError(f'the test pipeline dropped sample {name}: a '
                             'sweep evaluates every sample')
        return results

    def __getitem__(self, index: int) -> List[Dict]:
        results = self._run(self.shared,
                            self.dataset.get_data_info(index), index)
        if len(self.tails) == 1:  # nothing to share with: no copy
            return [_mark_index(self._run(self.tails[0], results, index),
                                index)]
        return [
            _mark_index(
                self._run(tail, copy.deepcopy(results), index), index)
            for tail in self.tails
        ]


class ConditionsCollate:
    """Collate lists of per-condition items into one batch per condition
    (items that are not lists: one condition).

    Args:
        collate_fn (callable): The test dataloader's collate function.
    """

    def __init__(self, collate_fn: Callable) -> None:
        self.collate_fn = collate_fn

    def __call__(self, items: List) -> List:
        if not isinstance(items[0], list):
            return [self.collate_fn(items)]
        return [
            self.collate_fn([item[k] for item in items])
            for k in range(len(items[0]))
        ]
