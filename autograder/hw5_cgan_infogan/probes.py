"""The student's side of the HW5 checks: call the notebook's functions on the judge's inputs, record what happens.

One probe per problem, named like its check (``p03_cgan_step`` for ``test_p03_cgan_step``). A probe records plain
data into ``out`` and decides nothing; it may stop early (the student's code raised), and the judge then reports
the error at the first value it misses. Gradient paths (which head a loss reaches) are answered here by backward
passes and recorded as booleans; the InfoGAN step runs with the stand-in helpers of :mod:`.fixtures`.
"""
from __future__ import annotations

import torch
from torch import nn

from autograder.toolkit.call_log import watch
from autograder.toolkit.device_probe import on_meta
from autograder.toolkit.gradient_paths import parameter_gradients
from autograder.toolkit.modes import modes
from autograder.toolkit.open_range import large_weight_outputs
from autograder.toolkit.probes import trace
from autograder.pipeline.runner import describe_error, plain, state
from autograder.toolkit.sizes import probe_size
from autograder.toolkit.steps import device_of, record_events, reference_helpers
from autograder.toolkit.structure import structure

from . import fixtures as fx

INFO_PARTS = ("trunk", "d_head", "q_head")


# --------------------------------------------------------------------------------------------- helpers
def _kind(value) -> dict:
    """A returned value's type name, and its length where it is a tuple or a list."""
    return {"type": type(value).__name__, "len": len(value) if isinstance(value, (tuple, list)) else None}


def _module(out, key, make):
    net = make()
    out[f"{key}_type"] = type(net).__name__
    out[f"{key}_is_module"] = isinstance(net, nn.Module)
    return net


def _trace(model, *inputs) -> dict:
    """What a forward pass ran: for each leaf module whether it is an nn.Tanh, and its output; the network's output."""
    run = trace(model, *inputs)
    return {"tanh": [isinstance(m, nn.Tanh) for m in run.leaves], "outputs": [plain(o) for o in run.outputs],
            "out": plain(run.out)}


def _embedding_learns(model) -> bool:
    return any(isinstance(m, nn.Embedding) and m.weight.grad is not None and bool(m.weight.grad.abs().sum() > 0)
               for m in model.modules())


def _uses_labels(model, x, x2, labels, out, key: str) -> None:
    """``model(x, labels)`` in eval mode against other inputs, other labels and one image's label changed; then
    (train mode) whether backpropagating the output reaches the label embedding."""
    other = (labels + 3) % 10
    model.eval()
    with torch.no_grad():
        out[f"{key}_base"] = plain(model(x, labels))
        out[f"{key}_by_input"] = plain(model(x2, labels))
        out[f"{key}_by_label"] = plain(model(x, other))
    one = labels.clone()
    one[3] = (one[3] + 5) % 10
    with torch.no_grad():
        out[f"{key}_one"] = plain(model(x, one))
    model.train()
    model(x, labels).sum().backward()
    out[f"{key}_embedding_learns"] = _embedding_learns(model)


def _reaches(outputs, module):
    """Does backpropagating from ``outputs`` give ``module``'s weights a non-zero gradient? (The error, if it raised.)"""
    try:
        grads = torch.autograd.grad(sum(t.sum() for t in outputs), list(module.parameters()), allow_unused=True,
                                    retain_graph=True)
        return any(g is not None and bool(g.abs().sum() > 0) for g in grads)
    except Exception as error:
        return describe_error(error)


def _triple(value) -> dict:
    """A returned (loss, cat_term, cont_term): its type, and its three values where it is a triple."""
    triple = isinstance(value, (tuple, list)) and len(value) == 3
    return {"type": type(value).__name__, "values": [plain(v) for v in value] if triple else None}


def _counted(helpers: dict, calls: dict) -> dict:
    """The stand-in helpers, each counting its calls in ``calls``."""
    def wrap(name, function):
        def counted(*args, **kwargs):
            calls[name] = calls.get(name, 0) + 1
            return function(*args, **kwargs)
        return counted
    return {name: wrap(name, function) for name, function in helpers.items()}


def _ran(out, key: str, call) -> bool:
    """``out[key]`` = what ``call()`` returned; where the student's code raised, its error under ``key + "_error"``
    (the judge explains the errors it can identify, a concatenation along the wrong dimension say)."""
    try:
        out[key] = plain(call())
        return True
    except Exception as error:  # the student's code
        out[f"{key}_error"] = describe_error(error)
        return False


def _lr(value):
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        return float(value.item())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return f"<{type(value).__name__}>"


