"""The student's side of the HW3 checks: call the notebook's functions on the judge's inputs, record what happens.

One probe per problem, named like its check (``p04_acgan_step`` for ``test_p04_acgan_step``). A probe records
plain data into ``out`` and decides nothing; it may stop early (the student's code raised), and the judge then
reports the error at the first value it misses. The step probes run the student's step with the stand-in
helpers of :mod:`.fixtures` (never the reference answers), so a wrong loss, penalty or clipping costs its own
problem only; the judge runs its reference step with the same stand-ins.
"""
from __future__ import annotations

import torch
from torch import nn

from autograder.toolkit.critics import LinearCritic
from autograder.toolkit.device_probe import on_meta
from autograder.toolkit.gradient_paths import parameter_gradients
from autograder.toolkit.modes import modes
from autograder.toolkit.open_range import large_weight_outputs
from autograder.toolkit.penalty_probe import record_gradient_penalty
from autograder.toolkit.probes import trace, with_large_weights
from autograder.pipeline.runner import describe_error, plain, state
from autograder.toolkit.sizes import probe_size
from autograder.toolkit.steps import adam, device_of, fill_grads, record_events, reference_helpers
from autograder.toolkit.structure import structure

from . import fixtures as fx


def _module(out, key, make):
    net = make()
    out[f"{key}_type"] = type(net).__name__
    out[f"{key}_is_module"] = isinstance(net, nn.Module)
    return net


def _loss(out, key, value):
    """A loss the student returned: its value, and whether it carries a graph."""
    out[f"{key}_graph"] = isinstance(value, torch.Tensor) and bool(value.requires_grad)
    out[key] = plain(value)


def p01_acgan_generator(student, inputs, out):
    seed, dev = inputs["seed"], device_of(student)
    n, nz = 6, 20

    def make(n_classes):
        return student.ACGenerator(nz=20, n_classes=n_classes, ngf=8)

    torch.manual_seed(seed)
    G = _module(out, "G", lambda: make(10))
    if not out["G_is_module"]:
        return
    out["has_embedding"] = any(isinstance(m, nn.Embedding) for m in G.modules())
    G = G.to(dev)
    z, z2 = fx.randn(n, nz, seed=seed, device=dev), fx.randn(n, nz, seed=seed + 1, device=dev)
    labels = torch.arange(n, device=dev)
    out["out"] = plain(G(z, labels))
    out["out_4d"] = plain(G(z.view(n, nz, 1, 1), labels))
    run = trace(G, z, labels)
    out["trace"] = [(isinstance(m, nn.Tanh), plain(o)) for m, o in zip(run.leaves, run.outputs)]
    out["trace_out"] = plain(run.out)
    # In eval mode BatchNorm uses its running statistics, so each result depends only on its own input and label.
    other = (labels + 3) % 10
    one = labels.clone()
    one[3] = (one[3] + 5) % 10
    G.eval()
    with torch.no_grad():
        out["base"] = plain(G(z, labels))
        out["by_input"] = plain(G(z2, labels))
        out["by_label"] = plain(G(z, other))
        out["by_one_label"] = plain(G(z, one))
    out["gradients"] = parameter_gradients(G, z, labels, seed=seed)  # still in eval mode: a bias before BatchNorm
    G.train()                                                          # gets a gradient there too
    G(z, labels).sum().backward()
    out["embedding_grads"] = [None if m.weight.grad is None else float(m.weight.grad.abs().sum())
                              for m in G.modules() if isinstance(m, nn.Embedding)]
    five = make(probe_size("n_classes"))
    out["structure"] = structure(five)
    five = five.to(dev)
    out["five"] = plain(five(z[:5], torch.arange(5, device=dev)))


def _heads(out, key, D, x):
    result = D(x)
    sequence = isinstance(result, (tuple, list))
    out[key] = {"pair": sequence and len(result) == 2, "type": type(result).__name__,
                "length": len(result) if sequence else None}
    return result if out[key]["pair"] else None


