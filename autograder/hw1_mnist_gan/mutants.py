"""Realistic wrong answers for HW1, each with the check that must catch it.

A mutant edits one answer cell of the solution: ``find`` is replaced by ``replace`` (or the
whole cell by ``replace`` when ``find`` is None). tests/test_hw1_mutants.py proves that the
solution passes every check and that each mutant fails its check.
"""
from __future__ import annotations

from autograder.toolkit.mutant import Mutant, Variant  # noqa: F401

GENERATOR_29x29 = '''
class Generator(nn.Module):
    def __init__(self, z_dim=100):
        super().__init__()
        self.fc = nn.Sequential(nn.Linear(z_dim, 7 * 7 * 128), nn.Unflatten(1, (128, 7, 7)),
                                nn.BatchNorm2d(128), nn.ReLU())
        self.net = nn.Sequential(
            nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
            nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.ConvTranspose2d(32, 1, 4, 1, 1), nn.Tanh(),
        )

    def forward(self, z):
        return self.net(self.fc(z))
'''

GENERATOR_29x29_OUTPUT_PADDING = GENERATOR_29x29.replace("nn.ConvTranspose2d(64, 32, 4, 2, 1)",
                                                          "nn.ConvTranspose2d(64, 32, 4, 2, 1, output_padding=1)").replace(
    "nn.ConvTranspose2d(32, 1, 4, 1, 1)", "nn.ConvTranspose2d(32, 1, 3, 1, 1)")

