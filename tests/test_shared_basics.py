"""Unit tests of shared/: fast mode, device, seeding, history, checkpoints, training loop, sweeps, plots."""
from __future__ import annotations

import pytest
import torch

import shared
from shared import fastmode
from shared.data import synthetic_images


def test_fast_mode_switches(monkeypatch):
    monkeypatch.delenv("GAN_COURSE_FAST", raising=False)
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    assert not fastmode.is_fast() and shared.pick(100, 2) == 100
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert fastmode.is_fast() and shared.pick(100, 2) == 2
    monkeypatch.setenv("GAN_COURSE_FAST", "0")
    assert not fastmode.is_fast(), "GAN_COURSE_FAST=0 forces full mode even under nbgrader"
    monkeypatch.setenv("GAN_COURSE_FAST", "maybe")
    with pytest.raises(ValueError, match="GAN_COURSE_FAST"):
        fastmode.is_fast()


def test_device_choice(monkeypatch):
    monkeypatch.setenv("GAN_COURSE_DEVICE", "meta")
    assert shared.get_device() == torch.device("meta")
    assert shared.get_device("cpu") == torch.device("cpu")
    monkeypatch.delenv("GAN_COURSE_DEVICE")
    mps = getattr(torch.backends, "mps", None)
    expected = "cuda" if torch.cuda.is_available() else "mps" if mps is not None and mps.is_available() else "cpu"
    assert shared.get_device().type == expected
    assert shared.describe_device(torch.device("cpu")) == "Using CPU"


def test_setup_prints_device_and_mode(capsys, monkeypatch):
    monkeypatch.setenv("GAN_COURSE_FAST", "1")
    device = shared.setup(seed=3, device="cpu")
    out = capsys.readouterr().out
    assert device == torch.device("cpu") and "Using CPU" in out and "FAST" in out and "seed 3" in out


def test_seeding_reproduces():
    shared.seed_everything(5)
    a = torch.randn(3)
    shared.seed_everything(5)
    assert torch.equal(a, torch.randn(3))


def test_history_means_and_ranges():
    h = shared.History()
    for epoch in (1, 1, 2, 3):
        h.record(epoch, D=epoch, G=10 * epoch)
    assert h.epoch_means() == {"D": [1.0, 2.0, 3.0], "G": [10.0, 20.0, 30.0]}
    assert h.mean_over(2, 3) == {"D": 2.5, "G": 25.0}
    assert h.final() == {"D": 3.0, "G": 30.0}
    with pytest.raises(ValueError):
        h.record(4, D=1.0)
    assert shared.History.from_state_dict(h.state_dict()).epoch_means() == h.epoch_means()


def test_epoch_ranges_match_the_seed_and_shrink():
    assert shared.epoch_ranges(100) == [(1, 25), (26, 50), (51, 100)]
    assert shared.snapshot_epochs(100) == [1, 25, 50, 100]
    assert shared.epoch_ranges(4) == [(1, 1), (2, 2), (3, 4)]
    assert shared.epoch_ranges(1) == [(1, 1)]
    for n in range(1, 30):
        ranges = shared.epoch_ranges(n)
        assert ranges[0][0] == 1 and ranges[-1][1] == n
        assert all(a[1] + 1 == b[0] for a, b in zip(ranges, ranges[1:]))


