"""Instance and group contrastive losses between clean and noisy views (seed
001, after TCL).

With ``h(a, b) = exp(cos(a, b) / temperature)``, for an anchor ``o_i`` (clean
view of sample ``i``) and its positive ``n_i`` (the noisy view of the same
sample)::

    L_inst(i) = -log h(o_i, n_i) / (sum_k h(o_i, n_k) + sum_{k != i} h(o_i, o_k))

The negatives are the other samples' noisy and clean views. The group loss is
the same expression on per-class means ``G_o^c, G_n^c`` of the classes present
in the batch. Under distributed training the negatives (and the class means)
come from every rank.
"""
from typing import Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

from ...registry import MODELS
from ..utils.gather import gather_with_grad


def view_contrast(clean: torch.Tensor, all_clean: torch.Tensor,
                  all_noisy: torch.Tensor, offset: int,
                  temperature: float) -> torch.Tensor:
    """Mean ``-log`` of the formula above for each anchor in ``clean``.

    Args:
        clean (Tensor): Anchors, L2-normalised, ``(n, D)``.
        all_clean (Tensor): Every clean view, normalised, ``(N, D)``; the
            anchors are rows ``offset .. offset + n``.
        all_noisy (Tensor): Every noisy view, normalised, ``(N, D)``.
        offset (int): Where the anchors sit in ``all_*``.
        temperature (float): Softmax temperature.
    """
    n = clean.shape[0]
    rows = torch.arange(n, device=clean.device)
    own = rows + offset
    to_noisy = clean @ all_noisy.t() / temperature  # (n, N)
    to_clean = clean @ all_clean.t() / temperature  # (n, N)
    # An anchor is not its own negative.
    to_clean = to_clean.masked_fill(
        F.one_hot(own, all_clean.shape[0]).bool(), float('-inf'))
    logits = torch.cat([to_noisy, to_clean], dim=1)
    positive = to_noisy[rows, own]
    return (torch.logsumexp(logits, dim=1) - positive).mean()


def class_means(z: torch.Tensor, labels: torch.Tensor,
                classes: torch.Tensor) -> torch.Tensor:
    """Mean row of ``z`` for each class in ``classes``."""
    onehot = (labels[None, :] == classes[:, None]).to(z.dtype)  # (C, N)
    return onehot @ z / onehot.sum(1, keepdim=True)


@MODELS.register_module()
class ViewContrastiveLoss(nn.Module):
    """Instance and group contrastive losses between clean and noisy views.

    Args:
        temperature (float): Temperature of ``exp(cos / t)``. Defaults to 0.1.
        loss_weight_inst (float): Weight of the instance loss (``gamma1``).
            Defaults to 1.0.
        loss_weight_group (float): Weight of the group loss (``gamma2``).
            Defaults to 1.0.
        gather (bool): Take negatives from all ranks in distributed runs.
            Defaults to True.
    """

    def __init__(self,
                 temperature: float = 0.1,
                 loss_weight_inst: float = 1.0,
                 loss_weight_group: float = 1.0,
                 gather: bool = True) -> None:
        super().__init__()
        if temperature <= 0:
            raise ValueError(f'temperature must be > 0, got {temperature}')
        self.temperature = temperature
        self.loss_weight_inst = loss_weight_inst
        self.loss_weight_group = loss_weight_group
        self.gather = gather

    def forward(self, clean: torch.Tensor, noisy: torch.Tensor,
                labels: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """Weighted instance and group losses.

        Args:
            clean (Tensor): Embeddings of the clean views, ``(n, D)``.
            noisy (Tensor): Embeddings of the noisy views, ``(n, D)``.
            labels (Tensor): Class labels, ``(n,)``.

        Returns:
            tuple[Tensor, Tensor]: ``gamma1 x L_inst`` and ``gamma2 x L_group``.
        """
        clean, noisy = F.normalize(clean, dim=1), F.normalize(noisy, dim=1)
        both = torch.cat([clean, noisy], dim=1)
        if self.gather:
            gathered, offset = gather_with_grad(both)
            all_labels, _ = gather_with_grad(labels[:, None].float())
            all_labels = all_labels[:, 0].long()
        else:
            gathered, offset, all_labels = both, 0, labels
        dim = clean.shape[1]
        all_clean, all_noisy = gathered[:, :dim], gathered[:, dim:]
        inst = view_contrast(clean, all_clean, all_noisy, offset,
                             self.temperature)
        classes = torch.unique(all_labels)
        g_clean = F.normalize(
            class_means(all_clean, all_labels, classes), dim=1)
        g_noisy = F.normalize(
            class_means(all_noisy, all_labels, classes), dim=1)
        group = view_contrast(g_clean, g_clean, g_noisy, 0, self.temperature)
        return self.loss_weight_inst * inst, self.loss_weight_group * group
