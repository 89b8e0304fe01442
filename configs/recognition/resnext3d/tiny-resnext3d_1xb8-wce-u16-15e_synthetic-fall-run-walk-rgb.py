# The fall / run / walk run with seed 002's weighted cross-entropy: class
# weights N / (C * n_c) (inverse class frequency) from the training labels,
# set on the loss by ClassBalanceHook before training.
_base_ = ['./tiny-resnext3d_1xb8-u16-15e_synthetic-fall-run-walk-rgb.py']
custom_hooks = [dict(type='ClassBalanceHook', weighting='inverse')]
