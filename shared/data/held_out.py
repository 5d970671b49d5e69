"""A training set and a test set that share no image, also when the test set stands in for the training set."""
from __future__ import annotations

import torch

from .tensors import ImageTensorDataset


def stands_in(train: ImageTensorDataset, test: ImageTensorDataset) -> bool:
    """Whether ``train`` is (a prefix of) ``test``: offline MNIST uses its test set as the training set."""
    k = min(len(train), len(test))
    return bool(k) and torch.equal(train.images[:k], test.images[:k])


def held_out(train: ImageTensorDataset, test: ImageTensorDataset) -> tuple[ImageTensorDataset, ImageTensorDataset, str]:
    """``(train, test, note)`` with no image in both: the two sets as given when they share none.

    When ``train`` is the test set standing in for a missing training set, the test set is cut in halves: the
    first half trains and the second is held out (new datasets, so ``returned_train is not train`` tells that it
    was cut); the note says so, to print beside every result.
    """
    if not stands_in(train, test):
        return train, test, f"trained on {train.source}; evaluated on {test.source}"
    cut = len(test) // 2
    first = ImageTensorDataset(train.images[:cut], train.labels[:cut], train.classes, f"{train.source} (first {cut})")
    second = ImageTensorDataset(test.images[cut:], test.labels[cut:], test.classes,
                                f"{test.source} (images {cut}–{len(test.images) - 1})")
    note = (f"the training set is the test set standing in, so it was cut in halves: trained on the first {cut} "
            f"images, evaluated on the other {len(second)}")
    return first, second, note
