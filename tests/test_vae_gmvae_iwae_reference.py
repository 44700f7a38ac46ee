"""Content checks of the ``vae_gmvae_iwae`` reference (solutions/vae_gmvae_iwae/submission)
against its contract (/work/shared/spec/vae_gmvae_iwae.md): the course's public IWAE number,
the definitions of every part, the order of random draws, the state_dict keys, and that
``main.py --tiny`` runs for each model.

torchvision is not usable here: ``autograder/stand_ins/torchvision`` stands in for it, first on
the path while the reference is imported (main.py loads it by itself where torchvision is not
installed). The reference's modules leave ``sys.modules`` when the tests are done, so nothing
forked later sees them.
"""

from __future__ import annotations

import importlib
import math
import os
import pickle
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from torch.distributions import Categorical, Independent, MixtureSameFamily, Normal

ROOT = Path(__file__).resolve().parents[1]
SOLUTION = ROOT / "solutions" / "vae_gmvae_iwae"
STAND_INS = ROOT / "autograder" / "stand_ins"
PACKAGES = ("submission", "torchvision")
MODULES = ("utils", "models.vae", "models.gmvae", "models.ssvae", "models.fsvae",
           "models.nns")


def _forget_reference() -> None:
    for name in [n for n in sys.modules if n.split(".")[0] in PACKAGES]:
        del sys.modules[name]


@pytest.fixture(scope="module")
def ref():
    """The reference package's modules, as ``ref.utils``, ``ref.vae``, ``ref.nns`` ..."""
    saved_path = list(sys.path)
    sys.path[:0] = [str(STAND_INS), str(SOLUTION)]
    _forget_reference()
    try:
        modules = {name.split(".")[-1]: importlib.import_module(f"submission.{name}")
                   for name in MODULES}
        yield SimpleNamespace(**modules)
    finally:
        _forget_reference()
        sys.path[:] = saved_path


def _binary(seed: int, shape: tuple[int, ...]) -> torch.Tensor:
    return torch.randint(0, 2, shape, generator=torch.Generator().manual_seed(seed)).float()


# ---- the course's public 3b test --------------------------------------------------------------

def _public_3b_setup(ref):
    """The course's protocol: seed 0, x, then VAE(z_dim=10) (its initial weights follow x's
    draw), reseeded with 0 before the bound."""
    torch.manual_seed(0)
    x = torch.randint(0, 2, (97, 784)).float()
    model = ref.vae.VAE(z_dim=10)
    torch.manual_seed(0)
    return x, model


def _niwae_by_hand(ref, model, x, iw: int, rows: str, reduce: str) -> float:
    """NIWAE drawn with rows 'copy' (ut.duplicate) or 'example' (repeat_interleave) and the
    log weights reduced as 'copy' ((iw, B), dim 0) or 'example' ((B, iw), dim 1)."""
    ut = ref.utils
    x_rep = ut.duplicate(x, iw) if rows == "copy" else x.repeat_interleave(iw, 0)
    m, v = model.enc(x_rep)
    z = ut.sample_gaussian(m, v)
    log_w = (ut.log_bernoulli_with_logits(x_rep, model.dec(z))
             + ut.log_normal(z, torch.zeros_like(z), torch.ones_like(z)) - ut.log_normal(z, m, v))
    if reduce == "copy":
        return -ut.log_mean_exp(log_w.reshape(iw, -1), dim=0).mean().item()
    return -ut.log_mean_exp(log_w.reshape(-1, iw), dim=1).mean().item()


def test_public_3b_number_of_the_copy_major_layout(ref):
    x, model = _public_3b_setup(ref)
    niwae, kl, rec = model.negative_iwae_bound(x, 10)
    assert niwae.item() == pytest.approx(544.3607, abs=1e-3)
    assert kl.shape == rec.shape == () and torch.isfinite(kl) and torch.isfinite(rec)


