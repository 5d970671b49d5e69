"""The student's side of the HW2 checks: call the notebook's functions on the judge's inputs, record what happens.

One probe per problem, named like its check (``p06_training_steps`` for ``test_p06_training_steps``).
A probe records plain data into ``out`` and decides nothing; it may stop early (the student's code raised, or
what came back makes the next steps meaningless), and the judge then reports the error at the first value it
misses. The steps run with the stand-in helpers of :mod:`.fixtures` in place of the student's own losses,
noise, penalty and networks (graded in their own problems).
"""
from __future__ import annotations


import torch
from torch import nn

from autograder.toolkit.penalty_probe import record_gradient_penalty
from autograder.toolkit.critics import LinearCritic
from autograder.toolkit.device_probe import on_meta
from autograder.toolkit.gradient_paths import parameter_gradients
from autograder.toolkit.modes import modes
from autograder.toolkit.open_range import large_weight_outputs
from autograder.toolkit.probes import trace, with_large_weights
from autograder.pipeline.runner import grads, plain, state
from autograder.toolkit.sizes import probe_size
from autograder.toolkit.step_probe import prepare_step
from autograder.toolkit.steps import device_of, record_events, reference_helpers
from autograder.toolkit.structure import structure

from . import fixtures as fx

# ------------------------------------------------------------------------------------ shared recordings
_TORCH_BASES = ("ReLU", "LeakyReLU", "Tanh", "Sigmoid", "ELU", "GELU", "SiLU", "PReLU", "SELU", "ReLU6", "Softplus",
                "Mish", "Hardtanh", "Softmax", "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "SyncBatchNorm",
                "Conv2d", "ConvTranspose2d")


def record_trace(run) -> dict:
    """A :class:`autograder.toolkit.probes.Trace` as plain data: each leaf's type, its torch.nn base classes and slope,
    and the outputs the judge's architecture checks read (those of the network's output size)."""
    out = run.out
    size = out.numel() if isinstance(out, torch.Tensor) else None
    leaves = []
    for module in run.leaves:
        kind = type(module)
        slope = getattr(module, "negative_slope", None)
        leaves.append({"type": kind.__name__[:200],
                       "exact": kind.__module__.startswith("torch.nn") and kind.__name__ in _TORCH_BASES,
                       "bases": [c.__name__ for c in kind.__mro__
                                 if c.__module__.startswith("torch.nn") and c.__name__ in _TORCH_BASES],
                       "slope": float(slope) if isinstance(slope, (int, float)) else None})
    outputs = [plain(o) if isinstance(o, torch.Tensor) and size is not None and o.numel() == size else None
               for o in run.outputs]
    return {"leaves": leaves, "outputs": outputs, "out": plain(out)}


def _module(out: dict, key: str, make) -> nn.Module:
    net = make()
    out[f"{key}_type"] = type(net).__name__
    out[f"{key}_is_module"] = isinstance(net, nn.Module)
    return net


def _loss(out: dict, key: str, value) -> bool:
    """Record a returned loss and whether it has a graph; True when .backward() may follow."""
    out[key] = plain(value)
    out[f"{key}_requires_grad"] = bool(isinstance(value, torch.Tensor) and value.requires_grad)
    return isinstance(value, torch.Tensor) and value.numel() == 1 and value.requires_grad


# ------------------------------------------------------------------------------------------- problems
def p01_weights_init(student, inputs, out):
    torch.manual_seed(inputs["seed"])
    net = nn.Sequential(nn.Conv2d(16, 256, 3), nn.BatchNorm2d(4096), nn.ConvTranspose2d(256, 16, 3), nn.ReLU())
    with torch.no_grad():  # start far from the target, so a layer the function skips shows
        net[1].weight.fill_(0.5)
        net[1].bias.fill_(0.5)
    net.apply(student.weights_init)
    out["conv"], out["bn_weight"], out["bn_bias"], out["convT"] = (
        plain(net[0].weight), plain(net[1].weight), plain(net[1].bias), plain(net[2].weight))