def p02_acgan_discriminator(student, inputs, out):
    seed, dev = inputs["seed"], device_of(student)
    torch.manual_seed(seed)
    D = _module(out, "D", lambda: student.ACDiscriminator(n_classes=10, ndf=8))
    if not out["D_is_module"]:
        return
    D = D.to(dev)
    x, _ = fx.mnist_batch(16, dev, offset=seed % 300)
    heads = _heads(out, "heads", D, x)
    if heads is None:
        return
    out["src"], out["cls"] = plain(heads[0]), plain(heads[1])
    D5 = student.ACDiscriminator(n_classes=probe_size("n_classes"), ndf=8)
    out["structure"] = structure(D5)
    five = _heads(out, "five_heads", D5.to(dev), x)
    if five is None:
        return
    out["five_cls"] = plain(five[1])
    # Both heads are read in eval mode (BatchNorm's running statistics), where each verdict depends on its own image.
    D.eval()
    with torch.no_grad():
        src, cls = D(x)
    out["eval_src"], out["eval_cls"] = plain(src), plain(cls)
    # Which parameters each head's logits reach (eval mode: a bias before BatchNorm gets a gradient too).
    out["gradients"] = parameter_gradients(D, x, seed=seed)
    out["source_gradients"] = parameter_gradients(D, x, seed=seed, only=0)
    out["class_gradients"] = parameter_gradients(D, x, seed=seed, only=1)
    big_src, big_cls = with_large_weights(D, x)
    out["big_src"], out["big_cls"] = plain(big_src), plain(big_cls)
    out["open_src"], out["open_cls"] = (plain(t) for t in large_weight_outputs(D, x))


def p03_acgan_losses(student, inputs, out):
    seed, dev = inputs["seed"], device_of(student)
    rs, rc, fs, fc, rl, fl = fx.acgan_loss_inputs(seed, dev)
    _loss(out, "d_loss", student.acgan_d_loss(rs, rc, fs, fc, rl, fl))

    rs, rc, fs, fc, rl, fl = fx.acgan_loss_inputs(seed, dev)
    loss = student.acgan_g_loss(fs, fc, fl)
    _loss(out, "g_loss", loss)
    loss.backward()
    out["fake_src_grad"], out["fake_cls_grad"] = plain(fs.grad), plain(fc.grad)
    # When D rejects the fakes outright, the non-saturating loss keeps a gradient of about −1 per image.
    rejected = torch.full((8, 1), -15.0, device=dev, requires_grad=True)
    student.acgan_g_loss(rejected, fc[:8].detach(), fl[:8]).backward()
    out["rejected_grad"] = plain(rejected.grad)
    # Five classes: a loss that assumes ten (a one-hot of width 10, say) gives another value or fails.
    rs, rc, fs, fc, rl, fl = fx.acgan_loss_inputs(seed, dev, n_classes=probe_size("n_classes"))
    for key, call in (("d_loss_5", lambda: student.acgan_d_loss(rs, rc, fs, fc, rl, fl)),
                      ("g_loss_5", lambda: student.acgan_g_loss(fs, fc, fl))):
        try:
            out[key] = plain(call())
        except Exception as error:  # the student's loss, on logits of another width
            out[key] = {"error": describe_error(error)[:400]}
    # On the meta device: targets made without device= show.
    on = lambda device: [t.detach().to(device) for t in fx.acgan_loss_inputs(seed)]  # noqa: E731
    out["d_meta"] = on_meta(lambda device: student.acgan_d_loss(*on(device)), reads_device_of=student.acgan_d_loss)
    out["g_meta"] = on_meta(lambda device: student.acgan_g_loss(*on(device)[2:4], on(device)[5]),
                            reads_device_of=student.acgan_g_loss)


def p04_acgan_step(student, inputs, out):
    seed, dev = inputs["seed"], device_of(student)
    # The step runs with stand-ins for acgan_d_loss and acgan_g_loss: a mistake there costs problem 03 only.
    with reference_helpers(student.acgan_step, **fx.acgan_stand_ins(fx.step_seeds(seed)["helpers"])):
        real, labels, z, fake_labels = fx.acgan_step_inputs(seed, dev)
        G, D = fx.acgan_step_networks(seed, dev, watched=True)
        fill_grads(G)
        fill_grads(D)
        g_opt, d_opt = adam(G), adam(D)
        out["d_events"], out["g_events"] = record_events(d_opt), record_events(g_opt)
        out["result"] = plain(student.acgan_step(G, D, g_opt, d_opt, real.clone(), labels.clone(), z.clone(),
                                                 fake_labels.clone()))
        out["G"], out["D"] = state(G), state(D)
        out["asked"], out["modes"] = G.asked, modes(G=G, D=D)

        # Short training on real MNIST digits: D's class head learns the digits.
        G, D = fx.tiny_ac_generator(device=dev), fx.tiny_ac_discriminator(device=dev)
        g_opt, d_opt = adam(G, 2e-3), adam(D, 2e-3)
        real, labels = fx.mnist_batch(64, dev)
        torch.manual_seed(0)
        out["training"] = results = []
        for step in range(25):
            z, fake_labels = fx.acgan_training_batch(step, dev)
            results.append(plain(student.acgan_step(G, D, g_opt, d_opt, real, labels, z, fake_labels)))
        out["D_trained"] = state(D)