# -------------------------------------------------------------------------------------------- CGAN
def p01_cgenerator(student, inputs, out):
    seed, dev = inputs["seed"], device_of(student)
    n, nz = 6, 20

    def make(n_classes):
        return student.CGenerator(nz=nz, n_classes=n_classes, hidden=16)

    torch.manual_seed(seed)
    G = _module(out, "G", lambda: make(10))
    if not out["G_is_module"]:
        return
    out["has_embedding"] = any(isinstance(m, nn.Embedding) for m in G.modules())
    G = G.to(dev)
    z, z2 = fx.randn(n, nz, seed=seed, device=dev), fx.randn(n, nz, seed=seed + 1, device=dev)
    labels = torch.arange(n, device=dev)
    if not (_ran(out, "out", lambda: G(z, labels)) and _ran(out, "out_4d", lambda: G(z.view(n, nz, 1, 1), labels))):
        return
    out["trace"] = _trace(G, z, labels)
    out["gradients"] = parameter_gradients(G, z, labels, seed=seed)
    _uses_labels(G, z, z2, labels, out, "labels")
    five = make(probe_size("n_classes"))
    out["structure"] = structure(five)
    _ran(out, "five", lambda: five.to(dev)(z[:5], torch.arange(5, device=dev)))
    out["widths"] = list({plain(m.out_features) for m in G.modules() if isinstance(m, nn.Linear)})


def p02_cdiscriminator(student, inputs, out):
    seed, dev = inputs["seed"], device_of(student)
    torch.manual_seed(seed)
    D = _module(out, "D", lambda: student.CDiscriminator(n_classes=10, hidden=16))
    if not out["D_is_module"]:
        return
    out["has_embedding"] = any(isinstance(m, nn.Embedding) for m in D.modules())
    D = D.to(dev)
    images, labels = fx.mnist_pick(32, seed, device=dev)
    x, x2, labels = images[:16], images[16:], labels[:16]
    if not _ran(out, "logits", lambda: D(x, labels)):
        return
    out["widths"] = list({plain(m.out_features) for m in D.modules() if isinstance(m, nn.Linear)})
    out["gradients"] = parameter_gradients(D, x, labels, seed=seed)
    D.eval()
    out["big"] = plain(large_weight_outputs(D, x, labels))
    torch.manual_seed(seed)
    D = student.CDiscriminator(n_classes=10, hidden=16).to(dev)
    _uses_labels(D, x, x2, labels, out, "labels")
    D5 = student.CDiscriminator(n_classes=probe_size("n_classes"), hidden=16).to(dev)
    out["structure"] = structure(D5)
    _ran(out, "five", lambda: D5(x[:5], torch.arange(5, device=dev)))


def p03_cgan_step(student, inputs, out):
    seed, dev = inputs["seed"], device_of(student)
    real, labels, z, fake_labels = fx.cgan_step_inputs(seed, dev)
    G, D, g_opt, d_opt = fx.cgan_step_case(seed, dev)
    out["d_events"], out["g_events"] = record_events(d_opt), record_events(g_opt)
    out["G_calls"], out["D_calls"] = watch(G), watch(D, inputs=False)  # G's noise and labels, and the modes
    out["result"] = plain(student.cgan_step(G, D, g_opt, d_opt, real.clone(), labels.clone(), z.clone(),
                                            fake_labels.clone()))
    out["G"], out["D"] = state(G), state(D)
    out["modes"] = modes(G=G, D=D)
    # Short training on real MNIST digits (fixed seeds): the judge computes D's loss from the weights it ends with.
    G, D, g_opt, d_opt = fx.cgan_training_nets(dev)
    real, labels = fx.mnist_batch(64, dev)
    out["results"] = results = []
    for step in range(fx.CGAN_TRAINING_STEPS):
        z, fake_labels = fx.cgan_training_inputs(step, dev)
        results.append(plain(student.cgan_step(G, D, g_opt, d_opt, real, labels, z, fake_labels)))
    out["G_trained"], out["D_trained"] = state(G), state(D)


