"""Realistic wrong answers for HW5, each with the check that must catch it, and correct variants that must pass.

A mutant edits one answer cell of the solution (its source with the solution markers removed):
``find`` is replaced by ``replace``. tests/test_checks.py proves that the solution and every variant pass
every check and that each mutant fails its own check only.
"""
from __future__ import annotations

from autograder.toolkit.mutant import Mutant, Variant

_G_IN = "h = torch.cat([z.reshape(len(z), -1), self.embed(labels)], dim=1)"
_G_NET = """        self.net = nn.Sequential(
            nn.Linear(nz + n_classes, hidden), nn.LeakyReLU(0.2),
            nn.Linear(hidden, 2 * hidden), nn.BatchNorm1d(2 * hidden), nn.LeakyReLU(0.2),
            nn.Linear(2 * hidden, 784), nn.Tanh())"""
_D_IN = "return self.net(torch.cat([x.flatten(1), self.embed(labels)], dim=1))"
_D_NET = """            nn.Linear(784 + n_classes, 2 * hidden), nn.LeakyReLU(0.2),
            nn.Linear(2 * hidden, hidden), nn.LeakyReLU(0.2),
            nn.Linear(hidden, 1))"""
_D_TERMS = "real_logits, fake_logits = D(real, labels), D(fake.detach(), fake_labels)"
_D_LOSS = "d_loss = bce(real_logits, torch.ones_like(real_logits)) + bce(fake_logits, torch.zeros_like(fake_logits))"
_G_LOSS = "g_loss = bce(fake_logits, torch.ones_like(fake_logits))"
_LABELS = "labels = torch.arange(n_classes, device=dev).repeat_interleave(n_per_class)"
_DRAW = """    with torch.no_grad():
        images = G(torch.randn(len(labels), nz, device=dev), labels)"""
_CONT = "cont = torch.rand(n, n_cont, device=device) * 2 - 1"
_CAT = "cat = torch.randint(0, n_cat, (n,), device=device)"
_INPUT = "return torch.cat([noise, F.one_hot(cat, n_cat).to(noise.dtype), cont], dim=1)"
_HEADS = "return self.d_head(h), q[:, :self.n_cat], q[:, self.n_cat:]"
_CE = "cat_term = F.cross_entropy(cat_logits, cat)"
_MSE = "cont_term = F.mse_loss(cont_mean, cont)"
_TOTAL = "return lambda_cat * cat_term + lambda_cont * cont_term, cat_term, cont_term"
_D_OPT = "d_optimizer = torch.optim.Adam([*D.trunk.parameters(), *D.d_head.parameters()], lr=lr_d, betas=betas)"
_G_OPT = "g_optimizer = torch.optim.Adam(G.parameters(), lr=lr_g, betas=betas)"
_INFO_OPT = """    info_optimizer = torch.optim.Adam([{"params": G.parameters(), "lr": lr_g},
                                       {"params": [*D.trunk.parameters(), *D.q_head.parameters()], "lr": lr_d}],"""
_INFO_IMAGES = "_, cat_logits, cont_mean = D(G(code))"
_INFO_LOSS = "loss, _, _ = info_loss(cat_logits, cont_mean, cat, cont)"

P01, P02, P03, P04, P05 = ("test_p01_cgenerator", "test_p02_cdiscriminator", "test_p03_cgan_step",
                           "test_p04_conditional_samples", "test_p05_codes")
P06, P07, P08, P09 = ("test_p06_info_discriminator", "test_p07_info_loss", "test_p08_info_optimizers",
                      "test_p09_infogan_step")