@pytest.mark.parametrize("rows,reduce,expected", [
    ("copy", "copy", 544.3607),  # the reference's layout, written out
    ("example", "example", 544.5009),  # the other consistent layout
    ("copy", "example", 544.0494),  # the mixed layout the 2025 grader accepts: wrong here
])
def test_public_3b_numbers_of_every_layout(ref, rows, reduce, expected):
    x, model = _public_3b_setup(ref)
    with torch.no_grad():
        assert _niwae_by_hand(ref, model, x, 10, rows, reduce) == pytest.approx(expected, abs=1e-3)


# ---- utils ------------------------------------------------------------------------------------

def test_sample_gaussian_is_one_draw_and_differentiable(ref):
    m = torch.randn(5, 16, requires_grad=True)
    v = (torch.rand(5, 16) + 0.1).requires_grad_()
    torch.manual_seed(3)
    z = ref.utils.sample_gaussian(m, v)
    torch.manual_seed(3)
    torch.testing.assert_close(z, m + v.sqrt() * torch.randn(5, 16))
    z.sum().backward()
    assert (m.grad == 1).all() and (v.grad != 0).all()


def test_log_normal_matches_torch_distributions_and_broadcasts(ref):
    g = torch.Generator().manual_seed(0)
    x = torch.randn(4, 3, 6, generator=g)
    m, v = torch.randn(3, 6, generator=g), torch.rand(4, 1, 6, generator=g) + 0.05
    expected = Normal(m, v.sqrt()).log_prob(x).sum(-1)
    torch.testing.assert_close(ref.utils.log_normal(x, m, v), expected)


@pytest.mark.parametrize("prior_batch", [7, 1])
def test_log_normal_mixture_matches_a_torch_mixture(ref, prior_batch):
    g = torch.Generator().manual_seed(1)
    z = torch.randn(7, 5, generator=g) * 3
    m = torch.randn(prior_batch, 11, 5, generator=g)
    v = torch.rand(prior_batch, 11, 5, generator=g) + 0.01
    mixture = MixtureSameFamily(Categorical(torch.ones(prior_batch, 11)),
                                Independent(Normal(m, v.sqrt()), 1))
    torch.testing.assert_close(ref.utils.log_normal_mixture(z, m, v), mixture.log_prob(z))


def test_log_normal_mixture_is_stable_far_from_every_component(ref):
    m, v = torch.zeros(2, 3, 4), torch.full((2, 3, 4), 1e-3)
    value = ref.utils.log_normal_mixture(torch.full((2, 4), 30.0), m, v)
    assert torch.isfinite(value).all() and (value < -1e5).all()


def test_duplicate_is_copy_major(ref):
    x = torch.arange(12.0).reshape(4, 3)
    rows = ref.utils.duplicate(x, 5)
    assert rows.shape == (20, 3)
    for j in range(5):
        torch.testing.assert_close(rows[j * 4:(j + 1) * 4], x)
    assert not torch.equal(rows, x.repeat_interleave(5, 0))


def test_gaussian_parameters_kl_and_log_sum_exp(ref):
    ut = ref.utils
    h = torch.randn(3, 8)
    m, v = ut.gaussian_parameters(h, dim=1)
    torch.testing.assert_close(m, h[:, :4])
    torch.testing.assert_close(v, torch.nn.functional.softplus(h[:, 4:]) + 1e-8)
    qm, qv, pm, pv = torch.randn(3, 4), v, torch.randn(3, 4), torch.rand(3, 4) + 0.5
    expected = torch.distributions.kl_divergence(Independent(Normal(qm, qv.sqrt()), 1),
                                                 Independent(Normal(pm, pv.sqrt()), 1))
    torch.testing.assert_close(ut.kl_normal(qm, qv, pm, pv), expected)
    big = torch.tensor([[1000.0, 1000.0], [-1000.0, -1000.0]])
    torch.testing.assert_close(ut.log_mean_exp(big, dim=1), torch.tensor([1000.0, -1000.0]))


