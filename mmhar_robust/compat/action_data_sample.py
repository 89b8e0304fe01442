"""Read and write labels of ``ActionDataSample`` on mmaction2 1.1 and 1.2.

mmaction2 1.1 keeps them in ``LabelData`` fields (``gt_labels.item``,
``pred_scores.item``, ``set_gt_labels``); 1.2 in tensors (``gt_label``,
``pred_score``, ``set_gt_label``).
"""
import torch
from mmaction.structures import ActionDataSample


def gt_label(sample: ActionDataSample) -> torch.Tensor:
    """The ground-truth label tensor of a data sample."""
    if 'gt_label' in sample:
        return sample.gt_label
    return sample.gt_labels.item


def pred_score(sample: ActionDataSample) -> torch.Tensor:
    """The predicted class scores of a data sample."""
    if 'pred_score' in sample:
        return sample.pred_score
    return sample.pred_scores.item


def with_gt_label(sample: ActionDataSample, label) -> ActionDataSample:
    """Set the ground-truth label, whichever API this mmaction2 has."""
    setter = getattr(sample, 'set_gt_label', None) or sample.set_gt_labels
    return setter(label)
