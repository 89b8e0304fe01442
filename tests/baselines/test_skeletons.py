"""Parent tables and joint pairs against mmaction2's graph layouts."""
import pytest
from mmaction.models.utils.graph import Graph

from mmhar_robust.baselines import skeletons
from mmhar_robust.synthetic.layouts import LAYOUTS


@pytest.mark.parametrize('layout', ['nturgb+d', 'coco'])
def test_parents_are_mmaction_graph_tree(layout):
    graph = Graph(layout)
    parent = skeletons.parents(layout)
    assert len(parent) == graph.num_node == len(LAYOUTS[layout])
    edges = {(v, p) for v, p in enumerate(parent) if v != p}
    assert edges == set(graph.inward)
    roots = [v for v, p in enumerate(parent) if v == p]
    assert roots == [graph.center]


@pytest.mark.parametrize('layout', ['nturgb+d', 'coco'])
def test_joint_pairs(layout):
    pairs = skeletons.joint_pairs(layout)
    assert 10 <= len(pairs) <= 20
    assert len({frozenset(p) for p in pairs}) == len(pairs)
    assert all(a != b for a, b in pairs)
    names = LAYOUTS[layout]
    # the documented first pair is the left forearm
    assert (names[pairs[0][0]], names[pairs[0][1]]) == ('l_wrist', 'l_elbow')


def test_layout_lookup_and_errors():
    assert skeletons.layout_for(25) == 'nturgb+d'
    assert skeletons.layout_for(17) == 'coco'
    with pytest.raises(ValueError, match='no skeleton layout with 18'):
        skeletons.layout_for(18)
    with pytest.raises(KeyError, match="'openpose' has no parent table"):
        skeletons.parents('openpose')
    with pytest.raises(KeyError, match="'openpose' has no joint-pair"):
        skeletons.joint_pairs('openpose')
