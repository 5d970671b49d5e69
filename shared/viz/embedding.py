"""t-SNE (or UMAP) of Inception features: do generated images sit where the real ones do?

Features come from the same Inception network as FID (torch-fidelity's, 2048-d pool features), so no
extra weights are needed; PCA to 50 dimensions, then t-SNE to 2-D (scikit-learn).
"""
from __future__ import annotations

import contextlib
import io
import os

import matplotlib.pyplot as plt
import numpy as np
import torch

from ..device import get_device
from ..fastmode import UNGRADED_NOTE, skips_ungraded
from ..shown import Shown
from ..metrics.convert import to_uint8
from ..metrics.weights import inception_weights
from ..progress import progress


def inception_features(images: torch.Tensor, *, batch_size: int = 64, device=None,
                       weights: str | os.PathLike | None = None) -> torch.Tensor:
    """N×2048 Inception pool features of images in [-1, 1] (any size; resized to 299×299 inside)."""
    from torch_fidelity.feature_extractor_inceptionv3 import FeatureExtractorInceptionV3

    device = torch.device(device) if device is not None else get_device()
    with contextlib.redirect_stderr(io.StringIO()):
        extractor = FeatureExtractorInceptionV3("inception-v3-compat", ["2048"],
                                                feature_extractor_weights_path=inception_weights(weights),
                                                verbose=False)
    extractor = extractor.to(device).eval()
    pixels = to_uint8(images)
    out = []
    with torch.no_grad():
        for start in progress(range(0, len(pixels), batch_size), desc="Inception features", leave=False):
            batch = pixels[start:start + batch_size].to(device)
            out.append(extractor(batch)[0].float().cpu())
    return torch.cat(out)


def embed_2d(features: np.ndarray, *, method: str = "tsne", pca_dim: int = 50, seed: int = 0) -> np.ndarray:
    """N×D features → N×2: PCA to ``pca_dim`` dimensions, then t-SNE (or ``method="umap"``)."""
    from sklearn.decomposition import PCA

    features = np.asarray(features, dtype=np.float64)
    reduced = PCA(n_components=min(pca_dim, *features.shape), random_state=seed).fit_transform(features)
    if method == "umap":
        try:
            import umap
        except ImportError as error:
            raise ImportError("method='umap' needs the umap-learn package: pip install umap-learn") from error
        return umap.UMAP(n_components=2, random_state=seed).fit_transform(reduced)
    if method != "tsne":
        raise ValueError(f"method should be 'tsne' or 'umap', got {method!r}")
    from sklearn.manifold import TSNE

    perplexity = min(30.0, (len(reduced) - 1) / 3)
    return TSNE(n_components=2, perplexity=perplexity, init="pca", random_state=seed).fit_transform(reduced)


def plot_embedding(points: np.ndarray, is_generated: np.ndarray, title: str = "Real vs generated", ax=None, path=None):
    """Scatter of 2-D points: real in blue, generated in red, with a legend."""
    is_generated = np.asarray(is_generated, dtype=bool)
    own = ax is None
    if own:
        fig, ax = plt.subplots(figsize=(6, 6))
    ax.scatter(*points[~is_generated].T, s=8, c="tab:blue", alpha=0.6, label=f"real ({(~is_generated).sum()})")
    ax.scatter(*points[is_generated].T, s=8, c="tab:red", alpha=0.6, label=f"generated ({is_generated.sum()})")
    ax.legend()
    ax.set_title(title)
    ax.set_xticks([])
    ax.set_yticks([])
    if own:
        fig.tight_layout()
        if path is not None:
            fig.savefig(path, dpi=100)
        plt.show()
        return Shown(ax)
    return ax


def real_vs_generated(real: torch.Tensor, generated, *, method: str = "tsne", title=None,
                      weights=None, device=None, seed: int = 0, path=None):
    """Features of both sets, one joint 2-D embedding, and the scatter plot; returns the axes.

    ``generated`` is a tensor of images, or a dict ``{name: images}`` of several generators: then each
    gets its own panel (its own embedding with the real images), and the real images' features are
    computed once.
    """
    sets = generated if isinstance(generated, dict) else {None: generated}
    name = "t-SNE" if method == "tsne" else "UMAP"
    if skips_ungraded():
        print(f"{name} of Inception features not computed: {UNGRADED_NOTE}")
        return None
    real_features = inception_features(real, weights=weights, device=device)
    own = len(sets) > 1
    if own:
        fig, axes = plt.subplots(1, len(sets), figsize=(6 * len(sets), 6))
    else:
        axes = [None]
    out = []
    for ax, (label, images) in zip(axes, sets.items()):
        features = torch.cat([real_features, inception_features(images, weights=weights, device=device)]).numpy()
        flags = np.r_[np.zeros(len(real), bool), np.ones(len(images), bool)]
        points = embed_2d(features, method=method, seed=seed)
        panel_title = label if own else (title or f"{name} of Inception features")
        out.append(plot_embedding(points, flags, panel_title, ax=ax, path=None if own else path))
    if not own:
        return out[0]
    fig.suptitle(title or f"{name} of Inception features")
    fig.tight_layout()
    if path is not None:
        fig.savefig(path, dpi=100)
    plt.show()
    return Shown(out)