def test_fixed_seed_restores_the_random_state(ref):
    torch.manual_seed(5)
    expected = torch.rand(3)
    torch.manual_seed(5)
    with ref.utils.FixedSeed(0):
        inside = torch.rand(3)
    torch.testing.assert_close(torch.rand(3), expected)
    torch.manual_seed(0)
    torch.testing.assert_close(inside, torch.rand(3))


# ---- models: keys, construction, networks -------------------------------------------------------

def _net_keys(*modules: str) -> set[str]:
    return {f"{m}.net.{i}.{p}" for m in modules for i in (0, 2, 4) for p in ("weight", "bias")}


def test_state_dict_keys_are_the_contract(ref):
    prior = {"z_prior_m", "z_prior_v"}
    assert set(ref.vae.VAE(z_dim=10).state_dict()) == _net_keys("enc", "dec") | prior
    assert set(ref.gmvae.GMVAE(z_dim=10).state_dict()) == _net_keys("enc", "dec") | {"z_pre", "pi"}
    assert set(ref.ssvae.SSVAE().state_dict()) == _net_keys("enc", "dec", "cls") | prior
    assert set(ref.fsvae.FSVAE().state_dict()) == _net_keys("enc", "dec") | prior


def test_shapes_and_frozen_state(ref):
    gmvae = ref.gmvae.GMVAE(z_dim=3, k=7)
    assert gmvae.z_pre.shape == (1, 14, 3) and gmvae.z_pre.requires_grad
    assert gmvae.pi.shape == (7,) and not gmvae.pi.requires_grad
    vae = ref.vae.VAE()
    assert vae.z_dim == 2 and vae.name == "vae" and not vae.z_prior_m.requires_grad
    ssvae = ref.ssvae.SSVAE()
    assert (ssvae.z_dim, ssvae.y_dim, ssvae.gen_weight, ssvae.class_weight) == (64, 10, 1, 100)
    assert ssvae.enc.net[0].in_features == 794 and ssvae.dec.net[0].in_features == 74
    fsvae = ref.fsvae.FSVAE()
    assert fsvae.enc.net[0].in_features == 3082 and fsvae.dec.net[4].out_features == 3072
    assert fsvae.enc.net[4].out_features == 20 and fsvae.enc.net[2].in_features == 500


def test_seeded_construction_order_is_enc_dec_cls_then_prior(ref):
    nns = ref.nns
    torch.manual_seed(4)
    gmvae = ref.gmvae.GMVAE(z_dim=10, k=5)
    torch.manual_seed(4)
    enc, dec = nns.v1.Encoder(10), nns.v1.Decoder(10)
    z_pre = torch.randn(1, 10, 10) / math.sqrt(5 * 10)
    torch.testing.assert_close(gmvae.enc.net[0].weight, enc.net[0].weight)
    torch.testing.assert_close(gmvae.dec.net[4].bias, dec.net[4].bias)
    torch.testing.assert_close(gmvae.z_pre.data, z_pre)
    torch.manual_seed(4)
    ssvae = ref.ssvae.SSVAE()
    torch.manual_seed(4)
    nns.v1.Encoder(64, 10), nns.v1.Decoder(64, 10)
    torch.testing.assert_close(ssvae.cls.net[0].weight, nns.v1.Classifier(10).net[0].weight)


def test_both_method_names_of_the_networks(ref):
    v1, v2 = ref.nns.v1, ref.nns.v2
    for cls, old in ((v1.Encoder, "encode"), (v1.Decoder, "decode"), (v1.Classifier, "classify"),
                     (v2.Encoder, "encode"), (v2.Decoder, "decode")):
        assert getattr(cls, old) is cls.forward
    enc = v1.Encoder(4, 10)
    x, y = torch.rand(3, 784), torch.eye(10)[:3]
    torch.testing.assert_close(enc.encode(x, y), enc(x, y))
    m, v = v2.Encoder(10)(torch.rand(2, 3072))
    assert m.shape == v.shape == (2, 10) and (v > 0).all()


