"""Benchmark: HW5's CGAN and InfoGAN trained with the solution's functions, and what they reach.

The CGAN is cheap enough for a CPU at full size (nz 100, hidden 256, batch 64, Adam 2e-4, 18,750 steps); the
InfoGAN at width 64 is not (≈ 30 GFLOP per step: use a GPU, or pass a smaller --info-width and --info-steps and
read the result as such). Prints the CGAN's class accuracy per digit as read by the course's MNIST classifier,
and InfoGAN's Q accuracy on fresh codes and its category purity after the best matching of categories to digits.
Offline, the training set is the test set standing in, and the classifier was trained on half of it; the output
says so.
Run: `.venv/bin/python bench/hw5_full_mode_quality.py [--device cuda] [--cgan-steps N] [--info-steps N]
[--info-width W]`.
"""
from __future__ import annotations

import time
from pathlib import Path

import torch

from hw2_full_mode_cost import arguments_and_solution  # bench/ is on sys.path when run as a script
from hw5_full_mode_cost import given_generator

HW = "hw5_cgan_infogan"
SOLUTION = Path(__file__).resolve().parents[1] / "solutions" / HW / f"{HW}.ipynb"
N_JUDGED = 1_000  # generated images per class (or category)


def main():
    args, ns = arguments_and_solution(SOLUTION, cgan_steps=18_750, info_steps=28_125, info_width=64)
    import shared
    from shared.data import DeviceLoader, load_mnist, take

    device = ns["device"]
    train = load_mnist(train=True)
    loader = DeviceLoader(train, 64, device)
    judge = shared.classifier.mnist_classifier(device)
    print(judge)

    if args.cgan_steps:
        shared.seed_everything(0)
        G, D = ns["CGenerator"](100, 10, 256).to(device), ns["CDiscriminator"](10, 256).to(device)
        g_opt, d_opt = (torch.optim.Adam(m.parameters(), lr=2e-4, betas=(0.5, 0.999)) for m in (G, D))

        def cgan_batch(real, labels):
            z, fake_labels = torch.randn(len(real), 100, device=device), torch.randint(0, 10, (len(real),), device=device)
            return ns["cgan_step"](G, D, g_opt, d_opt, real, labels, z, fake_labels)

        epochs = shared.epochs_for_steps(args.cgan_steps, len(loader))
        start = time.perf_counter()
        shared.fit_gan(loader, epochs, cgan_batch, desc="CGAN")
        images, labels = ns["conditional_samples"](G, 100, N_JUDGED)
        read = judge.predict(images)
        accuracy = [(read[labels.cpu() == c] == c).float().mean().item() for c in range(10)]
        print(f"CGAN: {epochs * len(loader):,} steps in {time.perf_counter() - start:.0f} s · class accuracy "
              f"{sum(accuracy) / 10:.1%} · per digit: " + ", ".join(f"{c}: {a:.0%}" for c, a in enumerate(accuracy)))

    if args.info_steps:
        shared.seed_everything(0)
        G, D = given_generator(ns)(74, args.info_width).to(device), ns["InfoDiscriminator"](args.info_width, 10, 2).to(device)
        optimizers = ns["make_info_optimizers"](G, D)
        # A budget below one epoch trains on that many batches' worth of images.
        info_loader = loader if args.info_steps >= len(loader) else DeviceLoader(take(train, 64 * args.info_steps), 64, device)
        epochs = shared.epochs_for_steps(args.info_steps, len(info_loader))

        def info_batch(real, labels):
            return ns["infogan_step"](G, D, *optimizers, real, *ns["sample_codes"](len(real), device))

        start = time.perf_counter()
        shared.fit_gan(info_loader, epochs, info_batch, desc=f"InfoGAN width {args.info_width}")
        seconds = time.perf_counter() - start
        cat = torch.arange(10, device=device).repeat_interleave(N_JUDGED)
        noise, _, cont = ns["sample_codes"](len(cat), device)
        G.eval()
        D.eval()
        with torch.no_grad():
            fakes = torch.cat([G(ns["info_input"](n, c, k)) for n, c, k in zip(noise.split(500), cat.split(500), cont.split(500))])
            q_acc = torch.cat([D(x)[1].argmax(1) for x in fakes.split(500)]).eq(cat).float().mean().item()
        matching = shared.matching.best_matching(cat.cpu(), judge.predict(fakes), n_categories=10, n_classes=10)
        print(f"InfoGAN (width {args.info_width}): {epochs * len(info_loader):,} steps in {seconds:.0f} s · "
              f"Q's accuracy on fresh codes {q_acc:.1%} · purity {matching.accuracy:.1%} · category → digit: "
              + ", ".join(f"{k}→{matching.mapping[k]}" for k in range(10)))
    print(f"training data: {train.source}")


if __name__ == "__main__":
    main()
