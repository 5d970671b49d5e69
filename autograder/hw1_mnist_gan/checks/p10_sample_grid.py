import torch

from autograder.toolkit.expect import expect
from autograder.hw1_mnist_gan import fixtures as fx


def test_p10_sample_grid(answer):
    """Sample grid every plot_frequency epochs"""
    from shared import image_grid

    G = fx.grid_generator(answer.seed)
    z = fx.noise(25, seed=answer.seed % 3000 + 5)
    G.eval()
    with torch.no_grad():
        expected = image_grid(G(z))

    shown = answer["shown"]
    expect(isinstance(shown, list) and len(shown) == 6, "The grader could not read what show_samples returned.")
    for epoch, returned, training in shown:
        wanted = epoch % 3 == 0
        expect(returned is wanted,
               f"With plot_frequency=3, epoch {epoch} should {'show' if wanted else 'not show'} a grid "
               f"(show one when epoch % plot_frequency == 0); found {'a grid' if returned else 'None'}.")
        expect(training is True, "show_samples left G in eval mode: switch back with G.train() after sampling.")
    grid = answer["grid"]
    expect(isinstance(grid, torch.Tensor) and grid.ndim == 3,
           f"show_samples should return the grid as a C×H×W tensor, found {type(grid).__name__}.")
    expect(answer["grid_requires_grad"] is False,
           "Sample without building a graph: wrap the generator call in torch.no_grad().")
    expect(float(grid.min()) >= 0 and float(grid.max()) <= 1,
           f"The grid should be in [0, 1] for display, found {float(grid.min()):.2f} … {float(grid.max()):.2f}: "
           "use shared.image_grid, which maps [-1, 1] to [0, 1].")
    expect(tuple(grid.shape) == tuple(expected.shape),
           f"For 25 noise vectors the grid should be 5×5 images, shape {tuple(expected.shape)}; found {tuple(grid.shape)}.")
    expect(torch.allclose(grid, expected, atol=1e-4),
           "The grid does not show G(fixed_noise) in eval mode: call G.eval() before sampling (BatchNorm must use its "
           "running statistics), use the fixed noise you were given, and build the grid with shared.image_grid.")