# ---- models: bounds ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def x_binary():
    return _binary(0, (13, 784))


def test_bounds_are_0_dim_and_differentiable(ref, x_binary):
    torch.manual_seed(0)
    models = [ref.vae.VAE(z_dim=3), ref.gmvae.GMVAE(z_dim=3, k=6)]
    for model in models:
        for outputs in (model.negative_elbo_bound(x_binary),
                        model.negative_iwae_bound(x_binary, 4)):
            assert all(t.shape == () and torch.isfinite(t) for t in outputs)
            outputs[0].backward()
            assert model.enc.net[0].weight.grad.abs().sum() > 0
    assert model.z_pre.grad.abs().sum() > 0


def test_vae_elbo_is_rec_plus_analytic_kl(ref, x_binary):
    ut = ref.utils
    torch.manual_seed(1)
    model = ref.vae.VAE(z_dim=4)
    torch.manual_seed(2)
    nelbo, kl, rec = model.negative_elbo_bound(x_binary)
    torch.manual_seed(2)
    m, v = model.enc(x_binary)
    z = m + v.sqrt() * torch.randn_like(m)
    expected_rec = -torch.distributions.Bernoulli(logits=model.dec(z)).log_prob(x_binary).sum(1)
    expected_kl = torch.distributions.kl_divergence(
        Independent(Normal(m, v.sqrt()), 1), Independent(Normal(0.0, torch.ones_like(m)), 1))
    torch.testing.assert_close(rec, expected_rec.mean())
    torch.testing.assert_close(kl, expected_kl.mean())
    torch.testing.assert_close(nelbo, kl + rec)
    assert ut.log_bernoulli_with_logits(x_binary, model.dec(z)).shape == (13,)


def test_iwae_with_one_sample_is_the_monte_carlo_negative_elbo(ref, x_binary):
    ut = ref.utils
    torch.manual_seed(1)
    vae, gmvae = ref.vae.VAE(z_dim=4), ref.gmvae.GMVAE(z_dim=4, k=9)
    torch.manual_seed(2)
    niwae = vae.negative_iwae_bound(x_binary, 1)[0]
    torch.manual_seed(2)
    m, v = vae.enc(x_binary)
    z = ut.sample_gaussian(m, v)
    log_p = ut.log_normal(z, torch.zeros_like(z), torch.ones_like(z))
    mc_kl = (ut.log_normal(z, m, v) - log_p).mean()
    rec = -ut.log_bernoulli_with_logits(x_binary, vae.dec(z)).mean()
    torch.testing.assert_close(niwae, mc_kl + rec)
    torch.manual_seed(3)
    niwae = gmvae.negative_iwae_bound(x_binary, 1)[0]
    torch.manual_seed(3)
    torch.testing.assert_close(niwae, gmvae.negative_elbo_bound(x_binary)[0])


def test_iwae_tightens_with_more_samples(ref, x_binary):
    torch.manual_seed(0)
    model = ref.gmvae.GMVAE(z_dim=2, k=5)
    with torch.no_grad():
        bounds = [np.mean([model.negative_iwae_bound(x_binary, iw)[0].item() for _ in range(20)])
                  for iw in (1, 10, 100)]
    assert bounds[0] > bounds[1] > bounds[2]


def test_gmvae_kl_is_one_sample_monte_carlo_with_the_elbo_sample(ref, x_binary):
    ut = ref.utils
    torch.manual_seed(1)
    model = ref.gmvae.GMVAE(z_dim=4, k=9)
    torch.manual_seed(2)
    nelbo, kl, rec = model.negative_elbo_bound(x_binary)
    torch.manual_seed(2)
    m, v = model.enc(x_binary)
    z = ut.sample_gaussian(m, v)
    pm, pv = ut.gaussian_parameters(model.z_pre, dim=1)
    mixture = MixtureSameFamily(Categorical(torch.ones(9)),
                                Independent(Normal(pm[0], pv[0].sqrt()), 1))
    expected = (Independent(Normal(m, v.sqrt()), 1).log_prob(z) - mixture.log_prob(z)).mean()
    torch.testing.assert_close(kl, expected)
    torch.testing.assert_close(rec, -ut.log_bernoulli_with_logits(x_binary, model.dec(z)).mean())
    torch.testing.assert_close(nelbo, kl + rec)