MUTANTS = [
    # p01: the conditional generator
    Mutant("cgen_raw_labels", "p01_cgenerator", _G_IN,
           "h = torch.cat([z.reshape(len(z), -1), labels.float().view(-1, 1).repeat(1, 10)], dim=1)", P01,
           "the raw label numbers instead of the embedding", says="gets no gradient"),
    Mutant("cgen_first_label_for_batch", "p01_cgenerator", "self.embed(labels)",
           "self.embed(labels[:1]).expand(len(z), -1)", P01, "the first label for the whole batch", says="own label"),
    Mutant("cgen_no_tanh", "p01_cgenerator", "nn.Linear(2 * hidden, 784), nn.Tanh())", "nn.Linear(2 * hidden, 784))",
           P01, "no output activation", says="Tanh"),
    Mutant("cgen_sigmoid", "p01_cgenerator", "nn.Tanh())", "nn.Sigmoid())", P01,
           "images in [0, 1] while the data are in [-1, 1]", says="Tanh"),
    Mutant("cgen_hidden_ignored", "p01_cgenerator", _G_NET, _G_NET.replace("2 * hidden", "512").replace("hidden", "256"),
           P01, "layer widths hard-coded", says="hidden argument"),
    Mutant("cgen_noise_not_flattened", "p01_cgenerator", "z.reshape(len(z), -1)", "z", P01,
           "N×nz×1×1 noise concatenated as it is", says="so flatten the noise first"),
    # p02: the conditional discriminator
    Mutant("cdisc_sigmoid", "p02_cdiscriminator", "nn.Linear(hidden, 1))", "nn.Linear(hidden, 1), nn.Sigmoid())", P02,
           "probabilities where the loss takes logits", says="probabilities"),
    Mutant("cdisc_first_label_for_batch", "p02_cdiscriminator", "self.embed(labels)",
           "self.embed(labels[:1]).expand(len(x), -1)", P02, "one label for the whole batch", says="own label"),
    Mutant("cdisc_embedding_detached", "p02_cdiscriminator", "self.embed(labels)", "self.embed(labels).detach()", P02,
           "the embedding never learns", says="gets no gradient"),
    Mutant("cdisc_hidden_ignored", "p02_cdiscriminator", _D_NET,
           _D_NET.replace("2 * hidden", "512").replace("hidden", "256").replace("(256, 1)", "(256, 1)"), P02,
           "layer widths hard-coded", says="hidden argument"),
    # p03: the CGAN step
    Mutant("cstep_no_d_zero_grad", "p03_cgan_step", "    d_optimizer.zero_grad()\n", "", P03,
           "stale gradients in D's update", says="D's weights differ"),
    Mutant("cstep_no_g_zero_grad", "p03_cgan_step", "    g_optimizer.zero_grad()\n", "", P03,
           "D's loss leaks into G's update", says="G's weights differ"),
    Mutant("cstep_fakes_with_real_labels", "p03_cgan_step", _D_TERMS,
           "real_logits, fake_logits = D(real, labels), D(fake.detach(), labels)", P03,
           "the fakes judged with the real batch's labels", says="labels G was asked for"),
    Mutant("cstep_g_saturating", "p03_cgan_step", _G_LOSS, "g_loss = -bce(fake_logits, torch.zeros_like(fake_logits))",
           P03, "the saturating minimax loss for G", says="non-saturating"),
    Mutant("cstep_d_loss_averaged", "p03_cgan_step", _D_LOSS, f"d_loss = ({_D_LOSS[9:]}) / 2", P03,
           "the two terms averaged", says="added, not averaged"),
    Mutant("cstep_fake_not_detached", "p03_cgan_step", "D(fake.detach(), fake_labels)", "D(fake, fake_labels)", P03,
           "D's backward() frees G's graph, so G's update crashes"),
    Mutant("cstep_no_d_step", "p03_cgan_step", "    d_loss.backward()\n    d_optimizer.step()\n",
           "    d_loss.backward()\n", P03, "D never updated", says="d_optimizer.step() never"),
    # p04: samples per class
    Mutant("samples_train_mode", "p04_conditional_samples", "    G.eval()\n", "", P04,
           "BatchNorm's batch statistics while sampling", says="eval mode"),
    Mutant("samples_always_train_after", "p04_conditional_samples", "G.train(was_training)", "G.train()", P04,
           "a generator in eval mode is switched to training", says="stay in eval mode"),
    Mutant("samples_left_in_eval", "p04_conditional_samples", "    G.train(was_training)\n", "", P04,
           "G left in eval mode", says="training mode afterwards"),
    Mutant("samples_repeat", "p04_conditional_samples", "repeat_interleave(n_per_class)", "repeat(n_per_class)", P04,
           "classes interleaved: 0, 1, 2, …, 0, 1, 2", says="repeat_interleave"),
    Mutant("samples_with_graph", "p04_conditional_samples", _DRAW, _DRAW.replace("with torch.no_grad():", "if True:"),
           P04, "a graph kept for every sample", says="torch.no_grad"),
    Mutant("samples_one_noise", "p04_conditional_samples", "torch.randn(len(labels), nz, device=dev)",
           "torch.randn(1, nz, device=dev).expand(len(labels), -1)", P04, "the same noise for every image",
           says="own noise"),
    # p05: codes
    Mutant("codes_cont_normal", "p05_codes", _CONT, "cont = torch.randn(n, n_cont, device=device)", P05,
           "normal continuous codes", says="[-1, 1]"),
    Mutant("codes_cont_zero_one", "p05_codes", _CONT, "cont = torch.rand(n, n_cont, device=device)", P05,
           "continuous codes in [0, 1)", says="[-1, 1]"),
    Mutant("codes_cat_one_hot", "p05_codes", _CAT,
           "cat = F.one_hot(torch.randint(0, n_cat, (n,), device=device), n_cat)", P05,
           "one-hot categories from sample_codes", says="One integer per image"),
    Mutant("codes_uniform_noise", "p05_codes", "noise = torch.randn(n, n_noise, device=device)",
           "noise = torch.rand(n, n_noise, device=device)", P05, "uniform noise", says="standard normal"),
    Mutant("codes_ten_categories", "p05_codes", _CAT, "cat = torch.randint(0, 10, (n,), device=device)", P05,
           "n_cat ignored", says="uniform over"),
    Mutant("input_wrong_order", "p05_codes", _INPUT,
           "return torch.cat([F.one_hot(cat, n_cat).to(noise.dtype), noise, cont], dim=1)", P05,
           "the one-hot code before the noise", says="order"),
    Mutant("input_raw_category", "p05_codes", _INPUT, "return torch.cat([noise, cat.float().unsqueeze(1), cont], dim=1)",
           P05, "the category number instead of its one-hot vector", says="one_hot"),
    Mutant("input_ten_categories", "p05_codes", "F.one_hot(cat, n_cat)", "F.one_hot(cat, 10)", P05,
           "n_cat ignored in the one-hot vector", says="n_cat argument"),
    # p06: the discriminator with its Q head
    Mutant("info_category_softmax", "p06_info_discriminator", _HEADS,
           "return self.d_head(h), q[:, :self.n_cat].softmax(dim=1), q[:, self.n_cat:]", P06,
           "category probabilities where the loss takes logits", says="probabilities"),
    Mutant("info_d_sigmoid", "p06_info_discriminator", _HEADS,
           "return torch.sigmoid(self.d_head(h)), q[:, :self.n_cat], q[:, self.n_cat:]", P06,
           "D's probabilities where the loss takes logits", says="probabilities"),
    Mutant("info_q_detached_features", "p06_info_discriminator", "q = self.q_head(h)", "q = self.q_head(h.detach())",
           P06, "Q does not train the shared trunk", says="trunk's features"),
    Mutant("info_cont_tanh", "p06_info_discriminator", _HEADS,
           "return self.d_head(h), q[:, :self.n_cat], torch.tanh(q[:, self.n_cat:])", P06,
           "the means squashed into (-1, 1)", says="no Tanh"),
    Mutant("info_q_from_d_head_features", "p06_info_discriminator", "q = self.q_head(h)",
           "q = self.q_head(h) + self.d_head(h)", P06, "Q's outputs mixed with D's logit", says="not d_head"),
    # p07: the information loss
    Mutant("loss_softmax_first", "p07_info_loss", _CE, "cat_term = F.cross_entropy(cat_logits.softmax(dim=1), cat)",
           P07, "softmax before the cross-entropy", says="softmax"),
    Mutant("loss_nll_on_logits", "p07_info_loss", _CE, "cat_term = F.nll_loss(cat_logits, cat)", P07,
           "nll_loss given logits", says="log-probabilities"),
    Mutant("loss_l1", "p07_info_loss", _MSE, "cont_term = F.l1_loss(cont_mean, cont)", P07,
           "absolute error for the continuous codes", says="L1"),
    Mutant("loss_mse_summed_over_codes", "p07_info_loss", _MSE, "cont_term = (cont_mean - cont).pow(2).sum(1).mean()",
           P07, "squared error summed over the codes", says="summed over the codes"),
    Mutant("loss_lambdas_swapped", "p07_info_loss", _TOTAL,
           "return lambda_cont * cat_term + lambda_cat * cont_term, cat_term, cont_term", P07, "λs swapped",
           says="swapped"),
    Mutant("loss_fixed_lambdas", "p07_info_loss", _TOTAL, "return 1.0 * cat_term + 0.1 * cont_term, cat_term, cont_term",
           P07, "the default λs hard-coded", says="arguments lambda_cat"),
    Mutant("loss_no_cont_lambda", "p07_info_loss", _TOTAL, "return lambda_cat * cat_term + cont_term, cat_term, cont_term",
           P07, "the continuous term without its λ", says="has no λ"),
    Mutant("loss_maximised", "p07_info_loss", _TOTAL,
           "return -(lambda_cat * cat_term + lambda_cont * cont_term), cat_term, cont_term", P07,
           "L_I's sign taken for the loss", says="reversed"),
    # p08: the optimisers
    Mutant("opt_info_without_g", "p08_info_optimizers", _INFO_OPT,
           '    info_optimizer = torch.optim.Adam([{"params": [*D.trunk.parameters(), *D.q_head.parameters()], "lr": lr_d}],',
           P08, "the information term trains Q only", says="does not hold G"),
    Mutant("opt_info_g_only", "p08_info_optimizers", _INFO_OPT,
           '    info_optimizer = torch.optim.Adam([{"params": G.parameters(), "lr": lr_g}],', P08,
           "the information term trains G only", says="does not hold the trunk and q_head"),
    Mutant("opt_info_without_trunk", "p08_info_optimizers", _INFO_OPT,
           '    info_optimizer = torch.optim.Adam([{"params": G.parameters(), "lr": lr_g},\n'
           '                                       {"params": D.q_head.parameters(), "lr": lr_d}],', P08,
           "Q's shared trunk left out", says="does not hold the trunk"),
    Mutant("opt_info_one_learning_rate", "p08_info_optimizers", _INFO_OPT,
           "    info_optimizer = torch.optim.Adam([*G.parameters(), *D.trunk.parameters(), *D.q_head.parameters()], lr=lr_d,",
           P08, "G's information update at D's learning rate (five times too slow)", says="two parameter groups"),
    Mutant("opt_g_holds_d", "p08_info_optimizers", _G_OPT,
           "g_optimizer = torch.optim.Adam([*G.parameters(), *D.parameters()], lr=lr_g, betas=betas)", P08,
           "G's update also moves D", says="D to be fooled"),
    Mutant("opt_learning_rates_swapped", "p08_info_optimizers", _D_OPT, _D_OPT.replace("lr=lr_d", "lr=lr_g"), P08,
           "D trained at G's learning rate", says="learning rate"),
    Mutant("opt_default_betas", "p08_info_optimizers", "betas = (0.5, 0.999)", "betas = (0.9, 0.999)", P08,
           "Adam's default momentum", says="betas"),
    # p09: the InfoGAN step
    Mutant("istep_no_info_zero_grad", "p09_infogan_step", "    info_optimizer.zero_grad()\n", "", P09,
           "G's loss leaks into the information update", says="info_optimizer.zero_grad()"),
    Mutant("istep_no_d_zero_grad", "p09_infogan_step", "    d_optimizer.zero_grad()\n", "", P09,
           "stale gradients in D's update", says="real/fake head differs"),
    Mutant("istep_no_info_step", "p09_infogan_step", "    info_optimizer.step()\n", "", P09,
           "the information loss never applied", says="info_optimizer.step() never"),
    Mutant("istep_info_on_old_fakes", "p09_infogan_step", _INFO_IMAGES, "_, cat_logits, cont_mean = D(fake)", P09,
           "the fakes of before G's update (their graph is gone)", says="drawn before G's update"),
    Mutant("istep_info_lambdas_one", "p09_infogan_step", _INFO_LOSS,
           "loss, _, _ = info_loss(cat_logits, cont_mean, cat, cont, 1.0, 1.0)", P09, "λ_cont = 1", says="info"),
    Mutant("istep_q_acc_summed", "p09_infogan_step", "(cat_logits.argmax(dim=1) == cat).float().mean()",
           "(cat_logits.argmax(dim=1) == cat).float().sum()", P09, "a count, not a share", says="q_acc"),
    Mutant("istep_g_saturating", "p09_infogan_step", _G_LOSS, "g_loss = -bce(fake_logits, torch.zeros_like(fake_logits))",
           P09, "the saturating minimax loss for G", says="non-saturating"),
    # the architecture beyond its first layer (autograder.toolkit.structure): each caught by its own network's check
    Mutant("cgen_embedding_of_ten", "p01_cgenerator", "self.embed = nn.Embedding(n_classes, n_classes)",
           "self.embed = nn.Embedding(10, n_classes)", "test_p01_cgenerator",
           "an embedding of 10 rows whatever n_classes is", says="needs one per class (5)"),
    Mutant("cgen_no_batchnorm", "p01_cgenerator",
           "nn.Linear(hidden, 2 * hidden), nn.BatchNorm1d(2 * hidden), nn.LeakyReLU(0.2),",
           "nn.Linear(hidden, 2 * hidden), nn.LeakyReLU(0.2),", "test_p01_cgenerator",
           "the BatchNorm1d of the second layer left out", says="asks for 1: BatchNorm1d"),
    Mutant("cgen_relu", "p01_cgenerator", "nn.Linear(nz + n_classes, hidden), nn.LeakyReLU(0.2),",
           "nn.Linear(nz + n_classes, hidden), nn.ReLU(),", "test_p01_cgenerator",
           "ReLU where the table asks for LeakyReLU(0.2)", says="uses ReLU"),
    Mutant("cdisc_relu", "p02_cdiscriminator", "nn.Linear(2 * hidden, hidden), nn.LeakyReLU(0.2),",
           "nn.Linear(2 * hidden, hidden), nn.ReLU(),", "test_p02_cdiscriminator",
           "ReLU where the table asks for LeakyReLU(0.2)", says="uses ReLU"),
    Mutant("cdisc_embedding_of_ten", "p02_cdiscriminator", "self.embed = nn.Embedding(n_classes, n_classes)",
           "self.embed = nn.Embedding(10, n_classes)", "test_p02_cdiscriminator",
           "an embedding of 10 rows whatever n_classes is", says="needs one per class (5)"),
    Mutant("info_q_head_shallow", "p06_info_discriminator",
           "self.q_head = nn.Sequential(nn.Linear(16 * width, 2 * width), nn.BatchNorm1d(2 * width), "
           "nn.LeakyReLU(0.1),\n                                    nn.Linear(2 * width, n_cat + n_cont))",
           "self.q_head = nn.Sequential(nn.Linear(16 * width, n_cat + n_cont))", "test_p06_info_discriminator",
           "Q's head one Linear layer instead of two", says="normalisation layer"),
    Mutant("info_trunk_without_batchnorm1d", "p06_info_discriminator",
           "nn.Linear(2 * width * 7 * 7, 16 * width), nn.BatchNorm1d(16 * width), nn.LeakyReLU(0.1))",
           "nn.Linear(2 * width * 7 * 7, 16 * width), nn.LeakyReLU(0.1))", "test_p06_info_discriminator",
           "the trunk's last BatchNorm1d left out", says="asks for 3"),
    Mutant("info_leaky_slope_02", "p06_info_discriminator",
           "nn.Conv2d(1, width, 4, 2, 1), nn.LeakyReLU(0.1),", "nn.Conv2d(1, width, 4, 2, 1), nn.LeakyReLU(0.2),",
           "test_p06_info_discriminator", "the first LeakyReLU with slope 0.2 instead of 0.1", says="LeakyReLU(0.2)"),
    # the device, observable on a CPU-only grader through the meta device
    Mutant("codes_noise_on_cpu", "p05_codes", "noise = torch.randn(n, n_noise, device=device)",
           "noise = torch.randn(n, n_noise)", "test_p05_codes", "the noise made on the CPU whatever the device",
           says="gave tensors on cpu, meta"),
    Mutant("codes_categories_on_cpu", "p05_codes", "cat = torch.randint(0, n_cat, (n,), device=device)",
           "cat = torch.randint(0, n_cat, (n,))", "test_p05_codes", "the categories made on the CPU",
           says="device=device"),
    # freshness and reuse: the step uses the noise, labels and codes it is given, and draws the images again
    Mutant("cstep_redraws_z", "p03_cgan_step", "    fake = G(z, fake_labels)\n",
           "    z = torch.randn(len(real), z.shape[1], device=real.device)  # fresh noise for this step\n"
           "    fake = G(z, fake_labels)\n", P03, "new noise drawn inside the step instead of the given z",
           says="noise other than the z it was given"),
    Mutant("cstep_redraws_fake_labels", "p03_cgan_step", "    fake = G(z, fake_labels)\n",
           "    fake_labels = torch.randint(0, 10, (len(real),), device=real.device)\n    fake = G(z, fake_labels)\n",
           P03, "new labels drawn for the fakes inside the step", says="labels other than the fake_labels"),
    Mutant("cstep_fakes_of_the_real_labels", "p03_cgan_step", "    fake = G(z, fake_labels)\n",
           "    fake_labels = labels  # the fakes get the batch's labels\n    fake = G(z, fake_labels)\n", P03,
           "the fakes drawn (and judged) with the real batch's labels", says="real images' labels"),
    Mutant("istep_redraws_codes", "p09_infogan_step", "    code = info_input(noise, cat, cont)\n",
           "    noise, cat, cont = sample_codes(len(real), real.device)  # fresh codes for this batch\n"
           "    code = info_input(noise, cat, cont)\n", P09, "new codes drawn inside the step with sample_codes",
           says="called sample_codes"),
    Mutant("istep_redraws_noise", "p09_infogan_step", "    code = info_input(noise, cat, cont)\n",
           "    code = info_input(torch.randn_like(noise), cat, cont)\n", P09, "new noise drawn inside the step",
           says="input other than info_input(noise, cat, cont)"),
    Mutant("istep_info_on_detached_fakes", "p09_infogan_step", _INFO_IMAGES,
           "_, cat_logits, cont_mean = D(fake.detach())", P09,
           "the information update reuses G's images of before its update instead of drawing them again",
           says="drawn before G's update"),
    # modes: a step leaves (and uses) both networks in training mode
    Mutant("cstep_g_eval_for_fakes", "p03_cgan_step", "    fake = G(z, fake_labels)\n",
           "    G.eval()  # draw the fakes as conditional_samples does\n    fake = G(z, fake_labels)\n", P03,
           "G switched to eval mode to draw the fakes and left there", says="called G in evaluation mode"),
    Mutant("cstep_d_eval_during_g_update", "p03_cgan_step", "    fake_logits = D(fake, fake_labels)\n",
           "    D.eval()  # D only judges during G's update\n    fake_logits = D(fake, fake_labels)\n    D.train()\n",
           P03, "D in eval mode for G's update (switched back afterwards)", says="called D in evaluation mode"),
    Mutant("istep_d_eval_for_g_update", "p09_infogan_step", "    fake_logits = D(fake)[0]\n",
           "    D.eval()  # D only judges during G's update\n    fake_logits = D(fake)[0]\n", P09,
           "D switched to eval mode for G's update and left there", says="called D in evaluation mode"),
    # the device of conditional_samples, seen with G on the meta device
    Mutant("samples_labels_on_notebook_device", "p04_conditional_samples", _LABELS,
           "labels = torch.arange(n_classes, device=device).repeat_interleave(n_per_class)", P04,
           "the labels on the notebook's device instead of G's", says="mixes devices"),
    Mutant("samples_noise_on_cpu", "p04_conditional_samples", "torch.randn(len(labels), nz, device=dev)",
           "torch.randn(len(labels), nz)", P04, "the noise made on the CPU whatever G's device",
           says="Make the labels and the noise on G's device"),
    # sizes that must not coincide: a one-hot vector sized by the largest category drawn
    Mutant("input_one_hot_without_width", "p05_codes", "F.one_hot(cat, n_cat)", "F.one_hot(cat)", P05,
           "F.one_hot without n_cat: as many columns as the largest category + 1", says="F.one_hot(cat, n_cat)"),
    # concatenations along the batch: the error explained, not shown raw
    Mutant("cgen_cat_batch_dim", "p01_cgenerator", _G_IN, _G_IN.replace("dim=1", "dim=0"), P01,
           "noise and embedding concatenated along the batch", says="join them along dim=1"),
    Mutant("cdisc_cat_batch_dim", "p02_cdiscriminator", _D_IN, _D_IN.replace("dim=1", "dim=0"), P02,
           "image and embedding concatenated along the batch", says="join them along dim=1"),
    Mutant("cgen_first_layer_ten_classes", "p01_cgenerator", "nn.Linear(nz + n_classes, hidden)",
           "nn.Linear(nz + 10, hidden)", P01, "the first layer sized for 10 classes whatever n_classes is",
           says="It works with n_classes=10"),
    Mutant("cdisc_first_layer_ten_classes", "p02_cdiscriminator", "nn.Linear(784 + n_classes, 2 * hidden)",
           "nn.Linear(784 + 10, 2 * hidden)", P02, "the first layer sized for 10 classes whatever n_classes is",
           says="It works with n_classes=10"),
    Mutant("input_cat_batch_dim", "p05_codes", _INPUT, _INPUT.replace("dim=1", "dim=0"), P05,
           "the three codes concatenated along the batch", says="join them along dim=1"),
    Mutant("istep_info_step_before_backward", "p09_infogan_step", "    loss.backward()\n    info_optimizer.step()\n",
           "    info_optimizer.step()\n    loss.backward()\n", P09, "the information step taken before its backward()",
           says="info_optimizer.step() was called before loss.backward()"),
    # gradient paths inside the student's networks
    Mutant("cgen_batchnorm_unused", "p01_cgenerator", _G_NET,
           _G_NET.replace("nn.BatchNorm1d(2 * hidden), ", "") + "\n        self.norm = nn.BatchNorm1d(2 * hidden)", P01,
           "the BatchNorm1d built as its own attribute and never applied in forward", says="BatchNorm1d) weight"),
    Mutant("info_d_head_detached_features", "p06_info_discriminator", _HEADS,
           "return self.d_head(h.detach()), q[:, :self.n_cat], q[:, self.n_cat:]", P06,
           "D's head on detached features: the trunk learns from Q only", says="from D's logits leaves no gradient"),
    # outputs that must stay unbounded
    Mutant("cdisc_tanh_out", "p02_cdiscriminator", _D_IN,
           "return torch.tanh(self.net(torch.cat([x.flatten(1), self.embed(labels)], dim=1)))", P02,
           "D's scores squashed by a Tanh", says="bounded range"),
    Mutant("info_cont_clamped", "p06_info_discriminator", _HEADS,
           "return self.d_head(h), q[:, :self.n_cat], q[:, self.n_cat:].clamp(-1, 1)", P06,
           "the means clamped to the codes' range [-1, 1]", says="clamp on the means"),
    Mutant("info_category_sigmoid", "p06_info_discriminator", _HEADS,
           "return self.d_head(h), torch.sigmoid(q[:, :self.n_cat]), q[:, self.n_cat:]", P06,
           "a Sigmoid on each category's score", says="category logits (each row centred)"),
]

