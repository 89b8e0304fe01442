"""Facts about MotionBERT's released checkpoints, and fakes built from them.

Written down from the official code (``Walter0807/MotionBERT`` at commit
20db205a: ``lib/model/DSTformer.py``, ``lib/model/model_action.py``,
``lib/utils/learning.py``, ``train.py``, ``train_action.py`` and
``configs/action/MB_ft_NTU60_xsub.yaml``), not from our implementation:

- ``train.py`` saves ``{'epoch', 'lr', 'optimizer', 'model_pos',
  'min_loss'}``; ``train_action.py`` saves ``{'epoch', 'lr', 'optimizer',
  'model', 'best_acc'}``. Both models are wrapped in ``nn.DataParallel``, so
  every name starts with ``module.``; ``ActionNet`` names its parts
  ``backbone`` and ``head``.
- The DSTformer: ``temp_embed (1, maxlen, 1, dim_feat)``, ``pos_embed
  (1, num_joints, dim_feat)``, ``joints_embed`` Linear(dim_in, dim_feat),
  ``blocks_st.i`` / ``blocks_ts.i`` Blocks, ``norm`` LayerNorm,
  ``pre_logits.fc`` Linear(dim_feat, dim_rep), ``head`` Linear(dim_rep,
  dim_out), ``ts_attn.i`` Linear(2 dim_feat, 2) (att_fuse). Attention in
  'spatial'/'temporal' mode has only ``qkv`` (with bias) and ``proj``; the
  Block (att_fuse False) has no ``ts_attn``.
- ``ActionHeadClassification``: ``bn`` BatchNorm1d(hidden), ``fc1``
  Linear(dim_rep * num_joints, hidden), ``fc2`` Linear(hidden, classes).
- The release (MB_ft_NTU60_xsub.yaml, MB_pretrain.yaml): dim_feat 512,
  mlp_ratio 2 (hidden 1024), depth 5, dim_rep 512, maxlen 243, 17 joints,
  hidden_dim 2048, 60 classes.
"""
from collections import OrderedDict
from typing import List, Tuple

import torch

RELEASE = dict(dim_feat=512, mlp_hidden=1024, depth=5, dim_rep=512,
               maxlen=243, num_joints=17, dim_in=3, dim_out=3,
               hidden_dim=2048, num_classes=60)
# The backbone's parameter count at RELEASE, summed by hand from the
# shapes below (about 42.5 M, as the release's 162 MB file implies).
RELEASE_BACKBONE_PARAMS = 42_466_317


def _block(d: int, h: int) -> List[Tuple[str, Tuple[int, ...]]]:
    """One Block, in its registration order."""
    norm = [('weight', (d, )), ('bias', (d, ))]
    attn = [('qkv.weight', (3 * d, d)), ('qkv.bias', (3 * d, )),
            ('proj.weight', (d, d)), ('proj.bias', (d, ))]
    mlp = [('fc1.weight', (h, d)), ('fc1.bias', (h, )),
           ('fc2.weight', (d, h)), ('fc2.bias', (d, ))]
    out = []
    for module, params in (('norm1_s', norm), ('norm1_t', norm),
                           ('attn_s', attn), ('attn_t', attn),
                           ('norm2_s', norm), ('norm2_t', norm),
                           ('mlp_s', mlp), ('mlp_t', mlp)):
        out += [(f'{module}.{name}', shape) for name, shape in params]
    return out


def backbone_shapes(dim_feat=512, mlp_hidden=1024, depth=5, dim_rep=512,
                    maxlen=243, num_joints=17, dim_in=3, dim_out=3,
                    **_) -> List[Tuple[str, Tuple[int, ...]]]:
    """The DSTformer's (name, shape) list, without prefix."""
    d = dim_feat
    out = [('temp_embed', (1, maxlen, 1, d)),
           ('pos_embed', (1, num_joints, d)),
           ('joints_embed.weight', (d, dim_in)), ('joints_embed.bias', (d, ))]
    for stream in ('blocks_st', 'blocks_ts'):
        for i in range(depth):
            out += [(f'{stream}.{i}.{n}', s) for n, s in _block(d, mlp_hidden)]
    out += [('norm.weight', (d, )), ('norm.bias', (d, )),
            ('pre_logits.fc.weight', (dim_rep, d)),
            ('pre_logits.fc.bias', (dim_rep, )),
            ('head.weight', (dim_out, dim_rep)), ('head.bias', (dim_out, ))]
    for i in range(depth):
        out += [(f'ts_attn.{i}.weight', (2, 2 * d)), (f'ts_attn.{i}.bias',
                                                       (2, ))]
    return out


