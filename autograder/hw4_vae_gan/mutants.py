"""Realistic wrong answers for HW4, each with the check that must catch it, and correct variants that must pass.

A mutant edits one answer cell of the solution (its source with the solution markers removed):
``find`` is replaced by ``replace``. tests/test_checks.py proves that the solution and every variant pass
every check and that each mutant fails its own check only.
"""
from __future__ import annotations

from autograder.toolkit.mutant import Mutant, Variant

_STD = "std = torch.exp(0.5 * logvar)"
_EPS = "return mu + std * torch.randn_like(std)"
_HEADS = "return self.to_mu(h), self.to_logvar(h)"
_FORWARD = "return self.decode(reparameterize(mu, logvar)), mu, logvar"
_KL = "return -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp(), dim=1)"
_REC = 'reconstruction = F.binary_cross_entropy_with_logits(logits, x, reduction="none").flatten(1).sum(1).mean()'
_MINIMAX_G = "    return -F.binary_cross_entropy_with_logits(fake_scores, torch.zeros_like(fake_scores))"
_NONSAT = "    return F.binary_cross_entropy_with_logits(fake_scores, torch.ones_like(fake_scores))"
_GRAD = "(grad,) = torch.autograd.grad(len(s) * g_loss(s), s)"
_SCORE = "        return (z - z_hat).flatten(1).norm(dim=1)"
_ADV_D = "prior_logits, code_logits = latent_d(torch.randn_like(z)), latent_d(z.detach())"
_G_TOTAL = "(w_adv * l_adv + w_con * l_con + w_enc * l_enc).backward()"
VAE_FUNCTIONAL = 'class VAE(nn.Module):\n    """Fully connected VAE, its layers called one by one with functional activations."""\n\n    def __init__(self, latent_dim=20, hidden=400):\n        super().__init__()\n        self.latent_dim = latent_dim\n        self.fc1 = nn.Linear(784, hidden)\n        self.fc_mu, self.fc_logvar = nn.Linear(hidden, latent_dim), nn.Linear(hidden, latent_dim)\n        self.fc3, self.fc4 = nn.Linear(latent_dim, hidden), nn.Linear(hidden, 784)\n\n    def encode(self, x):\n        h = F.relu(self.fc1(x.view(-1, 784)))\n        return self.fc_mu(h), self.fc_logvar(h)\n\n    def decode(self, z):\n        return self.fc4(F.relu(self.fc3(z))).view(-1, 1, 28, 28)\n\n    def forward(self, x):\n        mu, logvar = self.encode(x)\n        z = reparameterize(mu, logvar)\n        return self.decode(z), mu, logvar\n'

P01, P02, P03, P04, P05, P06 = ("test_p01_reparameterize", "test_p02_vae", "test_p03_kl_divergence", "test_p04_vae_loss",
                                "test_p05_vae_step", "test_p06_minimax_losses")
P07, P08, P09, P10, P11 = ("test_p07_other_losses", "test_p08_logit_gradients", "test_p09_anomaly_networks",
                           "test_p10_anomaly_losses", "test_p11_anomaly_step")

