# Seed 000's frame-wise bi-LSTM (section 3.4.1): NTU-25 3D frames as
# 75-value vectors, 2 bidirectional layers of 128, dropout 0.5, the final
# hidden states of both directions (256 values) to GCNHead.
model = dict(
    type='RecognizerGCN',
    backbone=dict(
        type='BiLSTM', in_channels=3, num_joints=25, hidden=128,
        num_layers=2, dropout=0.5, pooling='last'),
    cls_head=dict(type='GCNHead', num_classes=60, in_channels=256))
