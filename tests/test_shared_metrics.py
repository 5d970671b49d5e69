"""shared.metrics and shared.viz on real data, on the CPU, with the network unused.

Inception costs about 0.16 s per image here, so the real-data tests share 32-image sets and
torch-fidelity's cached reference statistics (cached in a folder of this module's own, so statistics
left by an earlier run, of other code or other data, are never used). With 32 images a set every
assertion below held on four disjoint pairs of MNIST halves, the KID ones by a factor of 2.5 or more
and the FID order by 50 or more (CIFAR-10 ≈ 400, noise ≈ 455, the other half ≈ 80).
"""
from __future__ import annotations

import math
import os
import urllib.error

import matplotlib
import pytest
import torch

from shared.data import load_cifar10, load_mnist
from shared.metrics import Metrics, NO_LOGITS, evaluate, generate_images, has_logits, inception_weights, to_uint8
from shared.metrics.convert import UInt8Images

N = 32


# ---------------------------------------------------------------- cheap units
def test_to_uint8_is_exact_and_replicates_grey():
    x = torch.tensor([-1.0, 1.0, 0.0, -1 + 2 / 255, 1 - 2 / 255]).view(1, 1, 1, 5)
    out = to_uint8(x)
    assert out.dtype == torch.uint8 and out.shape == (1, 3, 1, 5)
    assert out[0, 0, 0].tolist() == [0, 255, 128, 1, 254]
    assert torch.equal(out[:, 0], out[:, 1]) and torch.equal(out[:, 1], out[:, 2])
    levels = torch.arange(256, dtype=torch.float32) / 127.5 - 1
    assert torch.equal(to_uint8(levels.view(1, 1, 16, 16)).flatten()[:256], torch.arange(256, dtype=torch.uint8))
    rgb = torch.rand(2, 3, 4, 4) * 2 - 1
    assert torch.equal(to_uint8(rgb), ((rgb + 1) * 127.5).round().to(torch.uint8))


@pytest.mark.parametrize("bad, error, words", [
    (torch.rand(2, 3, 8, 8) * 3, ValueError, "[-1, 1]"),
    (torch.rand(2, 2, 8, 8), ValueError, "N×1×H×W"),
    (torch.rand(3, 8, 8), ValueError, "N×1×H×W"),
    (torch.zeros(2, 3, 8, 8, dtype=torch.uint8), TypeError, "float"),
])
def test_to_uint8_rejects_wrong_images(bad, error, words):
    with pytest.raises(error, match=words.replace("[", r"\[").replace("]", r"\]")):
        to_uint8(bad)


def test_generator_with_wrong_output_gets_a_clear_error():
    with pytest.raises(ValueError, match="N×C×H×W"):
        generate_images(lambda z: z, 4, z_dim=8, device="cpu")
    with pytest.raises(ValueError, match="\\[-1, 1\\]"):
        evaluate(lambda z: 5 * torch.ones(len(z), 1, 8, 8), torch.zeros(4, 1, 8, 8), n=4, z_dim=8, device="cpu")


def test_generate_images_is_seeded_and_restores_train_mode():
    G = torch.nn.Sequential(torch.nn.Linear(8, 64), torch.nn.BatchNorm1d(64), torch.nn.Tanh(), torch.nn.Unflatten(1, (1, 8, 8)))
    a = generate_images(G, 10, 8, seed=1, batch_size=4)
    b = generate_images(G, 10, 8, seed=1, batch_size=10)
    assert a.shape == (10, 1, 8, 8) and torch.allclose(a, b, atol=1e-6) and G.training


def test_missing_weights_file_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("GAN_COURSE_INCEPTION_WEIGHTS", "/nowhere/weights.pth")
    with pytest.raises(FileNotFoundError, match="GAN_COURSE_INCEPTION_WEIGHTS"):
        inception_weights()
    with pytest.raises(FileNotFoundError, match="weights argument"):
        evaluate(torch.zeros(4, 1, 8, 8), torch.zeros(4, 1, 8, 8), weights="/nowhere/else.pth")


def test_failed_download_says_what_to_do(monkeypatch, tmp_path):
    import torch_fidelity.feature_extractor_inceptionv3 as fe

    monkeypatch.delenv("GAN_COURSE_INCEPTION_WEIGHTS", raising=False)
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))

    def offline(*args, **kwargs):
        raise urllib.error.URLError("no network")

    monkeypatch.setattr(fe, "load_state_dict_from_url", offline)
    with pytest.raises(RuntimeError, match="set GAN_COURSE_INCEPTION_WEIGHTS"):
        evaluate(torch.zeros(4, 1, 8, 8), torch.zeros(4, 1, 8, 8), device="cpu")