GENERATOR_CONFIGS = [  # (nz, batchnorm, activation)
    (50, True, "relu"),
    (100, False, "leakyrelu"),
    (200, True, "leakyrelu"),
    (100, False, "relu"),
]
DISCRIMINATOR_CONFIGS = [  # (batchnorm, activation)
    (True, "leakyrelu"),
    (False, "leakyrelu"),
    (True, "tanh"),
    (False, "relu"),
]


def p02_generator(student, inputs, out):
    seed, dev = inputs["seed"], device_of(student)
    for i, (nz, batchnorm, activation) in enumerate(GENERATOR_CONFIGS):
        torch.manual_seed(fx.derived(seed, i))
        G = _module(out, f"G{i}", lambda: student.Generator(nz=nz, ngf=8, batchnorm=batchnorm, activation=activation))
        if not out[f"G{i}_is_module"]:
            return
        G = G.to(dev)
        z = torch.randn(4, nz, device=dev)
        try:
            run = trace(G, z)
        except RuntimeError as error:
            out[f"G{i}_error"] = str(error).splitlines()[0][:500] if str(error) else ""
            return
        out[f"G{i}_trace"] = record_trace(run)
        out[f"G{i}_structure"] = structure(G)
        with torch.no_grad():
            out[f"G{i}_out4"] = plain(G(z.view(4, nz, 1, 1)))
        if i == 0:  # in training mode, as the steps use it: every parameter must get a gradient from the images
            out["grads"] = parameter_gradients(G, z, seed=fx.derived(seed, 11))
    # Large weights saturate a Tanh: the output then fills [-1, 1] without leaving it.
    torch.manual_seed(fx.derived(seed, 10))
    G = student.Generator(nz=100, ngf=8, batchnorm=False, activation="relu").to(dev)
    out["big"] = plain(with_large_weights(G, torch.randn(8, 100, device=dev) * 3, factor=10))
    G = student.Generator(nz=100, ngf=8, channels=1).to(dev)
    with torch.no_grad():
        out["gray"] = plain(G(torch.randn(2, 100, device=dev)))


def p03_discriminator(student, inputs, out):
    seed, dev = inputs["seed"], device_of(student)
    for i, (batchnorm, activation) in enumerate(DISCRIMINATOR_CONFIGS):
        torch.manual_seed(fx.derived(seed, i))
        D = _module(out, f"D{i}", lambda: student.Discriminator(ndf=8, batchnorm=batchnorm, activation=activation))
        if not out[f"D{i}_is_module"]:
            return
        D = D.to(dev)
        x = torch.randn(6, 3, 32, 32, device=dev)
        out[f"D{i}_trace"] = record_trace(trace(D, x))
        out[f"D{i}_structure"] = structure(D)
        if i == 0:  # in training mode, as the steps use it: every parameter must get a gradient from the verdicts
            out["grads"] = parameter_gradients(D, x, seed=fx.derived(seed, 11))
    # Large weights push the last pre-activation far from 0: only a Sigmoid keeps the output in [0, 1].
    torch.manual_seed(fx.derived(seed, 10))
    D = student.Discriminator(ndf=8, batchnorm=False).to(dev)
    out["big"] = plain(with_large_weights(D, torch.randn(6, 3, 32, 32, device=dev) * 3, factor=25))
    D = student.Discriminator(ndf=8, channels=4).to(dev).eval()
    with torch.no_grad():
        out["four"] = plain(D(torch.randn(2, 4, 32, 32, device=dev)))


def probabilities(n: int, seed: int, device="cpu") -> torch.Tensor:
    p = 0.05 + 0.9 * torch.rand(n, 1, generator=torch.Generator().manual_seed(seed))
    return p.to(device).requires_grad_(True)


