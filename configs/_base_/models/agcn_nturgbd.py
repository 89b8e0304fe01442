# 2s-AGCN's joint stream, BABEL's baseline: mmaction2's AAGCN with the
# attention switched off is the AGCN of Shi et al. Its input batch norm is
# sized per person: one person, as in BABEL (NTU pipelines use two).
model = dict(
    type='RecognizerGCN',
    backbone=dict(
        type='AAGCN',
        graph_cfg=dict(layout='nturgb+d', mode='spatial'),
        gcn_attention=False,
        num_person=1),
    cls_head=dict(type='GCNHead', num_classes=60, in_channels=256))
