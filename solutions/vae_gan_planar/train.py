"""Train this assignment's models on the bundled data and save their figures as PNG.

    python train.py vae                 # VAE on the bundled binarized digits
    python train.py vae --mnist ~/data/MNIST
    python train.py planar              # planar flows, k in {2, 8, 32}, on arcs and sine
    python train.py dirac               # the dirac GAN configurations
    python train.py planar --tiny       # a few steps: checks that everything runs

It runs your own vae.py, gan.py and planar_flow.py, found next to this file. Figures go to
--out (default: figures/). The notebook vae_gan_planar.ipynb calls the same functions.
"""
import argparse
import copy
import itertools
import math
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
from matplotlib.figure import Figure


def _add_repository_to_path() -> None:
    """Make the bundled `datasets` package importable: it lives in a folder above this one."""
    here = Path(__file__).resolve().parent
    for folder in (here, *here.parents):
        if (folder / "datasets" / "__init__.py").is_file():
            sys.path.insert(0, str(folder))
            return
    raise FileNotFoundError(f"no datasets/ folder above {here}: keep this folder in the homework")


_add_repository_to_path()
import datasets  # noqa: E402
from gan import make_train_step  # noqa: E402
from planar_flow import (Flow, data_arcs, data_sine, density_arcs, density_sine,  # noqa: E402
                         loss1, loss2)
from vae import (kl_gaussian_gaussian_analytic, log_likelihood_bernoulli,  # noqa: E402
                 log_likelihood_normal, log_mean_exp)

DEVICE = torch.device("cuda" if torch.cuda.is_available() else "cpu")


# -----------------------------------------------------------------------------
# VAE on binarized digits


class VAE(nn.Module):
    """MLP encoder q(z|x) = N(mu, exp(logvar)) and Bernoulli MLP decoder p(x|z), prior N(0, I)."""

    def __init__(self, latent_size: int = 100, hidden_size: int = 300):
        super().__init__()
        self.latent_size = latent_size
        self.encoder = nn.Sequential(
            nn.Flatten(), nn.Linear(784, hidden_size), nn.ELU(),
            nn.Linear(hidden_size, hidden_size), nn.ELU(), nn.Linear(hidden_size, 2 * latent_size))
        self.decoder = nn.Sequential(
            nn.Linear(latent_size, hidden_size), nn.ELU(),
            nn.Linear(hidden_size, hidden_size), nn.ELU(), nn.Linear(hidden_size, 784))

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(mu, logvar) of q(z|x), each (B, latent_size)."""
        return self.encoder(x).chunk(2, dim=1)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """Pixel probabilities p(x=1|z), (B, 784), kept away from 0 and 1 so logs stay finite."""
        return torch.sigmoid(self.decoder(z)).clamp(1e-6, 1 - 1e-6)


def elbo(model: VAE, x: torch.Tensor) -> torch.Tensor:
    """One-sample ELBO per image, (B,): E_q[log p(x|z)] - KL(q(z|x) || p(z))."""
    mu, logvar = model.encode(x)
    z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
    zeros = torch.zeros_like(mu)
    kl = kl_gaussian_gaussian_analytic(mu, logvar, zeros, zeros)
    return log_likelihood_bernoulli(model.decode(z), x) - kl


def importance_sampled_log_likelihood(model: VAE, x: torch.Tensor, k: int = 200) -> torch.Tensor:
    """log p(x) per image, (B,), estimated with k samples of q(z|x):
    log (1/k) sum_j p(x|z_j) p(z_j) / q(z_j|x)."""
    mu, logvar = (t.repeat_interleave(k, dim=0) for t in model.encode(x))  # (B * k, latent)
    z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
    zeros = torch.zeros_like(mu)
    log_w = (log_likelihood_bernoulli(model.decode(z), x.repeat_interleave(k, dim=0))
             + log_likelihood_normal(zeros, zeros, z) - log_likelihood_normal(mu, logvar, z))
    return log_mean_exp(log_w.view(len(x), k))


def mean_elbo(model: VAE, images: torch.Tensor) -> float:
    """The ELBO averaged over `images`, in nats."""
    with torch.no_grad():
        return torch.cat([elbo(model, x.to(DEVICE)) for x in images.split(500)]).mean().item()


def load_vae_data(mnist_dir: str | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Binarized (train, validation) images (N, 1, 28, 28): MNIST from `mnist_dir` (IDX
    files, its test split for validation) when given, else the bundled digit set."""
    if mnist_dir is None:
        splits = datasets.load_digits_binarized("train"), datasets.load_digits_binarized("val")
    else:
        splits = (datasets.binarize(datasets.load_mnist_idx(mnist_dir, split)[0])
                  for split in ("train", "test"))
    return tuple(torch.from_numpy(images) for images in splits)


