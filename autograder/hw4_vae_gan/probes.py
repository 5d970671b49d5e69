"""The student's side of the HW4 checks: call the notebook's functions on the judge's inputs, record what happens.

One probe per problem, named like its check (``p05_vae_step`` for ``test_p05_vae_step``). A probe records plain
data into ``out`` and decides nothing; it may stop early (the student's code raised), and the judge then reports
the error at the first value it misses. Steps and forward passes run with the *stand-in* helpers of
:mod:`.fixtures` (never the reference ones), so a mistake in a helper is charged to the helper's own problem.
"""
from __future__ import annotations

import contextlib

import torch
from torch import nn

from autograder.toolkit.device_probe import on_meta
from autograder.toolkit.gradient_paths import parameter_gradients
from autograder.toolkit.modes import modes
from autograder.toolkit.probes import _same_values, trace, with_large_weights
from autograder.pipeline.runner import plain, state
from autograder.toolkit.step_probe import prepare_step, steps_trained
from autograder.toolkit.steps import adam, device_of, reference_helpers
from autograder.toolkit.structure import structure

from . import fixtures as fx

ANOMALY_WEIGHTS = dict(w_adv=2.0, w_con=10.0, w_enc=3.0)  # not the defaults: the weights must be used


@contextlib.contextmanager
def _exact():
    """No TF32 on a GPU while the student's code runs: the judge recomputes the same numbers on the CPU."""
    saved = (torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32)
    torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = False
    try:
        yield
    finally:
        torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = saved


def _kind(value) -> str:
    return type(value).__name__


# --------------------------------------------------------------------------------------------- VAE
def p01_reparameterize(student, inputs, out):
    seed, dev = inputs["seed"], device_of(student)
    mu, logvar = fx.reparameterize_inputs(dev)
    out["mu_device"] = str(mu.device)
    torch.manual_seed(fx.sub_seed(seed, 1))
    z = student.reparameterize(mu, logvar)
    out["z"] = plain(z)
    out["z_device"] = str(z.device) if isinstance(z, torch.Tensor) else _kind(z)
    out["z_requires_grad"] = bool(isinstance(z, torch.Tensor) and z.requires_grad)
    torch.manual_seed(fx.sub_seed(seed, 11))
    out["again"] = plain(student.reparameterize(mu, logvar))
    if out["z_requires_grad"]:
        z.sum().backward()
    out["mu_grad"], out["logvar_grad"] = plain(mu.grad), plain(logvar.grad)
    out["meta"] = on_meta(lambda device: student.reparameterize(
        torch.zeros(4, 3, device=device), torch.zeros(4, 3, device=device)), reads_device_of=student.reparameterize)


class _Encode(nn.Module):
    """``vae.encode`` as a module, so the forward hooks see every layer it runs."""

    def __init__(self, vae):
        super().__init__()
        self.vae = vae

    def forward(self, x):
        return self.vae.encode(x)


class _Decode(nn.Module):
    """``vae.decode`` as a module, for a forward pass with large weights."""

    def __init__(self, vae):
        super().__init__()
        self.vae = vae

    def forward(self, z):
        return self.vae.decode(z)


@contextlib.contextmanager
def _one_output(model: nn.Module, index: int):
    """``model(x)`` gives only output ``index`` of its forward (the gradient probe then backpropagates that one),
    with the parameters named as the student named them."""
    forward = type(model).forward
    model.forward = lambda *args: forward(model, *args)[index]
    try:
        yield model
    finally:
        with contextlib.suppress(Exception):
            del model.forward


def _same(a, b) -> bool:
    return (isinstance(a, torch.Tensor) and a.numel() == b.numel()
            and torch.allclose(a.reshape(-1).float(), b.reshape(-1).float(), atol=1e-6))