def p04_bce_losses(student, inputs, out):
    seed, dev = inputs["seed"], device_of(student)
    half = torch.full((8, 1), 0.5, device=dev)
    if not _loss(out, "sanity", student.discriminator_loss(half.clone().requires_grad_(True),
                                                           half.clone().requires_grad_(True))):
        return
    for k, real_label in enumerate((1.0, 0.9)):
        real_out, fake_out = probabilities(16, fx.derived(seed, 2 * k), dev), probabilities(16, fx.derived(seed, 2 * k + 1), dev)
        loss = student.discriminator_loss(real_out, fake_out, real_label)
        if not _loss(out, f"d_loss{k}", loss):
            return
        loss.backward()
        out[f"d_grads{k}"] = (real_out.grad is not None, fake_out.grad is not None)
    # A confident D outputs exactly 0 or 1 in float32: the losses must stay finite (nn.BCELoss clamps its log).
    out["saturated"] = plain(student.discriminator_loss(torch.zeros(4, 1, device=dev), torch.ones(4, 1, device=dev), 1.0))
    out["g_saturated"] = plain(student.generator_loss(torch.zeros(4, 1, device=dev)))
    fake_out = probabilities(16, fx.derived(seed, 4), dev)
    loss = student.generator_loss(fake_out)
    if not _loss(out, "g_loss", loss):
        return
    loss.backward()
    out["g_grad"] = plain(fake_out.grad)
    # The targets must be made on the outputs' device: on "meta" (every machine has it) a CPU target shows.
    out["d_meta"] = on_meta(lambda device: student.discriminator_loss(
        torch.full((4, 1), 0.7, device=device), torch.full((4, 1), 0.2, device=device), 0.9))
    out["g_meta"] = on_meta(lambda device: student.generator_loss(torch.full((4, 1), 0.2, device=device)))


NOISE_CASES = ((0, 0.2), (5, 0.15), (10, 0.1), (15, 0.05), (20, 0.0), (25, 0.0), (40, 0.0))  # (epoch, level) of 20


def p05_instance_noise(student, inputs, out):
    dev = device_of(student)
    images = fx.uniform_images(64, seed=inputs["seed"], device=dev)
    torch.manual_seed(fx.derived(inputs["seed"], 1))
    before = images.clone()
    noisy = student.add_instance_noise(images, 0.3)
    out["noisy"] = plain(noisy)
    out["unchanged"] = bool(torch.equal(images, before))
    out["again"] = plain(student.add_instance_noise(images, 0.3))
    out["same"] = plain(student.add_instance_noise(images, 0.0))
    out["levels"] = [plain(student.instance_noise_std(epoch, 20, 0.2)) for epoch, _ in NOISE_CASES]
    out["default"] = plain(student.instance_noise_std(0, 10))
    # The noise must be drawn on the images' device: on "meta" (every machine has it) noise made on the CPU shows.
    out["meta"] = on_meta(lambda device: student.add_instance_noise(torch.zeros(4, 3, 32, 32, device=device), 0.3))


def _inputs_of(D) -> tuple[list, object]:
    """Every batch D is given, recorded by a forward pre-hook (D itself is unchanged)."""
    seen: list = []
    handle = D.register_forward_pre_hook(lambda module, args: seen.append(
        args[0].detach().clone() if args and isinstance(args[0], torch.Tensor) else None))
    return seen, handle


N_TRAIN = 128  # real CIFAR-10 images in the short D training


def p06_training_steps(student, inputs, out):
    seed = inputs["seed"]
    seeds = fx.step_seeds(seed)
    helpers = fx.dcgan_stand_ins(seeds["helpers"])
    with reference_helpers(student.discriminator_step, **helpers), \
            reference_helpers(student.generator_step, **helpers):
        _training_steps(student, seeds, out)
    helpers = fx.dcgan_stand_ins(fx.TRAINING_HELPERS_SEED)
    with reference_helpers(student.discriminator_step, **helpers), \
            reference_helpers(student.generator_step, **helpers):
        _short_trainings(student, out)


