"""The five classic classifiers, their scores, metrics and saved form."""
import joblib
import numpy as np
import pytest

from mmhar_robust.baselines import classic


@pytest.mark.parametrize('name', classic.CLASSIFIERS)
def test_pipelines_standardise_and_balance(name):
    model = classic.build_classifier(name, seed=3)
    scaler, estimator = (step for _, step in model.steps)
    assert type(scaler).__name__ == 'StandardScaler'
    expected = {
        'logreg': 'LogisticRegression',
        'knn': 'KNeighborsClassifier',
        'random_forest': 'RandomForestClassifier',
        'grad_boost': 'HistGradientBoostingClassifier',
        'svm': 'SVC'
    }[name]
    assert type(estimator).__name__ == expected
    params = estimator.get_params()
    if name == 'knn':
        assert params['n_neighbors'] == 5 and 'class_weight' not in params
    else:
        assert params['class_weight'] == 'balanced'
    if name == 'random_forest':
        assert params['n_estimators'] == 200


def test_unknown_classifier():
    with pytest.raises(ValueError, match="unknown classifier 'tree'"):
        classic.build_classifier('tree')


def test_scores_columns_and_ties():
    # Training classes 0 and 2 of 4; points on a line.
    x = np.array([[0.], [1.], [2.], [10.], [11.], [12.]])
    y = np.array([0, 0, 0, 2, 2, 2])
    knn = classic.build_classifier('knn').fit(x, y)
    scores = classic.class_scores(knn, np.array([[1.], [11.], [6.]]), 4)
    assert scores.shape == (3, 4)
    np.testing.assert_array_equal(scores[:, [1, 3]], 0)
    # The 5 neighbours of 1.0 and of 11.0 vote 3-2.
    np.testing.assert_allclose(scores[0, [0, 2]], [0.6 + 1e-9, 0.4])
    np.testing.assert_allclose(scores[1, [0, 2]], [0.4, 0.6 + 1e-9])
    # A 50/50 vote (k = 4 here): the raised class is predict()'s.
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import Pipeline
    tie = Pipeline([('knn', KNeighborsClassifier(4))]).fit(x, y)
    scores = classic.class_scores(tie, np.array([[6.]]), 3)
    assert scores[0].argmax() == tie.predict([[6.]])[0] == 0
    assert np.argsort(scores[0])[-1] == 0  # mmaction2's top-1 agrees
    # Without predict_proba: one-hot of predict.
    svm = classic.build_classifier('svm').fit(x, y)
    assert not classic.has_proba(svm)
    np.testing.assert_array_equal(
        classic.class_scores(svm, np.array([[0.5], [11.5]]), 3),
        [[1, 0, 0], [0, 0, 1]])
    with pytest.raises(ValueError, match='knows class 2.*2 classes'):
        classic.class_scores(knn, x, 2)


def test_metrics_by_hand():
    labels = [0, 1, 1, 2, 3, 4, 5]
    scores = np.eye(6)[[0, 1, 0, 2, 3, 4, 4]]  # two mistakes
    metrics = classic.evaluate_scores(labels, scores, with_top5=False)
    assert metrics['acc/top1'] == pytest.approx(5 / 7)
    # per class: 1, 1/2, 1, 1, 1, 0 -> 4.5 / 6
    assert metrics['acc/mean_class_accuracy'] == pytest.approx(4.5 / 6)
    assert 'acc/top5' not in metrics
    top5 = classic.evaluate_scores(labels, scores + 1e-3 * np.arange(6),
                                   with_top5=True)
    # One-hot plus a ramp: top-5 leaves out the lowest score, class 0 (or
    # class 1 where the one-hot is 0): only sample 2 (label 1, one-hot 0)
    # loses its class.
    assert top5['acc/top5'] == pytest.approx(6 / 7)


def test_save_load_and_mismatch(tmp_path):
    x = np.random.default_rng(0).normal(size=(20, 6))
    y = np.arange(20) % 3
    model = classic.build_classifier('logreg').fit(x, y)
    path = str(tmp_path / 'sub' / 'm.joblib')
    classic.save_model(path, model, 'basic', 'nturgb+d', 3, 'logreg', 'c.py')
    bundle = classic.load_model(path, 'basic', 'nturgb+d')
    np.testing.assert_array_equal(bundle['model'].predict(x),
                                  model.predict(x))
    assert (bundle['feature_set'], bundle['num_classes']) == ('basic', 3)
    with pytest.raises(ValueError,
                       match=r"m.joblib, field 'feature_set'.*'basic'.*"
                       r"'extended'"):
        classic.load_model(path, 'extended')
    with pytest.raises(ValueError, match="field 'layout'"):
        classic.load_model(path, 'basic', 'coco')
    joblib.dump(model, str(tmp_path / 'bare.joblib'))
    with pytest.raises(ValueError, match='not a classic model'):
        classic.load_model(str(tmp_path / 'bare.joblib'))
    with pytest.raises(FileNotFoundError, match='no saved classic model'):
        classic.load_model(str(tmp_path / 'none.joblib'))
