"""``shared``: the helper library every course notebook imports.

Infrastructure only (device, seeding, fast mode, data, training loop, plots, checkpoints,
sweeps); never the answers students write.
"""
from . import classifier, data, latent, matching, metrics, roc, sanity, viz
from .checkpoints import TrainingCheckpoint, load_state_dict_file, load_weights
from .device import describe_device, get_device
from .fastmode import FAST_ENV, is_fast, mode_name, pick
from .history import History, epoch_ranges, snapshot_epochs
from .plots import (image_grid, plot_accuracy, plot_comparison, plot_curves, plot_losses, plot_per_class, plot_weight_histograms,
                    show_class_grid, show_grid, show_grids)
from .progress import progress
from .seeding import seed_everything
from .snapshots import epochs_for_steps, grid_snapshots, sample_in_eval
from .setup import setup
from .sweep import RunResult, SweepResult, run_sweep
from .training import fit_gan

__all__ = [
    "FAST_ENV", "History", "RunResult", "SweepResult", "TrainingCheckpoint", "describe_device",
    "epoch_ranges", "epochs_for_steps", "grid_snapshots", "sample_in_eval", "fit_gan", "get_device", "image_grid", "is_fast", "load_state_dict_file", "load_weights",
    "mode_name", "pick", "plot_accuracy", "plot_comparison", "plot_curves", "plot_losses", "plot_per_class",
    "plot_weight_histograms", "progress", "run_sweep",
    "seed_everything", "setup", "show_class_grid", "show_grid", "show_grids", "snapshot_epochs",
]
__version__ = "0.1.0"