def p02_vae(student, inputs, out):
    seed, dev = inputs["seed"], device_of(student)
    latent, hidden, n = 3, 16, 60
    torch.manual_seed(fx.sub_seed(seed, 2))
    vae = student.VAE(latent_dim=latent, hidden=hidden)
    out["type"], out["is_module"] = _kind(vae), isinstance(vae, nn.Module)
    if not out["is_module"]:
        return
    out["widths"] = sorted({m.out_features for m in vae.modules() if isinstance(m, nn.Linear) and m.in_features == 784})
    vae = vae.to(dev)
    x = fx.unit_batch(n, dev, offset=seed % 260)
    from autograder.toolkit.probes import trace

    run = trace(_Encode(vae), x)  # which layers' outputs *are* mu and logvar (a Linear head: no activation)
    encoded = vae.encode(x)
    if isinstance(encoded, tuple) and len(encoded) == 2 and all(isinstance(t, torch.Tensor) for t in encoded):
        for name, value in zip(("mu", "logvar"), encoded):
            out[f"{name}_from_linear"] = any(isinstance(leaf, nn.Linear) and _same(o, value.detach())
                                             for leaf, o in zip(run.leaves, run.outputs))
    out["encode"] = {"type": _kind(encoded), "pair": isinstance(encoded, tuple) and len(encoded) == 2,
                     "length": len(encoded) if isinstance(encoded, tuple) else None}
    if not out["encode"]["pair"]:
        return
    mu, logvar = encoded
    out["mu"], out["logvar"] = plain(mu), plain(logvar)
    z = fx.randn(n, latent, seed=fx.sub_seed(seed, 21), device=dev) * 20
    out["logits"] = plain(vae.decode(z))
    result = vae(x)
    out["forward_triple"] = isinstance(result, tuple) and len(result) == 3
    if not out["forward_triple"]:
        return
    out["forward"] = plain(list(result))
    # forward runs with a stand-in reparameterize (not the trick): a mistake in the trick costs problem 01 only.
    called, decoded = [], []

    def stand_in(mu_, logvar_):
        called.append(True)
        return fx.stand_in_reparameterize(mu_, logvar_)

    decode = vae.decode

    def recording_decode(z_):
        result_ = decode(z_)
        decoded.append((plain(z_), plain(result_)))
        return result_

    again = fx.sub_seed(seed, 22)
    torch.manual_seed(again)
    out["eps"] = plain(torch.randn_like(mu))
    with reference_helpers(type(vae).forward, reparameterize=stand_in):
        try:
            vae.decode = recording_decode  # what forward decodes, for a trick written inline in forward
            wrapped = True
        except Exception:
            wrapped = False
        try:
            torch.manual_seed(again)
            out["forward_sample"] = plain(vae(x)[0])
        finally:
            if wrapped:
                with contextlib.suppress(Exception):
                    del vae.decode
        out["stand_in_called"] = bool(called)
        out["forward_decoded"] = decoded[:3]
        out["decoded_stand_in"] = plain(decode(fx.stand_in_reparameterize(mu, logvar)))
        out["decoded_mean"] = plain(decode(mu))

    # The whole architecture, outputs that must stay open, gradient paths, the device: on a fresh VAE, forward with
    # the stand-in reparameterize (a mistake in the trick costs problem 01 only).
    out["structure"] = structure(vae)
    with reference_helpers(type(vae).forward, reparameterize=fx.stand_in_reparameterize):
        torch.manual_seed(fx.sub_seed(seed, 23))
        fresh = student.VAE(latent_dim=latent, hidden=hidden).to(dev)
        with _one_output(fresh, 0):
            out["gradients"] = parameter_gradients(fresh, x, seed=seed)
        big = student.VAE(latent_dim=latent, hidden=hidden).to(dev)
        big_mu, big_logvar = with_large_weights(_Encode(big), x, factor=30)
        out["big_mu"], out["big_logvar"] = plain(big_mu), plain(big_logvar)
        big = student.VAE(latent_dim=latent, hidden=hidden).to(dev)
        out["big_logits"] = plain(with_large_weights(_Decode(big), fx.randn(n, latent, seed=seed, device=dev),
                                                              factor=30))
        out["meta"] = on_meta(lambda device: student.VAE(
            latent_dim=latent, hidden=hidden).to(device)(x.to(device)), reads_device_of=type(vae).forward)


