# Seed 000's Bi-LSTM on BABEL-60 with its class-balancing weighted sampler
# (ClassBalancedSampler: each epoch draws len(dataset) chunks, classes
# equally likely).
_base_ = './bilstm_1xb64-u150-50e_babel60-keypoint-3d.py'
train_dataloader = dict(
    sampler=dict(type='ClassBalancedSampler', _delete_=True))