def train_vae(train: torch.Tensor, val: torch.Tensor, epochs: int,
              batch_size: int = 64) -> tuple[VAE, list[tuple[float, float]]]:
    """Fit the VAE (latent size 100, Adam lr 3e-4) by maximizing the ELBO: 20 epochs suit
    MNIST, 200 the small bundled set (about as many steps as 5 epochs of MNIST).

    Returns the model and one (train ELBO, validation ELBO) pair per epoch, in nats per image.
    """
    model = VAE().to(DEVICE)
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-4)
    history = []
    for epoch in range(1, epochs + 1):
        total = 0.0
        for batch in torch.randperm(len(train)).split(batch_size):
            x = train[batch].to(DEVICE)
            loss = -elbo(model, x).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total -= loss.item() * len(x)
        history.append((total / len(train), mean_elbo(model, val)))
        print(f"vae epoch {epoch}/{epochs}: train ELBO {history[-1][0]:.2f}, "
              f"validation ELBO {history[-1][1]:.2f} nats")
    return model, history


def evaluate_vae(model: VAE, val: torch.Tensor, k: int = 200) -> tuple[float, float]:
    """Mean validation ELBO and importance-sampled log-likelihood (k samples), in nats."""
    val_elbo = mean_elbo(model, val)
    with torch.no_grad():
        log_px = torch.cat([importance_sampled_log_likelihood(model, x.to(DEVICE), k)
                            for x in val.split(50)]).mean().item()
    print(f"vae validation: ELBO {val_elbo:.2f} nats, log-likelihood {log_px:.2f} nats "
          f"(importance sampling, K = {k})")
    return val_elbo, log_px


