from autograder.toolkit.expect import expect


def test_p01_hyperparameters(answer):
    """Hyper-parameters"""
    z_dim = answer["z_dim"]
    expect(z_dim == 100 and type(z_dim) is int, f"z_dim should be 100 (the size of the noise vector), found {z_dim!r}.")
    bs = answer["batch_size"]
    expect(type(bs) is int and 16 <= bs <= 1024,
           f"batch_size should be an integer between 16 and 1024 (the seed uses 128), found {bs!r}.")
    for name in ("d_lr", "g_lr"):
        lr = answer[name]
        expect(type(lr) is float and 1e-5 <= lr <= 1e-2,
               f"{name} should be a float learning rate between 1e-5 and 1e-2 (the seed uses 2e-4), found {lr!r}.")
    n = answer["n_epochs"]
    expect(type(n) is int and 20 <= n <= 1000,
           f"n_epochs should be the full-run number of epochs, an integer between 20 and 1000 (the seed uses 100); "
           f"found {n!r}. Fast mode shrinks it for you: do not lower it yourself.")
