"""Figures of a trained model (provided): samples, and the test set in latent space."""
import numpy as np
import torch
from matplotlib.figure import Figure


def image_grid(images: torch.Tensor, rows: int) -> np.ndarray:
    """(N, C, H, W) images in [0, 1] -> one (rows * H, N / rows * W[, C]) array, row-major."""
    n, channels, height, width = images.shape
    grid = images.reshape(rows, n // rows, channels, height, width).permute(0, 3, 1, 4, 2)
    grid = grid.reshape(rows * height, n // rows * width, channels).cpu().numpy()
    return grid[..., 0] if channels == 1 else grid


def samples_figure(images: torch.Tensor, rows: int, title: str) -> Figure:
    """A grid of sampled images (N, C, H, W) in [0, 1]; with C = 1 in gray."""
    grid = image_grid(images.clamp(0, 1), rows)
    fig = Figure(figsize=(grid.shape[1] / 40, grid.shape[0] / 40 + 0.4), layout="constrained")
    ax = fig.subplots()
    ax.imshow(grid, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    ax.set_title(title)
    ax.axis("off")
    return fig


def principal_plane(points: torch.Tensor) -> torch.Tensor:
    """(d, 2): the first two principal directions of the points (N, d); the identity's first
    two columns when d = 2 (so a 2-D latent space is shown as it is)."""
    if points.shape[1] == 2:
        return torch.eye(2)
    _, _, vh = torch.linalg.svd(points - points.mean(0), full_matrices=False)
    return vh[:2].T


def latent_figure(means: torch.Tensor, labels: torch.Tensor, title: str,
                  prior_means: torch.Tensor | None = None) -> Figure:
    """The posterior means of the test images (N, d), coloured by class, on their first two
    principal components; a mixture prior's component means as black crosses."""
    plane = principal_plane(means)
    centre = means.mean(0)
    xy = ((means - centre) @ plane).cpu().numpy()
    fig = Figure(figsize=(6, 5), layout="constrained")
    ax = fig.subplots()
    scatter = ax.scatter(xy[:, 0], xy[:, 1], c=labels.cpu().numpy(), cmap="tab10", s=6,
                         vmin=-0.5, vmax=9.5)
    if prior_means is not None:
        prior_xy = ((prior_means - centre) @ plane).cpu().numpy()
        ax.scatter(prior_xy[:, 0], prior_xy[:, 1], c="k", marker="x", s=8, lw=0.6,
                   label="prior components")
        ax.legend(loc="upper right")
    fig.colorbar(scatter, ax=ax, ticks=range(10), label="class")
    ax.set(title=title, xlabel="principal component 1", ylabel="principal component 2")
    return fig
