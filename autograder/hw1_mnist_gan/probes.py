"""The student's side of the HW1 checks: call the notebook's functions on the judge's inputs, record what happens.

One probe per problem, named like its check (``p08_discriminator_step`` for ``test_p08_discriminator_step``).
A probe records plain data into ``out`` and decides nothing; it may stop early (the student's code raised),
and the judge then reports the error at the first value it misses.
"""
from __future__ import annotations

import io
import tempfile
from pathlib import Path

import torch
from torch import nn

from autograder.toolkit.device_probe import on_meta
from autograder.toolkit.gradient_paths import parameter_gradients
from autograder.toolkit.modes import modes
from autograder.pipeline.runner import grads, plain, state
from autograder.toolkit.sizes import z_dim_for
from autograder.toolkit.step_probe import prepare_step, steps_trained
from autograder.toolkit.steps import device_of

from . import fixtures as fx


def p01_hyperparameters(student, inputs, out):
    for name in ("z_dim", "batch_size", "d_lr", "g_lr", "n_epochs"):
        out[name] = plain(getattr(student, name))


def p02_dataloaders(student, inputs, out):
    from torch.utils.data import DataLoader, RandomSampler, SequentialSampler, TensorDataset

    n_train, n_test, batch = 40 + inputs["seed"] % 9, 30 + inputs["seed"] % 7, 4 + inputs["seed"] % 6
    out["sizes"] = (n_train, n_test, batch)
    train_set = TensorDataset(torch.zeros(n_train, 1, 28, 28), torch.zeros(n_train, dtype=torch.long))
    test_set = TensorDataset(torch.ones(n_test, 1, 28, 28), torch.ones(n_test, dtype=torch.long))
    loaders = student.make_loaders(train_set, test_set, batch)
    out["returned"] = plain(type(loaders).__name__)
    out["pair"] = isinstance(loaders, tuple) and len(loaders) == 2
    if not out["pair"]:
        return
    for name, loader, dataset in zip(("train_loader", "test_loader"), loaders, (train_set, test_set)):
        out[name] = {"type": type(loader).__name__, "is_loader": isinstance(loader, DataLoader),
                     "same_dataset": getattr(loader, "dataset", None) is dataset,
                     "batch_size": plain(getattr(loader, "batch_size", None)),
                     "random": isinstance(getattr(loader, "sampler", None), RandomSampler),
                     "sequential": isinstance(getattr(loader, "sampler", None), SequentialSampler)}


def _network(out, key, make):
    net = make()
    out[f"{key}_type"] = type(net).__name__
    out[f"{key}_is_module"] = isinstance(net, nn.Module)
    return net


def p03_discriminator(student, inputs, out):
    seed, dev = inputs["seed"], device_of(student)
    torch.manual_seed(seed)
    D = _network(out, "D", student.Discriminator)
    if not out["D_is_module"]:
        return
    D = D.to(dev)
    out["n_params"] = sum(p.numel() for p in D.parameters())
    x = fx.randn(6, 1, 28, 28, seed=seed, device=dev).requires_grad_(True)
    scores = D(x)
    out["out"] = plain(scores)
    scores.sum().backward()
    out["x_grad"] = plain(x.grad)
    from autograder.toolkit.probes import with_large_weights

    D.eval()
    out["big"] = plain(with_large_weights(D, fx.randn(6, 1, 28, 28, seed=seed + 1, device=dev) * 3, factor=25))
    D.train()
    out["one"] = plain(student.Discriminator().to(dev).eval()(fx.randn(1, 1, 28, 28, seed=seed + 2, device=dev)))
    fresh = student.Discriminator().to(dev)
    out["gradients"] = parameter_gradients(fresh, fx.randn(6, 1, 28, 28, seed=seed + 3, device=dev), seed=seed)


def p04_generator(student, inputs, out):
    seed, dev = inputs["seed"], device_of(student)
    torch.manual_seed(seed)
    G = _network(out, "G", lambda: student.Generator(z_dim=100))
    if not out["G_is_module"]:
        return
    G = G.to(dev)
    out["out"] = plain(G(fx.randn(6, 100, seed=seed, device=dev)))
    from autograder.toolkit.probes import with_large_weights

    out["gradients"] = parameter_gradients(G, fx.randn(6, 100, seed=seed + 3, device=dev), seed=seed)
    out["big"] = plain(with_large_weights(G, fx.randn(6, 100, seed=seed + 1, device=dev) * 3, factor=10))
    z_dim = z_dim_for(seed)
    out["small_z_dim"] = z_dim
    try:
        out["small"] = plain(student.Generator(z_dim=z_dim).to(dev)(fx.randn(3, z_dim, seed=seed + 2, device=dev)))
    except RuntimeError as error:
        out["small_error"] = str(error)[:500]


def p05_models_on_device(student, inputs, out):
    pair = student.make_models(100, torch.device("cpu"))
    out["pair"] = isinstance(pair, tuple) and len(pair) == 2
    if not out["pair"]:
        return
    G, D = pair
    out["types"] = (type(G).__name__, type(D).__name__)
    out["classes"] = (isinstance(G, student.Generator), isinstance(D, student.Discriminator))
    out["training"] = (bool(getattr(G, "training", False)), bool(getattr(D, "training", False)))
    out["G_meta"] = on_meta(lambda device: student.make_models(100, device)[0])
    out["D_meta"] = on_meta(lambda device: student.make_models(100, device)[1])


