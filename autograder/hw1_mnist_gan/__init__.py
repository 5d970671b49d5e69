"""Graders for Homework 1: the MNIST GAN (problems 01–11, 100 points)."""
