"""Mark a fixed fraction of samples as labelled, for semi-supervised runs."""
import hashlib
from typing import Dict

from mmcv.transforms import BaseTransform

from ...registry import TRANSFORMS
from ...utils.sample import sample_identity


@TRANSFORMS.register_module()
class MarkLabeled(BaseTransform):
    """Flag each sample as labelled or not, by a hash of its identity.

    Seed 001's future work: train with labels on a fraction (5, 10, 20 %) of
    the clips and the contrastive terms on all. The choice depends only on
    ``(seed, sample identity)`` (see :mod:`mmhar_robust.utils.sample`), so
    it is the same in every epoch, worker and rank and does not depend on the
    order of the data. It hashes ``repr((seed, identity))`` with an 8-byte
    BLAKE2b rather than drawing from ``sample_rng``, so that a run chooses
    the same labelled subset as runs made before ``sample_rng`` existed.
    Put ``'labeled'`` in ``PackActionInputs``'s ``meta_keys`` and set the
    recognizer's ``labeled_key='labeled'``.

    Required Keys:

        - frame_dir, filename, video_id or sample_idx (the sample's
          identity)

    Added Keys:

        - labeled

    Args:
        fraction (float): Share of samples that keep their label, in [0, 1].
        seed (int): Changes which samples are chosen. Defaults to 0.
    """

    def __init__(self, fraction: float, seed: int = 0) -> None:
        if not 0 <= fraction <= 1:
            raise ValueError(f'fraction must be in [0, 1], got {fraction}')
        self.fraction = fraction
        self.seed = seed

    def transform(self, results: Dict) -> Dict:
        identity = sample_identity(results, 'MarkLabeled')
        digest = hashlib.blake2b(
            repr((self.seed, identity)).encode('utf-8'),
            digest_size=8).digest()
        unit = int.from_bytes(digest, 'little') / 2**64
        results['labeled'] = unit < self.fraction
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(fraction={self.fraction}, '
                f'seed={self.seed})')