def p03_kl_divergence(student, inputs, out):
    dev = device_of(student)
    mu, logvar = fx.kl_codes(inputs["seed"], dev)
    kl = student.kl_divergence(mu, logvar)
    out["kl"] = plain(kl)
    out["zero"] = plain(student.kl_divergence(torch.zeros(3, 6, device=dev), torch.zeros(3, 6, device=dev)))
    if isinstance(kl, torch.Tensor) and kl.requires_grad:
        kl.sum().backward()
    out["reached"] = mu.grad is not None and logvar.grad is not None


def p04_vae_loss(student, inputs, out):
    logits, x, mu, logvar = fx.vae_loss_inputs(inputs["seed"], device_of(student))
    # vae_loss runs with a stand-in kl_divergence: a mistake in the KL costs problem 03 only.
    with reference_helpers(student.vae_loss, kl_divergence=fx.stand_in_kl_divergence):
        result = student.vae_loss(logits, x, mu, logvar)
    out["triple"] = isinstance(result, tuple) and len(result) == 3
    if not out["triple"]:
        return
    out["values"] = plain(list(result))
    loss = result[0]
    if isinstance(loss, torch.Tensor) and loss.requires_grad:
        loss.backward()
    out["reached"] = all(t.grad is not None for t in (logits, mu, logvar))


def p05_vae_step(student, inputs, out):
    seed, dev = inputs["seed"], device_of(student)
    seeds = fx.step_seeds(seed)
    x = fx.unit_batch(32, dev, offset=seeds["x"])
    vae = fx.tiny_vae(seeds["vae"], device=dev)
    opt, events = prepare_step(vae)
    out["events"] = events
    # The step runs with stand-in helpers (vae_loss, kl_divergence, reparameterize): a mistake there costs its own problem.
    with _exact(), reference_helpers(student.vae_step, **fx.stand_in_vae_helpers(seed)):
        out["result"] = plain(student.vae_step(vae, opt, x.clone()))
    out["vae"] = state(vae)
    out["modes"] = modes(vae=vae)
    # Short training on real digits (the judge computes the negative ELBO of the weights it ends with).
    vae = fx.tiny_vae(seed=1, device=dev)
    opt = torch.optim.Adam(vae.parameters(), lr=3e-3)
    x = fx.unit_batch(32, dev)
    with _exact(), reference_helpers(student.vae_step, **fx.stand_in_vae_helpers(0)):
        torch.manual_seed(1)
        out["train_results"] = steps_trained(lambda: student.vae_step(vae, opt, x), 30)
    out["vae_trained"] = state(vae)


# ---------------------------------------------------------------------------------------- GAN losses
def _loss(out, key, function, args):
    """``function(*args)`` as the judge needs it: the value, its kind, whether it has a graph, and (after
    backward) whether every argument got a gradient."""
    value = function(*args)
    is_tensor = isinstance(value, torch.Tensor)
    out[key] = {"type": _kind(value), "value": plain(value),
                "shape": list(value.shape) if is_tensor else None,
                "requires_grad": bool(is_tensor and value.requires_grad)}
    if is_tensor and value.numel() == 1 and value.requires_grad:
        value.backward()
        out[f"{key}_reached"] = all(a.grad is not None for a in args)
    for a in args:
        a.grad = None


def _huge(out, key, function, args):
    value = function(*args)
    out[key] = plain(value.detach() if isinstance(value, torch.Tensor) else value)