def p05_class_accuracy(student, inputs, out):
    dev = device_of(student)
    n_classes, n_per_class, nz = 10, 7, 12
    G, D = fx.PatternGenerator(nz, n_classes).to(dev), fx.PatternReader(n_classes).to(dev)
    torch.manual_seed(inputs["seed"])
    out["acc"] = plain(student.class_accuracy_by_class(G, D, nz, n_per_class=n_per_class, n_classes=n_classes))
    out["seen"], out["modes"] = plain(G.seen), plain(D.modes)
    out["training_after"] = (bool(G.training), bool(D.training))
    G.eval()
    student.class_accuracy_by_class(G, D, nz, n_per_class=2, n_classes=n_classes)
    out["eval_G_after"] = bool(G.training)
    # On the meta device (the device is the generator's): tensors made without device= show.
    out["meta"] = on_meta(lambda device: student.class_accuracy_by_class(
        fx.PatternGenerator(nz, n_classes).to(device), fx.PatternReader(n_classes).to(device), nz, n_per_class=2,
        n_classes=n_classes), reads_device_of=student.class_accuracy_by_class)
    # Seven classes: a hard-coded 10 asks the generator for classes it does not have.
    G, D = fx.PatternGenerator(nz, 7).to(dev), fx.PatternReader(7).to(dev)
    out["acc_7"] = plain(student.class_accuracy_by_class(G, D, nz, n_per_class=3, n_classes=probe_size("n_classes", 2)))


