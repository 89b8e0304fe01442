"""Convert a released MotionBERT checkpoint into an MMEngine checkpoint.

The fine-tuned action model (``best_epoch.bin``, key ``model``) becomes a
checkpoint of our ``RecognizerGCN(DSTformer, MotionBERTHead)`` (names
``backbone.*`` and ``cls_head.*``); the pretrained DSTformer
(``latest_epoch.bin``, key ``model_pos``) a ``backbone.*`` checkpoint for
``load_from`` before fine-tuning. With ``--config`` the result is checked
against the config's model as ``load_state_dict(strict=True)`` would.

Example:
    python tools/convert/motionbert_to_mmaction.py \\
        checkpoint/action/FT_MB_release_MB_ft_NTU60_xsub/best_epoch.bin \\
        work_dirs/motionbert_ntu60_xsub.pth --expect action --config \\
        configs/skeleton/motionbert/motionbert_dstformer-ft_8xb32-300e_ntu60-xsub-keypoint.py
"""
import argparse
import os
import os.path as osp

import torch


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('src', help='the release file (best_epoch.bin, '
                   'latest_epoch.bin)')
    p.add_argument('dst', help='the MMEngine checkpoint to write')
    p.add_argument('--expect', choices=['any', 'action', 'backbone'],
                   default='any',
                   help='action: refuse a pretrained/3D-pose file; '
                   'backbone: keep only the DSTformer')
    p.add_argument('--config', help='check the result against this '
                   "config's model (strict)")
    return p.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    import mmhar_robust  # noqa: F401  (registers the models)
    from mmhar_robust.compat import load_checkpoint_file
    from mmhar_robust.models.utils import (check_state_dict_matches,
                                           to_mmengine_checkpoint)
    checkpoint = to_mmengine_checkpoint(
        load_checkpoint_file(args.src, map_location='cpu'), args.src,
        args.expect)
    kind = checkpoint['meta']['motionbert_kind']
    if args.config:
        from mmengine.config import Config
        from mmengine.registry import init_default_scope
        from mmaction.registry import MODELS
        cfg = Config.fromfile(args.config)
        init_default_scope(cfg.get('default_scope', 'mmaction'))
        model = MODELS.build(cfg.model)
        check_state_dict_matches(checkpoint['state_dict'], model, args.src,
                                 backbone_only=kind == 'backbone')
    os.makedirs(osp.dirname(osp.abspath(args.dst)), exist_ok=True)
    torch.save(checkpoint, args.dst)
    print(f'{args.src} ({kind}, {len(checkpoint["state_dict"])} tensors) '
          f'-> {args.dst}')


if __name__ == '__main__':
    main()