def p06_minimax_losses(student, inputs, out):
    seed, dev = inputs["seed"], device_of(student)
    real, fake = fx.scores(16, fx.sub_seed(seed, 61), 1.0, 1.5, dev), fx.scores(16, fx.sub_seed(seed, 62), -1.0, 1.5, dev)
    _loss(out, "minimax_d_loss", student.minimax_d_loss, (real, fake))
    _loss(out, "minimax_g_loss", student.minimax_g_loss, (fake,))
    _loss(out, "nonsaturating_g_loss", student.nonsaturating_g_loss, (fake,))
    huge = torch.tensor([[100.0], [-100.0]], device=dev)
    _huge(out, "minimax_d_loss_huge", student.minimax_d_loss, (huge, huge))
    _huge(out, "minimax_g_loss_huge", student.minimax_g_loss, (huge,))
    _huge(out, "nonsaturating_g_loss_huge", student.nonsaturating_g_loss, (huge,))
    # When D is sure the fakes are fake: each loss's gradient at s = −10.
    for name in ("minimax_g_loss", "nonsaturating_g_loss"):
        s = torch.full((4, 1), -10.0, device=dev).requires_grad_(True)
        getattr(student, name)(s).backward()
        out[f"{name}_sure_grad"] = plain(s.grad)
    for name in ("minimax_d_loss", "minimax_g_loss", "nonsaturating_g_loss"):
        function = getattr(student, name)
        out[f"{name}_meta"] = on_meta(lambda device: function(*(torch.zeros(4, 1, device=device),) * (
            2 if name == "minimax_d_loss" else 1)), reads_device_of=function)


def p07_other_losses(student, inputs, out):
    seed, dev = inputs["seed"], device_of(student)
    real, fake = fx.scores(16, fx.sub_seed(seed, 71), 1.0, 2.0, dev), fx.scores(16, fx.sub_seed(seed, 72), -1.0, 2.0, dev)
    _loss(out, "lsgan_d_loss", student.lsgan_d_loss, (real, fake))
    _loss(out, "lsgan_g_loss", student.lsgan_g_loss, (fake,))
    w_real, w_fake = fx.scores(16, fx.sub_seed(seed, 73), 3.0, 2.0, dev), fx.scores(16, fx.sub_seed(seed, 74), -1.0, 2.0, dev)
    _loss(out, "critic_loss", student.critic_loss, (w_real, w_fake))
    _loss(out, "wgan_generator_loss", student.wgan_generator_loss, (fx.scores(16, fx.sub_seed(seed, 75), 0.5, 2.0, dev),))
    _loss(out, "hinge_d_loss", student.hinge_d_loss, (real, fake))
    _loss(out, "hinge_g_loss", student.hinge_g_loss, (fake,))
    for name in ("lsgan_d_loss", "lsgan_g_loss", "hinge_d_loss", "hinge_g_loss"):
        function = getattr(student, name)
        out[f"{name}_meta"] = on_meta(lambda device: function(*(torch.zeros(4, 1, device=device),) * (
            2 if name.endswith("d_loss") else 1)), reads_device_of=function)


def p08_logit_gradients(student, inputs, out):
    dev = device_of(student)
    s = fx.logit_scores(inputs["seed"]).to(dev)
    for i, g_loss in enumerate(fx.G_LOSSES.values()):
        out[f"found_{i}"] = plain(student.logit_gradients(g_loss, s))
    # The caller's tensor is left alone, even one that is part of a graph.
    first = next(iter(fx.G_LOSSES.values()))
    w = torch.tensor(2.0, device=dev, requires_grad=True)
    out["in_graph"] = plain(student.logit_gradients(first, s * w))
    out["w_grad_is_none"] = w.grad is None
    untouched = s.clone()
    student.logit_gradients(first, untouched)
    out["plain_requires_grad"] = bool(untouched.requires_grad)
    out["plain_after"] = plain(untouched)


# ------------------------------------------------------------------------------------ anomaly model
def _module(student, out, key, name, seed, *args):
    torch.manual_seed(seed)
    made = getattr(student, name)(*args)
    out[f"{key}_type"], out[f"{key}_is_module"] = _kind(made), isinstance(made, nn.Module)
    return made if out[f"{key}_is_module"] else None