def p04_conditional_samples(student, inputs, out):
    dev = device_of(student)
    nz, n_per_class = 7, 3
    G = fx.RecordingGenerator(nz).to(dev)
    out["device"], out["device_type"] = str(dev), dev.type
    torch.manual_seed(inputs["seed"])
    result = student.conditional_samples(G, nz, n_per_class, n_classes=probe_size("n_classes", 1))
    out["type"] = type(result).__name__
    out["pair"] = isinstance(result, (tuple, list)) and len(result) == 2
    if not out["pair"]:
        return
    images, labels = result
    out["labels"] = plain(labels)
    out["calls"] = [(bool(mode), bool(grad), tuple(shape), plain(given)) for mode, grad, shape, given in G.calls]
    out["images"] = plain(images)
    out["devices"] = [t.device.type if isinstance(t, torch.Tensor) else None for t in (labels, images)]
    out["images_require_grad"] = bool(getattr(images, "requires_grad", False))
    out["training_after"] = bool(G.training)
    G.eval()
    student.conditional_samples(G, nz, 2)
    out["training_after_eval"] = bool(G.training)
    # A CPU-only grader cannot tell "on G's device" from "on the CPU"; with G on the meta device it can.
    out["meta"] = on_meta(lambda device: student.conditional_samples(fx.RecordingGenerator(nz).to(device), nz,
                                                                     n_per_class, n_classes=probe_size("n_classes", 1)))


# ----------------------------------------------------------------------------------------- InfoGAN
def p05_codes(student, inputs, out):
    seed, dev = inputs["seed"], device_of(student)
    out["device"], out["device_type"] = str(dev), dev.type
    torch.manual_seed(seed)
    result = student.sample_codes(30_000, dev, n_noise=probe_size("n_noise"), n_cat=probe_size("n_cat"), n_cont=probe_size("n_cont"))
    out["type"] = type(result).__name__
    out["triple"] = isinstance(result, (tuple, list)) and len(result) == 3
    if not out["triple"]:
        return
    out["codes"] = [plain(t) for t in result]
    out["devices"] = [t.device.type if isinstance(t, torch.Tensor) else None for t in result]
    # A CPU-only grader cannot tell "on the device" from "on the CPU"; the meta device it can (shapes, no data).
    out["meta"] = on_meta(lambda device: student.sample_codes(3, device, n_noise=probe_size("n_noise"), n_cat=probe_size("n_cat"), n_cont=probe_size("n_cont")))
    again = student.sample_codes(4, dev)
    out["again"] = [plain(t) for t in again] if isinstance(again, (tuple, list)) else plain(again)
    out["again_noise"] = plain(student.sample_codes(4, dev)[0])
    noise, cat, cont = fx.info_input_case(seed, dev)
    _ran(out, "x", lambda: student.info_input(noise, cat, cont, n_cat=probe_size("n_cat")))


def p06_info_discriminator(student, inputs, out):
    seed, dev = inputs["seed"], device_of(student)
    torch.manual_seed(seed)
    D = _module(out, "D", lambda: student.InfoDiscriminator(width=8, n_cat=10, n_cont=2))
    if not out["D_is_module"]:
        return
    out["missing"] = [name for name in INFO_PARTS if not isinstance(getattr(D, name, None), nn.Module)]
    if out["missing"]:
        return
    D = D.to(dev)
    x, _ = fx.mnist_pick(16, seed, device=dev)
    result = D(x)
    out["outputs"] = _kind(result)
    if out["outputs"]["len"] != 3:
        return
    logits, cat_logits, cont_mean = result
    out["logits"], out["cat_logits"], out["cont_mean"] = plain(logits), plain(cat_logits), plain(cont_mean)
    other_D = student.InfoDiscriminator(width=8, n_cat=probe_size("n_cat", 1), n_cont=probe_size("n_cont")).to(dev)
    out["structure"] = structure(other_D)
    other = other_D(x)
    out["other"] = _kind(other)
    if out["other"]["len"] != 3:
        return
    out["other_shapes"] = [tuple(t.shape) if isinstance(t, torch.Tensor) else type(t).__name__ for t in other]
    first = next((m for m in D.trunk.modules() if isinstance(m, nn.Conv2d)), None)
    out["first_conv"] = None if first is None else plain(first.out_channels)
    out["reaches"] = {
        "logits>trunk": _reaches([logits], D.trunk), "q>trunk": _reaches([cat_logits, cont_mean], D.trunk),
        "logits>d_head": _reaches([logits], D.d_head), "logits>q_head": _reaches([logits], D.q_head),
        "cat>q_head": _reaches([cat_logits], D.q_head), "cont>q_head": _reaches([cont_mean], D.q_head),
        "q>d_head": _reaches([cat_logits, cont_mean], D.d_head)}
    out["gradients"] = parameter_gradients(D, x, seed=seed)
    D.eval()  # BatchNorm's running statistics: each verdict depends on its own image
    out["big"] = plain(large_weight_outputs(D, x))


