"""Train this assignment's models on the bundled data and save their figures as PNG.

    python train.py maf                 # MAF on two moons
    python train.py gan                 # the three GANs on the bundled 28x28 digits
    python train.py gan --loss wgan-gp --fashion ~/data/FashionMNIST
    python train.py maf --tiny          # a few steps: checks that everything runs

It runs your own flow_network.py and gan.py, found next to this file. Figures go to --out
(default: figures/). The notebook flows_gans.ipynb calls the same functions.
"""
import argparse
import sys
from pathlib import Path

import torch
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
import gan  # noqa: E402
import network  # noqa: E402
from flow_network import MAF  # noqa: E402

DEVICE = torch.device("cuda" if torch.cuda.is_available() else "cpu")
# loss name -> (generator class, discriminator class, discriminator loss, generator loss)
GANS = {
    "nonsaturating": (network.Generator, network.Discriminator,
                      gan.loss_nonsaturating_d, gan.loss_nonsaturating_g),
    "conditional": (network.ConditionalGenerator, network.ConditionalDiscriminator,
                    gan.conditional_loss_nonsaturating_d, gan.conditional_loss_nonsaturating_g),
    "wgan-gp": (network.Generator, network.Discriminator,
                gan.loss_wasserstein_gp_d, gan.loss_wasserstein_gp_g),
}


# -----------------------------------------------------------------------------
# MAF on two moons


def train_maf(steps: int = 5000, batch_size: int = 128,
              eval_every: int = 250) -> tuple[MAF, list[tuple[int, float]]]:
    """Fit MAF(2, 100, 1, 5) to the two-moons training split with Adam (lr 1e-3).

    Returns the model and (step, validation NLL) pairs. The NLL is the negative mean
    log-likelihood in nats: a good model reaches about 1.2 (a log-likelihood of about -1.2).
    """
    train, val, _ = (torch.from_numpy(split).to(DEVICE) for split in datasets.moons_splits())
    model = MAF(2, 100, 1, 5).to(DEVICE)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    history = []
    for step in range(1, steps + 1):
        batch = train[torch.randint(len(train), (batch_size,), device=DEVICE)]
        loss = model.loss(batch)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step % eval_every == 0 or step == steps:
            with torch.no_grad():
                val_nll = model.loss(val).item()
            history.append((step, val_nll))
            print(f"maf step {step}/{steps}: train NLL {loss.item():.3f}, "
                  f"validation NLL {val_nll:.3f} nats (log-likelihood {-val_nll:.3f})")
    return model, history


def plot_maf(model: MAF, history: list[tuple[int, float]]) -> Figure:
    """Validation data next to as many samples of the model, and the validation NLL curve."""
    _, val, _ = datasets.moons_splits()
    samples = model.sample(DEVICE, len(val))
    fig = Figure(figsize=(12, 4), layout="constrained")
    axes = fig.subplots(1, 3)
    for ax, points, title in ((axes[0], val, "validation data"), (axes[1], samples, "MAF samples")):
        ax.scatter(points[:, 0], points[:, 1], s=1)
        ax.set(title=title, xlim=(-3, 3), ylim=(-3, 3), aspect="equal")
    steps, nll = zip(*history)
    axes[2].plot(steps, nll)
    axes[2].set(title="validation NLL (nats)", xlabel="step")
    return fig


# -----------------------------------------------------------------------------
# GANs on 28x28 images


def load_gan_data(fashion_dir: str | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Training images (N, 1, 28, 28) in [-1, 1] and labels (N,): FashionMNIST from
    `fashion_dir` (IDX files) when given, else the small bundled digit set."""
    if fashion_dir is None:
        images, labels = datasets.load_images("train")
    else:
        raw, labels = datasets.load_mnist_idx(fashion_dir, "train", kind="fashion")
        images = datasets.scale_to_symmetric(raw)
    return torch.from_numpy(images), torch.from_numpy(labels)


def train_gan(loss: str, images: torch.Tensor, labels: torch.Tensor, steps: int = 3000,
              batch_size: int = 64, print_every: int = 250) -> torch.nn.Module:
    """Train the GAN of `loss` (a key of GANS), one discriminator step then one generator
    step per iteration, Adam (lr 1e-3, betas (0.5, 0.999)); returns the generator."""
    g_class, d_class, d_loss_fn, g_loss_fn = GANS[loss]
    g, d = g_class().to(DEVICE), d_class().to(DEVICE)
    g_optimizer = torch.optim.Adam(g.parameters(), lr=1e-3, betas=(0.5, 0.999))
    d_optimizer = torch.optim.Adam(d.parameters(), lr=1e-3, betas=(0.5, 0.999))
    for step in range(1, steps + 1):
        index = torch.randint(len(images), (batch_size,))
        batch = (images[index].to(DEVICE),)
        if loss == "conditional":
            batch += (labels[index].to(DEVICE),)
        d_loss = d_loss_fn(g, d, *batch, device=DEVICE)
        d_optimizer.zero_grad()
        d_loss.backward()
        d_optimizer.step()
        g_loss = g_loss_fn(g, d, *batch, device=DEVICE)
        g_optimizer.zero_grad()
        g_loss.backward()
        g_optimizer.step()
        if step % print_every == 0 or step == steps:
            print(f"{loss} step {step}/{steps}: d loss {d_loss.item():.3f}, "
                  f"g loss {g_loss.item():.3f}")
    return g


def plot_gan_samples(g: torch.nn.Module, loss: str, rows: int = 10) -> Figure:
    """A rows x 10 grid of samples; for the conditional GAN, column j shows class j."""
    z = torch.randn(rows * 10, g.dim_z, device=DEVICE)
    with torch.no_grad():
        if loss == "conditional":
            images = g(z, torch.arange(10, device=DEVICE).repeat(rows))
        else:
            images = g(z)
    grid = images.cpu().numpy().reshape(rows, 10, 28, 28).transpose(0, 2, 1, 3)
    grid = grid.reshape(rows * 28, 10 * 28)
    fig = Figure(figsize=(6, 0.6 * rows), layout="constrained")
    ax = fig.subplots()
    ax.imshow(grid, cmap="gray", vmin=-1, vmax=1, interpolation="nearest")
    ax.set(title=f"{loss} GAN samples")
    ax.axis("off")
    return fig


def save(fig: Figure, path: Path) -> None:
    fig.savefig(path)
    print(f"saved {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model", choices=["maf", "gan"])
    parser.add_argument("--steps", type=int, help="training steps (maf: 5000, gan: 3000 each)")
    parser.add_argument("--tiny", action="store_true", help="a few steps, to check that it runs")
    parser.add_argument("--loss", nargs="+", choices=list(GANS), default=list(GANS),
                        help="which GANs to train (default: all three)")
    parser.add_argument("--fashion", help="folder with the FashionMNIST IDX files")
    parser.add_argument("--out", type=Path, default=Path("figures"), help="where to save PNGs")
    args = parser.parse_args()
    steps = args.steps or (5 if args.tiny else {"maf": 5000, "gan": 3000}[args.model])
    every = max(1, min(250, steps // 4))
    args.out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)

    if args.model == "maf":
        model, history = train_maf(steps, eval_every=every)
        save(plot_maf(model, history), args.out / "maf.png")
    else:
        images, labels = load_gan_data(args.fashion)
        for loss in args.loss:
            g = train_gan(loss, images, labels, steps, batch_size=16 if args.tiny else 64,
                          print_every=every)
            save(plot_gan_samples(g, loss), args.out / f"gan_{loss}.png")


if __name__ == "__main__":
    main()
