"""Graders for Homework 3: ACGAN, WGAN with weight clipping and WGAN-GP on MNIST (problems 01–11, 100 points)."""
