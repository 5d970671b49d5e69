"""Unsupervised categories against true classes: the best one-to-one matching (Hungarian algorithm, scipy)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from scipy.optimize import linear_sum_assignment


@dataclass
class Matching:
    accuracy: float  # share of items whose category maps to their class ("purity" after the best matching)
    mapping: dict[int, int]  # category → class
    counts: np.ndarray  # counts[category, class]


def best_matching(categories, labels, n_categories: int | None = None, n_classes: int | None = None) -> Matching:
    """Match each category to one class so that the most items agree (e.g. InfoGAN's categorical code vs digits)."""
    categories = torch.as_tensor(categories).detach().cpu().long().flatten()
    labels = torch.as_tensor(labels).detach().cpu().long().flatten()
    if len(categories) != len(labels) or len(labels) == 0:
        raise ValueError(f"give one category per labelled item: {len(categories)} categories, {len(labels)} labels")
    n_categories = n_categories or int(categories.max()) + 1
    n_classes = n_classes or int(labels.max()) + 1
    counts = np.zeros((n_categories, n_classes), dtype=np.int64)
    np.add.at(counts, (categories.numpy(), labels.numpy()), 1)
    rows, cols = linear_sum_assignment(counts, maximize=True)
    return Matching(float(counts[rows, cols].sum() / len(labels)), {int(r): int(c) for r, c in zip(rows, cols)}, counts)