MUTANTS = [
    # p01: reparameterisation
    Mutant("reparam_std_is_variance", "p01_reparameterize", _STD, "std = torch.exp(logvar)", P01,
           "exp(logvar) is sigma², used as the standard deviation", says="sigma² = exp(logvar)"),
    Mutant("reparam_logvar_as_std", "p01_reparameterize", _STD, "std = logvar", P01,
           "logvar used as sigma itself", says="logvar is log sigma²"),
    Mutant("reparam_no_noise", "p01_reparameterize", _EPS, "return mu + 0 * std", P01,
           "no sampling: z = mu", says="z equals mu"),
    Mutant("reparam_shared_eps", "p01_reparameterize", _EPS, "return mu + std * torch.randn_like(std[:1])", P01,
           "one eps for the whole batch", says="same eps"),
    Mutant("reparam_one_eps_per_image", "p01_reparameterize", _EPS,
           "return mu + std * torch.randn(len(std), 1, device=std.device)", P01,
           "one eps per image, shared by its latent dimensions", says="correlated"),
    Mutant("reparam_sample_no_grad", "p01_reparameterize", _EPS,
           "return torch.distributions.Normal(mu, std).sample()", P01,
           "Normal(...).sample() instead of the trick: no gradient", says="no graph"),
    Mutant("reparam_detached_std", "p01_reparameterize", _STD, "std = torch.exp(0.5 * logvar).detach()", P01,
           "sigma detached: logvar gets no gradient", says="No gradient reached logvar"),
    # p02: the VAE
    Mutant("vae_sigmoid_decoder", "p02_vae", "nn.Unflatten(1, (1, 28, 28)))", "nn.Unflatten(1, (1, 28, 28)), nn.Sigmoid())",
           P02, "probabilities instead of logits", says="not probabilities"),
    Mutant("vae_softplus_logvar", "p02_vae", _HEADS, "return self.to_mu(h), F.softplus(self.to_logvar(h))", P02,
           "an activation forces logvar > 0", says="needs no activation"),
    Mutant("vae_one_head", "p02_vae", _HEADS, "return self.to_mu(h), self.to_mu(h)", P02,
           "the mu head also gives logvar", says="two separate Linear"),
    Mutant("vae_forward_decodes_mu", "p02_vae", _FORWARD, "return self.decode(mu), mu, logvar", P02,
           "training without sampling", says="decodes mu itself"),
    Mutant("vae_hidden_ignored", "p02_vae",
           "nn.Linear(28 * 28, hidden), nn.ReLU())\n        self.to_mu = nn.Linear(hidden, latent_dim)\n"
           "        self.to_logvar = nn.Linear(hidden, latent_dim)",
           "nn.Linear(28 * 28, 400), nn.ReLU())\n        self.to_mu = nn.Linear(400, latent_dim)\n"
           "        self.to_logvar = nn.Linear(400, latent_dim)", P02,
           "the encoder's width fixed at 400", says="Use the hidden argument"),
    # p03: KL
    Mutant("kl_mean_over_dims", "p03_kl_divergence", _KL,
           "return -0.5 * torch.mean(1 + logvar - mu.pow(2) - logvar.exp(), dim=1)", P03,
           "mean over the latent dimensions", says="averages over the latent dimensions"),
    Mutant("kl_one_number", "p03_kl_divergence", _KL, "return -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())",
           P03, "summed over the batch too", says="one number for the batch"),
    Mutant("kl_sign", "p03_kl_divergence", _KL, "return 0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp(), dim=1)",
           P03, "the sign of the closed form dropped", says="wrong sign"),
    Mutant("kl_sigma_for_variance", "p03_kl_divergence", _KL,
           "return -0.5 * torch.sum(1 + logvar - mu.pow(2) - (0.5 * logvar).exp(), dim=1)", P03,
           "sigma where sigma² belongs", says="exp(logvar) is sigma²"),
    # p04: negative ELBO
    Mutant("loss_bce_mean_over_pixels", "p04_vae_loss", _REC,
           "reconstruction = F.binary_cross_entropy_with_logits(logits, x)", P04,
           "the BCE averaged over pixels: the KL term then dominates", says="averaged over pixels"),
    Mutant("loss_sigmoid_twice", "p04_vae_loss", "F.binary_cross_entropy_with_logits(logits, x, ",
           "F.binary_cross_entropy_with_logits(torch.sigmoid(logits), x, ", P04,
           "probabilities given to the logits version", says="sigmoid twice"),
    Mutant("loss_sum_over_batch", "p04_vae_loss", ".flatten(1).sum(1).mean()", ".flatten(1).sum(1).sum()", P04,
           "summed over the batch", says="summed over the batch"),
    Mutant("loss_kl_summed", "p04_vae_loss", "kl = kl_divergence(mu, logvar).mean()", "kl = kl_divergence(mu, logvar).sum()",
           P04, "the KL summed over the batch, the reconstruction averaged", says="kl_divergence(mu, logvar).mean()"),
    Mutant("loss_without_kl", "p04_vae_loss", "return reconstruction + kl, reconstruction, kl",
           "return reconstruction, reconstruction, kl", P04, "a plain autoencoder's loss", says="sum of the two terms"),
    # p05: VAE step
    Mutant("vstep_no_zero_grad", "p05_vae_step", "    optimizer.zero_grad()\n", "", P05,
           "gradients accumulate across steps", says="zero_grad"),
    Mutant("vstep_zero_grad_after_backward", "p05_vae_step", "    loss.backward()\n    optimizer.step()",
           "    loss.backward()\n    optimizer.zero_grad()\n    optimizer.step()", P05,
           "zero_grad between backward and step: no update", says="not between"),
    Mutant("vstep_backward_reconstruction", "p05_vae_step", "    loss.backward()", "    reconstruction.backward()", P05,
           "only the reconstruction term trained", says="loss.backward()"),
    # p06: minimax / non-saturating
    Mutant("minimax_g_is_nonsaturating", "p06_minimax_losses", _MINIMAX_G,
           "    return F.binary_cross_entropy_with_logits(fake_scores, torch.ones_like(fake_scores))", P06,
           "the non-saturating loss given as the minimax one", says="non-saturating loss"),
    Mutant("minimax_g_sign", "p06_minimax_losses", _MINIMAX_G,
           "    return F.binary_cross_entropy_with_logits(fake_scores, torch.zeros_like(fake_scores))", P06,
           "G maximises log(1 − D(G(z))) instead of minimising it", says="sign is reversed"),
    Mutant("minimax_g_naive_log", "p06_minimax_losses", _MINIMAX_G,
           "    return torch.log(1 - torch.sigmoid(fake_scores)).mean()", P06,
           "the formula by hand: log(0) for confident scores", says="log(0)"),
    Mutant("minimax_d_averaged", "p06_minimax_losses",
           "+ F.binary_cross_entropy_with_logits(fake_scores, torch.zeros_like(fake_scores)))",
           "+ F.binary_cross_entropy_with_logits(fake_scores, torch.zeros_like(fake_scores))) / 2", P06,
           "D's two terms averaged", says="averaged instead of added"),
    Mutant("nonsat_is_saturating", "p06_minimax_losses", _NONSAT,
           "    return -F.binary_cross_entropy_with_logits(fake_scores, torch.zeros_like(fake_scores))", P06,
           "the saturating loss given as the non-saturating one", says="This is the saturating loss"),
    # p07: LSGAN, WGAN, hinge
    Mutant("lsgan_no_half", "p07_other_losses", "return 0.5 * (real_scores - 1).pow(2).mean() + 0.5 * fake_scores.pow(2).mean()",
           "return (real_scores - 1).pow(2).mean() + fake_scores.pow(2).mean()", P07, "the ½ factors dropped",
           says="factor ½"),
    Mutant("lsgan_g_target_zero", "p07_other_losses", "return 0.5 * (fake_scores - 1).pow(2).mean()",
           "return 0.5 * fake_scores.pow(2).mean()", P07, "G pushed towards the fake target", says="real label 1"),
    Mutant("critic_sign", "p07_other_losses", "return fake_scores.mean() - real_scores.mean()",
           "return real_scores.mean() - fake_scores.mean()", P07, "the critic's loss with the sign reversed",
           says="sign is reversed"),
    Mutant("wgan_g_sign", "p07_other_losses", "\"\"\"WGAN generator: -mean f.\"\"\"\n    return -fake_scores.mean()",
           "\"\"\"WGAN generator: -mean f.\"\"\"\n    return fake_scores.mean()", P07,
           "the WGAN generator's loss with the sign reversed", says="sign is reversed"),
    Mutant("hinge_no_margin", "p07_other_losses", "return F.relu(1 - real_scores).mean() + F.relu(1 + fake_scores).mean()",
           "return F.relu(-real_scores).mean() + F.relu(fake_scores).mean()", P07, "hinge without the margin 1",
           says="max(0, 1 − r)"),
    Mutant("hinge_g_with_margin", "p07_other_losses", "def hinge_g_loss(fake_scores):\n    \"\"\"-mean f.\"\"\"\n    return -fake_scores.mean()",
           "def hinge_g_loss(fake_scores):\n    \"\"\"-mean f.\"\"\"\n    return F.relu(1 - fake_scores).mean()", P07,
           "G given D's hinge on the fakes", says="without a margin"),
    # p08: the generator's gradient
    Mutant("grad_of_the_mean", "p08_logit_gradients", _GRAD, "(grad,) = torch.autograd.grad(g_loss(s), s)", P08,
           "the gradient of the batch mean: 1/N of each derivative", says="too small"),
    Mutant("grad_changes_caller", "p08_logit_gradients", "s = scores.detach().clone().requires_grad_(True)",
           "s = scores.requires_grad_(True)", P08, "the caller's tensor made to require grad",
           says="changed the caller's scores"),
    Mutant("grad_through_probability", "p08_logit_gradients", _GRAD,
           "p = torch.sigmoid(s)\n    (grad,) = torch.autograd.grad(len(s) * g_loss(s), p, allow_unused=True)\n"
           "    grad = torch.zeros_like(s) if grad is None else grad", P08,
           "differentiated with respect to the wrong tensor", says="Differentiate with respect to the scores"),
    # p09: the networks
    Mutant("enc_last_conv_strided", "p09_anomaly_networks", "nn.Conv2d(4 * ndf, nz, 4, 1, 0))",
           "nn.Conv2d(4 * ndf, nz, 4, 2, 1))", P09, "the last convolution halves 4×4 to 2×2", says="(6, 12, 1, 1)"),
    Mutant("dec_no_tanh", "p09_anomaly_networks", "nn.ConvTranspose2d(ngf, 1, 4, 2, 1), nn.Tanh())",
           "nn.ConvTranspose2d(ngf, 1, 4, 2, 1))", P09, "reconstructions not squashed into [-1, 1]", says="Tanh"),
    Mutant("ede_shared_encoder", "p09_anomaly_networks", "self.encoder2 = Encoder(nz, width)",
           "self.encoder2 = self.encoder", P09, "one encoder used twice", says="shares weights"),
    Mutant("ede_zhat_of_input", "p09_anomaly_networks", "return z, x_hat, self.encoder2(x_hat)",
           "return z, x_hat, self.encoder2(x)", P09, "the second encoder reads the input", says="encodes the input x"),
    Mutant("latent_d_sigmoid", "p09_anomaly_networks", "nn.LeakyReLU(0.2), nn.Linear(hidden, 1))",
           "nn.LeakyReLU(0.2), nn.Linear(hidden, 1), nn.Sigmoid())", P09, "probabilities instead of logits",
           says="no Sigmoid"),
    # p10: losses and score
    Mutant("con_squared", "p10_anomaly_losses", "return (x - x_hat).abs().mean(), (z - z_hat).pow(2).mean()",
           "return (x - x_hat).pow(2).mean(), (z - z_hat).pow(2).mean()", P10, "L2 for the contextual loss",
           says="L1 loss mean |x − x_hat|"),
    Mutant("enc_l1", "p10_anomaly_losses", "return (x - x_hat).abs().mean(), (z - z_hat).pow(2).mean()",
           "return (x - x_hat).abs().mean(), (z - z_hat).abs().mean()", P10, "L1 for the encoder loss",
           says="squared error"),
    Mutant("score_squared", "p10_anomaly_losses", _SCORE, "        return (z - z_hat).flatten(1).pow(2).sum(1)", P10,
           "the squared distance", says="take the root"),
    Mutant("score_train_mode", "p10_anomaly_losses", "    model.eval()\n", "", P10,
           "scored with BatchNorm's batch statistics", says="training mode"),
    Mutant("score_left_in_eval", "p10_anomaly_losses", "    finally:\n        model.train(was_training)",
           "    finally:\n        pass", P10,
           "the model left in eval mode", says="left the model in eval mode"),
    Mutant("score_reconstruction_error", "p10_anomaly_losses", "            z, _, z_hat = model(x)\n" + _SCORE,
           "            z, x_hat, z_hat = model(x)\n        return (x - x_hat).abs().flatten(1).mean(1)", P10,
           "the pixel reconstruction error instead of the code distance", says="‖z − z_hat‖₂ of each image"),
    # p11: the step
    Mutant("astep_codes_not_detached", "p11_anomaly_step", _ADV_D,
           "prior_logits, code_logits = latent_d(torch.randn_like(z)), latent_d(z)", P11,
           "the adversarial update backpropagates into the encoder", says="backward through the graph a second time"),
    Mutant("astep_labels_swapped", "p11_anomaly_step", "F.binary_cross_entropy_with_logits(prior_logits, torch.ones_like(",
           "F.binary_cross_entropy_with_logits(prior_logits, torch.zeros_like(", P11,
           "prior samples labelled as codes", says="latent_d's weights differ"),
    Mutant("astep_weights_ignored", "p11_anomaly_step", _G_TOTAL, "(l_adv + 50 * l_con + l_enc).backward()", P11,
           "the loss weights hard-coded", says="with the weights passed in"),
    Mutant("astep_no_g_zero_grad", "p11_anomaly_step", "    g_optimizer.zero_grad()\n", "", P11,
           "stale gradients in the model's update", says="g_optimizer.zero_grad()"),
    Mutant("astep_no_d_step", "p11_anomaly_step", "    d_optimizer.step()\n", "", P11,
           "the adversarial network never learns", says="d_optimizer.step() never"),
    # the architecture beyond its first layer (autograder.toolkit.structure)
    Mutant("enc_no_batchnorm", "p09_anomaly_networks",
           "nn.Conv2d(ndf, 2 * ndf, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * ndf), nn.LeakyReLU(0.2),",
           "nn.Conv2d(ndf, 2 * ndf, 4, 2, 1, bias=False), nn.LeakyReLU(0.2),", "test_p09_anomaly_networks",
           "the encoder's first BatchNorm2d left out", says="asks for 2"),
    Mutant("dec_leaky_relu", "p09_anomaly_networks",
           "nn.ConvTranspose2d(2 * ngf, ngf, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf), nn.ReLU(),",
           "nn.ConvTranspose2d(2 * ngf, ngf, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf), nn.LeakyReLU(0.2),",
           "test_p09_anomaly_networks", "a LeakyReLU in the decoder, where the table asks for ReLU",
           says="uses LeakyReLU(0.2)"),
    Mutant("latent_d_relu", "p09_anomaly_networks", "nn.Linear(nz, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, 1)",
           "nn.Linear(nz, hidden), nn.ReLU(), nn.Linear(hidden, 1)", "test_p09_anomaly_networks",
           "ReLU in the latent discriminator, where the table asks for LeakyReLU(0.2)", says="uses ReLU"),
    # issue 20: properties the notebook prescribes that no check probed before
    # class 1, the VAE's whole architecture (autograder.toolkit.structure)
    Mutant("vae_tanh_hidden", "p02_vae", "nn.Linear(28 * 28, hidden), nn.ReLU())", "nn.Linear(28 * 28, hidden), nn.Tanh())",
           P02, "a Tanh in the encoder's hidden layer, where the table asks for ReLU", says="uses Tanh"),
    Mutant("vae_decoder_leaky_relu", "p02_vae", "nn.Sequential(nn.Linear(latent_dim, hidden), nn.ReLU(),",
           "nn.Sequential(nn.Linear(latent_dim, hidden), nn.LeakyReLU(0.2),", P02,
           "LeakyReLU in the decoder's hidden layer", says="uses LeakyReLU(0.2)"),
    Mutant("vae_decoder_shallow", "p02_vae",
           "nn.Sequential(nn.Linear(latent_dim, hidden), nn.ReLU(), nn.Linear(hidden, 28 * 28),",
           "nn.Sequential(nn.Linear(latent_dim, 28 * 28),", P02,
           "the decoder without its hidden layer: one Linear from the code to the pixels", says="weights in its weight"),
    # class 2, outputs that must stay open (autograder.toolkit.open_range)
    Mutant("vae_relu_logits", "p02_vae", "nn.Linear(hidden, 28 * 28),", "nn.Linear(hidden, 28 * 28), nn.ReLU(),", P02,
           "every Linear followed by ReLU, the decoder's last one too: logits cut at 0", says="never (much) below 0"),
    Mutant("vae_tanh_logvar", "p02_vae", _HEADS, "return self.to_mu(h), torch.tanh(self.to_logvar(h))", P02,
           "logvar squashed into (-1, 1) 'for stability'", says="bounded range"),
    Mutant("enc_tanh_codes", "p09_anomaly_networks", "    def forward(self, x):\n        return self.net(x)",
           "    def forward(self, x):\n        return torch.tanh(self.net(x))  # codes in [-1, 1]", P09,
           "the encoder's codes squashed by a Tanh", says="the codes from Encoder(12, 8)"),
    Mutant("latent_d_tanh", "p09_anomaly_networks",
           "nn.Linear(hidden, 1))\n\n    def forward(self, z):\n        return self.net(z)",
           "nn.Linear(hidden, 1))\n\n    def forward(self, z):\n        return torch.tanh(self.net(z))", P09,
           "the latent discriminator's score squashed by tanh", says="bounded range"),
    # class 3, gradient paths inside the student's networks (autograder.toolkit.gradient_paths)
    Mutant("vae_sample_detached", "p02_vae", _FORWARD,
           "return self.decode(reparameterize(mu, logvar).detach()), mu, logvar", P02,
           "the sample detached before decoding: the reconstruction term never trains the encoder",
           says="leaves no gradient in"),
    Mutant("ede_encoder2_no_grad", "p09_anomaly_networks", "        return z, x_hat, self.encoder2(x_hat)",
           "        with torch.no_grad():  # the second encoder only scores\n            z_hat = self.encoder2(x_hat)\n"
           "        return z, x_hat, z_hat", P09, "the second encoder run without a graph: it never learns",
           says="layer encoder2.net.0 (Conv2d) weight"),
    Mutant("ede_x_hat_detached", "p09_anomaly_networks", "        return z, x_hat, self.encoder2(x_hat)",
           "        return z, x_hat, self.encoder2(x_hat.detach())", P09,
           "the reconstruction detached before the second encoder: l_enc no longer trains the encoder and decoder",
           says="(its z_hat = encoder2(decoder(encoder(x)))"),
    # class 5, the device seen on a CPU-only grader (autograder.toolkit.device_probe)
    Mutant("reparam_eps_on_cpu", "p01_reparameterize", _EPS, "return mu + std * torch.randn(std.shape)", P01,
           "eps drawn with torch.randn(shape) and no device: on the CPU whatever mu's device", says="mixes devices"),
    Mutant("vae_forward_eps_on_cpu", "p02_vae", _FORWARD,
           "z = mu + torch.randn(mu.shape) * torch.exp(0.5 * logvar)\n        return self.decode(z), mu, logvar", P02,
           "the trick inline in forward with eps made on the CPU", says="mixes devices"),
    Mutant("minimax_targets_on_cpu", "p06_minimax_losses",
           "(F.binary_cross_entropy_with_logits(real_scores, torch.ones_like(real_scores))\n"
           "            + F.binary_cross_entropy_with_logits(fake_scores, torch.zeros_like(fake_scores)))",
           "(F.binary_cross_entropy_with_logits(real_scores, torch.ones(len(real_scores), 1))\n"
           "            + F.binary_cross_entropy_with_logits(fake_scores, torch.zeros(len(fake_scores), 1)))", P06,
           "D's targets made with torch.ones(n, 1): on the CPU", says="mixes devices"),
    Mutant("lsgan_targets_on_cpu", "p07_other_losses",
           "return 0.5 * (real_scores - 1).pow(2).mean() + 0.5 * fake_scores.pow(2).mean()",
           "return (0.5 * F.mse_loss(real_scores, torch.ones(real_scores.shape))\n"
           "            + 0.5 * F.mse_loss(fake_scores, torch.zeros(fake_scores.shape)))", P07,
           "LSGAN's targets made on the CPU", says="mixes devices"),
    Mutant("astep_prior_on_cpu", "p11_anomaly_step", _ADV_D,
           "prior_logits, code_logits = latent_d(torch.randn(z.shape)), latent_d(z.detach())", P11,
           "the prior's samples drawn on the CPU", says="mixes devices"),
    # class 6, modes after a step (autograder.toolkit.modes)
    Mutant("vstep_left_in_eval", "p05_vae_step", "    optimizer.step()\n",
           "    optimizer.step()\n    vae.eval()  # done with this batch\n", P05,
           "the VAE switched to eval mode after its update", says="vae is left in evaluation mode"),
    Mutant("astep_latent_d_left_in_eval", "p11_anomaly_step", "    g_optimizer.zero_grad()\n    code_logits = latent_d(z)",
           "    g_optimizer.zero_grad()\n    latent_d.eval()  # latent_d only judges in the model's update\n"
           "    code_logits = latent_d(z)", P11, "latent_d switched to eval mode and never back",
           says="latent_d is left in evaluation mode"),
    # class 7, sizes where a constant differs from the argument
    Mutant("vae_decoder_hidden_fixed", "p02_vae", "nn.Sequential(nn.Linear(latent_dim, hidden), nn.ReLU(), "
           "nn.Linear(hidden, 28 * 28),", "nn.Sequential(nn.Linear(latent_dim, 400), nn.ReLU(), nn.Linear(400, 28 * 28),",
           P02, "the decoder's hidden width fixed at 400", says="use the arguments"),
    Mutant("ede_width_ignored", "p09_anomaly_networks",
           "self.encoder = Encoder(nz, width)\n        self.decoder = Decoder(nz, width)\n        self.encoder2 = Encoder(nz, width)",
           "self.encoder = Encoder(nz)\n        self.decoder = Decoder(nz)\n        self.encoder2 = Encoder(nz)", P09,
           "the three networks built with their default width 64", says="EncoderDecoderEncoder(12, 8) has"),
    Mutant("latent_d_hidden_fixed", "p09_anomaly_networks", "nn.Linear(nz, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, 1)",
           "nn.Linear(nz, 256), nn.LeakyReLU(0.2), nn.Linear(256, 1)", P09, "the hidden width fixed at 256",
           says="LatentDiscriminator(12, 24) has"),
    # class 8, messages that name the right fix (autograder.toolkit.steps)
    Mutant("vstep_step_before_backward", "p05_vae_step", "    loss.backward()\n    optimizer.step()",
           "    optimizer.step()\n    loss.backward()", P05, "step() before backward(): the VAE never moves",
           says="optimizer.step() was called before loss.backward()"),
    Mutant("astep_d_step_before_backward", "p11_anomaly_step", "    d_loss.backward()\n    d_optimizer.step()",
           "    d_optimizer.step()\n    d_loss.backward()", P11, "latent_d stepped before its backward()",
           says="d_optimizer.step() was called before loss.backward()"),
]