def test_ssvae_decomposition_class_by_class(ref, x_binary):
    """Row c * B + b pairs example b with class c; per class, a (B, 64) draw continues the
    stream as one (10 B, 64) draw does (64 is a multiple of 16)."""
    ut = ref.utils
    torch.manual_seed(1)
    model = ref.ssvae.SSVAE()
    torch.manual_seed(2)
    nelbo, kl_z, kl_y, rec = model.negative_elbo_bound(x_binary)
    assert kl_y >= 0
    torch.testing.assert_close(nelbo, kl_z + kl_y + rec)
    q = torch.softmax(model.cls(x_binary), dim=1)
    torch.manual_seed(2)
    expected_kl_z = expected_rec = 0
    for c in range(10):
        y = torch.eye(10)[[c] * len(x_binary)]
        m, v = model.enc(x_binary, y)
        z = ut.sample_gaussian(m, v)
        expected_rec = expected_rec - q[:, c] * ut.log_bernoulli_with_logits(
            x_binary, model.dec(z, y))
        expected_kl_z = expected_kl_z + q[:, c] * ut.kl_normal(
            m, v, torch.zeros_like(m), torch.ones_like(v))
    torch.testing.assert_close(rec, expected_rec.mean())
    torch.testing.assert_close(kl_z, expected_kl_z.mean())
    expected_kl_y = torch.distributions.kl_divergence(Categorical(q), Categorical(torch.ones(10)))
    torch.testing.assert_close(kl_y, expected_kl_y.mean())


def test_ssvae_loss_weights(ref, x_binary):
    torch.manual_seed(0)
    model = ref.ssvae.SSVAE(gen_weight=0, class_weight=3)
    yl = torch.eye(10)[torch.arange(13) % 10]
    loss, summaries = model.loss(x_binary, x_binary, yl)
    torch.testing.assert_close(loss, 3 * model.classification_cross_entropy(x_binary, yl))
    assert summaries["gen/elbo"] == 0


def test_fsvae_rec_is_the_gaussian_log_density_with_variance_0_1(ref):
    ut = ref.utils
    torch.manual_seed(1)
    model = ref.fsvae.FSVAE()
    x, y = torch.rand(6, 3072), torch.eye(10)[[0, 3, 5, 9, 9, 1]]
    torch.manual_seed(2)
    nelbo, kl_z, rec = model.negative_elbo_bound(x, y)
    torch.manual_seed(2)
    m, v = model.enc(x, y)
    mean = model.dec(ut.sample_gaussian(m, v), y)
    expected = -Normal(mean, math.sqrt(0.1)).log_prob(x).sum(1).mean()
    torch.testing.assert_close(rec, expected)
    squared = ((x - mean) ** 2).sum(1).mean() / (2 * 0.1)
    torch.testing.assert_close(rec, squared + 0.5 * 3072 * math.log(2 * math.pi * 0.1))
    torch.testing.assert_close(kl_z, ut.kl_normal(m, v, torch.zeros_like(m),
                                                  torch.ones_like(v)).mean())
    torch.testing.assert_close(nelbo, kl_z + rec)


# ---- package, data, evaluation ----------------------------------------------------------------

@pytest.mark.parametrize("first", MODULES)
def test_the_import_cycle_resolves_from_any_module(ref, first):
    saved = {n: m for n, m in sys.modules.items() if n.startswith("submission")}
    for name in saved:
        del sys.modules[name]
    try:
        importlib.import_module(f"submission.{first}")
        assert sys.modules["submission.utils"].VAE is sys.modules["submission.models.vae"].VAE
    finally:
        for name in [n for n in sys.modules if n.startswith("submission")]:
            del sys.modules[name]
        sys.modules.update(saved)


