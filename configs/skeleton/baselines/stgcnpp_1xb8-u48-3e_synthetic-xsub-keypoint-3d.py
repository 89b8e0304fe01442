# ST-GCN++ (joint) on the synthetic NTU-25 3D set, trained like the CPU
# bi-LSTM and TCN beside it: the deep reference of the baselines' table and
# noise curve (docs/baselines.md).
_base_ = './bilstm_1xb8-u48-3e_synthetic-xsub-keypoint-3d.py'
model = dict(
    backbone=dict(
        type='STGCN', gcn_adaptive='init', gcn_with_res=True,
        tcn_type='mstcn', graph_cfg=dict(layout='nturgb+d', mode='spatial'),
        _delete_=True),
    cls_head=dict(in_channels=256))
