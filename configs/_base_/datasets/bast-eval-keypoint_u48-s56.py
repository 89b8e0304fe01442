# BAST, bast-eval task: the evaluation annotations (e.g. jump-time-long),
# one sample per label of a segment; very imbalanced.
_base_ = './bast-base-keypoint_u48-s56.py'
task = 'eval'
train_dataloader = dict(dataset=dict(task=task))
val_dataloader = dict(dataset=dict(task=task))
test_dataloader = dict(dataset=dict(task=task))