def test_bundled_mnist_stand_in_and_labelled_subset(ref):
    ut = ref.utils
    loader, (xl, yl), (x_test, y_test) = ut.get_mnist_data(torch.device("cpu"))
    x, y = next(iter(loader))
    assert x.shape == (100, 1, 28, 28) and y.dtype == torch.int64 and 0 <= x.min() <= x.max() <= 1
    assert xl.shape == (100, 784) and x_test.shape == (300, 784)
    assert torch.equal(yl.argmax(1), torch.arange(10).repeat_interleave(10))
    first_zeros = x_test[y_test == 0][:10]
    torch.testing.assert_close(xl[:10], first_zeros)
    binary = ut.binarize_static(xl)
    expected = np.random.RandomState(0).binomial(1, xl.numpy().astype(np.float64))
    assert torch.equal(binary, torch.from_numpy(expected).float())
    _, (xl_train, _), _ = ut.get_mnist_data(torch.device("cpu"), use_test_subset=False)
    assert not torch.equal(xl_train, xl)


def test_bundled_svhn_stand_in_and_the_torchvision_stand_in(ref, tmp_path):
    loader, (x_test, y_test) = ref.utils.get_svhn_data(torch.device("cpu"))
    x, y = next(iter(loader))
    assert x.shape == (100, 3, 32, 32) and x_test.shape == (500, 3072) and y_test.shape == (500,)
    with pytest.raises(RuntimeError, match="torchvision.datasets.SVHN is not available"):
        ref.utils.get_svhn_data(torch.device("cpu"), svhn_dir=tmp_path)


def test_evaluate_lower_bound_is_seeded(ref):
    torch.manual_seed(0)
    model = ref.vae.VAE(z_dim=2)
    subset = torch.rand(7, 784), torch.eye(10)[:7]
    first = ref.utils.evaluate_lower_bound(model, subset, iw_values=(1, 4), repeats=4, max_rows=8)
    second = ref.utils.evaluate_lower_bound(model, subset, iw_values=(1, 4), repeats=4)
    assert set(first) == {"nelbo", "kl", "rec", "niwae_1", "niwae_4"}
    assert first["nelbo"] == pytest.approx(first["kl"] + first["rec"])
    assert first["nelbo"] == pytest.approx(second["nelbo"], rel=1e-5)
    assert first["niwae_4"] < first["niwae_1"]


# ---- main.py ----------------------------------------------------------------------------------

@pytest.mark.parametrize("model", ["vae", "gmvae", "ssvae", "fsvae"])
def test_main_tiny_trains_evaluates_and_saves_figures(model, tmp_path):
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    env.pop("MNIST_DIR", None), env.pop("SVHN_DIR", None)
    command = [sys.executable, str(SOLUTION / "main.py"), "--model", model, "--train", "--iwae",
               "--tiny", "--out", "out"]
    run = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    out = tmp_path / "out"
    figures = sorted(p.name for p in out.glob("*.png") if p.stat().st_size > 0)
    name = figures[0].rsplit("_", 1)[0]
    assert figures == [f"{name}_latent.png", f"{name}_samples.png"]
    results = pickle.loads((out / f"{name}.pkl").read_bytes())
    assert (out / "checkpoints" / name / "model-00005.pt").is_file()
    if model in ("vae", "gmvae"):
        assert [f"Negative IWAE-{iw}:" in run.stdout for iw in (1, 10, 100, 1000)] == [True] * 4
        assert set(results) == {"nelbo", "kl", "rec", "niwae_1", "niwae_10", "niwae_100",
                                "niwae_1000"}
    else:
        assert set(results) == ({"accuracy"} if model == "ssvae" else {"nelbo", "kl_z", "rec"})