@pytest.mark.skipif(not os.environ.get("GAN_COURSE_INCEPTION_WEIGHTS"), reason="needs the local weights file")
def test_configured_local_weights_are_used_without_any_download(monkeypatch):
    import torch_fidelity.feature_extractor_inceptionv3 as fe

    def no_network(*args, **kwargs):
        raise AssertionError("tried to download although local weights are configured")

    monkeypatch.setattr(fe, "load_state_dict_from_url", no_network)
    images = torch.rand(8, 1, 16, 16) * 2 - 1
    result = evaluate(images, images.flip(0), device="cpu", isc=False)
    assert result.fid is not None and abs(result.fid) < 1e-3


def test_metrics_print_as_one_line_and_never_show_nan():
    full = Metrics(54.68, 0.0412, 0.0031, 3.65, 0.04, 1000, 1000, "CIFAR-10")
    assert str(full) == "FID 54.7 · KID 0.041 ± 0.003 · IS 3.65 ± 0.04"
    offline = Metrics(54.68, 0.0412, 0.0031, None, None, 1000, 1000, "CIFAR-10", is_unavailable=NO_LOGITS)
    assert str(offline) == "FID 54.7 · KID 0.041 ± 0.003 · IS unavailable: the local Inception weights have no logits layer"
    assert "nan" not in str(offline).lower()


def test_fast_mode_computes_fid_on_64_features_and_says_so(monkeypatch):
    """Fast mode's FID uses torch-fidelity's 64-d layer (its 2048-d one costs seconds per call on a CPU)."""
    import torch_fidelity

    asked = []

    def fake_metrics(**kwargs):
        asked.append(kwargs["feature_layer_fid"])
        return {"frechet_inception_distance": 12.34}

    monkeypatch.setattr(torch_fidelity, "calculate_metrics", fake_metrics)
    images = torch.zeros(4, 1, 8, 8)
    monkeypatch.setenv("GAN_COURSE_FAST", "1")
    fast = evaluate(images, images, kid=False, isc=False, device="cpu")
    monkeypatch.setenv("GAN_COURSE_FAST", "0")
    full = evaluate(images, images, kid=False, isc=False, device="cpu")
    assert asked == ["64", "2048"]
    assert str(fast) == "FID 12.3 (on 64-d features, not the standard 2048)" and str(full) == "FID 12.3"
    with pytest.raises(ValueError, match="64, 192, 768, 2048"):
        evaluate(images, images, fid_features=100)


@pytest.mark.parametrize("fast,grading,skipped", [("1", {"GAN_COURSE_GRADING": "1"}, True),
                                                   ("1", {"NBGRADER_EXECUTION": "autograde"}, True),
                                                   ("1", {"NBGRADER_EXECUTION": "validate"}, False),
                                                   ("1", {}, False), ("0", {"GAN_COURSE_GRADING": "1"}, False)])
def test_graded_fast_runs_leave_the_metrics_out_and_say_so(monkeypatch, capsys, fast, grading, skipped):
    """Nobody reads FID/KID/IS or a t-SNE of a graded fast-mode run: no Inception network is run, the result and
    the plot say why. A student's own fast run, and a full run under a grader, compute them."""
    import torch_fidelity

    from shared.viz import real_vs_generated

    ran = []
    monkeypatch.setattr(torch_fidelity, "calculate_metrics",
                        lambda **kwargs: ran.append("metrics") or {"frechet_inception_distance": 12.34})
    monkeypatch.setattr("shared.viz.embedding.inception_features", lambda *a, **k: ran.append("features") or 1 / 0)
    for name in ("GAN_COURSE_GRADING", "NBGRADER_EXECUTION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GAN_COURSE_FAST", fast)
    for name, value in grading.items():
        monkeypatch.setenv(name, value)
    images = torch.zeros(4, 1, 8, 8)
    found = evaluate(lambda z: torch.zeros(len(z), 1, 8, 8), images, n=4, z_dim=3, kid=False, isc=False, device="cpu")
    if skipped:
        assert ran == [] and found.fid is None and found.n_generated == 4
        assert str(found).startswith("FID/KID/IS not computed: left out while grading in fast mode")
        assert real_vs_generated(images, images, device="cpu") is None
        assert "t-SNE of Inception features not computed" in capsys.readouterr().out
    else:
        assert ran == ["metrics"] and found.fid == pytest.approx(12.34)
        with pytest.raises(ZeroDivisionError):
            real_vs_generated(images, images, device="cpu")


def test_feature_extraction_progress_is_shown_and_other_messages_are_not():
    import io

    from shared.metrics.evaluate import _FeatureProgressOnly

    seen = io.StringIO()
    stream = _FeatureProgressOnly(seen)
    for text in ("Creating feature extractor", "\rProcessing samples:  50%|#####     | 8/16", "\n",
                 "\r                 \r", "Processing samples\n", "Frechet Inception Distance: 3.2\n"):
        stream.write(text)
    assert seen.getvalue() == "\rInception features:  50%|#####     | 8/16\r                 \r"


