"""Graders for Homework 4: the VAE, five GAN losses and an encoder-decoder-encoder anomaly model (problems 01–11, 100 points)."""
