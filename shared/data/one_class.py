"""One-class splits for anomaly detection: train on the normal class only, score every class of held-out images."""
from __future__ import annotations

from dataclasses import dataclass

import torch

from .held_out import held_out
from .tensors import ImageTensorDataset


@dataclass
class OneClassSplit:
    train: ImageTensorDataset  # images of the normal class only
    test: ImageTensorDataset  # held-out images of every class
    is_anomaly: torch.Tensor  # bool, one per test image: its class is not the normal one
    normal: int
    note: str  # where the two sets come from, to print beside every result


def one_class_split(train: ImageTensorDataset, test: ImageTensorDataset, normal: int) -> OneClassSplit:
    """Train on the ``normal`` class of ``train``; evaluate on all of ``test`` (anomaly = any other class).

    When ``train`` is the test set standing in for a missing training set (offline MNIST: the two start
    with the same images), no image may be both trained on and scored: the test set is cut in halves, the
    normal images of the first half train and the second half is scored, and the note says so.
    """
    if not 0 <= normal < len(train.classes):
        raise ValueError(f"normal={normal} is not a class index of {train!r} (0 … {len(train.classes) - 1})")
    kept_train, test, _ = held_out(train, test)
    name = train.classes[normal]
    note = (f"trained on class {name!r} of {train.source}; scored on {test.source}" if kept_train is train else
            f"the training set is the test set standing in, so it was cut in halves: trained on the {name!r} images "
            f"among the first {len(kept_train)}, scored on the other {len(test)}")
    train = kept_train
    keep = train.labels == normal
    normal_only = ImageTensorDataset(train.images[keep], train.labels[keep], train.classes,
                                     f"{train.source}, class {train.classes[normal]!r} only")
    if len(normal_only) == 0:
        raise ValueError(f"no images of class {train.classes[normal]!r} to train on in {train!r}")
    return OneClassSplit(normal_only, test, test.labels != normal, normal, note)
