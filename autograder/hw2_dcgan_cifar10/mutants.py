"""Realistic wrong answers for HW2, each with the check that must catch it.

A mutant edits one answer cell of the solution (its source with the solution markers removed):
``find`` is replaced by ``replace``. tests/test_hw2_checks.py proves that the solution passes
every check and that each mutant fails its check.
"""
from __future__ import annotations

from autograder.toolkit.mutant import Mutant, Variant  # noqa: F401

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
_W_FAKES = """\
    for real in real_batches:
        fake = G(torch.randn(len(real), nz, device=real.device)).detach()
"""
_W_LOOP_TO_G_LOSS = """\
    for real in real_batches:
        fake = G(torch.randn(len(real), nz, device=real.device)).detach()
        c_optimizer.zero_grad()
        real_scores, fake_scores = critic(real), critic(fake)
        gp = gradient_penalty(critic, real, fake)
        c_loss = critic_loss(real_scores, fake_scores) + lambda_gp * gp
        c_loss.backward()
        c_optimizer.step()
    g_optimizer.zero_grad()
    """ + _W_G_LOSS
_W_CRITIC_UPDATE = """\
        c_loss.backward()
        c_optimizer.step()
"""

_GEN_BLOCKS = """\
            *block(nz, ngf * 4, 1, 0),              # 4×4
            *block(ngf * 4, ngf * 2, 2, 1),         # 8×8
            *block(ngf * 2, ngf, 2, 1),             # 16×16
            nn.ConvTranspose2d(ngf, channels, 4, 2, 1),  # 32×32
"""
_GEN_EXPLICIT = """\
        def norm(c):
            return [nn.BatchNorm2d(c)] if batchnorm else []

        self.net = nn.Sequential(
            nn.ConvTranspose2d(nz, ngf * 4, kernel_size=4, stride=1, padding=0),
            *norm(ngf * 4),
            make_activation(activation),
            nn.ConvTranspose2d(ngf * 4, ngf * 2, kernel_size=4, stride=2, padding=1),
            *norm(ngf * 2),
            make_activation(activation),
            nn.ConvTranspose2d(ngf * 2, ngf, kernel_size=4, stride=2, padding=1),
            *norm(ngf),
            make_activation(activation),
            nn.ConvTranspose2d(ngf, channels, kernel_size=4, stride=2, padding=1),
            nn.Tanh(),
        )

    def forward(self, z):"""
_GEN_MODULE_LIST = """\
        widths = [nz, ngf * 4, ngf * 2, ngf]
        self.blocks = nn.ModuleList()
        for i, (c_in, c_out) in enumerate(zip(widths, widths[1:])):
            layers = [nn.ConvTranspose2d(c_in, c_out, 4, 1 if i == 0 else 2, 0 if i == 0 else 1)]
            if batchnorm:
                layers.append(nn.BatchNorm2d(c_out))
            layers.append(make_activation(activation))
            self.blocks.append(nn.Sequential(*layers))
        self.out = nn.Sequential(nn.ConvTranspose2d(ngf, channels, 4, 2, 1), nn.Tanh())

    def forward(self, z):
        x = z.reshape(z.shape[0], -1, 1, 1)
        for block in self.blocks:
            x = block(x)
        return self.out(x)"""

_GEN_BODY = """\
        def block(c_in, c_out, stride, padding):
            layers = [nn.ConvTranspose2d(c_in, c_out, 4, stride, padding, bias=not batchnorm)]
            if batchnorm:
                layers.append(nn.BatchNorm2d(c_out))
            return layers + [make_activation(activation)]

        self.net = nn.Sequential(
""" + _GEN_BLOCKS + """\
            nn.Tanh(),
        )

    def forward(self, z):
        return self.net(z.view(len(z), -1, 1, 1))"""

