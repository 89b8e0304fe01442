# The fall / run / walk run with both of seed 002's remedies: ClipAugment
# (mode 'some') and weighted cross-entropy (ClassBalanceHook, inverse class
# frequency).
_base_ = [
    './tiny-resnext3d_1xb8-clipaug-some-u16-15e_synthetic-fall-run-walk-rgb.py'
]
custom_hooks = [dict(type='ClassBalanceHook', weighting='inverse')]
