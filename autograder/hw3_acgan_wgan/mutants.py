"""Realistic wrong answers for HW3, each with the check that must catch it, and correct variants that must pass.

A mutant edits one answer cell of the solution (its source with the solution markers removed):
``find`` is replaced by ``replace``. tests/test_checks.py proves that the solution and every variant pass
every check and that each mutant fails its own check only.
"""
from __future__ import annotations

from autograder.toolkit.mutant import Mutant, Variant

_G_FORWARD = "return self.net(torch.cat([z.reshape(len(z), -1), self.label_embedding(labels)], dim=1))"
_D_HEADS = "return self.source(h), self.classes(h)"
_D_SOURCE = "F.binary_cross_entropy_with_logits(real_src, torch.ones_like(real_src))"
_D_CLASSES = "classes = F.cross_entropy(real_cls, real_labels) + F.cross_entropy(fake_cls, fake_labels)"
_G_SOURCE = "F.binary_cross_entropy_with_logits(fake_src, torch.ones_like(fake_src))\n            + F.cross_entropy"
_G_CLASS = "+ F.cross_entropy(fake_cls, fake_labels))"
_D_UPDATE = "fake_src, fake_cls = D(fake.detach())"
_G_UPDATE = "    g_optimizer.zero_grad()\n    fake_src, fake_cls = D(fake)\n"
_EVAL = "    G.eval()\n    D.eval()\n"
_RESTORE = "        G.train(was_training[0])\n        D.train(was_training[1])\n"
_CLIP = "        if clip is not None:\n            clip_weights(critic, clip)\n"
_PENALTY = "            c_loss = c_loss + lambda_gp * gp"
_WGAN_BODY = ("        fake = G(torch.randn(len(real), nz, device=real.device)).detach()\n"
              "        c_optimizer.zero_grad()\n"
              "        real_scores, fake_scores = critic(real), critic(fake)\n"
              "        c_loss = critic_loss(real_scores, fake_scores)\n"
              "        gp = torch.zeros((), device=real.device)\n"
              "        if lambda_gp > 0:\n"
              "            gp = gradient_penalty(critic, real, fake)\n"
              "            c_loss = c_loss + lambda_gp * gp\n"
              "        c_loss.backward()\n"
              "        c_optimizer.step()\n"
              "        if clip is not None:\n"
              "            clip_weights(critic, clip)\n"
              "    g_optimizer.zero_grad()\n"
              "    g_loss = wgan_generator_loss(critic(G(torch.randn(len(real), nz, device=real.device))))\n")