def _training_steps(student, seeds, out):
    dev = device_of(student)
    real = fx.cifar_batch(64, dev, seed=seeds["real"])
    z = fx.noise(64, seed=seeds["noise"], device=dev)

    def nets():
        return fx.tiny_discriminator(seeds["D"], device=dev), fx.tiny_generator(seeds["G"], device=dev)

    # --- one discriminator step for each real_label, on networks the judge rebuilds from the seed
    for k, real_label in enumerate((1.0, 0.9)):
        D, G = nets()
        opt, events = prepare_step(D)
        out[f"d{k}_events"] = events
        out[f"d{k}_result"] = plain(student.discriminator_step(D, G, opt, real.clone(), z.clone(),
                                                               real_label=real_label, noise_std=0.0))
        out[f"d{k}_D"], out[f"d{k}_G"], out[f"d{k}_G_grads"] = state(D), state(G), grads(G)
        out[f"d{k}_modes"] = modes(G=G, D=D)

    # --- instance noise must really be added to every batch D sees, real and fake
    D, G = nets()
    opt, _ = prepare_step(D)
    seen, handle = _inputs_of(D)
    try:
        student.discriminator_step(D, G, opt, real.clone(), z.clone(), real_label=0.9, noise_std=0.5)
    finally:
        handle.remove()
    out["d_seen"] = plain(seen)

    # --- one generator step
    D, G = nets()
    opt, events = prepare_step(G)
    out["g_events"] = events
    out["g_loss"] = plain(student.generator_step(G, D, opt, z.clone()))
    out["g_D"], out["g_G"] = state(D), state(G)
    out["g_modes"] = modes(G=G, D=D)

    D, G = nets()
    opt, _ = prepare_step(G)
    seen, handle = _inputs_of(D)
    try:
        student.generator_step(G, D, opt, z.clone(), noise_std=0.5)
    finally:
        handle.remove()
    out["g_seen"] = plain(seen)


def _short_trainings(student, out):
    """Short trainings on real CIFAR-10 images, on fixed networks (the thresholds were set on them)."""
    dev = device_of(student)
    real, z = fx.cifar_batch(N_TRAIN, dev), fx.noise(N_TRAIN, device=dev)
    D, G = fx.tiny_discriminator(device=dev), fx.tiny_generator(device=dev)
    opt = torch.optim.Adam(D.parameters(), lr=2e-3, betas=(0.5, 0.999))
    out["d_results"] = [plain(student.discriminator_step(D, G, opt, real, z)) for _ in range(10)]
    out["d_trained"] = state(D)

    z = fx.noise(64, device=dev)
    D, G = fx.tiny_discriminator(device=dev), fx.tiny_generator(device=dev)
    opt = torch.optim.Adam(G.parameters(), lr=5e-3, betas=(0.5, 0.999))
    for _ in range(10):
        student.generator_step(G, D, opt, z)
    out["g_trained"] = state(G)


def p07_conditional(student, inputs, out):
    # Built on problem 02's Generator and 03's Discriminator: stand-ins take their place here, so a mistake there
    # costs those problems only.
    with reference_helpers(student.ConditionalGenerator.__init__, **fx.DCGAN_MODEL_STAND_INS), \
            reference_helpers(student.ConditionalDiscriminator.__init__, **fx.DCGAN_MODEL_STAND_INS):
        _conditional(student, inputs["seed"], out)


def _uses_labels(model, x, x2, labels, out, key):
    """What :func:`autograder.toolkit.conditioning.expect_uses_labels` looks at, recorded for the judge."""
    other = (labels + 3) % 10
    one = labels.clone()
    one[3] = (one[3] + 5) % 10
    model.eval()
    with torch.no_grad():
        out[f"{key}_base"] = plain(model(x, labels))
        out[f"{key}_by_input"] = plain(model(x2, labels))
        out[f"{key}_by_label"] = plain(model(x, other))
        out[f"{key}_one"] = plain(model(x, one))
    model.train()
    model(x, labels).sum().backward()
    out[f"{key}_embedding_learns"] = any(
        isinstance(m, nn.Embedding) and m.weight.grad is not None and bool(m.weight.grad.abs().sum() > 0)
        for m in model.modules())


CGEN_EMBED = 12  # the embedding size problem 07's structure is probed with (not the default 50)