# ---------------------------------------------------------------- real data, real Inception
@pytest.fixture(scope="module")
def sets():
    mnist = load_mnist(train=False, verbose=False)
    g = torch.Generator().manual_seed(0)
    return {
        "mnist_a": mnist.images[:N],
        "mnist_b": mnist.images[N:2 * N],
        "cifar": load_cifar10(train=False, per_class=math.ceil(N / 10), verbose=False).images[:N],
        "noise": torch.rand(N, 1, 28, 28, generator=g) * 2 - 1,
    }


@pytest.fixture(scope="module")
def fresh_cache(tmp_path_factory):
    """torch-fidelity's statistics cache in a new folder for this module (not ~/.cache/torch, shared by every run)."""
    import torch_fidelity.defaults

    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(torch_fidelity.defaults.DEFAULTS, "cache_root", str(tmp_path_factory.mktemp("fidelity_cache")))
        yield


@pytest.fixture(scope="module")
def against_a(sets, fresh_cache):
    """Each set evaluated against MNIST half A (whose statistics torch-fidelity caches after the first call)."""
    return {name: evaluate(images, sets["mnist_a"], reference_name=f"test-mnist-a-{N}", device="cpu", fid_features=2048)
            for name, images in sets.items() if name != "mnist_a"}


def test_fid_orders_real_data_sensibly(against_a):
    fid = {name: m.fid for name, m in against_a.items()}
    assert fid["mnist_b"] < fid["cifar"] < fid["noise"], fid


def test_fid_of_a_set_with_itself_is_zero(sets, against_a):
    same = evaluate(sets["mnist_a"], sets["mnist_a"], reference_name=f"test-mnist-a-{N}", device="cpu", isc=False,
                    fid_features=2048)
    assert abs(same.fid) < 1e-3
    # KID compares random subsets of each side, so X against X is near 0 but not exactly 0.
    assert abs(same.kid_mean) < 0.05 * against_a["noise"].kid_mean


def test_kid_of_two_halves_is_zero_within_its_std(against_a):
    halves = against_a["mnist_b"]
    assert abs(halves.kid_mean) <= 3 * halves.kid_std + 1e-3, halves
    assert against_a["noise"].kid_mean > 10 * halves.kid_std


def test_is_is_reported_unavailable_with_features_only_weights(against_a):
    if has_logits(inception_weights()):
        assert against_a["mnist_b"].is_mean is not None
    else:
        assert against_a["mnist_b"].is_mean is None and against_a["mnist_b"].is_unavailable == NO_LOGITS
        assert "IS unavailable" in str(against_a["mnist_b"])


def test_wrapper_equals_torch_fidelity_and_ignores_batch_size(sets, against_a):
    import torch_fidelity

    def by_hand(x):  # the conversion written out independently of shared.metrics
        x = ((x + 1) * 127.5).round().clamp(0, 255).to(torch.uint8)
        return x.repeat(1, 3, 1, 1)

    direct = torch_fidelity.calculate_metrics(
        input1=UInt8Images(by_hand(sets["mnist_b"])), input2=UInt8Images(by_hand(sets["mnist_a"])),
        fid=True, cuda=False, verbose=False, cache=False, save_cpu_ram=True,
        feature_extractor_weights_path=inception_weights())
    assert direct["frechet_inception_distance"] == pytest.approx(against_a["mnist_b"].fid, rel=1e-5)
    rebatched = evaluate(sets["mnist_b"], sets["mnist_a"], reference_name=f"test-mnist-a-{N}", batch_size=13,
                         device="cpu", kid=False, isc=False, fid_features=2048)
    assert rebatched.fid == pytest.approx(against_a["mnist_b"].fid, rel=1e-4)


def test_embedding_plot_has_two_labelled_groups(sets, tmp_path):
    from shared.viz import real_vs_generated

    matplotlib.use("Agg")
    ax = real_vs_generated(sets["mnist_a"][:12], sets["noise"][:10], device="cpu")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["real (12)", "generated (10)"]
    assert [len(c.get_offsets()) for c in ax.collections] == [12, 10]
    # Several generators: one panel each, against the same real images.
    axes = real_vs_generated(sets["mnist_a"][:6], {"noise": sets["noise"][:6], "MNIST B": sets["mnist_b"][:4]},
                             device="cpu", path=tmp_path / "two.png")
    assert [a.get_title() for a in axes] == ["noise", "MNIST B"] and (tmp_path / "two.png").stat().st_size > 0
    assert [len(c.get_offsets()) for c in axes[1].collections] == [6, 4]
