"""Instance and group contrastive losses between clean and noisy views (seed
001, after TCL).

Both terms are SimCLR's NT-Xent. With ``s(a, b) = cos(a, b) / temperature``
and the ``2N`` vectors ``o_1..o_N`` (clean views) and ``n_1..n_N`` (noisy
views), every vector ``x`` is an anchor whose positive ``x+`` is the other
view of the same sample and whose negatives are the other ``2N - 2``
vectors::

    l(x) = -log exp(s(x, x+)) / sum_{y != x} exp(s(x, y))
    NT-Xent = mean of l(x) over the 2N anchors

The instance term is NT-Xent on the samples' representations. The group term
is NT-Xent on group means: each view's rows are grouped by that view's own
group id (``-1``: in no group), averaged per group, and the groups present in
both views are contrasted (0 when fewer than two). Under distributed training
the negatives and the group means come from every rank.
"""
from typing import Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.dist import all_gather

from ...registry import MODELS
from ..utils.gather import gather_with_grad


def nt_xent(clean: torch.Tensor, noisy: torch.Tensor, all_clean: torch.Tensor,
            all_noisy: torch.Tensor, offset: int,
            temperature: float) -> torch.Tensor:
    """Mean NT-Xent of the anchors ``clean`` and ``noisy`` (``2n`` in all).

    Args:
        clean (Tensor): Clean anchors, L2-normalised, ``(n, D)``.
        noisy (Tensor): Their noisy views, L2-normalised, ``(n, D)``.
        all_clean (Tensor): Every clean vector, normalised, ``(N, D)``; the
            anchors are rows ``offset .. offset + n``.
        all_noisy (Tensor): Every noisy vector, normalised, ``(N, D)``.
        offset (int): Where the anchors sit in ``all_*``.
        temperature (float): Temperature of the cosine similarity.
    """
    n, total = clean.shape[0], all_clean.shape[0]
    own = torch.arange(n, device=clean.device) + offset
    anchors = torch.cat([clean, noisy])  # (2n, D)
    candidates = torch.cat([all_clean, all_noisy])  # (2N, D)
    logits = anchors @ candidates.t() / temperature
    itself = torch.cat([own, own + total])
    positive = torch.cat([own + total, own])
    rows = torch.arange(2 * n, device=clean.device)
    pos_logit = logits[rows, positive]
    # An anchor is neither its own positive nor its own negative.
    logits = logits.masked_fill(
        F.one_hot(itself, 2 * total).bool(), float('-inf'))
    return (torch.logsumexp(logits, dim=1) - pos_logit).mean()


def group_means(z: torch.Tensor, groups: torch.Tensor,
                classes: torch.Tensor) -> torch.Tensor:
    """Mean row of ``z`` over the rows of each group in ``classes``."""
    onehot = (groups[None, :] == classes[:, None]).to(z.dtype)  # (C, N)
    return onehot @ z / onehot.sum(1, keepdim=True)


@MODELS.register_module()
class ViewContrastiveLoss(nn.Module):
    """Instance and group NT-Xent losses between clean and noisy views.

    The defaults are seed 001's (TCL's ``--Temperature 0.5``, ``--gamma 1``,
    ``--gamma2 1``); its reported runs set the weights per config.

    Args:
        temperature (float): Temperature of the cosine similarity.
            Defaults to 0.5.
        loss_weight_inst (float): Weight of the instance loss (``gamma1``).
            Defaults to 1.0.
        loss_weight_group (float): Weight of the group loss (``gamma2``).
            Defaults to 1.0.
        gather (bool): Take negatives and group members from all ranks in
            distributed runs, as one batch on one device (seed 001 ran
            ``DataParallel``, whose loss sees the whole batch).
            Defaults to True.
    """

    def __init__(self,
                 temperature: float = 0.5,
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

    def forward(
        self,
        clean: torch.Tensor,
        noisy: torch.Tensor,
        clean_groups: torch.Tensor,
        noisy_groups: Optional[torch.Tensor] = None
    ) -> Tuple[torch.Tensor, torch.Tensor]:
        """Weighted instance and group losses.

        Args:
            clean (Tensor): Representations of the clean views, ``(n, D)``
                (detach them beforehand for a stop-gradient).
            noisy (Tensor): Representations of the noisy views, ``(n, D)``.
            clean_groups (Tensor): Group id of each clean row, ``(n,)``;
                ``-1`` puts a row in no group.
            noisy_groups (Tensor, optional): Group id of each noisy row.
                None: ``clean_groups``. Defaults to None.

        Returns:
            tuple[Tensor, Tensor]: ``gamma1 x L_inst`` and
            ``gamma2 x L_group``.
        """
        if noisy_groups is None:
            noisy_groups = clean_groups
        dim = clean.shape[1]
        both = torch.cat([clean, noisy], dim=1).float()  # also under AMP
        ids = torch.stack([clean_groups, noisy_groups], dim=1).long()
        if self.gather:
            gathered, offset = gather_with_grad(both)
            # Integers as integers (MMEngine's all_gather: ``[ids]`` when not
            # distributed); gather_with_grad checked the equal batch sizes.
            ids = torch.cat(all_gather(ids))
        else:
            gathered, offset = both, 0
        all_clean, all_noisy = gathered[:, :dim], gathered[:, dim:]
        all_cg, all_ng = ids[:, 0], ids[:, 1]

        unit = F.normalize(both.view(-1, 2, dim), dim=2)  # (n, 2, D)
        inst = nt_xent(unit[:, 0], unit[:, 1], F.normalize(all_clean, dim=1),
                       F.normalize(all_noisy, dim=1), offset, self.temperature)

        classes = torch.unique(all_cg[all_cg >= 0])
        classes = classes[torch.isin(classes, all_ng)]
        if classes.numel() < 2:
            # One pair has no negative: NT-Xent is 0. Keep the graph whole.
            group = both.sum() * 0.0
        else:
            g_clean = F.normalize(
                group_means(all_clean, all_cg, classes), dim=1)
            g_noisy = F.normalize(
                group_means(all_noisy, all_ng, classes), dim=1)
            group = nt_xent(g_clean, g_noisy, g_clean, g_noisy, 0,
                            self.temperature)
        return self.loss_weight_inst * inst, self.loss_weight_group * group
