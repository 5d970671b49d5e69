"""Realistic wrong answers for HW2, each with the check that must catch it.

A mutant edits one answer cell of the solution (its source with the solution markers removed):
``find`` is replaced by ``replace``. tests/test_hw2_checks.py proves that the solution passes
every check and that each mutant fails its check.
"""
from __future__ import annotations

from autograder.mutant import Mutant, Variant  # noqa: F401

_CGEN_USES_LABELS = """\
        self.body = Generator(nz + embed_dim, ngf)

    def forward(self, z, labels):
        return self.body(torch.cat([z.view(len(z), -1), self.label_embedding(labels)], dim=1))"""
_CGEN_IGNORES_LABELS = """\
        self.body = Generator(nz, ngf)

    def forward(self, z, labels):
        embedding = self.label_embedding(labels)
        return self.body(z)"""

_CDISC_USES_LABELS = """\
        self.body = Discriminator(ndf, channels=4)

    def forward(self, images, labels):
        label_map = self.label_embedding(labels).view(len(labels), 1, 32, 32)
        return self.body(torch.cat([images, label_map], dim=1))"""
_CDISC_IGNORES_LABELS = """\
        self.body = Discriminator(ndf)

    def forward(self, images, labels):
        label_map = self.label_embedding(labels).view(len(labels), 1, 32, 32)
        return self.body(images)"""

_CDISC_EMBEDDED = """\
        self.label_embedding = nn.Embedding(n_classes, 32 * 32)
        self.body = Discriminator(ndf, channels=4)

    def forward(self, images, labels):
        label_map = self.label_embedding(labels).view(len(labels), 1, 32, 32)"""
_CDISC_RAW_LABEL = """\
        self.body = Discriminator(ndf, channels=4)

    def forward(self, images, labels):
        label_map = labels.float().view(-1, 1, 1, 1).expand(-1, 1, 32, 32)"""

_CGEN_RAW_LABEL = """\
        self.body = Generator(nz + 1, ngf)

    def forward(self, z, labels):
        return self.body(torch.cat([z.view(len(z), -1), labels.float().view(-1, 1)], dim=1))"""

_GEN_TANH_END = """\
            nn.Tanh(),
        )

    def forward(self, z):
        return self.net(z.view(len(z), -1, 1, 1))"""
_GEN_CLAMP_END = """\
        )

    def forward(self, z):
        return self.net(z.view(len(z), -1, 1, 1)).clamp(-1, 1)"""
_GEN_FUNCTIONAL_TANH_END = """\
        )

    def forward(self, z):
        return torch.tanh(self.net(z.view(len(z), -1, 1, 1)))"""

_D_INPUTS = "real_out = D(add_instance_noise(real, noise_std))\n    fake_out = D(add_instance_noise(fake, noise_std))"
_G_LOSS = "loss = generator_loss(D(add_instance_noise(G(noise), noise_std)))"
_G_OUT = "D(add_instance_noise(G(noise), noise_std))"
_C_LOSS = "c_loss = critic_loss(real_scores, fake_scores) + lambda_gp * gp"
_W_G_LOSS = "g_loss = wgan_generator_loss(critic(G(torch.randn(len(real), nz, device=real.device))))"