def p09_anomaly_networks(student, inputs, out):
    seed, dev = inputs["seed"], device_of(student)
    nz, width, n = 12, 8, 6
    x = fx.one_class_digits(dev)[0][seed % 58:seed % 58 + n]
    with _exact():
        encoder = _module(student, out, "encoder", "Encoder", fx.sub_seed(seed, 91), nz, width)
        if encoder is None:
            return
        out["encoder_structure"] = structure(encoder)
        encoder = encoder.to(dev)
        out["encoded"] = plain(encoder(x))
        out["convs"] = sum(isinstance(m, nn.Conv2d) for m in encoder.modules())
        out["big_codes"] = plain(with_large_weights(student.Encoder(nz, width).to(dev), x, factor=30))

        decoder = _module(student, out, "decoder", "Decoder", fx.sub_seed(seed, 92), nz, width)
        if decoder is None:
            return
        out["decoder_structure"] = structure(decoder)
        decoder = decoder.to(dev)
        codes = fx.randn(n, nz, 1, 1, seed=fx.sub_seed(seed, 93), device=dev)
        out["images"] = plain(decoder(codes))
        run = trace(decoder, codes)
        out["tanh_leaf"] = run.output_leaf(nn.Tanh) is not None
        pre = None
        for value in reversed(run.outputs):  # the functional form: the last computed tensor of the output's size
            if isinstance(value, torch.Tensor) and isinstance(run.out, torch.Tensor) and \
                    value.numel() == run.out.numel() and not _same_values(value, run.out):
                pre = value
                break
        out["pre_output"], out["traced_out"] = plain(pre), plain(run.out)

        model = _module(student, out, "model", "EncoderDecoderEncoder", fx.sub_seed(seed, 94), nz, width)
        if model is None:
            return
        parts = {name: getattr(model, name, None) for name in ("encoder", "decoder", "encoder2")}
        out["parts"] = {name: isinstance(part, nn.Module) for name, part in parts.items()}
        if not all(out["parts"].values()):
            return
        first, second = set(map(id, model.encoder.parameters())), set(map(id, model.encoder2.parameters()))
        out["separate_encoders"] = model.encoder is not model.encoder2 and not first & second
        out["model_structure"] = structure(model)
        model = model.to(dev).eval()
        with torch.no_grad():
            result = model(x)
            out["triple"] = isinstance(result, tuple) and len(result) == 3
            if not out["triple"]:
                return
            z, x_hat, z_hat = result
            out["z"], out["x_hat"], out["z_hat"] = plain(z), plain(x_hat), plain(z_hat)
            out["encoder_x"] = plain(model.encoder(x))
            out["decoder_z"] = plain(model.decoder(z))
            out["encoder_x_hat"] = plain(model.encoder(x_hat))
            out["encoder2_x"] = plain(model.encoder2(x))
            out["encoder2_x_hat"] = plain(model.encoder2(x_hat))
        model.train()
        out["gradients"] = parameter_gradients(model, x, seed=seed)
        with _one_output(model, 2):  # z_hat = encoder2(decoder(encoder(x))) depends on every parameter of the model
            out["z_hat_gradients"] = parameter_gradients(model, x, seed=seed)

        # hidden=24, not the default 256: a width hard-coded in the layers shows.
        latent_d = _module(student, out, "latent_d", "LatentDiscriminator", fx.sub_seed(seed, 95), nz, 24)
        if latent_d is None:
            return
        out["latent_d_structure"] = structure(latent_d)
        latent_d = latent_d.to(dev)
        out["latent_d_convs"] = any(isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)) for m in latent_d.modules())
        out["logits"] = plain(latent_d(codes))
        out["logits_flat"] = plain(latent_d(codes.flatten(1)))
        out["big"] = plain(latent_d(codes * 1000))
        out["latent_d_gradients"] = parameter_gradients(latent_d, codes, seed=seed)
        many = fx.randn(64, nz, 1, 1, seed=fx.sub_seed(seed, 96), device=dev)
        out["big_logits"] = plain(with_large_weights(student.LatentDiscriminator(nz, 24).to(dev), many, factor=30))


