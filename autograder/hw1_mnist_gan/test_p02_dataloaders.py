import pytest
import torch
from torch.utils.data import DataLoader, RandomSampler, SequentialSampler, TensorDataset

from autograder.expect import expect


@pytest.mark.points(5)
def test_p02_dataloaders(student):
    """Train and test DataLoaders"""
    train_set = TensorDataset(torch.zeros(40, 1, 28, 28), torch.zeros(40, dtype=torch.long))
    test_set = TensorDataset(torch.ones(30, 1, 28, 28), torch.ones(30, dtype=torch.long))
    loaders = student.make_loaders(train_set, test_set, 8)
    expect(isinstance(loaders, tuple) and len(loaders) == 2,
           f"make_loaders should return a pair (train_loader, test_loader), found {type(loaders).__name__}.")
    train_loader, test_loader = loaders
    for name, loader, dataset in (("train_loader", train_loader, train_set), ("test_loader", test_loader, test_set)):
        expect(isinstance(loader, DataLoader), f"{name} should be a torch DataLoader, found {type(loader).__name__}.")
        expect(loader.dataset is dataset, f"{name} should load the {name.split('_')[0]} set passed to make_loaders.")
        expect(loader.batch_size == 8, f"{name} should use the batch_size argument (8 here), found {loader.batch_size}.")
    expect(isinstance(train_loader.sampler, RandomSampler),
           "The training loader should shuffle (shuffle=True): each epoch should see the batches in a new order.")
    expect(isinstance(test_loader.sampler, SequentialSampler),
           "The test loader should not shuffle (shuffle=False): evaluation should be repeatable.")