MUTANTS = [
    Mutant("hyper_epochs_lowered", "p01_hyperparameters", "n_epochs = 100", "n_epochs = 2",
           "test_p01_hyperparameters", "lowers n_epochs by hand instead of relying on fast mode"),
    Mutant("hyper_lr_too_high", "p01_hyperparameters", "d_lr = 2e-4", "d_lr = 0.1",
           "test_p01_hyperparameters", "a learning rate far too large for Adam"),
    Mutant("loader_test_shuffled", "p02_dataloaders", "test_set, batch_size=batch_size, shuffle=False",
           "test_set, batch_size=batch_size, shuffle=True", "test_p02_dataloaders", "test loader shuffled"),
    Mutant("loader_train_not_shuffled", "p02_dataloaders", "train_set, batch_size=batch_size, shuffle=True",
           "train_set, batch_size=batch_size", "test_p02_dataloaders", "training loader does not shuffle"),
    Mutant("disc_no_sigmoid", "p03_discriminator", "nn.Linear(256, 1), nn.Sigmoid(),", "nn.Linear(256, 1),",
           "test_p03_discriminator", "Sigmoid missing before BCELoss"),
    Mutant("disc_flat_output", "p03_discriminator", "return self.net(x)", "return self.net(x).view(-1)",
           "test_p03_discriminator", "returns N instead of N×1"),
    Mutant("gen_no_tanh", "p04_generator", "nn.Linear(1024, 784), nn.Tanh(),", "nn.Linear(1024, 784),",
           "test_p04_generator", "Tanh missing"),
    Mutant("gen_sigmoid_output", "p04_generator", "nn.Linear(1024, 784), nn.Tanh(),",
           "nn.Linear(1024, 784), nn.Sigmoid(),", "test_p04_generator", "Sigmoid instead of Tanh: images in [0, 1]"),
    Mutant("gen_29x29", "p04_generator", None, GENERATOR_29x29, "test_p04_generator",
           "seed 003's last layer ConvTranspose2d(32, 1, 4, 1, 1) gives 29×29"),
    Mutant("gen_29x29_output_padding", "p04_generator", None, GENERATOR_29x29_OUTPUT_PADDING, "test_p04_generator",
           "output_padding=1 on a stride-2 layer makes 14×14 into 29×29 (the last layer is right)",
           says="output_padding"),
    Mutant("gen_detached_output", "p04_generator", "        return self.net(z).view(-1, 1, 28, 28)",
           "        return self.net(z).detach().view(-1, 1, 28, 28)", "test_p04_generator",
           "the images detached inside forward: no layer of G could ever learn", says="no gradient in"),
    Mutant("gen_no_grad_hidden", "p04_generator", "        return self.net(z).view(-1, 1, 28, 28)",
           "        with torch.no_grad():\n            h = self.net[:4](z)\n"
           "        return self.net[4:](h).view(-1, 1, 28, 28)", "test_p04_generator",
           "the first layers run under torch.no_grad(): only the last layers learn", says="layer net.0 (Linear)"),
    Mutant("gen_ignores_z_dim", "p04_generator", "nn.Linear(z_dim, 256)", "nn.Linear(100, 256)",
           "test_p04_generator", "first layer hard-codes 100 inputs"),
    Mutant("models_not_on_device", "p05_models_on_device", "G = Generator(z_dim).to(device)", "G = Generator(z_dim)",
           "test_p05_models_on_device", "generator left on the CPU"),
    Mutant("models_eval_mode", "p05_models_on_device", "    return G, D", "    return G.eval(), D",
           "test_p05_models_on_device", "G returned in eval mode: BatchNorm would use running statistics in training",
           says="eval mode"),
    Mutant("optimizers_swapped", "p06_optimizers", "return d_optimizer, g_optimizer", "return g_optimizer, d_optimizer",
           "test_p06_optimizers", "optimisers swapped between the networks"),
    Mutant("optimizers_same_lr", "p06_optimizers", "G.parameters(), lr=g_lr", "G.parameters(), lr=d_lr",
           "test_p06_optimizers", "G's optimiser uses D's learning rate"),
    Mutant("noise_uniform", "p07_inputs_on_device", "torch.randn(batch_size, z_dim, device=device)",
           "torch.rand(batch_size, z_dim, device=device)", "test_p07_inputs_on_device", "uniform noise instead of normal"),
    Mutant("noise_on_cpu", "p07_inputs_on_device", "torch.randn(batch_size, z_dim, device=device)",
           "torch.randn(batch_size, z_dim)", "test_p07_inputs_on_device", "noise created on the CPU"),
    Mutant("images_not_moved", "p07_inputs_on_device", "return images.to(device)", "return images",
           "test_p07_inputs_on_device", "real images never moved to the device"),
    Mutant("d_fake_not_detached", "p08_discriminator_step", "D(G(noise).detach())", "D(G(noise))",
           "test_p08_discriminator_step", "fake images not detached: D's loss backpropagates into G"),
    Mutant("d_labels_swapped", "p08_discriminator_step",
           "bce(real_out, torch.ones_like(real_out)) + bce(fake_out, torch.zeros_like(fake_out))",
           "bce(real_out, torch.zeros_like(real_out)) + bce(fake_out, torch.ones_like(fake_out))",
           "test_p08_discriminator_step", "real labelled 0 and fake 1"),
    Mutant("d_no_zero_grad", "p08_discriminator_step", "    d_optimizer.zero_grad()\n", "",
           "test_p08_discriminator_step", "zero_grad missing: stale gradients accumulate"),
    Mutant("d_no_step", "p08_discriminator_step", "    d_optimizer.step()\n", "",
           "test_p08_discriminator_step", "optimizer.step() missing"),
    Mutant("d_zero_grad_between_backward_and_step", "p08_discriminator_step",
           "    loss.backward()\n    d_optimizer.step()",
           "    loss.backward()\n    d_optimizer.zero_grad()\n    d_optimizer.step()", "test_p08_discriminator_step",
           "zero_grad() between backward() and step(): the step sees no gradient", says="had cleared the gradients"),
    Mutant("d_step_before_backward", "p08_discriminator_step", "    loss.backward()\n    d_optimizer.step()",
           "    d_optimizer.step()\n    loss.backward()", "test_p08_discriminator_step",
           "step() before backward(): D moves by no gradient, and the new ones wait in .grad",
           says="before loss.backward()"),
    Mutant("d_step_leaves_g_in_eval", "p08_discriminator_step", "    fake_out = D(G(noise).detach())",
           "    G.eval()  # G is not trained here\n    fake_out = D(G(noise).detach())", "test_p08_discriminator_step",
           "G switched to eval mode to make the fakes and never switched back", says="G is left in evaluation mode"),
    Mutant("d_mean_of_losses", "p08_discriminator_step",
           "loss = bce(real_out, torch.ones_like(real_out)) + bce(fake_out, torch.zeros_like(fake_out))",
           "loss = (bce(real_out, torch.ones_like(real_out)) + bce(fake_out, torch.zeros_like(fake_out))) / 2",
           "test_p08_discriminator_step", "averages the two terms where the problem asks for their sum"),
    Mutant("g_saturating_loss", "p09_generator_step", "loss = bce(out, torch.ones_like(out))",
           "loss = -bce(out, torch.zeros_like(out))", "test_p09_generator_step",
           "saturating loss log(1 − D(G(z))) instead of the non-saturating one"),
    Mutant("g_fake_label", "p09_generator_step", "loss = bce(out, torch.ones_like(out))",
           "loss = bce(out, torch.zeros_like(out))", "test_p09_generator_step", "fakes labelled fake in G's step"),
    Mutant("g_detached", "p09_generator_step", "out = D(G(noise))", "out = D(G(noise).detach())",
           "test_p09_generator_step", "G's output detached: no gradient reaches G"),
    Mutant("g_step_leaves_d_in_eval", "p09_generator_step", "    out = D(G(noise))",
           "    D.eval()  # D only judges here\n    out = D(G(noise))", "test_p09_generator_step",
           "D switched to eval mode for G's update and never switched back", says="D is left in evaluation mode"),
    Mutant("g_step_before_backward", "p09_generator_step", "    loss.backward()\n    g_optimizer.step()",
           "    g_optimizer.step()\n    loss.backward()", "test_p09_generator_step",
           "step() before backward()", says="before loss.backward()"),
    Mutant("g_no_zero_grad", "p09_generator_step", "    g_optimizer.zero_grad()\n", "",
           "test_p09_generator_step", "zero_grad missing in G's step"),
    Mutant("grid_every_epoch", "p10_sample_grid", "    if epoch % plot_frequency != 0:\n        return None\n", "",
           "test_p10_sample_grid", "plots every epoch"),
    Mutant("grid_not_rescaled", "p10_sample_grid", "grid = shared.image_grid(G(fixed_noise))",
           "grid = __import__('torchvision').utils.make_grid(G(fixed_noise), nrow=5)", "test_p10_sample_grid",
           "grid left in [-1, 1]"),
    Mutant("grid_train_mode", "p10_sample_grid", "    G.eval()\n", "", "test_p10_sample_grid",
           "samples drawn in train mode (BatchNorm uses batch statistics)"),
    Mutant("grid_eval_not_restored", "p10_sample_grid", "    G.train()\n", "", "test_p10_sample_grid",
           "G left in eval mode after sampling"),
    Mutant("save_whole_model", "p11_save_generator", "torch.save(G.state_dict(), path)", "torch.save(G, path)",
           "test_p11_save_generator", "whole model pickled instead of the state dict"),
    Mutant("save_ignores_path", "p11_save_generator", "torch.save(G.state_dict(), path)",
           "torch.save(G.state_dict(), 'generator.pth')", "test_p11_save_generator", "path argument ignored"),
]

