"""Scoring an anomaly detector: ROC AUC (scikit-learn), the ROC curve and the scores of each group."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.metrics import roc_auc_score, roc_curve

from .plots import _finish


def _arrays(is_anomaly, scores) -> tuple[np.ndarray, np.ndarray]:
    truth = torch.as_tensor(is_anomaly).detach().cpu().bool().numpy()
    scores = torch.as_tensor(scores).detach().float().cpu().numpy()
    if truth.shape != scores.shape or truth.ndim != 1:
        raise ValueError(f"give one score per image: {truth.shape[0] if truth.ndim else 0} labels and scores of "
                         f"shape {scores.shape}")
    if truth.all() or not truth.any():
        raise ValueError("the ROC needs both normal and anomalous images among the scored ones")
    if not np.isfinite(scores).all():
        raise ValueError("some anomaly scores are inf or nan")
    return truth, scores


def auroc(is_anomaly, scores) -> float:
    """Area under the ROC curve when a higher score means "more anomalous" (0.5 is chance, 1 is perfect)."""
    return float(roc_auc_score(*_arrays(is_anomaly, scores)))


def plot_roc(curves: dict, title: str = "ROC curve", path=None):
    """``curves``: name → (is_anomaly, scores). One ROC curve each, with its AUROC in the legend."""
    fig, ax = plt.subplots(figsize=(4.5, 4.2))
    for name, (is_anomaly, scores) in curves.items():
        truth, values = _arrays(is_anomaly, scores)
        fpr, tpr, _ = roc_curve(truth, values)
        ax.plot(fpr, tpr, label=f"{name} (AUROC {roc_auc_score(truth, values):.3f})")
    ax.plot([0, 1], [0, 1], color="grey", linestyle="--", linewidth=0.8, label="chance")
    ax.set_xlabel("false positive rate")
    ax.set_ylabel("true positive rate")
    ax.set_title(title)
    ax.legend(fontsize=8, loc="lower right")
    return _finish(fig, path)


def plot_score_histograms(is_anomaly, scores, title: str = "Anomaly scores", path=None, bins: int = 40):
    """Histograms of the scores of normal and of anomalous images, on one axis."""
    truth, values = _arrays(is_anomaly, scores)
    fig, ax = plt.subplots(figsize=(5, 3.2))
    edges = np.histogram_bin_edges(values, bins=bins)
    ax.hist(values[~truth], bins=edges, alpha=0.6, density=True, label=f"normal ({(~truth).sum()})")
    ax.hist(values[truth], bins=edges, alpha=0.6, density=True, label=f"anomalous ({truth.sum()})")
    ax.set_xlabel("anomaly score")
    ax.set_ylabel("density")
    ax.set_title(title)
    ax.legend(fontsize=8)
    return _finish(fig, path)
