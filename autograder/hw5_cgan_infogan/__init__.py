"""Checks of Homework 5: conditional GAN and InfoGAN on MNIST."""
