"""Visualisations beyond loss curves and grids: feature embeddings of real vs generated images."""
from .embedding import embed_2d, inception_features, plot_embedding, real_vs_generated

__all__ = ["embed_2d", "inception_features", "plot_embedding", "real_vs_generated"]