# -------------------------------------------------------------------------------------------- WGAN
def p06_critic(student, inputs, out):
    seed, dev = inputs["seed"], device_of(student)
    torch.manual_seed(seed)
    C = _module(out, "C", lambda: student.WGANCritic(ndf=8))
    if not out["C_is_module"]:
        return
    out["sigmoids"] = [type(m).__name__ for m in C.modules() if isinstance(m, (nn.Sigmoid, nn.Softmax))]
    out["norms"] = [type(m).__name__ for m in C.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    C = C.to(dev)
    x = fx.randn(8, *fx.IMAGE, seed=seed, device=dev)
    out["gradients"] = parameter_gradients(C, x, seed=seed)
    out["out"] = plain(C(x))
    with torch.no_grad():
        out["alone"] = plain(C(x[:1]))
    # Large weights make an unbounded score large: a Sigmoid (or Tanh) would keep it inside (0, 1) (or (-1, 1)).
    out["big"] = plain(with_large_weights(C, x * 3))
    out["open"] = plain(large_weight_outputs(C, x * 3))
    single = student.WGANCritic(ndf=8)
    out["structure"] = structure(single)
    out["single"] = plain(single.to(dev)(fx.randn(1, *fx.IMAGE, seed=seed + 1, device=dev)))


def p07_wasserstein_losses(student, inputs, out):
    real, fake, g_fake = fx.wasserstein_scores(inputs["seed"], device_of(student))
    loss = student.critic_loss(real, fake)
    _loss(out, "c_loss", loss)
    loss.backward()
    out["c_grads"] = (real.grad is not None, fake.grad is not None)
    _loss(out, "g_loss", student.wgan_generator_loss(g_fake))


def p08_weight_clipping(student, inputs, out):
    seed, dev = inputs["seed"], device_of(student)
    critic = fx.clipping_critic(seed, dev)
    params = list(critic.parameters())
    result = student.clip_weights(critic, fx.CLIP_C)
    out["result_ok"] = result is None or result is critic
    out["result_type"] = type(result).__name__
    after = list(critic.parameters())
    out["same_parameters"] = len(after) == len(params) and all(p is q for p, q in zip(after, params))
    out["after"] = [plain(p) for p in params]
    out["grads_none"] = all(p.grad is None for p in params)
    # A network whose weights are all inside [-c, c] is left alone.
    inside = fx.inside_network(seed, fx.CLIP_C, dev)
    student.clip_weights(inside, fx.CLIP_C)
    out["inside_after"] = [plain(p) for p in inside.parameters()]


def p09_rmsprop(student, inputs, out):
    G, critic = nn.Sequential(nn.Linear(4, 6), nn.Linear(6, 2)), nn.Sequential(nn.Linear(2, 5), nn.Linear(5, 1))
    made = student.make_wgan_optimizers(G, critic, lr=7e-5)
    out["made_type"] = type(made).__name__
    out["pair"] = isinstance(made, (tuple, list)) and len(made) == 2
    if not out["pair"]:
        return
    G_ids, C_ids = {id(p) for p in G.parameters()}, {id(p) for p in critic.parameters()}
    for name, opt in zip(("g_optimizer", "c_optimizer"), made):
        groups = list(getattr(opt, "param_groups", []))
        ids = {id(p) for group in groups for p in group["params"]}
        out[name] = {"type": type(opt).__name__, "rmsprop": isinstance(opt, torch.optim.RMSprop),
                     "groups": [{"lr": plain(g.get("lr")), "momentum": plain(g.get("momentum", 0))} for g in groups],
                     "holds": "G" if ids == G_ids else "critic" if ids == C_ids else "other"}
    default = student.make_wgan_optimizers(G, critic)
    out["default_lrs"] = [plain(g.get("lr")) for opt in default for g in getattr(opt, "param_groups", [])]


def p10_gradient_penalty(student, inputs, out):
    # The same function as in HW2, probed the same way (its formula ignores image size).
    record_gradient_penalty(student, inputs["seed"], device_of(student), out)
    # On the meta device: an ε made without device= shows.
    real, fake = fx.randn(4, *fx.IMAGE, seed=inputs["seed"]), fx.randn(4, *fx.IMAGE, seed=inputs["seed"] + 1)
    out["meta"] = on_meta(lambda device: student.gradient_penalty(
        LinearCritic(fx.IMAGE, norm=2.0, device=device), real.to(device), fake.to(device)),
        reads_device_of=student.gradient_penalty)


def _meta_wgan(seed, device):
    critic, G, g_opt, c_opt = fx.wgan_meta_case(seed, device)
    return G, critic, g_opt, c_opt


def p11_wgan_step(student, inputs, out):
    seed, dev = inputs["seed"], device_of(student)
    # The step runs with stand-ins for the losses, the penalty and the clipping: a mistake in one of those costs
    # its own problem (07, 08 or 10), not this one too.
    with reference_helpers(student.wgan_step, **fx.wgan_stand_ins(fx.step_seeds(seed)["helpers"])):
        batches = fx.wgan_exact_batches(seed, dev)
        for key, options in (("clip", dict(clip=fx.CLIP, lambda_gp=0.0)),
                             ("penalty", dict(clip=None, lambda_gp=fx.LAMBDA))):
            critic, G, g_opt, c_opt = fx.wgan_exact_case(seed, dev)
            out[f"{key}_c_events"], out[f"{key}_g_events"] = record_events(c_opt), record_events(g_opt)
            out[f"{key}_calls"] = critic.calls
            torch.manual_seed(seed)
            out[f"{key}_result"] = plain(student.wgan_step(G, critic, g_opt, c_opt, [b.clone() for b in batches],
                                                           fx.NZ, **options))
            out[f"{key}_critic"], out[f"{key}_G"] = state(critic), state(G)
            out[f"{key}_modes"] = modes(G=G, critic=critic)

        # Fakes that depend on their noise, and a critic that fingerprints every image it scores: fakes (or noise)
        # reused across the critic updates, or in the generator's update, show.
        critic, G, g_opt, c_opt = fx.wgan_fresh_case(seed, dev)
        torch.manual_seed(seed + 1)
        student.wgan_step(G, critic, g_opt, c_opt, [b.clone() for b in batches], fx.NZ, clip=fx.CLIP, lambda_gp=0.0)
        out["fresh_seen"] = critic.seen
        # On the meta device: noise made without device= shows.
        out["meta"] = on_meta(lambda device: student.wgan_step(
            *_meta_wgan(seed, device), [b.to(device) for b in batches], fx.NZ, clip=fx.CLIP, lambda_gp=fx.LAMBDA),
            reads_device_of=student.wgan_step)

        # Short training of a small convolutional critic with clipping on real MNIST digits (G frozen).
        batches = fx.wgan_training_batches(dev)
        G, critic = fx.tiny_generator(device=dev), fx.tiny_critic(device=dev)
        g_opt, c_opt = torch.optim.SGD(G.parameters(), lr=0.0), torch.optim.RMSprop(critic.parameters(), lr=5e-4)
        torch.manual_seed(seed)
        out["training"] = results = []
        for _ in range(8):
            results.append(plain(student.wgan_step(G, critic, g_opt, c_opt, batches, fx.NZ, clip=0.05)))
        out["critic_trained"] = state(critic)