def _forward(out, key, model, x, labels) -> bool:
    """``model(x, labels)`` recorded as ``<key>_out``; a RuntimeError (a concatenation of mismatched sizes, say) is
    recorded as ``<key>_error`` for the judge to explain. True when the output was recorded."""
    try:
        result = model(x, labels)
    except RuntimeError as error:
        out[f"{key}_error"] = (str(error).splitlines() or [""])[0][:500]
        return False
    out[f"{key}_out"] = plain(result)
    return True


def _conditional(student, seed, out):
    dev = device_of(student)
    torch.manual_seed(fx.derived(seed, 0))
    nz, n = 20, 6
    G = _module(out, "G", lambda: student.ConditionalGenerator(nz=nz, n_classes=10, ngf=8))
    if not out["G_is_module"]:
        return
    out["G_embedding"] = any(isinstance(m, nn.Embedding) for m in G.modules())
    if not out["G_embedding"]:
        return
    G = G.to(dev)
    z, z2 = torch.randn(n, nz, device=dev), torch.randn(n, nz, device=dev)
    labels = torch.arange(n, device=dev)
    if not _forward(out, "G", G, z, labels):
        return
    _uses_labels(G, z, z2, labels, out, "G")
    out["G_grads"] = parameter_gradients(G, z, labels, seed=fx.derived(seed, 3))
    # Five classes and an embedding of 12, where a hard-coded 10 (or 50) gives other sizes.
    out["G_structure"] = structure(student.ConditionalGenerator(nz=nz, n_classes=probe_size("n_classes"), ngf=8, embed_dim=CGEN_EMBED))

    torch.manual_seed(fx.derived(seed, 1))
    D = _module(out, "D", lambda: student.ConditionalDiscriminator(n_classes=10, ndf=8))
    if not out["D_is_module"]:
        return
    out["D_embedding"] = any(isinstance(m, nn.Embedding) for m in D.modules())
    if not out["D_embedding"]:
        return
    D = D.to(dev)
    images = fx.cifar_batch(2 * n, dev, seed=fx.derived(seed, 2))
    images, images2 = images[:n], images[n:]
    if not _forward(out, "D", D, images, labels):
        return
    _uses_labels(D, images, images2, labels, out, "D")
    out["D_grads"] = parameter_gradients(D, images, labels, seed=fx.derived(seed, 4))
    out["D_structure"] = structure(student.ConditionalDiscriminator(n_classes=probe_size("n_classes"), ndf=8))