GENERATOR_CONV = '''
class Generator(nn.Module):
    def __init__(self, z_dim=100):
        super().__init__()
        self.fc = nn.Sequential(nn.Linear(z_dim, 7 * 7 * 64), nn.BatchNorm1d(7 * 7 * 64), nn.ReLU())
        self.net = nn.Sequential(
            nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.ConvTranspose2d(32, 1, 4, 2, 1), nn.Tanh(),
        )

    def forward(self, z):
        return self.net(self.fc(z).view(-1, 64, 7, 7))
'''

DISCRIMINATOR_FUNCTIONAL = '''
class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2, self.fc3 = nn.Linear(784, 512), nn.Linear(512, 256), nn.Linear(256, 1)

    def forward(self, x):
        h = F.leaky_relu(self.fc1(x.flatten(1)), 0.2)
        h = F.leaky_relu(self.fc2(h), 0.2)
        return torch.sigmoid(self.fc3(h))
'''

VARIANTS = [
    Variant("disc_sigmoid_in_forward", "p03_discriminator", "        return self.net(x)",
            "        return torch.sigmoid(self.net[:-1](x))", "the last layer skipped and torch.sigmoid applied by hand"),
    Variant("disc_functional_layers", "p03_discriminator", None,
            "import torch.nn.functional as F\n" + DISCRIMINATOR_FUNCTIONAL,
            "separate Linear layers with F.leaky_relu and torch.sigmoid in forward()"),
    Variant("disc_with_dropout", "p03_discriminator", "nn.Linear(512, 256), nn.LeakyReLU(0.2),",
            "nn.Dropout(0.3), nn.Linear(512, 256), nn.LeakyReLU(0.2), nn.Dropout(0.3),",
            "Dropout between the layers (the architecture is a suggestion)"),
    Variant("gen_conv_transpose", "p04_generator", None, GENERATOR_CONV,
            "a DCGAN-style generator: Linear to 7×7, two stride-2 ConvTranspose2d to 28×28"),
    Variant("gen_unflatten_layer", "p04_generator", "nn.Linear(1024, 784), nn.Tanh(),",
            "nn.Linear(1024, 784), nn.Tanh(), nn.Unflatten(1, (1, 28, 28)),",
            "the reshape as an nn.Unflatten layer (the view in forward then changes nothing)"),
    Variant("gen_functional_tanh", "p04_generator", "        return self.net(z).view(-1, 1, 28, 28)",
            "        return torch.tanh(self.net[:-1](z)).view(-1, 1, 28, 28)",
            "the last Tanh layer skipped and torch.tanh applied in forward()"),
    Variant("models_explicit_train_mode", "p05_models_on_device", "    return G, D", "    return G.train(), D.train()",
            "models put in train mode explicitly"),
    Variant("models_in_place_to", "p05_models_on_device",
            "    G = Generator(z_dim).to(device)\n    D = Discriminator().to(device)",
            "    G, D = Generator(z_dim), Discriminator()\n    G.to(device)\n    D.to(device)",
            "Module.to moves a module in place: the return value need not be kept"),
    Variant("optimizers_keyword_betas_list", "p06_optimizers", "D.parameters(), lr=d_lr, betas=(0.5, 0.999)",
            "params=D.parameters(), betas=[0.5, 0.999], lr=d_lr", "keywords in another order, betas as a list"),
    Variant("noise_normal_", "p07_inputs_on_device", "return torch.randn(batch_size, z_dim, device=device)",
            "return torch.empty(batch_size, z_dim, device=device).normal_()", "an empty tensor filled in place"),
    Variant("d_step_two_backwards", "p08_discriminator_step",
            "    loss = bce(real_out, torch.ones_like(real_out)) + bce(fake_out, torch.zeros_like(fake_out))\n"
            "    loss.backward()",
            "    real_loss = bce(real_out, torch.ones_like(real_out))\n"
            "    fake_loss = bce(fake_out, torch.zeros_like(fake_out))\n"
            "    real_loss.backward()\n    fake_loss.backward()\n    loss = real_loss + fake_loss",
            "each term backpropagated on its own: the gradients add up in .grad"),
    Variant("d_step_no_grad_fakes", "p08_discriminator_step", "    fake_out = D(G(noise).detach())",
            "    with torch.no_grad():\n        fake = G(noise)\n    fake_out = D(fake)",
            "the fakes made under torch.no_grad() instead of detached"),
    Variant("d_step_functional_bce", "p08_discriminator_step", "    bce = nn.BCELoss()\n",
            "    bce = nn.functional.binary_cross_entropy\n", "the functional BCE instead of the module"),
    Variant("g_step_module_zero_grad", "p09_generator_step", "    g_optimizer.zero_grad()", "    G.zero_grad()",
            "the module's zero_grad() instead of the optimiser's (the same parameters)"),
    Variant("g_step_eval_restored", "p09_generator_step", "    out = D(G(noise))",
            "    was_training = D.training\n    out = D(G(noise))\n    D.train(was_training)",
            "D's mode saved and put back (it never changed)"),
    Variant("grid_inference_mode", "p10_sample_grid", "    with torch.no_grad():",
            "    with torch.inference_mode():", "torch.inference_mode() instead of torch.no_grad()"),
    Variant("save_with_open_file", "p11_save_generator", "    torch.save(G.state_dict(), path)",
            "    with open(path, 'wb') as f:\n        torch.save(G.state_dict(), f)", "saved through an open file"),
]
