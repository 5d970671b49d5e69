from autograder.toolkit.expect import expect


def test_p02_dataloaders(answer):
    """Train and test DataLoaders"""
    expect(answer["pair"] is True,
           f"make_loaders should return a pair (train_loader, test_loader), found {answer['returned']}.")
    _, _, batch = answer["sizes"]
    for name in ("train_loader", "test_loader"):
        loader = answer[name]
        expect(loader["is_loader"] is True, f"{name} should be a torch DataLoader, found {loader['type']}.")
        expect(loader["same_dataset"] is True,
               f"{name} should load the {name.split('_')[0]} set passed to make_loaders.")
        expect(loader["batch_size"] == batch,
               f"{name} should use the batch_size argument ({batch} here), found {loader['batch_size']}.")
    expect(answer["train_loader"]["random"] is True,
           "The training loader should shuffle (shuffle=True): each epoch should see the batches in a new order.")
    expect(answer["test_loader"]["sequential"] is True,
           "The test loader should not shuffle (shuffle=False): evaluation should be repeatable.")