MUTANTS = [
    # p01: ACGAN generator
    Mutant("acgen_ignores_labels", "p01_acgan_generator", _G_FORWARD,
           "embedding = self.label_embedding(labels)\n        return self.net(torch.cat([z.reshape(len(z), -1), "
           "torch.zeros_like(embedding)], dim=1))", "test_p01_acgan_generator",
           "the embedding is computed but zeros are fed instead: every class gives the same image",
           says="the labels are ignored"),
    Mutant("acgen_first_label_for_batch", "p01_acgan_generator", "self.label_embedding(labels)], dim=1))",
           "self.label_embedding(labels[:1]).expand(len(z), -1)], dim=1))", "test_p01_acgan_generator",
           "the whole batch drawn with the first image's label", says="its own label"),
    Mutant("acgen_no_tanh", "p01_acgan_generator", "nn.ConvTranspose2d(ngf, 1, 4, 2, 1), nn.Tanh(),",
           "nn.ConvTranspose2d(ngf, 1, 4, 2, 1),", "test_p01_acgan_generator",
           "no output activation: images not squashed into [-1, 1]", says="Tanh"),
    Mutant("acgen_wrong_size", "p01_acgan_generator", "nn.ConvTranspose2d(ngf, 1, 4, 2, 1), nn.Tanh(),",
           "nn.ConvTranspose2d(ngf, 1, 5, 2, 1), nn.Tanh(),", "test_p01_acgan_generator",
           "kernel 5 in the last layer: 29×29 images", says="shape (6, 1, 28, 28)"),
    # p02: ACGAN discriminator
    Mutant("acdisc_sigmoid_source", "p02_acgan_discriminator", _D_HEADS,
           "return torch.sigmoid(self.source(h)), self.classes(h)", "test_p02_acgan_discriminator",
           "a Sigmoid on the source head (the loss takes logits)", says="no Sigmoid"),
    Mutant("acdisc_softmax_classes", "p02_acgan_discriminator", _D_HEADS,
           "return self.source(h), self.classes(h).softmax(dim=1)", "test_p02_acgan_discriminator",
           "class probabilities instead of logits", says="without Softmax"),
    Mutant("acdisc_ten_classes_fixed", "p02_acgan_discriminator",
           "self.classes = nn.Linear(2 * ndf * 7 * 7, n_classes)", "self.classes = nn.Linear(2 * ndf * 7 * 7, 10)",
           "test_p02_acgan_discriminator", "the class head ignores n_classes", says="n_classes argument"),
    Mutant("acdisc_source_is_first_class", "p02_acgan_discriminator", _D_HEADS,
           "logits = self.classes(h)\n        return logits[:, :1], logits", "test_p02_acgan_discriminator",
           "no source head: the first class logit doubles as real/fake", says="its own Linear"),
    # p03: ACGAN losses
    Mutant("dloss_no_fake_class_term", "p03_acgan_losses", _D_CLASSES,
           "classes = F.cross_entropy(real_cls, real_labels)", "test_p03_acgan_losses",
           "D never learns the classes of the fakes", says="class term of the fakes"),
    Mutant("dloss_fakes_with_real_labels", "p03_acgan_losses", _D_CLASSES,
           "classes = F.cross_entropy(real_cls, real_labels) + F.cross_entropy(fake_cls, real_labels)",
           "test_p03_acgan_losses", "the fakes classified against the real batch's labels", says="fake_labels"),
    Mutant("dloss_sigmoid_before_bce", "p03_acgan_losses", "source = (F.binary_cross_entropy_with_logits(real_src,",
           "real_src, fake_src = torch.sigmoid(real_src), torch.sigmoid(fake_src)\n    source = "
           "(F.binary_cross_entropy_with_logits(real_src,", "test_p03_acgan_losses",
           "a Sigmoid applied twice (once by hand, once inside the *_with_logits loss)", says="Sigmoid"),
    Mutant("dloss_softmax_before_ce", "p03_acgan_losses", _D_CLASSES,
           "classes = F.cross_entropy(real_cls.softmax(1), real_labels) + F.cross_entropy(fake_cls.softmax(1), "
           "fake_labels)", "test_p03_acgan_losses", "softmax before cross_entropy", says="Softmax"),
    Mutant("dloss_targets_swapped", "p03_acgan_losses",
           "(F.binary_cross_entropy_with_logits(real_src, torch.ones_like(real_src))\n"
           "              + F.binary_cross_entropy_with_logits(fake_src, torch.zeros_like(fake_src)))",
           "(F.binary_cross_entropy_with_logits(real_src, torch.zeros_like(real_src))\n"
           "              + F.binary_cross_entropy_with_logits(fake_src, torch.ones_like(fake_src)))",
           "test_p03_acgan_losses", "real and fake targets swapped", says="swapped"),
    Mutant("gloss_saturating", "p03_acgan_losses", _G_SOURCE,
           "-F.binary_cross_entropy_with_logits(fake_src, torch.zeros_like(fake_src))\n            + F.cross_entropy",
           "test_p03_acgan_losses", "the minimax (saturating) form log(1 − D(G(z)))", says="saturating"),
    Mutant("gloss_target_zero", "p03_acgan_losses", _G_SOURCE,
           "F.binary_cross_entropy_with_logits(fake_src, torch.zeros_like(fake_src))\n            + F.cross_entropy",
           "test_p03_acgan_losses", "G's objective with the wrong sign: it minimises L_S", says="called real"),
    Mutant("gloss_no_class_term", "p03_acgan_losses", _G_CLASS, ")", "test_p03_acgan_losses",
           "G ignores the class it was asked for", says="class term is missing"),
    Mutant("gloss_class_sign", "p03_acgan_losses", _G_CLASS, "- F.cross_entropy(fake_cls, fake_labels))",
           "test_p03_acgan_losses", "G minimises L_C: draws anything but the class asked for", says="wrong sign"),
    # p04: ACGAN step
    Mutant("step_no_d_zero_grad", "p04_acgan_step", "    d_optimizer.zero_grad()\n", "", "test_p04_acgan_step",
           "D's old gradients are added to this step's", says="d_optimizer.zero_grad()"),
    Mutant("step_no_g_zero_grad", "p04_acgan_step", "    g_optimizer.zero_grad()\n", "", "test_p04_acgan_step",
           "G's gradients never cleared: old gradients and D's step's gradients are added to G's update",
           says="G's weights"),
    Mutant("step_g_fakes_detached", "p04_acgan_step", _G_UPDATE,
           "    g_optimizer.zero_grad()\n    fake_src, fake_cls = D(fake.detach())\n", "test_p04_acgan_step",
           "the fakes detached in G's update too: no gradient reaches G", says="detaching"),
    Mutant("step_labels_swapped", "p04_acgan_step",
           "acgan_d_loss(real_src, real_cls, fake_src, fake_cls, labels, fake_labels)",
           "acgan_d_loss(real_src, real_cls, fake_src, fake_cls, fake_labels, labels)", "test_p04_acgan_step",
           "real images trained against the fakes' labels and vice versa", says="D's weights"),
    Mutant("step_g_new_labels", "p04_acgan_step", "g_loss = acgan_g_loss(fake_src, fake_cls, fake_labels)",
           "g_loss = acgan_g_loss(fake_src, fake_cls, torch.randint(0, fake_cls.shape[1], fake_labels.shape, "
           "device=fake_labels.device))", "test_p04_acgan_step",
           "G's class term uses fresh labels instead of those its images were drawn with", says="G's weights"),
    Mutant("step_class_acc_on_fakes", "p04_acgan_step", "(real_cls.argmax(dim=1) == labels)",
           "(fake_cls.argmax(dim=1) == fake_labels)", "test_p04_acgan_step",
           "class accuracy reported on the fakes", says="class_acc"),
    # p05: per-class accuracy
    Mutant("acc_overall_not_per_class", "p05_class_accuracy", "return correct.view(n_classes, n_per_class).mean(dim=1)",
           "return correct.mean().expand(n_classes)", "test_p05_class_accuracy",
           "one overall accuracy repeated for every class", says="per class"),
    Mutant("acc_source_head", "p05_class_accuracy", "_, class_logits = D(G(z, labels))",
           "class_logits, _ = D(G(z, labels))", "test_p05_class_accuracy",
           "the source head read as the class head", says="class* logits"),
    Mutant("acc_train_mode", "p05_class_accuracy", _EVAL, "", "test_p05_class_accuracy",
           "measured in training mode", says="eval mode"),
    Mutant("acc_left_in_eval", "p05_class_accuracy", _RESTORE, "        pass\n", "test_p05_class_accuracy",
           "G and D left in eval mode: the training afterwards runs BatchNorm on running statistics",
           says="back in training mode"),
    Mutant("acc_always_train_after", "p05_class_accuracy", _RESTORE, "        G.train()\n        D.train()\n",
           "test_p05_class_accuracy", "a generator in eval mode comes back in training mode", says="stay in eval"),
    # p06: critic
    Mutant("critic_sigmoid", "p06_critic", "            nn.Linear(2 * ndf * 7 * 7, 1),\n",
           "            nn.Linear(2 * ndf * 7 * 7, 1), nn.Sigmoid(),\n", "test_p06_critic",
           "the discriminator's Sigmoid left in the critic", says="Sigmoid"),
    Mutant("critic_batchnorm", "p06_critic", "nn.Conv2d(ndf, 2 * ndf, 4, 2, 1), nn.LeakyReLU(0.2),",
           "nn.Conv2d(ndf, 2 * ndf, 4, 2, 1), nn.BatchNorm2d(2 * ndf), nn.LeakyReLU(0.2),", "test_p06_critic",
           "BatchNorm in the critic (copied from the discriminator)", says="BatchNorm"),
    # p07: Wasserstein losses
    Mutant("wloss_critic_sign", "p07_wasserstein_losses", "return fake_scores.mean() - real_scores.mean()",
           "return real_scores.mean() - fake_scores.mean()", "test_p07_wasserstein_losses",
           "the critic maximises its loss: scores fakes above real images", says="sign is reversed"),
    Mutant("wloss_generator_sign", "p07_wasserstein_losses", "return -fake_scores.mean()", "return fake_scores.mean()",
           "test_p07_wasserstein_losses", "G pushes its own scores down", says="sign is reversed"),
    # p08: weight clipping
    Mutant("clip_weights_only", "p08_weight_clipping", "for p in critic.parameters():",
           "for p in (q for q in critic.parameters() if q.ndim > 1):", "test_p08_weight_clipping",
           "biases left unclipped", says="bias unchanged (largest"),
    Mutant("clip_not_in_place", "p08_weight_clipping", "p.clamp_(-c, c)", "p = p.clamp(-c, c)",
           "test_p08_weight_clipping", "a clamped copy that is thrown away", says="unchanged"),
    Mutant("clip_one_sided", "p08_weight_clipping", "p.clamp_(-c, c)", "p.clamp_(max=c)", "test_p08_weight_clipping",
           "only the upper bound applied", says="clamped to [-c, c]"),
    Mutant("clip_default_bound", "p08_weight_clipping", "p.clamp_(-c, c)", "p.clamp_(-0.01, 0.01)",
           "test_p08_weight_clipping", "the paper's c = 0.01 hard-coded instead of the argument", says="argument"),
    Mutant("clip_gradients", "p08_weight_clipping", "p.clamp_(-c, c)",
           "p.grad = None if p.grad is None else p.grad.clamp(-c, c)", "test_p08_weight_clipping",
           "the gradients clipped instead of the weights", says="unchanged"),
    Mutant("clip_rescale", "p08_weight_clipping", "p.clamp_(-c, c)", "p.mul_(c / p.abs().max().clamp(min=c))",
           "test_p08_weight_clipping", "weights rescaled so the largest is c, not clamped", says="do not rescale"),
    # p09: optimisers
    Mutant("opt_adam", "p09_rmsprop", "return torch.optim.RMSprop(G.parameters(), lr=lr), torch.optim.RMSprop(critic.parameters(), lr=lr)",
           "return torch.optim.Adam(G.parameters(), lr=lr), torch.optim.Adam(critic.parameters(), lr=lr)",
           "test_p09_rmsprop", "Adam instead of RMSprop", says="RMSprop"),
    Mutant("opt_momentum", "p09_rmsprop", "torch.optim.RMSprop(critic.parameters(), lr=lr)",
           "torch.optim.RMSprop(critic.parameters(), lr=lr, momentum=0.9)", "test_p09_rmsprop",
           "momentum added to the critic's RMSprop", says="momentum"),
    Mutant("opt_fixed_lr", "p09_rmsprop", "return torch.optim.RMSprop(G.parameters(), lr=lr), torch.optim.RMSprop(critic.parameters(), lr=lr)",
           "return torch.optim.RMSprop(G.parameters(), lr=5e-5), torch.optim.RMSprop(critic.parameters(), lr=5e-5)",
           "test_p09_rmsprop", "the learning rate argument ignored", says="lr argument"),
    Mutant("opt_swapped", "p09_rmsprop", "return torch.optim.RMSprop(G.parameters(), lr=lr), torch.optim.RMSprop(critic.parameters(), lr=lr)",
           "return torch.optim.RMSprop(critic.parameters(), lr=lr), torch.optim.RMSprop(G.parameters(), lr=lr)",
           "test_p09_rmsprop", "(c_optimizer, g_optimizer) returned", says="swapped"),
    # p10: gradient penalty
    Mutant("gp_on_real_images", "p10_gradient_penalty", "x_hat = (eps * real + (1 - eps) * fake).requires_grad_(True)",
           "x_hat = real.clone().requires_grad_(True)", "test_p10_gradient_penalty",
           "the penalty taken at the real images", says="interpolates"),
    Mutant("gp_no_create_graph", "p10_gradient_penalty", "x_hat, create_graph=True)", "x_hat)",
           "test_p10_gradient_penalty", "create_graph missing: the penalty cannot train the critic", says="create_graph"),
    Mutant("gp_norm_over_batch", "p10_gradient_penalty", "grads.flatten(1).norm(2, dim=1)", "grads.norm(2)",
           "test_p10_gradient_penalty", "one norm for the whole batch", says="one norm per image"),
    # p11: the WGAN step
    Mutant("wstep_clip_once_after_loop", "p11_wgan_step", _CLIP + "    g_optimizer.zero_grad()",
           "    if clip is not None:\n        clip_weights(critic, clip)\n    g_optimizer.zero_grad()",
           "test_p11_wgan_step", "clipped once after the n_critic updates instead of after each", says="*every*"),
    Mutant("wstep_clip_before_step", "p11_wgan_step", "        c_loss.backward()\n        c_optimizer.step()\n" + _CLIP,
           "        c_loss.backward()\n" + _CLIP + "        c_optimizer.step()\n", "test_p11_wgan_step",
           "clipped before the update, so the critic is used unclipped", says="outside [-clip, clip]"),
    Mutant("wstep_no_clipping", "p11_wgan_step", _CLIP, "", "test_p11_wgan_step", "never clipped",
           says="outside [-clip, clip]"),
    Mutant("wstep_n_critic_ignored", "p11_wgan_step", "for real in real_batches:", "for real in real_batches[:1]:",
           "test_p11_wgan_step", "one critic update per call", says="updated 3 times"),
    Mutant("wstep_penalty_ignored", "p11_wgan_step", _PENALTY, "            c_loss = c_loss", "test_p11_wgan_step",
           "the penalty computed but not added", says="without the gradient penalty"),
    Mutant("wstep_default_lambda", "p11_wgan_step", _PENALTY, "            c_loss = c_loss + 10.0 * gp",
           "test_p11_wgan_step", "λ = 10 hard-coded", says="λ = 10"),
    Mutant("wstep_w_sign", "p11_wgan_step", '"W": (real_scores.mean() - fake_scores.mean()).item()',
           '"W": (fake_scores.mean() - real_scores.mean()).item()', "test_p11_wgan_step",
           "W reported with the wrong sign", says="real minus fake"),
    Mutant("wstep_no_critic_zero_grad", "p11_wgan_step", "        c_optimizer.zero_grad()\n", "",
           "test_p11_wgan_step", "gradients accumulate over the n_critic updates", says="critic's weights"),
    Mutant("wstep_g_detached", "p11_wgan_step",
           "g_loss = wgan_generator_loss(critic(G(torch.randn(len(real), nz, device=real.device))))",
           "g_loss = wgan_generator_loss(critic(G(torch.randn(len(real), nz, device=real.device)).detach()))",
           "test_p11_wgan_step", "the generator's output detached: G never moves", says="without detaching"),
    # the architecture beyond its first layer (autograder.toolkit.structure): each caught by its own network's check
    Mutant("acgen_embedding_of_ten", "p01_acgan_generator", "nn.Embedding(n_classes, embed_dim)",
           "nn.Embedding(10, embed_dim)", "test_p01_acgan_generator", "an embedding of 10 rows whatever n_classes is",
           says="needs one per class (5)"),
    Mutant("acgen_no_batchnorm2d", "p01_acgan_generator", "nn.BatchNorm2d(ngf), nn.ReLU(),", "nn.ReLU(),",
           "test_p01_acgan_generator", "the BatchNorm2d after the first transposed convolution left out",
           says="asks for 2: BatchNorm1d, BatchNorm2d"),
    Mutant("acgen_leaky_relu", "p01_acgan_generator", "nn.BatchNorm2d(ngf), nn.ReLU(),",
           "nn.BatchNorm2d(ngf), nn.LeakyReLU(0.2),", "test_p01_acgan_generator",
           "a LeakyReLU in the generator, where the table asks for ReLU", says="uses LeakyReLU(0.2)"),
    Mutant("acdisc_relu", "p02_acgan_discriminator", "nn.Conv2d(1, ndf, 4, 2, 1), nn.LeakyReLU(0.2),",
           "nn.Conv2d(1, ndf, 4, 2, 1), nn.ReLU(),", "test_p02_acgan_discriminator",
           "ReLU where the table asks for LeakyReLU(0.2)", says="uses ReLU"),
    Mutant("acdisc_no_batchnorm", "p02_acgan_discriminator", "nn.BatchNorm2d(2 * ndf), nn.LeakyReLU(0.2),",
           "nn.LeakyReLU(0.2),", "test_p02_acgan_discriminator", "the BatchNorm2d of the second layer left out",
           says="asks for 1: BatchNorm2d"),
    Mutant("critic_relu", "p06_critic", "nn.Conv2d(ndf, 2 * ndf, 4, 2, 1), nn.LeakyReLU(0.2),",
           "nn.Conv2d(ndf, 2 * ndf, 4, 2, 1), nn.ReLU(),", "test_p06_critic",
           "ReLU where the table asks for LeakyReLU(0.2)", says="uses ReLU"),
    Mutant("critic_leaky_slope", "p06_critic", "nn.Conv2d(1, ndf, 4, 2, 1), nn.LeakyReLU(0.2),",
           "nn.Conv2d(1, ndf, 4, 2, 1), nn.LeakyReLU(0.1),", "test_p06_critic",
           "a LeakyReLU of slope 0.1 instead of 0.2", says="uses LeakyReLU(0.1)"),
    # issue 20: each class of miss the checks once let through, one or more per class that applies
    # (class 8) a message that names what was observed: the class term computed on the fakes only
    Mutant("dloss_class_term_fakes_only", "p03_acgan_losses", _D_CLASSES,
           "classes = F.cross_entropy(fake_cls, fake_labels)", "test_p03_acgan_losses",
           "the class term computed only on the fakes: D never learns the classes of the real digits",
           says="class term of the real images"),
    Mutant("dloss_reals_with_fake_labels", "p03_acgan_losses", _D_CLASSES,
           "classes = F.cross_entropy(real_cls, fake_labels) + F.cross_entropy(fake_cls, fake_labels)",
           "test_p03_acgan_losses", "the real images classified against the labels asked of G",
           says="real images classified against fake_labels"),
    # (class 7) a constant where an argument or the logits' width decides
    Mutant("dloss_one_hot_of_ten", "p03_acgan_losses", _D_CLASSES,
           "classes = (-(F.one_hot(real_labels, 10) * F.log_softmax(real_cls, dim=1)).sum(dim=1).mean()\n"
           "               + F.cross_entropy(fake_cls, fake_labels))", "test_p03_acgan_losses",
           "a hand-written cross-entropy with a one-hot of width 10 whatever the number of classes",
           says="assumes 10 classes"),
    Mutant("acc_ten_classes_fixed", "p05_class_accuracy",
           "labels = torch.arange(n_classes, device=device).repeat_interleave(n_per_class)",
           "labels = torch.arange(10, device=device).repeat_interleave(n_per_class)", "test_p05_class_accuracy",
           "the ten MNIST classes hard-coded instead of n_classes", says="n_classes"),
    # (class 5) tensors made without device=, seen on the meta device
    Mutant("dloss_targets_on_cpu", "p03_acgan_losses", "F.binary_cross_entropy_with_logits(real_src, torch.ones_like(real_src))",
           "F.binary_cross_entropy_with_logits(real_src, torch.ones(len(real_src), 1))", "test_p03_acgan_losses",
           "the real target made on the CPU: fails on a GPU", says="mixes devices"),
    Mutant("acc_labels_on_cpu", "p05_class_accuracy",
           "labels = torch.arange(n_classes, device=device).repeat_interleave(n_per_class)",
           "labels = torch.arange(n_classes).repeat_interleave(n_per_class)", "test_p05_class_accuracy",
           "the labels made on the CPU: fails on a GPU", says="mixes devices"),
    Mutant("wstep_noise_on_cpu", "p11_wgan_step", "fake = G(torch.randn(len(real), nz, device=real.device)).detach()",
           "fake = G(torch.randn(len(real), nz)).detach()", "test_p11_wgan_step",
           "the critic updates' noise made on the CPU: fails on a GPU", says="mixes devices"),
    Mutant("gp_eps_on_cpu", "p10_gradient_penalty", "eps = torch.rand(len(real), 1, 1, 1, device=real.device)",
           "eps = torch.rand(len(real), 1, 1, 1)", "test_p10_gradient_penalty",
           "ε drawn on the CPU: fails on a GPU", says="mixes devices"),
    # (class 4) samples reused across the critic updates, codes redrawn in a step that is given them
    Mutant("wstep_fake_drawn_once", "p11_wgan_step",
           "    for real in real_batches:\n        fake = G(torch.randn(len(real), nz, device=real.device)).detach()\n",
           "    fake = G(torch.randn(len(real_batches[0]), nz, device=real_batches[0].device)).detach()\n"
           "    for real in real_batches:\n", "test_p11_wgan_step",
           "one fake batch drawn before the loop and reused by every critic update", says="drawn once and reused"),
    Mutant("wstep_noise_drawn_once", "p11_wgan_step",
           "    for real in real_batches:\n        fake = G(torch.randn(len(real), nz, device=real.device)).detach()\n",
           "    z = torch.randn(len(real_batches[0]), nz, device=real_batches[0].device)\n"
           "    for real in real_batches:\n        fake = G(z).detach()\n", "test_p11_wgan_step",
           "one noise batch drawn before the loop: the same fakes in every critic update", says="drawn once and reused"),
    Mutant("wstep_g_reuses_last_fake", "p11_wgan_step", _WGAN_BODY,
           _WGAN_BODY.replace("        fake = G(torch.randn(len(real), nz, device=real.device)).detach()\n",
                              "        fake_g = G(torch.randn(len(real), nz, device=real.device))\n"
                              "        fake = fake_g.detach()\n")
           .replace("critic(G(torch.randn(len(real), nz, device=real.device)))", "critic(fake_g)"),
           "test_p11_wgan_step", "the generator's update reuses the last critic update's fakes instead of fresh noise",
           says="reused that update's fakes"),
    Mutant("step_redraws_noise", "p04_acgan_step", "fake = G(z, fake_labels)",
           "fake = G(torch.randn_like(z), fake_labels)", "test_p04_acgan_step",
           "fresh noise drawn inside the step instead of the given z", says="not the z it was given"),
    Mutant("step_redraws_fake_labels", "p04_acgan_step", "    fake = G(z, fake_labels)\n",
           "    fake_labels = torch.randint(0, 10, (len(z),), device=z.device)\n    fake = G(z, fake_labels)\n",
           "test_p04_acgan_step", "new labels drawn inside the step instead of the given fake_labels",
           says="labels other than the fake_labels"),
    # (class 2) an activation that caps an output that must stay open
    Mutant("critic_relu_score", "p06_critic", "        return self.net(x)", "        return F.relu(self.net(x))",
           "test_p06_critic", "a ReLU on the critic's score: it can never score an image below 0",
           says="never (much) below 0"),
    Mutant("acdisc_tanh_classes", "p02_acgan_discriminator", _D_HEADS,
           "return self.source(h), torch.tanh(self.classes(h))", "test_p02_acgan_discriminator",
           "class logits squashed into (-1, 1): cross_entropy can never be confident", says="bounded range"),
    Mutant("acdisc_softplus_source", "p02_acgan_discriminator", _D_HEADS,
           "return F.softplus(self.source(h)), self.classes(h)", "test_p02_acgan_discriminator",
           "a Softplus on the source logit: D can never call an image fake with confidence",
           says="never (much) below 0"),
    # (class 3) a gradient path cut inside the student's own network
    Mutant("acgen_embedding_detached", "p01_acgan_generator", "self.label_embedding(labels)], dim=1))",
           "self.label_embedding(labels).detach()], dim=1))", "test_p01_acgan_generator",
           "the label embedding detached: it never learns", says="leaves no gradient"),
    Mutant("acdisc_class_head_detached", "p02_acgan_discriminator", _D_HEADS,
           "return self.source(h), self.classes(h.detach())", "test_p02_acgan_discriminator",
           "the class head on detached features: the class loss never shapes the shared trunk",
           says="gets a gradient from both heads"),
    Mutant("critic_features_data", "p06_critic", "        return self.net(x)",
           "        return self.net[5](self.net[:5](x).data)", "test_p06_critic",
           "the old .data idiom between the features and the last layer: the convolutions never learn",
           says="leaves no gradient"),
    # (class 6) a network left in evaluation mode by a step
    Mutant("step_g_left_in_eval", "p04_acgan_step", "    fake = G(z, fake_labels)\n",
           "    G.eval()  # G is not trained in D's update\n    fake = G(z, fake_labels)\n", "test_p04_acgan_step",
           "G switched to eval() for D's update and never back", says="G is left in evaluation mode"),
    Mutant("wstep_critic_left_in_eval", "p11_wgan_step", "    g_optimizer.zero_grad()\n",
           "    critic.eval()  # the critic is not trained in G's update\n    g_optimizer.zero_grad()\n",
           "test_p11_wgan_step", "the critic switched to eval() for G's update and never back",
           says="critic is left in evaluation mode"),
    # (class 8) step() before backward() gets its own message, not a zero_grad hint
    Mutant("wstep_critic_step_before_backward", "p11_wgan_step", "        c_loss.backward()\n        c_optimizer.step()\n",
           "        c_optimizer.step()\n        c_loss.backward()\n", "test_p11_wgan_step",
           "c_optimizer.step() before c_loss.backward(): each update moves the critic by the previous batch's "
           "gradients", says="before loss.backward()"),
]