def critic_probe(make_critic, image_shape: tuple, seed: int, device, out: dict, prefix: str = "") -> None:
    """What :func:`autograder.toolkit.probes.expect_critic` looks at, recorded for the judge (``test_p08_critic.judge_critic``):
    ``make_critic()`` builds a fresh critic. Reusable by other homeworks' critic problems (``prefix`` for their keys)."""
    torch.manual_seed(fx.derived(seed, 0))
    C = _module(out, prefix + "C", make_critic)
    if not out[prefix + "C_is_module"]:
        return
    out[prefix + "sigmoids"] = [type(m).__name__ for m in C.modules() if isinstance(m, (nn.Sigmoid, nn.Softmax))]
    out[prefix + "norms"] = [type(m).__name__ for m in C.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    if out[prefix + "sigmoids"] or out[prefix + "norms"]:
        return
    out[prefix + "structure"] = structure(C)
    C = C.to(device)
    x = torch.randn(8, *image_shape, device=device)
    out[prefix + "out"] = plain(C(x))
    with torch.no_grad():
        out[prefix + "alone"] = plain(C(x[:1]))
    out[prefix + "grads"] = parameter_gradients(C, x, seed=fx.derived(seed, 1))
    out[prefix + "big"] = plain(large_weight_outputs(C, x * 3))
    out[prefix + "single"] = plain(make_critic().to(device)(torch.randn(1, *image_shape, device=device)))


def p08_critic(student, inputs, out):
    critic_probe(lambda: student.Critic(ndf=8), (3, 32, 32), inputs["seed"], device_of(student), out)


def scores(n: int, seed: int, shift: float, device="cpu") -> torch.Tensor:
    s = torch.randn(n, 1, generator=torch.Generator().manual_seed(seed)) * 2 + shift
    return s.to(device).requires_grad_(True)


def p09_wasserstein_losses(student, inputs, out, prefix: str = ""):
    """Also HW3's and HW4's probe of the same two functions (``prefix`` keeps the keys apart in a larger probe)."""
    seed, dev = inputs["seed"], device_of(student)
    real, fake = scores(16, fx.derived(seed, 0), 3.0, dev), scores(16, fx.derived(seed, 1), -1.0, dev)
    loss = student.critic_loss(real, fake)
    if not _loss(out, prefix + "critic_loss", loss):
        return
    loss.backward()
    out[prefix + "critic_grads"] = (real.grad is not None, fake.grad is not None)
    fake = scores(16, fx.derived(seed, 2), 0.5, dev)
    _loss(out, prefix + "generator_loss", student.wgan_generator_loss(fake))


def p10_gradient_penalty(student, inputs, out):
    record_gradient_penalty(student, inputs["seed"], device_of(student), out)
    # ε must be drawn on the images' device: on "meta" (every machine has it) an ε made on the CPU shows.
    out["meta"] = on_meta(lambda device: student.gradient_penalty(
        LinearCritic((3, 32, 32), norm=2.0, device=device), torch.zeros(4, 3, 32, 32, device=device),
        torch.zeros(4, 3, 32, 32, device=device)))


N_CRITIC, LAMBDA = 3, 5.0  # not the default 10: the step must use its lambda_gp argument


def p11_wgan_gp_step(student, inputs, out):
    seed = inputs["seed"]
    seeds = fx.step_seeds(seed)
    with reference_helpers(student.wgan_gp_step, **fx.wgan_stand_ins(seeds["helpers"])):
        _exact_wgan_step(student, seed, out)
    with reference_helpers(student.wgan_gp_step, **fx.wgan_stand_ins(fx.TRAINING_HELPERS_SEED)):
        _wgan_training(student, out)


def _exact_wgan_step(student, seed, out):
    dev = device_of(student)
    seeds = fx.step_seeds(seed)
    batches = list(fx.cifar_batch(8 * N_CRITIC, dev, seed=seeds["real"]).split(8))
    critic, G, g_opt, c_opt = fx.exact_wgan_case(seed, dev)
    out["c_events"], out["g_events"] = c_events, g_events = record_events(c_opt), record_events(g_opt)
    # Every batch of noise G is given, with the number of critic and generator updates made before it: the judge
    # replays that noise in its reference step and sees fakes reused across the critic updates.
    out["g_calls"] = calls = []

    def record_call(z):
        if len(calls) < 4 * N_CRITIC + 4:
            calls.append({"z": plain(z.detach()) if isinstance(z, torch.Tensor) else None,
                          "critic_updates": c_events.count("step"), "g_updates": g_events.count("step")})

    G.recorder = record_call
    torch.manual_seed(seeds["torch"])
    try:
        out["result"] = plain(student.wgan_gp_step(G, critic, g_opt, c_opt, [b.clone() for b in batches], fx.NZ,
                                                   lambda_gp=LAMBDA))
    finally:
        G.recorder = None
    out["critic"], out["G"] = state(critic), state(G)
    out["modes"] = modes(G=G, critic=critic)


def _wgan_training(student, out):
    """12 steps of a small convolutional critic on real CIFAR-10 images (G frozen), on fixed networks."""
    dev = device_of(student)
    batches = list(fx.cifar_batch(32 * N_CRITIC, dev).split(32))
    G, critic = fx.tiny_generator(device=dev), fx.tiny_critic(device=dev)
    g_opt = torch.optim.SGD(G.parameters(), lr=0.0)
    c_opt = torch.optim.Adam(critic.parameters(), lr=2e-3, betas=(0.5, 0.9))
    torch.manual_seed(0)
    out["results"] = [plain(student.wgan_gp_step(G, critic, g_opt, c_opt, batches, fx.NZ, 10.0)) for _ in range(12)]
    out["trained"] = state(critic)
