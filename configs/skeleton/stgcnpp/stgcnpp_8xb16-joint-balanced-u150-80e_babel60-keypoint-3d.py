# ST-GCN++ on BABEL-60 with a class-balanced sampler (seed 000's weighted
# sampler): each epoch draws len(dataset) chunks, classes equally likely.
_base_ = './stgcnpp_8xb16-joint-u150-80e_babel60-keypoint-3d.py'
train_dataloader = dict(
    sampler=dict(type='ClassBalancedSampler', _delete_=True))