VARIANTS = [
    Variant("cgen_label_first", "p01_cgenerator", _G_IN,
            "h = torch.cat([self.embed(labels), z.flatten(1)], dim=1)", "the embedding before the noise"),
    Variant("cdisc_one_batch_of_pairs", "p03_cgan_step", _D_TERMS,
            "both = D(torch.cat([real, fake.detach()]), torch.cat([labels, fake_labels]))\n"
            "    real_logits, fake_logits = both[:len(real)], both[len(real):]",
            "real and fake pairs through D in one batch (no BatchNorm in D)"),
    Variant("samples_try_finally", "p04_conditional_samples", _DRAW + "\n    G.train(was_training)",
            "    try:\n        with torch.inference_mode():\n            images = G(torch.randn(len(labels), nz, "
            "device=dev), labels)\n    finally:\n        G.train(was_training)",
            "inference_mode, the mode restored in a finally block"),
    Variant("codes_uniform_", "p05_codes", _CONT, "cont = torch.empty(n, n_cont, device=device).uniform_(-1, 1)",
            "uniform_ in place"),
    Variant("input_eye_rows", "p05_codes", _INPUT,
            "return torch.cat([noise, torch.eye(n_cat, device=cat.device)[cat], cont], 1)", "one-hot rows of an identity"),
    Variant("info_split", "p06_info_discriminator", _HEADS,
            "cat_logits, cont_mean = q.split([self.n_cat, q.shape[1] - self.n_cat], dim=1)\n"
            "        return self.d_head(h), cat_logits, cont_mean", "torch.split"),
    Variant("loss_log_softmax", "p07_info_loss", _CE, "cat_term = F.nll_loss(F.log_softmax(cat_logits, dim=1), cat)",
            "log-softmax then NLL"),
    Variant("loss_mse_by_hand", "p07_info_loss", _MSE, "cont_term = ((cont_mean - cont) ** 2).mean()",
            "the squared error written out"),
    Variant("opt_whole_networks", "p08_info_optimizers", _D_OPT + "\n    " + _G_OPT + "\n" + _INFO_OPT,
            "d_optimizer = torch.optim.Adam(D.parameters(), lr=lr_d, betas=betas)\n    " + _G_OPT +
            '\n    info_optimizer = torch.optim.Adam([{"params": G.parameters(), "lr": lr_g},\n'
            '                                       {"params": D.parameters(), "lr": lr_d}],',
            "D's optimiser over all of D and the information optimiser over G and all of D (d_head gets no "
            "gradient from the information loss)"),
    Variant("istep_code_rebuilt", "p09_infogan_step", _INFO_IMAGES,
            "_, cat_logits, cont_mean = D(G(info_input(noise, cat, cont)))", "the code rebuilt for the second draw"),
    Variant("cgen_no_bias_before_batchnorm", "p01_cgenerator",
            "nn.Linear(hidden, 2 * hidden), nn.BatchNorm1d(2 * hidden)",
            "nn.Linear(hidden, 2 * hidden, bias=False), nn.BatchNorm1d(2 * hidden)",
            "no bias before BatchNorm (it would be cancelled by the normalisation)"),
    Variant("cdisc_functional_activations", "p02_cdiscriminator",
            "return self.net(torch.cat([x.flatten(1), self.embed(labels)], dim=1))",
            "h = torch.cat([x.flatten(1), self.embed(labels)], dim=1)\n"
            "        layers = [m for m in self.net if isinstance(m, nn.Linear)]\n"
            "        h = F.leaky_relu(layers[0](h), 0.2)\n        h = F.leaky_relu(layers[1](h), 0.2)\n"
            "        return layers[2](h)", "the activations applied with F.leaky_relu in forward"),
    Variant("cgen_cat_last_dim", "p01_cgenerator", _G_IN, _G_IN.replace("dim=1", "dim=-1"),
            "the concatenation along dim=-1 (the features of N×k tensors)"),
    Variant("cgen_unflatten_module", "p01_cgenerator", "nn.Linear(2 * hidden, 784), nn.Tanh())\n",
            "nn.Linear(2 * hidden, 784), nn.Tanh(), nn.Unflatten(1, (1, 28, 28)))\n", "nn.Unflatten as the last "
            "module; its .view(-1, 1, 28, 28) then changes nothing"),
    Variant("cstep_fakes_drawn_again", "p03_cgan_step", "    fake_logits = D(fake, fake_labels)\n",
            "    fake_logits = D(G(z, fake_labels), fake_labels)\n",
            "G's update draws the fakes again from the same z and fake_labels (G has not changed since)"),
    Variant("samples_noise_moved", "p04_conditional_samples", "torch.randn(len(labels), nz, device=dev)",
            "torch.randn(len(labels), nz).to(dev)", "the noise drawn on the CPU and moved to G's device"),
    Variant("codes_distributions_uniform", "p05_codes", _CONT,
            "cont = torch.distributions.Uniform(torch.tensor(-1.0, device=device), torch.tensor(1.0, device=device))"
            ".sample((n, n_cont))", "torch.distributions.Uniform"),
    Variant("info_category_log_softmax", "p06_info_discriminator", _HEADS,
            "return self.d_head(h), F.log_softmax(q[:, :self.n_cat], dim=1), q[:, self.n_cat:]",
            "log-probabilities as the category logits (F.cross_entropy gives the same loss)"),
    Variant("loss_distributions_categorical", "p07_info_loss", _CE,
            "cat_term = -torch.distributions.Categorical(logits=cat_logits).log_prob(cat).mean()",
            "the cross-entropy as the mean negative log-likelihood of torch.distributions.Categorical"),
    Variant("opt_itertools_chain", "p08_info_optimizers", _D_OPT,
            "import itertools\n    d_optimizer = torch.optim.Adam(itertools.chain(D.trunk.parameters(), "
            "D.d_head.parameters()), lr=lr_d, betas=betas)", "D's parameters chained by itertools"),
    Variant("istep_fakes_drawn_again_for_g", "p09_infogan_step", "    fake_logits = D(fake)[0]\n",
            "    fake_logits = D(G(code))[0]\n",
            "G's update draws the fakes again from the same code (G has not changed since D's update)"),
    Variant("istep_bce_module", "p09_infogan_step", "bce = F.binary_cross_entropy_with_logits",
            "bce = nn.BCEWithLogitsLoss()", "the BCE loss as a module"),
]