def head_shapes(dim_rep=512, num_joints=17, hidden_dim=2048, num_classes=60,
                **_) -> List[Tuple[str, Tuple[int, ...]]]:
    """ActionHeadClassification's (name, shape) list, without prefix."""
    h = hidden_dim
    return [('bn.weight', (h, )), ('bn.bias', (h, )),
            ('bn.running_mean', (h, )), ('bn.running_var', (h, )),
            ('bn.num_batches_tracked', ()),
            ('fc1.weight', (h, dim_rep * num_joints)), ('fc1.bias', (h, )),
            ('fc2.weight', (num_classes, h)), ('fc2.bias', (num_classes, ))]


def action_shapes(**dims) -> List[Tuple[str, Tuple[int, ...]]]:
    """A fine-tuned ``best_epoch.bin``'s ``model`` names and shapes."""
    return ([(f'module.backbone.{n}', s) for n, s in backbone_shapes(**dims)] +
            [(f'module.head.{n}', s) for n, s in head_shapes(**dims)])


def pretrained_shapes(**dims) -> List[Tuple[str, Tuple[int, ...]]]:
    """A pretrained ``latest_epoch.bin``'s ``model_pos`` names and shapes."""
    return [(f'module.{n}', s) for n, s in backbone_shapes(**dims)]


def fake_state(shapes, seed: int = 0) -> 'OrderedDict[str, torch.Tensor]':
    """Random tensors of the given shapes (an int64 counter for
    ``num_batches_tracked``, positive running variances)."""
    gen = torch.Generator().manual_seed(seed)
    state = OrderedDict()
    for name, shape in shapes:
        if name.endswith('num_batches_tracked'):
            state[name] = torch.tensor(1234)
        elif name.endswith('running_var'):
            state[name] = torch.rand(shape, generator=gen) + 0.5
        else:
            state[name] = torch.randn(shape, generator=gen) * 0.05
    return state


def fake_action_checkpoint(seed: int = 0, **dims) -> dict:
    """What ``train_action.py`` saves, with random weights."""
    return dict(epoch=7, lr=[1e-4, 1e-3], optimizer=dict(state={},
                                                        param_groups=[]),
                model=fake_state(action_shapes(**dims), seed),
                best_acc=torch.tensor(93.0))


def fake_pretrained_checkpoint(seed: int = 0, **dims) -> dict:
    """What ``train.py`` saves, with random weights."""
    return dict(epoch=90, lr=0.0002, optimizer=dict(state={},
                                                    param_groups=[]),
                model_pos=fake_state(pretrained_shapes(**dims), seed),
                min_loss=25.0)