def plot_vae(model: VAE, val: torch.Tensor, history: list[tuple[float, float]]) -> Figure:
    """Validation images, their reconstructions, samples of the model, and the ELBO curves."""
    with torch.no_grad():
        x = val[:10].to(DEVICE)
        reconstructions = model.decode(model.encode(x)[0])
        samples = model.decode(torch.randn(10, model.latent_size, device=DEVICE))
    rows = torch.cat([x.view(10, 784), reconstructions, samples]).cpu().numpy()
    grid = rows.reshape(3, 10, 28, 28).transpose(0, 2, 1, 3).reshape(3 * 28, 10 * 28)
    fig = Figure(figsize=(12, 4), layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=[2, 1])
    left.imshow(grid, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    left.set(title="data / reconstructions (mean of q) / samples (pixel probabilities)")
    left.axis("off")
    epochs = np.arange(1, len(history) + 1)
    for values, label in zip(zip(*history), ("train", "validation")):
        right.plot(epochs, values, label=label)
    right.set(title="ELBO (nats)", xlabel="epoch")
    right.legend()
    return fig


# -----------------------------------------------------------------------------
# Planar flows

PLANAR_DATA = {"arcs": data_arcs, "sine": data_sine}
ENERGIES = {"arcs": density_arcs, "sine": density_sine}
LIMIT = 4  # plots show [-4, 4]^2


def train_planar(target: str, fit: str, layers: int, steps: int = 20_000,
                 batch_size: int = 128) -> Flow:
    """Fit Flow(2, layers) with RMSprop (lr 5e-4) to `target` ("arcs" or "sine").

    fit="data": maximum likelihood on its 5000 samples (loss1; the flow maps data to noise);
    fit="density": reverse KL to its energy (loss2; the flow maps noise to samples).
    """
    flow = Flow(2, layers).to(DEVICE)
    optimizer = torch.optim.RMSprop(flow.parameters(), lr=5e-4)
    data = PLANAR_DATA[target]().to(DEVICE)
    for step in range(1, steps + 1):
        if fit == "data":
            z0, logdet = flow(data[torch.randint(len(data), (batch_size,), device=DEVICE)])
            loss = loss1(z0, logdet).mean()
        else:
            z0 = torch.randn(batch_size, 2, device=DEVICE)
            x, logdet = flow(z0)
            loss = loss2(ENERGIES[target](x), z0, logdet).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step % (steps // 4 or 1) == 0:
            print(f"planar {target} {fit} k={layers} step {step}/{steps}: loss {loss.item():.3f}")
    return flow


def _grid(n: int) -> torch.Tensor:
    """(n * n, 2) points of [-LIMIT, LIMIT]^2, row by row from the bottom, for imshow."""
    t = torch.linspace(-LIMIT, LIMIT, n)
    z2, z1 = torch.meshgrid(t, t, indexing="ij")
    return torch.stack([z1.reshape(-1), z2.reshape(-1)], dim=1)


def _show(ax, image: np.ndarray, title: str) -> None:
    ax.imshow(image, origin="lower", extent=(-LIMIT, LIMIT, -LIMIT, LIMIT), cmap="viridis")
    ax.set(title=title, xticks=[], yticks=[])


def plot_planar(target: str, flows: dict[tuple[str, int], Flow]) -> Figure:
    """Top row: the data and the densities learned from it (loss1). Bottom row: the target
    density exp(-U) and histograms of samples of the flows fitted to it (loss2)."""
    layers = sorted({k for _, k in flows})
    fig = Figure(figsize=(3 * (len(layers) + 1), 6), layout="constrained")
    axes = fig.subplots(2, len(layers) + 1)
    n = 200
    grid = _grid(n)
    bins = np.linspace(-LIMIT, LIMIT, 101)
    data = PLANAR_DATA[target]().numpy()
    _show(axes[0, 0], np.histogram2d(data[:, 1], data[:, 0], bins=bins)[0], f"data_{target}")
    _show(axes[1, 0], torch.exp(-ENERGIES[target](grid)).view(n, n).numpy(), f"exp(-U), {target}")
    for column, k in enumerate(layers, start=1):
        flow_data, flow_density = flows["data", k], flows["density", k]
        with torch.no_grad():
            z0, logdet = flow_data(grid.to(DEVICE))
            density = torch.exp(-loss1(z0, logdet)).view(n, n).cpu().numpy()
            samples = flow_density(torch.randn(20_000, 2, device=DEVICE))[0].cpu().numpy()
        _show(axes[0, column], density, f"learned density, k={k}")
        _show(axes[1, column], np.histogram2d(samples[:, 1], samples[:, 0], bins=bins)[0],
              f"samples, k={k}")
    return fig


# -----------------------------------------------------------------------------
# Dirac GAN: real data is the point 0, the generator a single point theta


class DiracGenerator(nn.Module):
    """Generates the point theta (one scalar sample): fake data is a dirac at theta."""

    def __init__(self, theta: float = 1.0):
        super().__init__()
        self.theta = nn.Parameter(torch.tensor([theta]))

    def forward(self) -> torch.Tensor:
        return self.theta


class LinearCritic(nn.Module):
    """critic(x) = psi * x, for samples x of shape (N,)."""

    def __init__(self, psi: float = 1.0):
        super().__init__()
        self.psi = nn.Parameter(torch.tensor(psi))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.psi * x


# (loss, regularizer, coefficient); the coefficient is unused without a regularizer
DIRAC_CONFIGS = [(loss, reg, cf) for loss in ("JSD", "W1")
                 for reg, cf in ((None, 1.0), ("R1", 0.01), ("R1", 0.1), ("GP", 0.01), ("GP", 0.1))]


def train_dirac(loss: str, reg: str | None, reg_cf: float, steps: int = 5000,
                alpha_ema: float = 0.998) -> np.ndarray:
    """Train the dirac GAN with SGD (lr 0.1) from theta = psi = 1.

    Returns the trajectory, (steps + 1, 3): theta, psi and the moving average of theta. The
    average only writes into a copy of the generator, so theta is also the trajectory with
    EMA off.
    """
    generator, critic = DiracGenerator(), LinearCritic()
    test_generator = copy.deepcopy(generator)
    generator_optim = torch.optim.SGD(generator.parameters(), lr=0.1)
    critic_optim = torch.optim.SGD(critic.parameters(), lr=0.1)
    train_step = make_train_step(loss, reg_type=reg, reg_cf=reg_cf, alpha_ema=alpha_ema)
    real_data = itertools.repeat(torch.zeros(1))
    path = [(generator.theta.item(), critic.psi.item(), test_generator.theta.item())]
    for _ in range(steps):
        train_step(real_data, critic, critic_optim, generator, test_generator, generator_optim)
        path.append((generator.theta.item(), critic.psi.item(), test_generator.theta.item()))
    return np.array(path)


def dirac_name(loss: str, reg: str | None, reg_cf: float) -> str:
    """A configuration's title, e.g. "JSD + R1 0.1"."""
    return loss if reg is None else f"{loss} + {reg} {reg_cf:g}"


def plot_dirac(paths: dict[str, np.ndarray]) -> Figure:
    """One panel per configuration: (theta, psi) over training, and (EMA of theta, psi)."""
    columns = math.ceil(len(paths) / 2)
    fig = Figure(figsize=(3 * columns, 6), layout="constrained")
    for ax, (name, path) in zip(fig.subplots(2, columns).flat, paths.items()):
        ax.plot(path[:, 0], path[:, 1], lw=0.8, label="generator")
        ax.plot(path[:, 2], path[:, 1], lw=0.8, label="EMA of theta (0.998)")
        ax.plot([path[0, 0]], [path[0, 1]], "ko", ms=3)
        ax.plot([0], [0], "r*")
        ax.set(title=name, xlabel="theta", ylabel="psi")
    ax.legend()
    return fig


def save(fig: Figure, path: Path) -> None:
    fig.savefig(path)
    print(f"saved {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model", choices=["vae", "planar", "dirac"])
    parser.add_argument("--steps", type=int, help="planar: 20000, dirac: 5000 by default")
    parser.add_argument("--epochs", type=int, help="vae: 20 on MNIST, 200 on the bundled digits")
    parser.add_argument("--layers", type=int, nargs="+", default=[2, 8, 32], help="planar k")
    parser.add_argument("--tiny", action="store_true", help="a few steps, to check that it runs")
    parser.add_argument("--mnist", help="folder with the MNIST IDX files (vae)")
    parser.add_argument("--out", type=Path, default=Path("figures"), help="where to save PNGs")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)

    if args.model == "vae":
        train, val = load_vae_data(args.mnist)
        if args.tiny:
            train, val = train[:256], val[:20]
        epochs = 1 if args.tiny else args.epochs or (20 if args.mnist else 200)
        model, history = train_vae(train, val, epochs)
        evaluate_vae(model, val, k=20 if args.tiny else 200)
        save(plot_vae(model, val, history), args.out / "vae.png")
    elif args.model == "planar":
        steps = args.steps or (5 if args.tiny else 20_000)
        for target in ENERGIES:
            flows = {(fit, k): train_planar(target, fit, k, steps)
                     for fit in ("data", "density") for k in args.layers}
            save(plot_planar(target, flows), args.out / f"planar_{target}.png")
    else:
        steps = args.steps or (5 if args.tiny else 5000)
        paths = {dirac_name(*config): train_dirac(*config, steps=steps) for config in DIRAC_CONFIGS}
        for name, path in paths.items():
            print(f"dirac {name}: final theta {path[-1, 0]:+.3f}, psi {path[-1, 1]:+.3f}, "
                  f"EMA theta {path[-1, 2]:+.3f}")
        save(plot_dirac(paths), args.out / "dirac.png")


if __name__ == "__main__":
    main()