def p07_info_loss(student, inputs, out):
    seed, dev = inputs["seed"], device_of(student)
    cat_logits, cont_mean, cat, cont = fx.info_loss_inputs(seed, dev)
    first = student.info_loss(cat_logits, cont_mean, cat, cont, 1.0, 0.1)
    out["first"] = _triple(first)
    if out["first"]["values"] is None:
        return
    out["other"] = _triple(student.info_loss(cat_logits, cont_mean, cat, cont, 2.5, 0.7))
    first[0].backward()
    out["grads"] = [plain(cat_logits.grad), plain(cont_mean.grad)]
    out["best"] = _triple(student.info_loss(*fx.perfect_q_case(dev), 1.0, 0.1))


def p08_info_optimizers(student, inputs, out):
    G, D = fx.tiny_info_generator(), fx.tiny_info_discriminator()
    lr_d, lr_g = fx.info_learning_rates(inputs["seed"])
    made = student.make_info_optimizers(G, D, lr_d=lr_d, lr_g=lr_g)
    out["type"] = type(made).__name__
    out["triple"] = isinstance(made, (tuple, list)) and len(made) == 3
    if not out["triple"]:
        return
    parts = {"G": G, "the trunk": D.trunk, "d_head": D.d_head, "q_head": D.q_head}
    parts = {name: {id(p) for p in module.parameters()} for name, module in parts.items()}
    for name, opt in zip(("d_optimizer", "g_optimizer", "info_optimizer"), made):
        groups = getattr(opt, "param_groups", None)
        groups = [g for g in groups if isinstance(g, dict)] if isinstance(groups, list) else []
        lrs = {id(p): g.get("lr") for g in groups for p in g.get("params", [])}
        out[name] = {
            "type": type(opt).__name__, "adam": isinstance(opt, torch.optim.Adam),
            "betas": [plain(g.get("betas")) for g in groups],
            "parts": {part: {"all": ids <= set(lrs), "any": bool(ids & set(lrs)),
                             "rates": sorted({_lr(lrs[i]) for i in ids if i in lrs}, key=lambda v: (str(type(v)), v))}
                      for part, ids in parts.items()}}
    defaults = student.make_info_optimizers(G, D)
    out["default_lrs"] = [_lr(defaults[0].param_groups[0]["lr"]), _lr(defaults[1].param_groups[0]["lr"])]


def p09_infogan_step(student, inputs, out):
    seed, dev = inputs["seed"], device_of(student)
    # The step runs with stand-ins for info_input and info_loss: a mistake there costs problems 05 and 07 only.
    calls: dict = {}
    helpers = _counted(fx.stand_in_helpers(fx.infogan_seeds(seed)["helpers"]), calls)
    real, noise, cat, cont = fx.infogan_step_inputs(seed, dev)
    G, D, d_opt, g_opt, info_opt = fx.infogan_step_case(seed, dev)
    out["d_events"], out["g_events"], out["info_events"] = (record_events(d_opt), record_events(g_opt),
                                                             record_events(info_opt))
    # The codes G was given (and whether G's update had happened), and the modes of both networks at every call.
    out["G_calls"], out["D_calls"] = watch(G, g_steps=out["g_events"]), watch(D, inputs=False)
    out["calls"] = calls  # which stand-in helpers the step called (recorded even where it raises)
    with reference_helpers(student.infogan_step, **helpers):
        out["result"] = plain(student.infogan_step(G, D, d_opt, g_opt, info_opt, real.clone(), noise.clone(),
                                                   cat.clone(), cont.clone()))
    out["calls"] = dict(calls)
    out["G"], out["D"] = state(G), state(D)
    out["modes"] = modes(G=G, D=D)
    # Short training on real digits (fixed seeds): the judge measures Q's accuracy with the weights it ends with.
    calls = {}
    helpers = _counted(fx.stand_in_helpers(fx.TRAINING_HELPERS_SEED), calls)
    G, D, d_opt, g_opt, info_opt = fx.infogan_training_case(dev)
    real, _ = fx.mnist_batch(64, dev)
    out["results"] = results = []
    with reference_helpers(student.infogan_step, **helpers):
        for step in range(fx.INFOGAN_TRAINING_STEPS):
            results.append(plain(student.infogan_step(G, D, d_opt, g_opt, info_opt, real,
                                                      *fx.codes(64, seed=100 + step, device=dev))))
    out["training_calls"] = dict(calls)
    out["G_trained"], out["D_trained"] = state(G), state(D)
