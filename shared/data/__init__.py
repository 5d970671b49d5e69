"""Datasets for the course: real data online (torchvision download) and offline (local files)."""
from .cifar10 import load_cifar10
from .device_loader import DeviceLoader
from .folder import load_image_folder
from .held_out import held_out
from .mnist import load_mnist
from .one_class import OneClassSplit, one_class_split
from .root import DATA_ENV, data_root, describe_root
from .synthetic import synthetic_images
from .tensors import ImageTensorDataset, pad_to, take

__all__ = [
    "DATA_ENV",
    "DeviceLoader",
    "held_out",
    "ImageTensorDataset",
    "data_root",
    "describe_root",
    "load_cifar10",
    "load_image_folder",
    "load_mnist",
    "one_class_split",
    "OneClassSplit",
    "pad_to",
    "synthetic_images",
    "take",
]
