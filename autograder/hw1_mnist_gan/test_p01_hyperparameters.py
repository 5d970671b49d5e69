import pytest

from autograder.expect import expect


@pytest.mark.points(5)
def test_p01_hyperparameters(student):
    """Hyper-parameters"""
    expect(student.z_dim == 100, f"z_dim should be 100 (the size of the noise vector), found {student.z_dim!r}.")
    bs = student.batch_size
    expect(isinstance(bs, int) and not isinstance(bs, bool) and 16 <= bs <= 1024,
           f"batch_size should be an integer between 16 and 1024 (the seed uses 128), found {bs!r}.")
    for name in ("d_lr", "g_lr"):
        lr = getattr(student, name)
        expect(isinstance(lr, float) and 1e-5 <= lr <= 1e-2,
               f"{name} should be a float learning rate between 1e-5 and 1e-2 (the seed uses 2e-4), found {lr!r}.")
    n = student.n_epochs
    expect(isinstance(n, int) and not isinstance(n, bool) and 20 <= n <= 1000,
           f"n_epochs should be the full-run number of epochs, an integer between 20 and 1000 (the seed uses 100); "
           f"found {n!r}. Fast mode shrinks it for you: do not lower it yourself.")
