"""Graders for Homework 2: DCGAN, conditional GAN and WGAN-GP on CIFAR-10 (problems 01–11, 100 points)."""