MUTANTS = [
    # p01: weight initialisation
    Mutant("init_std_too_large", "p01_weights_init", "nn.init.normal_(m.weight, 0.0, 0.02)",
           "nn.init.normal_(m.weight, 0.0, 0.2)", "test_p01_weights_init", "conv weights with std 0.2 instead of 0.02"),
    Mutant("init_conv_transpose_forgotten", "p01_weights_init", "isinstance(m, (nn.Conv2d, nn.ConvTranspose2d))",
           "isinstance(m, nn.Conv2d)", "test_p01_weights_init",
           "only nn.Conv2d: the generator's ConvTranspose2d layers keep PyTorch's default initialisation"),
    Mutant("init_bn_weight_mean_zero", "p01_weights_init", "nn.init.normal_(m.weight, 1.0, 0.02)",
           "nn.init.normal_(m.weight, 0.0, 0.02)", "test_p01_weights_init",
           "BatchNorm γ drawn from N(0, 0.02²) like the conv weights: every BatchNorm output is nearly 0"),
    Mutant("init_bn_forgotten", "p01_weights_init",
           "    elif isinstance(m, nn.BatchNorm2d):\n        nn.init.normal_(m.weight, 1.0, 0.02)\n"
           "        nn.init.zeros_(m.bias)", "", "test_p01_weights_init", "BatchNorm layers not initialised"),
    # p02: generator
    Mutant("gen_batchnorm_switch_ignored", "p02_generator",
           "            if batchnorm:\n                layers.append(nn.BatchNorm2d(c_out))",
           "            layers.append(nn.BatchNorm2d(c_out))", "test_p02_generator", "BatchNorm even with batchnorm=False"),
    Mutant("gen_activation_switch_ignored", "p02_generator", "return layers + [make_activation(activation)]",
           "return layers + [nn.ReLU()]", "test_p02_generator", "always ReLU, whatever the activation argument"),
    Mutant("gen_31x31", "p02_generator", "nn.ConvTranspose2d(ngf, channels, 4, 2, 1)",
           "nn.ConvTranspose2d(ngf, channels, 3, 2, 1)", "test_p02_generator", "kernel 3 in the last layer: 31×31"),
    Mutant("gen_33x33", "p02_generator", "nn.ConvTranspose2d(ngf, channels, 4, 2, 1)",
           "nn.ConvTranspose2d(ngf, channels, 5, 2, 1)", "test_p02_generator", "kernel 5 in the last layer: 33×33"),
    Mutant("gen_no_tanh", "p02_generator", "            nn.Tanh(),\n", "", "test_p02_generator", "Tanh missing"),
    Mutant("gen_tanh_as_clamp", "p02_generator", _GEN_TANH_END, _GEN_CLAMP_END, "test_p02_generator",
           "Tanh replaced by .clamp(-1, 1): the same range, but no gradient where it clips", says="clamp"),
    Mutant("gen_nz_hard_coded", "p02_generator", "*block(nz, ngf * 4, 1, 0)", "*block(100, ngf * 4, 1, 0)",
           "test_p02_generator", "first layer hard-codes 100 input channels"),
    # p03: discriminator
    Mutant("disc_batchnorm_switch_ignored", "p03_discriminator", "norm=batchnorm", "norm=True",
           "test_p03_discriminator", "BatchNorm even with batchnorm=False"),
    Mutant("disc_batchnorm_on_input", "p03_discriminator", "*block(channels, ndf, norm=False)",
           "*block(channels, ndf, norm=batchnorm)", "test_p03_discriminator",
           "BatchNorm also on the input layer (against the DCGAN convention)"),
    Mutant("disc_activation_switch_ignored", "p03_discriminator", "return layers + [make_activation(activation)]",
           "return layers + [nn.LeakyReLU(0.2)]", "test_p03_discriminator",
           "always LeakyReLU: activation='tanh' or 'relu' ignored"),
    Mutant("disc_no_sigmoid", "p03_discriminator", "            nn.Sigmoid(),\n", "", "test_p03_discriminator",
           "Sigmoid missing before BCELoss"),
    # p04: BCE losses
    Mutant("bce_fake_labels_smoothed", "p04_bce_losses", "fake_target = torch.zeros_like(fake_out)",
           "fake_target = torch.full_like(fake_out, 1.0 - real_label)", "test_p04_bce_losses",
           "two-sided smoothing: fake target 0.1 when real_label is 0.9"),
    Mutant("bce_smoothing_ignored", "p04_bce_losses", "real_target = torch.full_like(real_out, real_label)",
           "real_target = torch.ones_like(real_out)", "test_p04_bce_losses", "real_label ignored"),
    Mutant("bce_generator_smoothed", "p04_bce_losses", "return bce(fake_out, torch.ones_like(fake_out))",
           "return bce(fake_out, torch.full_like(fake_out, 0.9))", "test_p04_bce_losses",
           "label smoothing also in the generator's loss"),
    Mutant("bce_mean_of_terms", "p04_bce_losses", "return bce(real_out, real_target) + bce(fake_out, fake_target)",
           "return (bce(real_out, real_target) + bce(fake_out, fake_target)) / 2", "test_p04_bce_losses",
           "averages the two terms where the problem asks for their sum"),
    Mutant("bce_manual_log", "p04_bce_losses", "    return bce(real_out, real_target) + bce(fake_out, fake_target)",
           "    return (-(real_target * torch.log(real_out) + (1 - real_target) * torch.log(1 - real_out)).mean()\n"
           "            - torch.log(1 - fake_out).mean())", "test_p04_bce_losses",
           "BCE written by hand with torch.log: inf when D is certain", says="log(0)"),
    # p05: instance noise
    Mutant("noise_not_scaled", "p05_instance_noise", "return images + std * torch.randn_like(images)",
           "return images + torch.randn_like(images)", "test_p05_instance_noise", "noise of std 1 whatever std"),
    Mutant("noise_in_place", "p05_instance_noise", "return images + std * torch.randn_like(images)",
           "return images.add_(std * torch.randn_like(images))", "test_p05_instance_noise",
           "adds the noise in place: the caller's real batch is corrupted"),
    Mutant("noise_uniform", "p05_instance_noise", "torch.randn_like(images)", "torch.rand_like(images)",
           "test_p05_instance_noise", "uniform noise in [0, std) instead of Gaussian"),
    Mutant("noise_not_annealed", "p05_instance_noise", "return start * max(0.0, 1.0 - epoch / n_epochs)",
           "return start", "test_p05_instance_noise", "constant noise level"),
    Mutant("noise_goes_negative", "p05_instance_noise", "return start * max(0.0, 1.0 - epoch / n_epochs)",
           "return start * (1.0 - epoch / n_epochs)", "test_p05_instance_noise",
           "no max(0, ·): a negative level after n_epochs"),
    Mutant("noise_off_by_one", "p05_instance_noise", "1.0 - epoch / n_epochs", "1.0 - epoch / (n_epochs - 1)",
           "test_p05_instance_noise", "reaches 0 one epoch early (divides by n_epochs − 1)"),
    # p06: training steps
    Mutant("d_fake_not_detached", "p06_training_steps", "fake = G(noise).detach()", "fake = G(noise)",
           "test_p06_training_steps", "fake images not detached: D's loss backpropagates into G"),
    Mutant("d_no_zero_grad", "p06_training_steps", "    d_optimizer.zero_grad()\n", "", "test_p06_training_steps",
           "zero_grad missing in D's step"),
    Mutant("d_real_label_ignored", "p06_training_steps", "discriminator_loss(real_out, fake_out, real_label)",
           "discriminator_loss(real_out, fake_out)", "test_p06_training_steps", "real_label not passed on"),
    Mutant("d_no_instance_noise", "p06_training_steps",
           "real_out = D(add_instance_noise(real, noise_std))\n    fake_out = D(add_instance_noise(fake, noise_std))",
           "real_out = D(real)\n    fake_out = D(fake)", "test_p06_training_steps", "noise_std ignored"),
    Mutant("d_noise_on_fakes_only", "p06_training_steps", "real_out = D(add_instance_noise(real, noise_std))",
           "real_out = D(real)", "test_p06_training_steps", "instance noise added to the fake images only",
           says="real images"),
    Mutant("g_step_ignores_noise_std", "p06_training_steps", _G_LOSS, "loss = generator_loss(D(G(noise)))",
           "test_p06_training_steps", "the generator step ignores noise_std: D sees clean fakes there",
           says="generator step"),
    Mutant("d_acc_fake_inverted", "p06_training_steps", "(fake_out < 0.5)", "(fake_out > 0.5)",
           "test_p06_training_steps", "acc_fake counts the fakes D takes for real"),
    Mutant("g_fake_label", "p06_training_steps", _G_LOSS,
           f"out = {_G_OUT}\n    loss = bce(out, torch.zeros_like(out))", "test_p06_training_steps",
           "fakes labelled fake in G's step: G learns to be recognised"),
    Mutant("g_saturating_loss", "p06_training_steps", _G_LOSS,
           f"out = {_G_OUT}\n    loss = -bce(out, torch.zeros_like(out))", "test_p06_training_steps",
           "saturating loss log(1 − D(G(z))) instead of the non-saturating one"),
    Mutant("g_no_zero_grad", "p06_training_steps", "    g_optimizer.zero_grad()\n", "", "test_p06_training_steps",
           "zero_grad missing in G's step"),
    # p07: conditional GAN
    Mutant("cgen_ignores_labels", "p07_conditional", _CGEN_USES_LABELS, _CGEN_IGNORES_LABELS,
           "test_p07_conditional", "G computes the label embedding but never feeds it to the network"),
    Mutant("cdisc_ignores_labels", "p07_conditional", _CDISC_USES_LABELS, _CDISC_IGNORES_LABELS,
           "test_p07_conditional", "D builds the label map but judges the images alone"),
    Mutant("cdisc_raw_label_channel", "p07_conditional", _CDISC_EMBEDDED, _CDISC_RAW_LABEL, "test_p07_conditional",
           "the label number itself as a constant fourth channel, no embedding"),
    Mutant("cgen_first_label_for_batch", "p07_conditional", "self.label_embedding(labels)], dim=1))",
           "self.label_embedding(labels[:1]).expand(len(z), -1)], dim=1))", "test_p07_conditional",
           "the whole batch conditioned on labels[0]", says="its own label"),
    Mutant("cgen_raw_label_embedding_unused", "p07_conditional", _CGEN_USES_LABELS, _CGEN_RAW_LABEL,
           "test_p07_conditional", "the raw label number concatenated with z; the nn.Embedding is never used",
           says="no gradient"),
    # p08: critic
    Mutant("critic_sigmoid", "p08_critic", "            nn.Flatten(),\n", "            nn.Flatten(), nn.Sigmoid(),\n",
           "test_p08_critic", "Sigmoid left at the end of the critic (copied from the discriminator)"),
    Mutant("critic_tanh", "p08_critic", "            nn.Flatten(),\n", "            nn.Flatten(), nn.Tanh(),\n",
           "test_p08_critic", "scores squashed by a Tanh"),
    Mutant("critic_batchnorm", "p08_critic", "nn.LayerNorm([ndf * 2, 8, 8])", "nn.BatchNorm2d(ndf * 2)",
           "test_p08_critic", "BatchNorm in the critic (copied from the discriminator)"),
    # p09: Wasserstein losses
    Mutant("wloss_critic_sign", "p09_wasserstein_losses", "return fake_scores.mean() - real_scores.mean()",
           "return real_scores.mean() - fake_scores.mean()", "test_p09_wasserstein_losses",
           "critic loss with the sign flipped (maximises instead of minimises)"),
    Mutant("wloss_generator_sign", "p09_wasserstein_losses", "return -fake_scores.mean()",
           "return fake_scores.mean()", "test_p09_wasserstein_losses", "generator loss +mean(C(G(z)))"),
    # p10: gradient penalty
    Mutant("gp_on_real_images", "p10_gradient_penalty",
           "x_hat = (eps * real + (1 - eps) * fake).requires_grad_(True)", "x_hat = real.clone().requires_grad_(True)",
           "test_p10_gradient_penalty", "penalty at the real images instead of interpolates"),
    Mutant("gp_norm_over_batch", "p10_gradient_penalty", "norms = grads.flatten(1).norm(2, dim=1)",
           "norms = grads.norm(2)", "test_p10_gradient_penalty", "one norm over the whole batch"),
    Mutant("gp_norm_over_channels", "p10_gradient_penalty", "norms = grads.flatten(1).norm(2, dim=1)",
           "norms = grads.norm(2, dim=1)", "test_p10_gradient_penalty", "norm over dim=1 (channels) only"),
    Mutant("gp_no_create_graph", "p10_gradient_penalty", "x_hat, create_graph=True)", "x_hat)",
           "test_p10_gradient_penalty", "create_graph missing: the penalty cannot train the critic"),
    Mutant("gp_eps_per_pixel", "p10_gradient_penalty", "eps = torch.rand(len(real), 1, 1, 1, device=real.device)",
           "eps = torch.rand_like(real)", "test_p10_gradient_penalty", "ε drawn for every pixel"),
    Mutant("gp_no_square", "p10_gradient_penalty", "return ((norms - 1) ** 2).mean()",
           "return (norms - 1).abs().mean()", "test_p10_gradient_penalty", "|‖∇‖ − 1| instead of its square"),
    Mutant("gp_no_minus_one", "p10_gradient_penalty", "return ((norms - 1) ** 2).mean()",
           "return (norms ** 2).mean()", "test_p10_gradient_penalty", "penalises ‖∇‖² (pushes the norm to 0)"),
    # p11: WGAN-GP step
    Mutant("wgan_n_critic_ignored", "p11_wgan_gp_step", "for real in real_batches:",
           "for real in real_batches[:1]:", "test_p11_wgan_gp_step", "one critic update per call"),
    Mutant("wgan_penalty_sign", "p11_wgan_gp_step", _C_LOSS,
           "c_loss = critic_loss(real_scores, fake_scores) - lambda_gp * gp", "test_p11_wgan_gp_step",
           "penalty subtracted: it rewards gradients far from norm 1"),
    Mutant("wgan_lambda_hard_coded", "p11_wgan_gp_step", _C_LOSS,
           "c_loss = critic_loss(real_scores, fake_scores) + 10.0 * gp", "test_p11_wgan_gp_step",
           "lambda_gp argument ignored (always 10)"),
    Mutant("wgan_no_penalty", "p11_wgan_gp_step", _C_LOSS, "c_loss = critic_loss(real_scores, fake_scores)",
           "test_p11_wgan_gp_step", "gradient penalty computed but not added to the critic's loss"),
    Mutant("wgan_g_uses_critic_loss", "p11_wgan_gp_step", _W_G_LOSS,
           "g_loss = critic_loss(critic(real), critic(G(torch.randn(len(real), nz, device=real.device))))",
           "test_p11_wgan_gp_step", "G minimises the critic's loss: it pushes its own scores down"),
    Mutant("wgan_no_critic_zero_grad", "p11_wgan_gp_step", "        c_optimizer.zero_grad()\n", "",
           "test_p11_wgan_gp_step", "gradients accumulate over the n_critic updates"),
]