def _attention(x, weight, bias, proj_w, proj_b, heads, axis):
    """Release attention on ``(B, T, J, D)`` tokens, over joints
    (``axis='joints'``) or frames (``'frames'``); q, k, v are the thirds of
    the qkv output, each split into ``heads`` consecutive chunks."""
    import torch.nn.functional as F
    b, t, j, d = x.shape
    q, k, v = F.linear(x, weight, bias).view(b, t, j, 3, heads,
                                             d // heads).unbind(3)
    scale = (d // heads)**-0.5
    if axis == 'joints':
        w = torch.einsum('btjhc,btkhc->bthjk', q, k).mul(scale).softmax(-1)
        out = torch.einsum('bthjk,btkhc->btjhc', w, v)
    else:
        w = torch.einsum('btjhc,bsjhc->bjhts', q, k).mul(scale).softmax(-1)
        out = torch.einsum('bjhts,bsjhc->btjhc', w, v)
    return F.linear(out.reshape(b, t, j, d), proj_w, proj_b)


def reference_action_net(state, x, num_heads=8, eps=1e-6):
    """MotionBERT's ``ActionNet(x)`` in eval mode as plain functions of the
    release's state dict (names without ``module.``), written from the
    official forward passes: returns (representation, logits).

    Args:
        state (dict): ``backbone.*`` and ``head.*`` tensors.
        x (torch.Tensor): ``(N, M, T, J, 3)``.
    """
    import torch.nn.functional as F
    n, m, t, j, c = x.shape
    p = {k[len('backbone.'):]: v for k, v in state.items()
         if k.startswith('backbone.')}

    def ln(h, name):
        return F.layer_norm(h, h.shape[-1:], p[f'{name}.weight'],
                            p[f'{name}.bias'], eps)

    def mlp(h, name):
        h = F.gelu(F.linear(h, p[f'{name}.fc1.weight'], p[f'{name}.fc1.bias']))
        return F.linear(h, p[f'{name}.fc2.weight'], p[f'{name}.fc2.bias'])

    def branch(h, blk, s):  # s: 's' or 't'
        axis = 'joints' if s == 's' else 'frames'
        h = h + _attention(ln(h, f'{blk}.norm1_{s}'),
                           p[f'{blk}.attn_{s}.qkv.weight'],
                           p[f'{blk}.attn_{s}.qkv.bias'],
                           p[f'{blk}.attn_{s}.proj.weight'],
                           p[f'{blk}.attn_{s}.proj.bias'], num_heads, axis)
        return h + mlp(ln(h, f'{blk}.norm2_{s}'), f'{blk}.mlp_{s}')

    h = F.linear(x.reshape(n * m, t, j, c), p['joints_embed.weight'],
                 p['joints_embed.bias'])
    h = h + p['pos_embed'][:, None] + p['temp_embed'][:, :t]
    depth = len({k.split('.')[1] for k in p if k.startswith('blocks_st.')})
    for i in range(depth):
        st = branch(branch(h, f'blocks_st.{i}', 's'), f'blocks_st.{i}', 't')
        ts = branch(branch(h, f'blocks_ts.{i}', 't'), f'blocks_ts.{i}', 's')
        w = F.linear(torch.cat([st, ts], -1), p[f'ts_attn.{i}.weight'],
                     p[f'ts_attn.{i}.bias']).softmax(-1)
        h = st * w[..., :1] + ts * w[..., 1:]
    rep = torch.tanh(F.linear(ln(h, 'norm'), p['pre_logits.fc.weight'],
                              p['pre_logits.fc.bias']))
    rep = rep.reshape(n, m, t, j, -1)
    feat = rep.mean(2).reshape(n, m, -1).mean(1)
    feat = F.linear(feat, state['head.fc1.weight'], state['head.fc1.bias'])
    feat = F.batch_norm(feat, state['head.bn.running_mean'],
                        state['head.bn.running_var'], state['head.bn.weight'],
                        state['head.bn.bias'], training=False, eps=1e-5)
    logits = F.linear(F.relu(feat), state['head.fc2.weight'],
                      state['head.fc2.bias'])
    return rep, logits


SMALL = dict(dim_feat=32, mlp_hidden=64, depth=2, dim_rep=24, maxlen=16,
             num_joints=17, dim_in=3, dim_out=3, hidden_dim=40, num_classes=5)
# The configs of our models with SMALL's dims (4 heads of 8 channels).
SMALL_BACKBONE = dict(type='DSTformer', dim_feat=32, mlp_ratio=2, depth=2,
                      dim_rep=24, maxlen=16, num_heads=4)
SMALL_RECOGNIZER = dict(
    type='RecognizerGCN', backbone=SMALL_BACKBONE,
    cls_head=dict(type='MotionBERTHead', num_classes=5, in_channels=24,
                  hidden_dim=40))