VARIANTS = [
    Variant("acgen_functional_tanh", "p01_acgan_generator", _G_FORWARD,
            _G_FORWARD.replace("return self.net(", "return torch.tanh(self.net[:-1](").replace("dim=1))", "dim=1)))"),
            "Tanh applied in forward to the output of the layers before it"),
    Variant("acdisc_log_softmax_classes", "p02_acgan_discriminator", _D_HEADS,
            "return self.source(h), F.log_softmax(self.classes(h), dim=1)",
            "log-probabilities are logits too: cross_entropy gives the same loss"),
    Variant("gloss_logsigmoid", "p03_acgan_losses", _G_SOURCE,
            "-F.logsigmoid(fake_src).mean()\n            + F.cross_entropy", "−log σ(s) written with F.logsigmoid"),
    Variant("step_one_batch_through_d", "p04_acgan_step",
            "    real_src, real_cls = D(real)\n    fake_src, fake_cls = D(fake.detach())\n",
            "    src, cls = D(torch.cat([real, fake.detach()]))\n    real_src, fake_src = src[:len(real)], src[len(real):]\n"
            "    real_cls, fake_cls = cls[:len(real)], cls[len(real):]\n",
            "real and fake images through D in one batch"),
    Variant("acc_loop_over_classes", "p05_class_accuracy",
            "    correct = (class_logits.argmax(dim=1) == labels).float()\n"
            "    return correct.view(n_classes, n_per_class).mean(dim=1)",
            "    return torch.stack([(class_logits[labels == c].argmax(1) == c).float().mean() for c in range(n_classes)])",
            "a loop over the classes"),
    Variant("clip_data_assignment", "p08_weight_clipping", "p.clamp_(-c, c)", "p.data = p.data.clamp(-c, c)",
            "the classic p.data = p.data.clamp(...) of the reference implementation"),
    Variant("clip_parameters_clamp_with_data", "p08_weight_clipping", "p.clamp_(-c, c)", "p.data.clamp_(-c, c)",
            "in-place clamp on .data"),
    Variant("wstep_penalty_always_added", "p11_wgan_step",
            "        gp = torch.zeros((), device=real.device)\n        if lambda_gp > 0:\n"
            "            gp = gradient_penalty(critic, real, fake)\n            c_loss = c_loss + lambda_gp * gp\n",
            "        gp = gradient_penalty(critic, real, fake) if lambda_gp else torch.zeros((), device=real.device)\n"
            "        c_loss = c_loss + lambda_gp * gp\n",
            "the penalty term written once, zero without a penalty"),
    Variant("acgen_bias_before_batchnorm", "p01_acgan_generator", "nn.Linear(nz + embed_dim, 2 * ngf * 7 * 7, bias=False)",
            "nn.Linear(nz + embed_dim, 2 * ngf * 7 * 7)", "a bias before BatchNorm (the normalisation cancels it)"),
    Variant("critic_functional_leaky_relu", "p06_critic", "        return self.net(x)",
            "        h = F.leaky_relu(self.net[0](x), 0.2)\n        h = F.leaky_relu(self.net[2](h), 0.2)\n"
            "        return self.net[5](self.net[4](h))", "the activations applied with F.leaky_relu in forward"),
    # issue 20: more correct answers in other forms
    Variant("dloss_nll_of_log_softmax", "p03_acgan_losses", _D_CLASSES,
            "classes = (F.nll_loss(F.log_softmax(real_cls, dim=1), real_labels)\n"
            "               + F.nll_loss(F.log_softmax(fake_cls, dim=1), fake_labels))",
            "cross-entropy written as nll_loss of log_softmax"),
    Variant("dloss_distributions", "p03_acgan_losses", _D_CLASSES,
            "classes = -(torch.distributions.Categorical(logits=real_cls).log_prob(real_labels).mean()\n"
            "                + torch.distributions.Categorical(logits=fake_cls).log_prob(fake_labels).mean())",
            "the class terms as log-likelihoods of torch.distributions.Categorical"),
    Variant("gloss_softplus", "p03_acgan_losses", _G_SOURCE, "F.softplus(-fake_src).mean()\n            + F.cross_entropy",
            "−log σ(s) = softplus(−s)"),
    Variant("acc_class_by_class_inference_mode", "p05_class_accuracy", None,
            "def class_accuracy_by_class(G, D, nz, n_per_class=100, n_classes=10):\n"
            "    dev = next(G.parameters()).device\n"
            "    g_mode, d_mode = G.training, D.training\n"
            "    G.eval()\n"
            "    D.eval()\n"
            "    accuracies = []\n"
            "    with torch.inference_mode():\n"
            "        for c in range(n_classes):\n"
            "            labels = torch.full((n_per_class,), c, dtype=torch.long, device=dev)\n"
            "            _, logits = D(G(torch.randn(n_per_class, nz, device=dev), labels))\n"
            "            accuracies.append((logits.argmax(dim=1) == c).float().mean())\n"
            "    G.train(g_mode)\n"
            "    D.train(d_mode)\n"
            "    return torch.stack(accuracies)\n",
            "one class at a time, under torch.inference_mode()"),
    Variant("step_g_fakes_drawn_again", "p04_acgan_step", _G_UPDATE,
            "    g_optimizer.zero_grad()\n    fake_src, fake_cls = D(G(z, fake_labels))\n",
            "G's update draws its fakes again from the same z and fake_labels"),
    Variant("wstep_all_fakes_at_once", "p11_wgan_step",
            "    for real in real_batches:\n        fake = G(torch.randn(len(real), nz, device=real.device)).detach()\n",
            "    sizes = [len(real) for real in real_batches]\n"
            "    fakes = G(torch.randn(sum(sizes), nz, device=real_batches[0].device)).detach().split(sizes)\n"
            "    for real, fake in zip(real_batches, fakes):\n",
            "fresh fakes for all the critic updates drawn in one call of G (each update still gets its own)"),
    Variant("wstep_one_critic_batch", "p11_wgan_step", "        real_scores, fake_scores = critic(real), critic(fake)\n",
            "        scores = critic(torch.cat([real, fake]))\n"
            "        real_scores, fake_scores = scores[:len(real)], scores[len(real):]\n",
            "real and fake images through the critic in one batch"),
    Variant("gp_linalg_vector_norm", "p10_gradient_penalty", "grads.flatten(1).norm(2, dim=1)",
            "torch.linalg.vector_norm(grads.flatten(1), dim=1)", "the norm with torch.linalg.vector_norm"),
]
