"""Semi-supervised training leaks no label: the labels of samples marked
unlabelled change neither the losses nor the gradients."""
import pytest
import torch
from contrastive_tiny import tiny_batch, tiny_model, total

LABELED = [True, False, True, False, True, False]
LABELS = [0, 3, 1, 3, 0, 2]
NECK = dict(type='ContrastiveTestNeck')


def _run(representation, labels, labeled=LABELED, neck=NECK):
    """Losses and parameter gradients of one training step."""
    model = tiny_model(
        representation, neck=neck, labeled_key='labeled', proj_channels=8)
    inputs, samples = tiny_batch(labels, labeled)
    torch.manual_seed(3)  # the same dropout masks in every run
    losses = model.loss(inputs, samples)
    total(losses).backward()
    grads = {
        name: p.grad.clone()
        for name, p in model.named_parameters() if p.grad is not None
    }
    return {k: v.detach() for k, v in losses.items()}, grads


def _same(a, b):
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


@pytest.mark.parametrize('representation', ['softmax', 'projection'])
def test_labels_of_unlabelled_samples_change_nothing(representation):
    losses, grads = _run(representation, LABELS)
    assert losses['loss_group'] > 0 and losses['loss_inst'] > 0
    # The neck's auxiliary loss takes labels: skipped on this batch.
    assert 'loss_aux_neck' not in losses
    flipped = list(LABELS)
    for i, flag in enumerate(LABELED):
        if not flag:
            flipped[i] = (flipped[i] + 1 + i) % 5
    assert flipped != LABELS
    losses2, grads2 = _run(representation, flipped)
    assert _same(losses, losses2)
    assert _same(grads, grads2)


@pytest.mark.parametrize('representation', ['softmax', 'projection'])
def test_labels_of_labelled_samples_do_matter(representation):
    """The control: the test above can fail."""
    losses, grads = _run(representation, LABELS)
    flipped = list(LABELS)
    flipped[0] = 1  # sample 0 joins sample 2's class
    losses2, grads2 = _run(representation, flipped)
    assert losses['loss_cls'] != losses2['loss_cls']
    if representation == 'projection':  # groups come from these labels
        assert losses['loss_group'] != losses2['loss_group']
    else:  # groups come from predictions
        assert torch.equal(losses['loss_group'], losses2['loss_group'])
    assert not _same(grads, grads2)


def test_all_labelled_batches_keep_the_necks_auxiliary_loss():
    losses, _ = _run('softmax', LABELS, labeled=[True] * 6)
    assert losses['loss_aux_neck'] > 0


def test_no_labelled_sample_keeps_the_graph_whole():
    losses, grads = _run('softmax', LABELS, labeled=[False] * 6)
    assert losses['loss_cls'] == 0 and losses['loss_inst'] > 0
    assert grads['cls_head.fc_cls.weight'].abs().sum() > 0


def test_missing_labeled_key_names_the_sample_and_the_key():
    model = tiny_model('softmax', labeled_key='labeled')
    inputs, samples = tiny_batch([0, 1, 2])
    samples[0].set_metainfo(dict(labeled=True))
    with pytest.raises(KeyError, match=r"sample 1 .*clip1.*'labeled'"):
        model.loss(inputs, samples)