def p06_optimizers(student, inputs, out):
    G, D = student.Generator(100), student.Discriminator()
    d_lr, g_lr = (1 + inputs["seed"] % 9) * 1e-4, (1 + inputs["seed"] % 7) * 1.1e-4
    pair = student.make_optimizers(G, D, d_lr, g_lr)
    out["lrs_asked"] = (d_lr, g_lr)
    out["pair"] = isinstance(pair, tuple) and len(pair) == 2
    if not out["pair"]:
        return
    d_ids, g_ids = {id(p) for p in D.parameters()}, {id(p) for p in G.parameters()}
    for name, opt in zip(("d_optimizer", "g_optimizer"), pair):
        groups = getattr(opt, "param_groups", [])
        params = {id(p) for group in groups for p in group["params"]}
        out[name] = {"type": type(opt).__name__, "adam": isinstance(opt, torch.optim.Adam),
                     "holds": "D" if params == d_ids else "G" if params == g_ids else "other",
                     "lrs": sorted({plain(group.get("lr")) for group in groups}, key=str)}


def p07_inputs_on_device(student, inputs, out):
    seed = inputs["seed"]
    torch.manual_seed(seed)
    out["z"] = plain(student.sample_noise(5000, 100, torch.device("cpu")))
    out["again"] = plain(student.sample_noise(5000, 100, torch.device("cpu")))
    out["meta"] = plain(student.sample_noise(4, 100, torch.device("meta")))
    out["noise_meta"] = on_meta(lambda device: student.sample_noise(4, 100, device))
    images = fx.randn(4, 1, 28, 28, seed=seed).tanh()
    out["moved"] = plain(student.to_device(images, torch.device("meta")))
    out["moved_meta"] = on_meta(lambda device: student.to_device(images, device))
    out["same"] = plain(student.to_device(images, torch.device("cpu")))


def p08_discriminator_step(student, inputs, out):
    dev, seeds = device_of(student), fx.step_seeds(inputs["seed"])
    real, z = fx.real_batch(device=dev, offset=seeds["offset"]), fx.noise(seed=seeds["noise"], device=dev)
    D, G = fx.tiny_discriminator(seeds["D"], device=dev), fx.tiny_generator(seeds["G"], device=dev)
    opt, events = prepare_step(D)
    out["events"] = events
    out["loss"] = plain(student.discriminator_step(D, G, opt, real.clone(), z.clone()))
    out["D"], out["G"], out["G_grads"] = state(D), state(G), grads(G)
    out["modes"] = modes(D=D, G=G)
    # Short training with G frozen: D must learn to tell these real digits from G's output.
    D, G = fx.tiny_discriminator(device=dev), fx.tiny_generator(device=dev)
    real, z = fx.real_batch(device=dev), fx.noise(device=dev)
    opt = torch.optim.Adam(D.parameters(), lr=2e-3, betas=(0.5, 0.999))
    out["losses"] = steps_trained(lambda: student.discriminator_step(D, G, opt, real, z), 15)
    out["D_trained"] = state(D)


def p09_generator_step(student, inputs, out):
    dev, seeds = device_of(student), fx.step_seeds(inputs["seed"])
    z = fx.noise(seed=seeds["noise"], device=dev)
    D, G = fx.tiny_discriminator(seeds["D"], device=dev), fx.tiny_generator(seeds["G"], device=dev)
    opt, events = prepare_step(G)
    out["events"] = events
    out["loss"] = plain(student.generator_step(G, D, opt, z.clone()))
    out["D"], out["G"] = state(D), state(G)
    out["modes"] = modes(D=D, G=G)
    # Short training with D frozen: G must learn to raise D's verdict on its images.
    D, G, z = fx.tiny_discriminator(device=dev), fx.tiny_generator(device=dev), fx.noise(device=dev)
    opt = torch.optim.Adam(G.parameters(), lr=2e-3, betas=(0.5, 0.999))
    out["losses"] = steps_trained(lambda: student.generator_step(G, D, opt, z), 10)
    out["G_trained"] = state(G)


def p10_sample_grid(student, inputs, out):
    dev, seed = device_of(student), inputs["seed"]
    G = fx.grid_generator(seed, device=dev)
    z = fx.noise(25, seed=seed % 3000 + 5, device=dev)
    shown = []
    for epoch in (1, 2, 3, 4, 5, 7):
        result = student.show_samples(G, z, epoch, 3)
        shown.append((epoch, result is not None, bool(G.training)))
    out["shown"] = shown
    grid = student.show_samples(G, z, 6, 3)
    out["grid_requires_grad"] = bool(getattr(grid, "requires_grad", False))
    out["grid"] = plain(grid)
    out["training_after"] = bool(G.training)
    out["G_after"] = state(G)


def p11_save_generator(student, inputs, out):
    torch.manual_seed(inputs["seed"])
    G = student.Generator(100)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "my_generator.pth"
        student.save_generator(G, str(path))
        out["written"] = path.is_file()
        if not out["written"]:
            return
        blob = path.read_bytes()[: 64 * 2**20]
        out["file"] = torch.frombuffer(bytearray(blob), dtype=torch.uint8) if blob else torch.zeros(0, dtype=torch.uint8)
        out["G_state"] = plain(G.state_dict())
        try:  # the student's class, on the student's side: whether the file loads into a fresh Generator(100)
            fresh = student.Generator(100)
            fresh.load_state_dict(torch.load(io.BytesIO(blob), map_location="cpu", weights_only=True), strict=True)
            out["fresh_state"] = plain(fresh.state_dict())
        except Exception as error:
            out["fresh_error"] = f"{type(error).__name__}: {str(error)[:400]}"