VARIANTS = [
    Variant("reparam_rsample", "p01_reparameterize", _EPS,
            "return torch.distributions.Normal(mu, std).rsample()", "the library's reparameterised sample"),
    Variant("reparam_randn_shape", "p01_reparameterize", _EPS,
            "eps = torch.randn(mu.shape, device=mu.device, dtype=mu.dtype)\n    return eps.mul(std).add(mu)",
            "torch.randn with an explicit shape and device"),
    Variant("vae_forward_inline_trick", "p02_vae", _FORWARD,
            "z = mu + torch.randn_like(mu) * torch.exp(logvar / 2)\n        return self.decode(z), mu, logvar",
            "the trick written inline in forward"),
    Variant("kl_with_square_of_std", "p03_kl_divergence", _KL,
            "std = torch.exp(0.5 * logvar)\n    return 0.5 * (mu ** 2 + std ** 2 - 1 - torch.log(std ** 2)).sum(dim=-1)",
            "the same formula rearranged, through sigma"),
    Variant("loss_bce_sum_divided", "p04_vae_loss", _REC,
            "reconstruction = F.binary_cross_entropy_with_logits(logits, x, reduction=\"sum\") / len(x)",
            "the sum over everything divided by the batch size"),
    Variant("minimax_logsigmoid", "p06_minimax_losses", _MINIMAX_G, "    return F.logsigmoid(-fake_scores).mean()",
            "log(1 − σ(f)) = logsigmoid(−f)"),
    Variant("nonsat_softplus", "p06_minimax_losses", _NONSAT, "    return F.softplus(-fake_scores).mean()",
            "−log σ(f) = softplus(−f)"),
    Variant("grad_loop", "p08_logit_gradients", "    s = scores.detach().clone().requires_grad_(True)\n    " + _GRAD +
            "\n    return grad",
            "    grads = []\n    for value in scores.detach():\n        one = value.view(1, 1).clone().requires_grad_(True)\n"
            "        g_loss(one).backward()\n        grads.append(one.grad.view(1, -1))\n    return torch.cat(grads)",
            "a loop over batches of one with backward()"),
    Variant("score_linalg_norm", "p10_anomaly_losses", _SCORE,
            "        return torch.linalg.vector_norm(z.flatten(1) - z_hat.flatten(1), dim=1)", "torch.linalg.vector_norm"),
    Variant("astep_recompute_codes", "p11_anomaly_step", "    code_logits = latent_d(z)\n",
            "    z, x_hat, z_hat = model(x)   # a fresh forward pass: the model has not changed yet\n"
            "    code_logits = latent_d(z)\n", "the model's forward pass run again for its own update"),
    # issue 20: more correct forms, all at full marks
    Variant("reparam_addcmul_normal_", "p01_reparameterize", "    " + _STD + "\n    " + _EPS,
            "    std = logvar.mul(0.5).exp()\n    eps = torch.empty_like(mu).normal_()\n    return torch.addcmul(mu, std, eps)",
            "eps filled in place with normal_(), z by torch.addcmul"),
    Variant("vae_functional_layers", "p02_vae", None, VAE_FUNCTIONAL,
            "separate Linear layers, F.relu in encode/decode, view instead of Flatten/Unflatten"),
    Variant("kl_distributions", "p03_kl_divergence", _KL,
            "q = torch.distributions.Normal(mu, torch.exp(0.5 * logvar))\n"
            "    p = torch.distributions.Normal(torch.zeros_like(mu), torch.ones_like(mu))\n"
            "    return torch.distributions.kl_divergence(q, p).sum(dim=1)", "torch.distributions' closed-form KL"),
    Variant("kl_independent", "p03_kl_divergence", _KL,
            "D = torch.distributions\n"
            "    q = D.Independent(D.Normal(mu, (0.5 * logvar).exp()), 1)\n"
            "    return D.kl_divergence(q, D.Independent(D.Normal(torch.zeros_like(mu), torch.ones_like(mu)), 1))",
            "an Independent Normal: the KL comes out per image"),
    Variant("loss_bce_module_sum_dims", "p04_vae_loss", _REC,
            'reconstruction = nn.BCEWithLogitsLoss(reduction="none")(logits, x).sum(dim=(1, 2, 3)).mean()',
            "the BCE module, summed over (C, H, W)"),
    Variant("loss_bernoulli_log_prob", "p04_vae_loss", _REC,
            "reconstruction = -torch.distributions.Bernoulli(logits=logits, validate_args=False).log_prob(x)"
            ".flatten(1).sum(1).mean()", "the negative log-likelihood of a Bernoulli with logits"),
    Variant("vstep_train_and_set_to_none", "p05_vae_step", "    optimizer.zero_grad()\n",
            "    vae.train()\n    vae.zero_grad(set_to_none=True)\n", "train mode set explicitly, the module's zero_grad"),
    Variant("minimax_d_softplus", "p06_minimax_losses",
            "    return (F.binary_cross_entropy_with_logits(real_scores, torch.ones_like(real_scores))\n"
            "            + F.binary_cross_entropy_with_logits(fake_scores, torch.zeros_like(fake_scores)))",
            "    return F.softplus(-real_scores).mean() + F.softplus(fake_scores).mean()",
            "−log σ(r) = softplus(−r), −log(1 − σ(f)) = softplus(f)"),
    Variant("lsgan_mse_loss", "p07_other_losses",
            "return 0.5 * (real_scores - 1).pow(2).mean() + 0.5 * fake_scores.pow(2).mean()",
            "return 0.5 * (F.mse_loss(real_scores, torch.ones_like(real_scores))\n"
            "                  + F.mse_loss(fake_scores, torch.zeros_like(fake_scores)))", "F.mse_loss against targets"),
    Variant("hinge_clamp", "p07_other_losses",
            "return F.relu(1 - real_scores).mean() + F.relu(1 + fake_scores).mean()",
            "return torch.clamp(1 - real_scores, min=0).mean() + torch.clamp(1 + fake_scores, min=0).mean()",
            "the hinge with torch.clamp"),
    Variant("grad_detach_requires_grad", "p08_logit_gradients",
            "    s = scores.detach().clone().requires_grad_(True)\n    " + _GRAD,
            "    s = scores.detach().requires_grad_()\n    (grad,) = torch.autograd.grad(g_loss(s) * s.shape[0], [s])",
            "a detached view (no clone) that requires grad"),
    Variant("latent_d_functional", "p09_anomaly_networks",
            "        self.net = nn.Sequential(nn.Flatten(), nn.Linear(nz, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, 1))"
            "\n\n    def forward(self, z):\n        return self.net(z)",
            "        self.fc1, self.fc2 = nn.Linear(nz, hidden), nn.Linear(hidden, 1)\n\n"
            "    def forward(self, z):\n        return self.fc2(F.leaky_relu(self.fc1(z.flatten(1)), 0.2))",
            "the latent discriminator's layers called one by one, F.leaky_relu"),
    Variant("enc_conv_bias_before_bn", "p09_anomaly_networks", "nn.Conv2d(ndf, 2 * ndf, 4, 2, 1, bias=False)",
            "nn.Conv2d(ndf, 2 * ndf, 4, 2, 1)", "a bias before BatchNorm (redundant, not wrong)"),
    Variant("anomaly_losses_functional", "p10_anomaly_losses",
            "return (x - x_hat).abs().mean(), (z - z_hat).pow(2).mean()", "return F.l1_loss(x_hat, x), F.mse_loss(z_hat, z)",
            "F.l1_loss and F.mse_loss"),
    Variant("score_inference_mode", "p10_anomaly_losses", "        with torch.no_grad():",
            "        with torch.inference_mode():", "torch.inference_mode() instead of torch.no_grad()"),
    Variant("astep_bce_module", "p11_anomaly_step", "F.binary_cross_entropy_with_logits", "nn.BCEWithLogitsLoss()",
            "the BCE-with-logits module instead of the function"),
    Variant("astep_latent_d_eval_restored", "p11_anomaly_step",
            "    code_logits = latent_d(z)\n    l_adv",
            "    latent_d.eval()\n    code_logits = latent_d(z)\n    latent_d.train()\n    l_adv",
            "latent_d in eval mode while it judges the codes, switched back at once"),
    Variant("reparam_global_device", "p01_reparameterize", _EPS,
            "return mu + std * torch.randn(mu.shape, device=device)", "eps on the notebook's device by its global name"),
    Variant("minimax_d_targets_with_device", "p06_minimax_losses",
            "(F.binary_cross_entropy_with_logits(real_scores, torch.ones_like(real_scores))\n"
            "            + F.binary_cross_entropy_with_logits(fake_scores, torch.zeros_like(fake_scores)))",
            "(F.binary_cross_entropy_with_logits(real_scores, torch.ones(len(real_scores), 1, device=real_scores.device))\n"
            "            + F.binary_cross_entropy_with_logits(fake_scores, torch.zeros(len(fake_scores), 1, "
            "device=fake_scores.device)))", "targets made with torch.ones(n, 1, device=scores.device)"),
    Variant("astep_x_to_device", "p11_anomaly_step", "    z, x_hat, z_hat = model(x)\n    d_optimizer.zero_grad()",
            "    x = x.to(device)  # the notebook's device\n    z, x_hat, z_hat = model(x)\n    d_optimizer.zero_grad()",
            "the batch moved to the notebook's device inside the step"),
]