def p10_anomaly_losses(student, inputs, out):
    seed, dev = inputs["seed"], device_of(student)
    x, x_hat, z, z_hat = fx.anomaly_loss_inputs(seed, dev)
    with _exact():
        result = student.anomaly_losses(x, x_hat, z, z_hat)
        out["pair"] = isinstance(result, tuple) and len(result) == 2
        if not out["pair"]:
            return
        out["values"] = plain(list(result))
        total = sum(result)
        if isinstance(total, torch.Tensor) and total.requires_grad:
            total.backward()
        out["reached"] = all(t.grad is not None for t in (x_hat, z, z_hat))

        # The score, on a model with BatchNorm left in training mode: eval mode makes each image's score its own.
        model, images = fx.score_model(seed, dev)
        scores = student.anomaly_score(model, images)
        out["scores"] = plain(scores)
        out["scores_requires_grad"] = bool(isinstance(scores, torch.Tensor) and scores.requires_grad)
        out["training_after"] = bool(model.training)
        out["model_after"] = state(model)


def p11_anomaly_step(student, inputs, out):
    seed, dev = inputs["seed"], device_of(student)
    seeds = fx.step_seeds(seed)
    zeros, _, _ = fx.one_class_digits(dev)
    x = zeros[seeds["zeros"]:seeds["zeros"] + 16]
    model = fx.tiny_anomaly_model(seeds["model"], device=dev)
    latent_d = fx.tiny_latent_discriminator(seeds["latent_d"], device=dev)
    g_opt, g_events = prepare_step(model)
    d_opt, d_events = prepare_step(latent_d)
    out["g_events"], out["d_events"] = g_events, d_events
    # What latent_d is shown (the prior sample the step drew) and the codes the model gives.
    shown, codes = [], []
    out["shown"], out["codes"] = shown, codes
    hooks = [latent_d.register_forward_pre_hook(
                 lambda module, args: shown.append(args[0].detach().clone()) if args and isinstance(args[0], torch.Tensor) else None),
             model.register_forward_hook(
                 lambda module, args, result: codes.append(result[0].detach().clone()))]
    # The step runs with a stand-in anomaly_losses: a mistake there costs problem 10 only.
    try:
        with _exact(), reference_helpers(student.anomaly_step, **fx.STAND_IN_ANOMALY_HELPERS):
            torch.manual_seed(fx.sub_seed(seed, 11))
            out["result"] = plain(student.anomaly_step(model, latent_d, g_opt, d_opt, x.clone(), **ANOMALY_WEIGHTS))
    finally:
        for hook in hooks:
            hook.remove()
    del shown[64:], codes[16:]
    out["model"], out["latent_d"] = state(model), state(latent_d)
    out["modes"] = modes(model=model, latent_d=latent_d)

    # The same step on the meta device (no data: it stops at .item()), where a tensor made on the CPU shows.
    def on_device(device):
        model_, latent_d_ = fx.tiny_anomaly_model(device=device), fx.tiny_latent_discriminator(device=device)
        with reference_helpers(student.anomaly_step, **fx.STAND_IN_ANOMALY_HELPERS):
            return student.anomaly_step(model_, latent_d_, adam(model_), adam(latent_d_), x[:4].to(device))
    out["meta"] = on_meta(on_device, reads_device_of=student.anomaly_step)

    # Short training on 32 zeros (the judge scores the weights it ends with).
    model, latent_d = fx.tiny_anomaly_model(device=dev), fx.tiny_latent_discriminator(device=dev)
    g_opt, d_opt = adam(model, 2e-3), adam(latent_d, 2e-3)
    with _exact(), reference_helpers(student.anomaly_step, **fx.STAND_IN_ANOMALY_HELPERS):
        torch.manual_seed(0)
        out["train_results"] = steps_trained(
            lambda: student.anomaly_step(model, latent_d, g_opt, d_opt, zeros[:32], 1.0, 50.0, 1.0), 60)
    out["model_trained"] = state(model)
