"""Benchmark: the CPU cost of the metrics (issue: expect about 160 ms per image at 299×299 here).

Prints the time per 100 images of Inception feature extraction, and the time of an FID/KID
evaluation against cached reference statistics for N = 100 and N = 1,000 generated images.
Run: `.venv/bin/python bench/metrics_time.py [--sizes 100 1000]` (with GAN_COURSE_DATA and
GAN_COURSE_INCEPTION_WEIGHTS set when offline). Reports "MNIST test set" as the reference.
"""
from __future__ import annotations

import argparse
import time

import torch

from shared.data import load_mnist
from shared.metrics import evaluate
from shared.viz import inception_features


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()
    print(f"device {args.device} · torch threads {torch.get_num_threads()}")
    mnist = load_mnist(train=False, verbose=False)

    start = time.perf_counter()
    inception_features(mnist.images[:100], device=args.device)
    per100 = time.perf_counter() - start
    print(f"Inception features, 100 MNIST images:          {per100:6.1f} s  ({per100 * 10:.0f} ms/image)")

    for n in args.sizes:
        reference = mnist.images[-n:]
        name = f"bench-mnist-tail-{n}"
        evaluate(mnist.images[:n], reference, reference_name=name, device=args.device)  # fills the cache
        generated = mnist.images[n:2 * n]
        start = time.perf_counter()
        result = evaluate(generated, reference, reference_name=name, device=args.device)
        took = time.perf_counter() - start
        print(f"FID+KID, {n:>5} generated vs cached {n:>5} real: {took:6.1f} s  → {result}")


if __name__ == "__main__":
    main()