def _tiny_run(tmp_path, n_epochs, calls):
    torch.manual_seed(0)
    model = torch.nn.Linear(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    loader = [(torch.randn(4, 2), torch.zeros(4)) for _ in range(3)]

    def train_batch(x, y):
        optimizer.zero_grad()
        loss = model(x).pow(2).mean()
        loss.backward()
        optimizer.step()
        return {"loss": loss}

    checkpoint = shared.TrainingCheckpoint(tmp_path / "ckpt.pt", {"m": model}, {"m": optimizer})
    history = shared.fit_gan(loader, n_epochs, train_batch, checkpoint=checkpoint,
                             on_epoch_end=lambda epoch, h: calls.append(epoch))
    return model, history


def test_fit_gan_records_and_resumes(tmp_path):
    calls = []
    _, history = _tiny_run(tmp_path, 2, calls)
    assert calls == [1, 2] and len(history.values["loss"]) == 6
    model, history = _tiny_run(tmp_path, 3, calls)
    assert calls == [1, 2, 3], "the rerun resumes after the saved epoch 2"
    assert history.epochs == [1, 1, 1, 2, 2, 2, 3, 3, 3]
    saved = torch.load(tmp_path / "ckpt.pt", weights_only=True)
    assert saved["epoch"] == 3 and torch.equal(saved["models"]["m"]["weight"], model.weight.detach())


def test_sweep_runs_each_setting_once_and_resumes(tmp_path):
    ran = []

    def run(lr):
        ran.append(lr)
        h = shared.History()
        h.record(1, D=lr, G=2 * lr)
        return shared.RunResult(h, synthetic_images(4).images, {"score": lr})

    settings = {"slow": {"lr": 0.1}, "fast": {"lr": 1.0}}
    result = shared.run_sweep(settings, run, results_dir=tmp_path)
    assert ran == [0.1, 1.0]
    table = result.table()
    assert "| setting | lr | final D | final G | score |" in table and "| fast | 1 | 1 | 2 | 1 |" in table
    again = shared.run_sweep(settings, run, results_dir=tmp_path)
    assert ran == [0.1, 1.0] and again.table() == table

    def fixed_run(lr):  # the student fixes the training function: every finished setting runs again
        ran.append(-lr)
        return run(lr)

    shared.run_sweep(settings, fixed_run, results_dir=tmp_path)
    assert ran[2:] == [-0.1, 0.1, -1.0, 1.0] and (tmp_path / "slow.pt.stale").is_file()
    shared.run_sweep({"slow": {"lr": 0.2}, "fast": {"lr": 1.0}}, fixed_run, results_dir=tmp_path)
    assert ran[6:] == [-0.2, 0.2], "only the setting whose arguments changed runs again"
    with pytest.raises(TypeError, match="RunResult"):
        shared.run_sweep({"bad": {}}, lambda: 3)


def test_plots_and_grids(tmp_path):
    images = synthetic_images(25).images
    grid = shared.image_grid(images)
    assert grid.shape == (3, 5 * 30 + 2, 5 * 30 + 2) and 0 <= grid.min() and grid.max() <= 1
    shared.show_grid(grid, title="t", path=tmp_path / "grid.png")
    assert (tmp_path / "grid.png").stat().st_size > 0
    h = shared.History()
    for e in (1, 2, 3):
        h.record(e, D=0.5, G=1.0)
    fig = shared.plot_losses(h, epochs=(2, 3), path=tmp_path / "loss.png")
    assert len(fig.axes) == 3 and len(fig.axes[0].lines[0].get_xdata()) == 2
    shared.plot_comparison({"a": h, "b": h})


def test_synthetic_data_says_so():
    assert "SYNTHETIC" in repr(synthetic_images(8))


def test_load_weights_is_strict(tmp_path):
    model = torch.nn.Linear(3, 2)
    torch.save(model.state_dict(), tmp_path / "w.pth")
    fresh = shared.load_weights(torch.nn.Linear(3, 2), tmp_path / "w.pth")
    assert torch.equal(fresh.weight, model.weight)
    with pytest.raises(RuntimeError):
        shared.load_weights(torch.nn.Linear(4, 2), tmp_path / "w.pth")


def test_fit_gan_calls_epoch_start_also_after_resume(tmp_path):
    model = torch.nn.Linear(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    loader = [(torch.randn(4, 2), torch.zeros(4))]
    starts = []

    def run(n_epochs):
        checkpoint = shared.TrainingCheckpoint(tmp_path / "ckpt.pt", {"m": model}, {"m": optimizer})
        return shared.fit_gan(loader, n_epochs, lambda x, y: {"loss": model(x).pow(2).mean().item()},
                              on_epoch_start=starts.append, checkpoint=checkpoint)

    run(2)
    run(4)
    assert starts == [1, 2, 3, 4], "a resumed run announces every epoch it trains, and only those"


def test_sweep_table_chooses_columns_and_marks_missing_values(tmp_path):
    def run(lr):
        h = shared.History()
        h.record(1, D=lr, G=2 * lr)
        return shared.RunResult(h, None, {"FID": None if lr > 0.5 else 12.5})

    table = shared.run_sweep({"a": {"lr": 0.1}, "b": {"lr": 1.0}}, run).table(["setting", "FID", "final G"])
    assert table.splitlines()[0] == "| setting | FID | final G |"
    assert "| a | 12.5 | 0.2 |" in table and "| b | – | 2 |" in table


def test_device_loader_batches_on_the_device_and_reshuffles():
    data = synthetic_images(10)
    loader = shared.data.DeviceLoader(data, 4, "cpu", seed=1)
    first, second = list(loader), list(loader)
    assert len(loader) == 2 and [len(x) for x, _ in first] == [4, 4]
    assert all(x.device.type == "cpu" and y.dtype == torch.long for x, y in first)
    seen = torch.cat([y for _, y in first])
    assert len(set(map(tuple, torch.cat([x for x, _ in first]).flatten(1).tolist()))) == 8, "no image twice"
    assert not torch.equal(seen, torch.cat([y for _, y in second])) or not torch.equal(first[0][0], second[0][0])
    again = list(shared.data.DeviceLoader(data, 4, "cpu", seed=1))
    assert all(torch.equal(a[0], b[0]) for a, b in zip(first, again)), "same seed, same order"
    assert [len(x) for x, _ in shared.data.DeviceLoader(data, 4, "cpu", drop_last=False, shuffle=False)] == [4, 4, 2]
    with pytest.raises(ValueError, match="larger than the dataset"):
        shared.data.DeviceLoader(data, 11, "cpu")


def test_accuracy_and_class_grid_plots(tmp_path):
    h = shared.History()
    for e in (1, 2):
        h.record(e, D=1.0, acc_real=0.5 + 0.2 * e, acc_fake=0.5)
    fig = shared.plot_accuracy({"run": h, "other": h}, path=tmp_path / "acc.png")
    assert len(fig.axes) == 2 and list(fig.axes[0].lines[0].get_ydata()) == pytest.approx([0.7, 0.9])
    with pytest.raises(KeyError, match="acc_real"):
        shared.plot_accuracy(shared.History(values={"D": [1.0]}, epochs=[1]))
    fig = shared.plot_losses(h, names=["D"], separate=False)
    assert [line.get_label() for line in fig.axes[0].lines] == ["D"]
    with pytest.raises(KeyError, match="has no"):
        shared.plot_losses(h, names=["W"])
    images = synthetic_images(20).images
    fig = shared.show_class_grid(images, ["a", "b", "c", "d"], path=tmp_path / "classes.png")
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["a", "b", "c", "d"]
    with pytest.raises(ValueError, match="same number"):
        shared.show_class_grid(images[:7], ["a", "b"])


def test_grid_snapshots_draw_in_eval_mode_at_the_wanted_epochs(tmp_path):
    torch.manual_seed(0)
    G = torch.nn.Sequential(torch.nn.Linear(4, 12), torch.nn.BatchNorm1d(12), torch.nn.Tanh(),
                            torch.nn.Unflatten(1, (3, 2, 2)))
    z = torch.randn(4, 4)
    with torch.no_grad():
        G(torch.randn(16, 4) * 5)  # running statistics away from their start: eval and train outputs differ
    G.eval()
    with torch.no_grad():
        expected = G(z)
    G.train()
    assert torch.allclose(shared.sample_in_eval(G, z), expected) and G.training
    snap = shared.grid_snapshots(G, z, tmp_path / "run", "G", every=2, n_epochs=5)
    for epoch in range(1, 6):
        snap(epoch, None)
    assert sorted(p.name for p in (tmp_path / "run").iterdir()) == ["epoch_002.png", "epoch_004.png", "epoch_005.png"]
    assert G.training
    listed = shared.grid_snapshots(G, z, tmp_path / "listed", "G", epochs=[1, 3])
    for epoch in range(1, 6):
        listed(epoch, None)
    assert sorted(p.name for p in (tmp_path / "listed").iterdir()) == ["epoch_001.png", "epoch_003.png"]
    with pytest.raises(ValueError, match="epochs"):
        shared.grid_snapshots(G, z, tmp_path, "G")


def test_grid_snapshots_of_a_conditional_generator(tmp_path):
    class Conditional(torch.nn.Module):
        def forward(self, z, labels):
            return torch.tanh(z.view(len(z), 3, 2, 2) + labels.view(-1, 1, 1, 1).float())

    z, labels = torch.randn(6, 12), torch.arange(3).repeat_interleave(2)
    snap = shared.grid_snapshots(Conditional(), z, tmp_path, "cGAN", every=1, labels=labels, classes=["a", "b", "c"])
    snap(1, None)
    assert (tmp_path / "epoch_001.png").is_file()


def test_epochs_for_a_step_budget():
    assert shared.epochs_for_steps(9_750, 390) == 25     # 50,000 CIFAR-10 images at batch 128
    assert shared.epochs_for_steps(9_750, 78) == 125     # the 10,000-image offline stand-in
    assert shared.epochs_for_steps(5, 10) == 1
    with pytest.raises(ValueError):
        shared.epochs_for_steps(0, 10)


def test_per_class_bars_and_weight_histograms(tmp_path):
    fig = shared.plot_per_class(torch.tensor([1.0, 0.5, 0.0]), ["a", "b", "c"], chance=1 / 3, path=tmp_path / "bars.png")
    bars = [patch.get_height() for patch in fig.axes[0].patches]
    assert bars == [1.0, 0.5, 0.0] and (tmp_path / "bars.png").is_file()
    with pytest.raises(ValueError, match="one value per class"):
        shared.plot_per_class([0.1, 0.2], ["a", "b", "c"])

    clipped = torch.nn.Linear(50, 40)
    with torch.no_grad():
        clipped.weight.clamp_(-0.01, 0.01)
    fig = shared.plot_weight_histograms({"clipped": clipped, "free": torch.nn.Linear(50, 40)}, clip=0.01,
                                        path=tmp_path / "weights.png")
    assert [ax.get_title() for ax in fig.axes] == ["clipped", "free"]
    counts = [patch.get_height() for patch in fig.axes[0].patches]
    assert sum(counts) == 2000  # the weight matrix only, not the bias
    assert counts[0] + counts[-1] > 0.5 * sum(counts)  # clipping piles the weights at ±c
    assert [line.get_xdata()[0] for line in fig.axes[0].lines] == [-0.01, 0.01]
    with pytest.raises(ValueError, match="no weight matrices"):
        shared.plot_weight_histograms({"none": torch.nn.BatchNorm1d(3)})


def test_sanity_helpers_compare_with_stored_values(capsys):
    from shared.sanity import check_value, fixed_randn

    assert torch.equal(fixed_randn(3, 2, seed=5), fixed_randn(3, 2, seed=5))
    check_value("a loss", torch.tensor(2.0005), 2.0, "hint")
    assert "a loss: expected 2, found 2.0005" in capsys.readouterr().out
    with pytest.raises(AssertionError, match="a loss is off. use BCE"):
        check_value("a loss", 2.1, 2.0, "use BCE")
    with pytest.raises(AssertionError, match="single number"):
        check_value("a loss", torch.ones(3), 1.0, "reduce with mean()")


def test_a_cell_ending_in_a_plot_draws_it_once(tmp_path):
    """A notebook cell whose last line calls a plotting helper shows one figure: the helper's own, not a second
    copy (or an ``<Axes …>`` line) drawn from the value it returns."""
    import nbformat
    from nbclient import NotebookClient

    helpers = ["h = shared.History(); h.record(1, D=0.5, G=1.0); h.record(2, D=0.4, G=1.1)",
               "shared.plot_losses(h)", "shared.plot_comparison({'a': h, 'b': h})",
               "shared.show_grid(torch.zeros(4, 1, 8, 8))", "shared.plot_per_class([0.5, 0.7], ['a', 'b'])",
               "shared.show_grids({'x': torch.zeros(4, 1, 8, 8)})", "shared.plot_curves([1, 2], {'c': [1, 2]}, 'x', 'y')"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("%matplotlib inline\nimport torch\nimport shared")]
                                  + [nbformat.v4.new_code_cell(source) for source in helpers])
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    for cell in nb.cells[2:]:
        images = [o for o in cell.outputs if "image/png" in o.get("data", {})]
        texts = [o for o in cell.outputs if o.get("output_type") == "execute_result"]
        assert len(images) == 1 and not texts, (cell.source, [o.get("output_type") for o in cell.outputs])
    shown = shared.plot_losses(nb and _history())
    assert len(shown.axes) == 3 and shown.axes[0].get_title()  # still the figure, for code that wants it


def _history():
    h = shared.History()
    h.record(1, D=0.5, G=1.0)
    return h


def _notebook_training(shell, step_body: str, lr: float, n_epochs: int) -> str:
    """Run a training cell as a student would: the step function in one cell, the training in another."""
    import contextlib
    import io

    shell.run_cell(f"def d_step(x):\n    {step_body}\n", silent=True)
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        result = shell.run_cell(f"""
opt = torch.optim.SGD(model.parameters(), lr={lr})
def train_batch(x, y):
    opt.zero_grad(); loss = d_step(x); loss.backward(); opt.step()
    return {{"loss": loss.item()}}
ckpt = shared.TrainingCheckpoint(folder + "/ckpt.pt", {{"m": model}}, {{"m": opt}})
history = shared.fit_gan(loader, {n_epochs}, train_batch, checkpoint=ckpt)
""")
    result.raise_error()
    return out.getvalue()


def test_a_checkpoint_is_resumed_only_by_the_code_and_settings_that_wrote_it(tmp_path):
    """Fixing a step function (or changing a learning rate) and rerunning the training cell starts afresh and
    says so; rerunning the same cells, for instance after a disconnect, resumes."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shell.reset(new_session=False)
    shell.user_ns["folder"] = str(tmp_path)
    shell.run_cell("import torch, shared\nmodel = torch.nn.Linear(2, 1)\n"
                   "loader = [(torch.randn(4, 2), torch.zeros(4))] * 3", silent=True)
    first = _notebook_training(shell, "return model(x).pow(2).mean()", 0.1, 2)
    assert "Resuming" not in first and "afresh" not in first
    again = _notebook_training(shell, "return model(x).pow(2).mean()", 0.1, 3)  # same code, one more epoch
    assert "Resuming from" in again and "after epoch 2" in again
    assert shell.user_ns["history"].epochs == [1] * 3 + [2] * 3 + [3] * 3
    fixed = _notebook_training(shell, "return model(x).abs().mean()", 0.1, 3)  # the student fixes the step
    assert "changed since" in fixed and "starting afresh" in fixed and "Resuming" not in fixed
    assert (tmp_path / "ckpt.pt.stale").is_file(), "the old run is kept, not deleted"
    assert shell.user_ns["history"].epochs == [1] * 3 + [2] * 3 + [3] * 3
    faster = _notebook_training(shell, "return model(x).abs().mean()", 0.5, 3)  # another learning rate
    assert "starting afresh" in faster
    resumed = _notebook_training(shell, "return model(x).abs().mean()", 0.5, 4)
    assert "after epoch 3" in resumed


def test_the_fingerprint_follows_notebook_code_and_settings_only():
    from shared.fingerprint import run_fingerprint

    def step(x, scale=2.0):
        return x * scale

    def cell():  # the same training cell, run twice
        return lambda x, y: step(x)

    same = run_fingerprint(cell())
    assert run_fingerprint(cell()) == same
    assert run_fingerprint(lambda x, y: step(x) + 1) != same
    model = torch.nn.Linear(2, 1)
    wide = torch.nn.Linear(2, 3)
    sgd = {"o": torch.optim.SGD(model.parameters(), lr=0.1)}
    assert run_fingerprint(step, {"m": model}, sgd) != run_fingerprint(step, {"m": wide}, sgd)
    assert run_fingerprint(step, {"m": model}, sgd) != run_fingerprint(
        step, {"m": model}, {"o": torch.optim.SGD(model.parameters(), lr=0.2)})
    trained = torch.nn.Linear(2, 1)
    with torch.no_grad():
        trained.weight.add_(1)
    assert run_fingerprint(step, {"m": model}, sgd) == run_fingerprint(step, {"m": trained}, sgd)  # weights: no


def test_a_sweep_setting_is_told_apart_by_the_values_inside_its_arguments():
    import functools

    from shared.fingerprint import run_fingerprint

    def run(config, run_dir):
        return config, run_dir

    def fingerprint(**kwargs):
        return run_fingerprint(functools.partial(run, **kwargs))

    assert fingerprint(config={"nz": 50}, run_dir="a") == fingerprint(config={"nz": 50}, run_dir="a")
    assert fingerprint(config={"nz": 50}, run_dir="a") != fingerprint(config={"nz": 64}, run_dir="a")
    assert fingerprint(config={"nz": 50, "betas": (0.5, 0.9)}, run_dir="a") != \
        fingerprint(config={"nz": 50, "betas": (0.5, 0.99)}, run_dir="a")