_DISC_HEAD = """\
            nn.Conv2d(ndf * 4, 1, 4, 1, 0),          # 1×1
            nn.Flatten(),
            nn.Sigmoid(),
"""

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
    # ---- issue 20: properties no check probed before (class in brackets)
    # p11 [4 freshness]: fakes drawn once and reused across the n_critic critic updates
    Mutant("wgan_fakes_reused", "p11_wgan_gp_step", _W_FAKES,
           "    fake = G(torch.randn(len(real_batches[0]), nz, device=real_batches[0].device)).detach()\n"
           "    for real in real_batches:\n", "test_p11_wgan_gp_step",
           "one batch of fakes drawn before the loop and reused by every critic update", says="same batch of fakes"),
    Mutant("wgan_noise_drawn_once", "p11_wgan_gp_step", _W_FAKES,
           "    z = torch.randn(len(real_batches[0]), nz, device=real_batches[0].device)\n"
           "    for real in real_batches:\n        fake = G(z).detach()\n", "test_p11_wgan_gp_step",
           "one noise batch drawn before the loop: G is rerun, but on the same noise, for every critic update",
           says="same noise more than once"),
    Mutant("wgan_g_reuses_last_fakes", "p11_wgan_gp_step", _W_LOOP_TO_G_LOSS,
           _W_LOOP_TO_G_LOSS.replace("        fake = G(torch.randn(len(real), nz, device=real.device)).detach()\n",
                                     "        fake_graph = G(torch.randn(len(real), nz, device=real.device))\n"
                                     "        fake = fake_graph.detach()\n")
           .replace(_W_G_LOSS, "g_loss = wgan_generator_loss(critic(fake_graph))"), "test_p11_wgan_gp_step",
           "the generator update reuses the last critic update's fakes (kept with their graph) instead of fresh noise",
           says="reused fakes made for a critic update"),
    # p11 [6 modes]: the critic switched to eval() to "freeze" it for the generator update, never switched back
    Mutant("wgan_critic_left_in_eval", "p11_wgan_gp_step", "    g_optimizer.zero_grad()\n",
           "    critic.eval()\n    g_optimizer.zero_grad()\n", "test_p11_wgan_gp_step",
           "critic.eval() before the generator update (to freeze it) and never train() again",
           says="critic is left in evaluation mode"),
    # p11 [8 messages]: step() before backward() gets its own message, not a zero_grad hint
    Mutant("wgan_critic_step_before_backward", "p11_wgan_gp_step", _W_CRITIC_UPDATE,
           "        c_optimizer.step()\n        c_loss.backward()\n", "test_p11_wgan_gp_step",
           "c_optimizer.step() before c_loss.backward()", says="before loss.backward()"),
    # p02 [1 structure]: the 64×64 DCGAN tutorial's widths (8·ngf, 4·ngf, 2·ngf): right shapes, wrong table
    Mutant("gen_tutorial_widths", "p02_generator", _GEN_BLOCKS,
           "            *block(nz, ngf * 8, 1, 0),              # 4×4\n"
           "            *block(ngf * 8, ngf * 4, 2, 1),         # 8×8\n"
           "            *block(ngf * 4, ngf * 2, 2, 1),         # 16×16\n"
           "            nn.ConvTranspose2d(ngf * 2, channels, 4, 2, 1),  # 32×32\n", "test_p02_generator",
           "widths 8·ngf → 4·ngf → 2·ngf (the 64×64 tutorial's) instead of the table's 4·ngf → 2·ngf → ngf",
           says="weights"),
    # p02 [3 gradient paths]: the detach of the D step moved into G's forward: G can never learn
    Mutant("gen_forward_detached", "p02_generator", "        return self.net(z.view(len(z), -1, 1, 1))",
           "        return self.net(z.view(len(z), -1, 1, 1)).detach()  # D's step must not train G",
           "test_p02_generator", "G's forward detaches its images: no gradient ever reaches G's layers",
           says="no gradient"),
    # p02 [8 messages]: 33×33 from output_padding: the size formula now names it
    Mutant("gen_output_padding", "p02_generator", "nn.ConvTranspose2d(ngf, channels, 4, 2, 1)",
           "nn.ConvTranspose2d(ngf, channels, 4, 2, 1, output_padding=1)", "test_p02_generator",
           "output_padding=1 in the last layer: 33×33", says="output_padding"),
    # p03 [1 structure]: the third convolution does not double the width (2·ndf → 2·ndf)
    Mutant("disc_width_not_doubled", "p03_discriminator",
           "            *block(ndf * 2, ndf * 4, norm=batchnorm),  # 4×4\n"
           "            nn.Conv2d(ndf * 4, 1, 4, 1, 0),          # 1×1\n",
           "            *block(ndf * 2, ndf * 2, norm=batchnorm),  # 4×4\n"
           "            nn.Conv2d(ndf * 2, 1, 4, 1, 0),          # 1×1\n", "test_p03_discriminator",
           "the third convolution keeps 2·ndf channels instead of 4·ndf", says="weights"),
    # p07 [1, 7 sizes]: embeddings sized by constants; only n_classes=5 and embed_dim=12 show them
    Mutant("cgen_embedding_ten_rows", "p07_conditional", "nn.Embedding(n_classes, embed_dim)",
           "nn.Embedding(10, embed_dim)", "test_p07_conditional", "G's embedding has 10 rows whatever n_classes",
           says="one per class"),
    Mutant("cdisc_embedding_ten_rows", "p07_conditional", "nn.Embedding(n_classes, 32 * 32)",
           "nn.Embedding(10, 32 * 32)", "test_p07_conditional", "D's embedding has 10 rows whatever n_classes",
           says="one per class"),
    Mutant("cgen_embed_dim_ignored", "p07_conditional",
           "nn.Embedding(n_classes, embed_dim)\n        self.body = Generator(nz + embed_dim, ngf)",
           "nn.Embedding(n_classes, 50)\n        self.body = Generator(nz + 50, ngf)", "test_p07_conditional",
           "a label embedding of 50 numbers whatever embed_dim", says="sized differently"),
    # p07 [8 messages]: the label channel concatenated along the batch dimension
    Mutant("cdisc_cat_batch_dim", "p07_conditional", "torch.cat([images, label_map], dim=1)",
           "torch.cat([images, label_map])", "test_p07_conditional",
           "torch.cat without dim=1: the label map is appended as extra images", says="dim=1"),
    # p08 [1 structure]: LeakyReLU with PyTorch's default slope 0.01
    Mutant("critic_leaky_default_slope", "p08_critic", "nn.LeakyReLU(0.2)", "nn.LeakyReLU()", "test_p08_critic",
           "LeakyReLU() with the default slope 0.01 instead of 0.2", says="LeakyReLU(0.01)"),
    # p08 [2 open range]: a ReLU after the last layer keeps the score at or above 0
    Mutant("critic_relu_score", "p08_critic", "            nn.Flatten(),\n", "            nn.Flatten(), nn.ReLU(),\n",
           "test_p08_critic", "a ReLU after the last convolution: scores never below 0", says="never (much) below 0"),
    # p05 [5 devices]: the noise made on the CPU (right on a CPU-only grader, wrong on a GPU)
    Mutant("noise_made_on_cpu", "p05_instance_noise", "return images + std * torch.randn_like(images)",
           "return images + std * torch.randn(images.shape)", "test_p05_instance_noise",
           "torch.randn(images.shape) without device=: the noise stays on the CPU", says="randn_like"),
    # p04 [8 messages]: a typo puts both terms on the fakes; the message names the input that gets no gradient
    Mutant("bce_real_term_on_fake_out", "p04_bce_losses", "bce(real_out, real_target)", "bce(fake_out, real_target)",
           "test_p04_bce_losses", "the real term computed on fake_out (a typo): real_out is ignored",
           says="the real term BCE(real_out, real_label)"),
    # p04 [5 devices]: the real target made on the CPU
    Mutant("bce_target_made_on_cpu", "p04_bce_losses", "real_target = torch.full_like(real_out, real_label)",
           "real_target = torch.full(real_out.shape, real_label)", "test_p04_bce_losses",
           "torch.full(shape, real_label) without device=: the target stays on the CPU", says="full_like"),
    # p10 [5 devices]: ε drawn on the CPU
    Mutant("gp_eps_made_on_cpu", "p10_gradient_penalty", "eps = torch.rand(len(real), 1, 1, 1, device=real.device)",
           "eps = torch.rand(len(real), 1, 1, 1)", "test_p10_gradient_penalty",
           "ε drawn without device=: on the CPU while the images may be on a GPU", says="device=real.device"),
    # p06 [6 modes]: D "frozen" with eval() in the generator step and left so
    Mutant("g_step_d_left_in_eval", "p06_training_steps", "    g_optimizer.zero_grad()\n",
           "    D.eval()  # D only judges here\n    g_optimizer.zero_grad()\n", "test_p06_training_steps",
           "D.eval() in the generator step, never switched back", says="D is left in evaluation mode"),
    Mutant("d_step_g_left_in_eval", "p06_training_steps", "    fake = G(noise).detach()\n",
           "    G.eval()  # G only draws here\n    fake = G(noise).detach()\n", "test_p06_training_steps",
           "G.eval() to draw the fakes in the discriminator step, never switched back",
           says="G is left in evaluation mode"),
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
    # ---- issue 20: correct answers in other forms
    Variant("init_tutorial_class_names", "p01_weights_init", None, """\
def weights_init(m):
    classname = m.__class__.__name__
    if classname.find("Conv") != -1:
        nn.init.normal_(m.weight.data, 0.0, 0.02)
    elif classname.find("BatchNorm") != -1:
        nn.init.normal_(m.weight.data, 1.0, 0.02)
        nn.init.constant_(m.bias.data, 0)
""", "the PyTorch DCGAN tutorial's weights_init: class names and .data"),
    Variant("gen_explicit_layers", "p02_generator", _GEN_BODY,
            _GEN_EXPLICIT + "\n        return self.net(z.view(len(z), -1, 1, 1))",
            "every layer written out with keyword arguments, biases kept before BatchNorm (its β makes them redundant)"),
    Variant("gen_module_list", "p02_generator", _GEN_BODY, _GEN_MODULE_LIST,
            "an nn.ModuleList of blocks looped over in forward, z reshaped with reshape"),
    Variant("disc_linear_head", "p03_discriminator", _DISC_HEAD,
            "            nn.Flatten(),\n            nn.Linear(ndf * 4 * 4 * 4, 1),\n            nn.Sigmoid(),\n",
            "Flatten then Linear(4·ndf·4·4, 1): the same map as the 4×4 convolution to one channel"),
    Variant("disc_functional_sigmoid_view", "p03_discriminator", _DISC_HEAD + """\
        )

    def forward(self, x):
        return self.net(x)""", """\
            nn.Conv2d(ndf * 4, 1, 4, 1, 0),          # 1×1
        )

    def forward(self, x):
        return torch.sigmoid(self.net(x).view(-1, 1))""", "torch.sigmoid and .view(-1, 1) in forward"),
    Variant("bce_sum_over_batch", "p04_bce_losses", "    return bce(real_out, real_target) + bce(fake_out, fake_target)",
            "    total = nn.BCELoss(reduction=\"sum\")\n"
            "    return total(real_out, real_target) / real_out.numel() + total(fake_out, fake_target) / fake_out.numel()",
            "summed BCE divided by the number of outputs: each term's mean"),
    Variant("noise_randn_on_device", "p05_instance_noise", "return images + std * torch.randn_like(images)",
            "noise = torch.randn(images.shape, device=images.device, dtype=images.dtype)\n    return images + noise * std",
            "torch.randn with the images' device and dtype"),
    Variant("noise_schedule_clamped", "p05_instance_noise", "return start * max(0.0, 1.0 - epoch / n_epochs)",
            "return start * (1 - min(epoch, n_epochs) / n_epochs)", "the epoch clamped at n_epochs instead of max(0, ·)"),
    Variant("steps_module_zero_grad", "p06_training_steps", "    d_optimizer.zero_grad()\n", "    D.zero_grad()\n",
            "the module's zero_grad (the optimiser holds exactly D's parameters)"),
    Variant("d_step_eval_restored", "p06_training_steps", "    loss = discriminator_loss(real_out, fake_out, real_label)\n",
            "    loss = discriminator_loss(real_out, fake_out, real_label)\n    G.eval()\n    G.train()\n",
            "a network switched to eval() and back to train() within the step"),
    Variant("cgen_embedding_first", "p07_conditional", "torch.cat([z.view(len(z), -1), self.label_embedding(labels)], dim=1)",
            "torch.cat((self.label_embedding(labels), z.flatten(1)), 1)", "the embedding before z, positional dim"),
    Variant("cdisc_label_channel_first", "p07_conditional", "torch.cat([images, label_map], dim=1)",
            "torch.cat([label_map, images], dim=-3)", "the label map as the first channel, dim counted from the end"),
    Variant("critic_no_norm_linear_head", "p08_critic", """\
            nn.Conv2d(ndf, ndf * 2, 4, 2, 1), nn.LayerNorm([ndf * 2, 8, 8]), nn.LeakyReLU(0.2),     # 8×8
            nn.Conv2d(ndf * 2, ndf * 4, 4, 2, 1), nn.LayerNorm([ndf * 4, 4, 4]), nn.LeakyReLU(0.2), # 4×4
            nn.Conv2d(ndf * 4, 1, 4, 1, 0),                                                         # 1×1
            nn.Flatten(),
""", """\
            nn.Conv2d(ndf, ndf * 2, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(ndf * 2, ndf * 4, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Flatten(),
            nn.Linear(ndf * 4 * 4 * 4, 1),
""", "no normalisation (allowed) and a Linear head on the flattened 4×4 features"),
    Variant("wloss_torch_mean", "p09_wasserstein_losses", "return fake_scores.mean() - real_scores.mean()",
            "return torch.mean(fake_scores) - torch.mean(real_scores)", "torch.mean"),
    Variant("gp_grad_outputs_vector_norm", "p10_gradient_penalty", """\
    grads, = torch.autograd.grad(scores.sum(), x_hat, create_graph=True)
    norms = grads.flatten(1).norm(2, dim=1)""", """\
    grads = torch.autograd.grad(outputs=scores, inputs=x_hat, grad_outputs=torch.ones_like(scores),
                                create_graph=True, retain_graph=True)[0]
    norms = torch.linalg.vector_norm(grads.reshape(len(grads), -1), dim=1)""",
            "grad_outputs of ones and torch.linalg.vector_norm"),
    Variant("wgan_noise_drawn_up_front", "p11_wgan_gp_step", _W_FAKES, """\
    noises = torch.randn(len(real_batches), len(real_batches[0]), nz, device=real_batches[0].device)
    for real, z in zip(real_batches, noises):
        with torch.no_grad():
            fake = G(z)
""", "a fresh noise batch per critic update, all drawn before the loop; fakes made under no_grad"),
]