VARIANTS = [
    Variant("disc_sigmoid_then_flatten", "p03_discriminator", "            nn.Flatten(),\n            nn.Sigmoid(),\n",
            "            nn.Sigmoid(),\n            nn.Flatten(),\n", "Sigmoid before Flatten: the same outputs"),
    Variant("gen_functional_tanh", "p02_generator", _GEN_TANH_END, _GEN_FUNCTIONAL_TANH_END,
            "torch.tanh applied in forward() instead of an nn.Tanh layer"),
    Variant("bce_functional", "p04_bce_losses", "    return bce(real_out, real_target) + bce(fake_out, fake_target)",
            "    return (nn.functional.binary_cross_entropy(real_out, real_target)\n"
            "            + nn.functional.binary_cross_entropy(fake_out, fake_target))", "the functional BCE"),
    Variant("d_step_one_batch", "p06_training_steps", _D_INPUTS,
            "both = D(add_instance_noise(torch.cat([real, fake]), noise_std))\n"
            "    real_out, fake_out = both[:len(real)], both[len(real):]",
            "real and fake images through D in one batch (the same outputs without BatchNorm)"),
    Variant("wgan_noise_4d", "p11_wgan_gp_step", "torch.randn(len(real), nz, device=real.device)",
            "torch.randn(len(real), nz, 1, 1, device=real.device)", "noise shaped N×nz×1×1, as every Generator accepts"),
]
