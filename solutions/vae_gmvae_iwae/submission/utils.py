"""Utilities of the homework: densities and divergences, data, evaluation and checkpoints.

Parts 1a (``sample_gaussian``) and 2a (``log_normal``, ``log_normal_mixture``) are yours;
everything else is provided.
"""
import importlib
import pickle
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
from torchvision import datasets, transforms  # noqa: F401 - transforms: as in the course

from submission.models.gmvae import GMVAE
from submission.models.ssvae import SSVAE
from submission.models.vae import VAE

NUM_CLASSES = 10
EVALUATION_SEED = 0
LABELED_PER_CLASS = 10


# ---------------------------------------------------------------------------------------------
# Gaussians, Bernoullis and divergences


def sample_gaussian(m: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """
    1a. Element-wise application of the reparameterization trick to sample from a Gaussian.

    Args:
        m: tensor: (batch, ...): Mean
        v: tensor: (batch, ...): Variance (not a standard deviation)

    Return:
        z: tensor: (batch, ...): Samples, differentiable with respect to m and v

    Draw the noise with exactly one call of torch.randn_like(m).
    """
    # BEGIN SOLUTION
    z = m + torch.sqrt(v) * torch.randn_like(m)
    return z
    # END SOLUTION


def log_normal(x: torch.Tensor, m: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """
    2a. Log density of x under the diagonal Gaussians N(m, v), summed over the last dimension.

        log N(x; m, v) = sum_d -0.5 * (log(2 pi) + log v_d + (x_d - m_d)^2 / v_d)

    Args:
        x: tensor: (batch_1, batch_2, ..., batch_k, dim): Observation
        m: tensor: (batch_1, batch_2, ..., batch_k, dim): Mean
        v: tensor: (batch_1, batch_2, ..., batch_k, dim): Variance
        (the shapes broadcast)

    Return:
        log_prob: tensor: (batch_1, batch_2, ..., batch_k): log density of each point
    """
    # BEGIN SOLUTION
    v = torch.as_tensor(v, dtype=x.dtype, device=x.device)  # a number too: FSVAE's 0.1
    log_prob = -0.5 * (np.log(2 * np.pi) + torch.log(v) + (x - m) ** 2 / v)
    return log_prob.sum(-1)
    # END SOLUTION


def log_normal_mixture(z: torch.Tensor, m: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """
    2a. Log density of z under the uniform mixture of k diagonal Gaussians,

        log( (1/k) sum_i N(z; m_i, v_i) ),

    computed stably (do not take the exp of a log density yourself).

    Args:
        z: tensor: (batch, dim): Observations
        m: tensor: (batch, mix, dim): Mixture means
        v: tensor: (batch, mix, dim): Mixture variances

    Return:
        log_prob: tensor: (batch,): log probability of each sample
    """
    # BEGIN SOLUTION
    log_prob = log_mean_exp(log_normal(z.unsqueeze(1), m, v), dim=1)
    return log_prob
    # END SOLUTION


def gaussian_parameters(h: torch.Tensor, dim: int = -1) -> tuple[torch.Tensor, torch.Tensor]:
    """Split h into two equal halves along dim: the mean, and the variance softplus(.) + 1e-8.

    Args:
        h: tensor: (batch, ..., dim, ...): Arbitrary tensor
        dim: int: The dimension to split in half

    Return:
        m: tensor: (batch, ..., dim / 2, ...): Mean
        v: tensor: (batch, ..., dim / 2, ...): Variance, > 0
    """
    m, h = torch.split(h, h.size(dim) // 2, dim=dim)
    v = F.softplus(h) + 1e-8
    return m, v


def log_bernoulli_with_logits(x: torch.Tensor, logits: torch.Tensor) -> torch.Tensor:
    """log p(x) of each row under independent Bernoullis given by their logits.

    Args:
        x: tensor: (batch, dim): Observation in {0, 1}
        logits: tensor: (batch, dim): Bernoulli logits

    Return:
        log_prob: tensor: (batch,): log probability of each sample
    """
    return -F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(-1)


def kl_cat(q: torch.Tensor, log_q: torch.Tensor, log_p: torch.Tensor | float) -> torch.Tensor:
    """KL(q || p) between categorical distributions over the last dimension.

    Args:
        q: tensor: (batch, dim): Probabilities of q
        log_q: tensor: (batch, dim): Log probabilities of q
        log_p: tensor or float: log probabilities of p, broadcast against log_q

    Return:
        kl: tensor: (batch,)
    """
    return (q * (log_q - log_p)).sum(-1)


def kl_normal(qm: torch.Tensor, qv: torch.Tensor, pm: torch.Tensor, pv: torch.Tensor
              ) -> torch.Tensor:
    """KL(q || p) between diagonal Gaussians, summed over the last dimension.

    Args:
        qm, qv: tensor: (batch, dim): Mean and variance of q
        pm, pv: tensor: (batch, dim): Mean and variance of p

    Return:
        kl: tensor: (batch,)
    """
    element_wise = 0.5 * (torch.log(pv) - torch.log(qv) + qv / pv + (qm - pm) ** 2 / pv - 1)
    return element_wise.sum(-1)


def duplicate(x: torch.Tensor, rep: int) -> torch.Tensor:
    """The whole batch repeated rep times: (batch, ...) -> (rep * batch, ...).

    Row j * batch + b is x[b] (copy-major; not torch.repeat_interleave).
    """
    return x.expand(rep, *x.shape).reshape(-1, *x.shape[1:])


def log_sum_exp(x: torch.Tensor, dim: int = 0) -> torch.Tensor:
    """log(sum(exp(x), dim)), computed stably by shifting by the maximum; dim is dropped."""
    max_x = torch.max(x, dim)[0]
    shifted = x - max_x.unsqueeze(dim).expand_as(x)
    return max_x + shifted.exp().sum(dim).log()


def log_mean_exp(x: torch.Tensor, dim: int) -> torch.Tensor:
    """log(mean(exp(x), dim)), computed stably; dim is dropped."""
    return log_sum_exp(x, dim) - np.log(x.size(dim))


def gumbel_softmax(logits: torch.Tensor, tau: float, eps: float = 1e-8) -> torch.Tensor:
    """A relaxed one-hot sample of the categorical given by its logits: softmax((logits + g) / tau)
    with standard Gumbel noise g; eps keeps the logs finite."""
    uniform = torch.rand_like(logits)
    gumbel = -torch.log(-torch.log(uniform + eps) + eps)
    return F.softmax((logits + gumbel) / tau, dim=-1)


class FixedSeed:
    """Context manager: torch and numpy seeded with ``seed`` inside, their previous random
    states restored on exit (so code after the block draws as if it had not run)."""

    def __init__(self, seed: int):
        self.seed = seed

    def __enter__(self) -> "FixedSeed":
        self._numpy_state = np.random.get_state()
        self._torch_fork = torch.random.fork_rng()
        self._torch_fork.__enter__()
        torch.manual_seed(self.seed)
        np.random.seed(self.seed)
        return self

    def __exit__(self, *exc_info) -> None:
        np.random.set_state(self._numpy_state)
        self._torch_fork.__exit__(*exc_info)


# ---------------------------------------------------------------------------------------------
# Data: MNIST from IDX files when you have them, else the bundled digits; SVHN likewise


def _bundled_datasets() -> ModuleType:
    """The homework's ``datasets`` package (bundled data, IDX reader), found in a folder above
    this file. Imported on first use, so that importing utils needs no data."""
    here = Path(__file__).resolve().parent
    for folder in here.parents:
        if (folder / "datasets" / "__init__.py").is_file():
            if str(folder) not in sys.path:
                sys.path.insert(0, str(folder))
            return importlib.import_module("datasets")
    raise FileNotFoundError(f"no datasets/ folder above {here}: keep this folder in the homework")


def one_hot(labels: torch.Tensor, num_classes: int = NUM_CLASSES) -> torch.Tensor:
    """float one-hot rows (N, num_classes) of int64 labels (N,)."""
    return F.one_hot(labels, num_classes).float()


def labeled_subset(x: torch.Tensor, y: torch.Tensor, per_class: int = LABELED_PER_CLASS
                   ) -> tuple[torch.Tensor, torch.Tensor]:
    """The first ``per_class`` images of each class, class by class: (xl, one-hot yl)."""
    index = torch.cat([torch.nonzero(y == c).flatten()[:per_class] for c in range(NUM_CLASSES)])
    return x[index], one_hot(y[index])


def binarize_static(x: torch.Tensor, seed: int = EVALUATION_SEED) -> torch.Tensor:
    """One fixed Bernoulli draw of the intensities x in [0, 1] (numpy, seeded), same shape."""
    rng = np.random.RandomState(seed)
    pixels = rng.binomial(1, x.detach().cpu().numpy().astype(np.float64))
    return torch.from_numpy(pixels).to(x)


def _loader(x: torch.Tensor, y: torch.Tensor, batch_size: int) -> DataLoader:
    """Shuffled (images, int64 labels) batches, as a torchvision data set would give them."""
    return DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=True)


def get_mnist_data(device: torch.device, use_test_subset: bool = True,
                   mnist_dir: str | Path | None = None, batch_size: int = 100
                   ) -> tuple[DataLoader, tuple[torch.Tensor, torch.Tensor],
                              tuple[torch.Tensor, torch.Tensor]]:
    """28x28 digits with intensities in [0, 1]: MNIST read from the IDX files in ``mnist_dir``
    when given, else the bundled digit set (its "val" split stands for the test set).

    Return:
        train_loader: batches (x (B, 1, 28, 28), y (B,)) of the training set, shuffled
        labeled_subset: (xl (100, 784), yl (100, 10) one-hot): the first 10 images of each
            class of the test set (use_test_subset) or of the training set
        test_set: (X (N, 784), y (N,)) on ``device``
    """
    bundled = _bundled_datasets()
    if mnist_dir is None:
        splits = [bundled.load_digits_uint8(split) for split in ("train", "val")]
    else:
        splits = [bundled.load_mnist_idx(mnist_dir, split) for split in ("train", "test")]
    (x_train, y_train), (x_test, y_test) = (
        (torch.from_numpy(images).float() / 255, torch.from_numpy(labels))
        for images, labels in splits)
    train_loader = _loader(x_train, y_train, batch_size)
    x, y = (x_test, y_test) if use_test_subset else (x_train, y_train)
    xl, yl = labeled_subset(x.reshape(len(x), -1), y)
    test_set = x_test.reshape(len(x_test), -1).to(device), y_test.to(device)
    return train_loader, (xl.to(device), yl.to(device)), test_set


def get_svhn_data(device: torch.device, svhn_dir: str | Path | None = None,
                  batch_size: int = 100
                  ) -> tuple[DataLoader, tuple[torch.Tensor, torch.Tensor]]:
    """32x32 colour digits with intensities in [0, 1]: SVHN from ``svhn_dir`` when given (the
    files torchvision's SVHN data set reads, never downloaded), else the bundled stand-in.

    Return:
        train_loader: batches (x (B, 3, 32, 32), y (B,)) of the training set, shuffled
        test_set: (X (N, 3072), y (N,)) on ``device``
    """
    if svhn_dir is None:
        bundled = _bundled_datasets()
        splits = [bundled.load_colour_digits(split) for split in ("train", "test")]
        (x_train, y_train), (x_test, y_test) = (
            (torch.from_numpy(images).float() / 255, torch.from_numpy(labels))
            for images, labels in splits)
    else:
        (x_train, y_train), (x_test, y_test) = (_read_svhn(svhn_dir, split)
                                                for split in ("train", "test"))
    test_set = x_test.reshape(len(x_test), -1).to(device), y_test.to(device)
    return _loader(x_train, y_train, batch_size), test_set


def _read_svhn(root: str | Path, split: str) -> tuple[torch.Tensor, torch.Tensor]:
    """SVHN ``split`` from ``root`` through torchvision: images (N, 3, 32, 32) in [0, 1] and
    labels (N,) in 0..9 (torchvision maps SVHN's label 10 of the digit 0 to 0)."""
    data = datasets.SVHN(str(root), split=split, download=False)
    return torch.from_numpy(data.data).float() / 255, torch.from_numpy(data.labels).long()


# ---------------------------------------------------------------------------------------------
# Evaluation


def _batch_means(bound, x: torch.Tensor, max_rows: int, rows_per_example: int
                 ) -> list[float]:
    """The outputs of ``bound`` (batch means) over all of x, computed on chunks of at most
    max_rows // rows_per_example examples and averaged with the chunk sizes as weights."""
    chunk = max(1, max_rows // rows_per_example)
    totals = None
    for part in x.split(chunk):
        values = [value.item() * len(part) for value in bound(part)]
        totals = values if totals is None else [t + v for t, v in zip(totals, values)]
    return [t / len(x) for t in totals]


def evaluate_lower_bound(model: VAE | GMVAE, labeled_test_subset: tuple[torch.Tensor, torch.Tensor],
                         run_iwae: bool = True, iw_values: tuple[int, ...] = (1, 10, 100, 1000),
                         repeats: int = 100, max_rows: int = 5000) -> dict:
    """NELBO (with KL and rec) and, with run_iwae, NIWAE-iw on the labelled test images,
    statically binarized; averaged over ``repeats`` draws (repeats // iw for IWAE, at least 1).
    Seeded, so two runs of one model agree. Returns the numbers it prints."""
    if not isinstance(model, (VAE, GMVAE)):
        raise TypeError("evaluate_lower_bound is for the VAE and the GMVAE")
    x = binarize_static(labeled_test_subset[0])
    results = {}
    with torch.no_grad(), FixedSeed(EVALUATION_SEED):
        runs = [_batch_means(model.negative_elbo_bound, x, max_rows, 1) for _ in range(repeats)]
        results["nelbo"], results["kl"], results["rec"] = np.mean(runs, axis=0).tolist()
        print(f"NELBO: {results['nelbo']:.4f}. KL: {results['kl']:.4f}. "
              f"Rec: {results['rec']:.4f}")
        for iw in iw_values if run_iwae else ():
            def bound(part, iw=iw):
                return model.negative_iwae_bound(part, iw)
            runs = [_batch_means(bound, x, max_rows, iw)[0] for _ in range(max(repeats // iw, 1))]
            results[f"niwae_{iw}"] = float(np.mean(runs))
            print(f"Negative IWAE-{iw}: {results[f'niwae_{iw}']:.4f}")
    return results


def evaluate_classifier(model: SSVAE, test_set: tuple[torch.Tensor, torch.Tensor]) -> float:
    """Accuracy of the SSVAE's classifier on the whole test set (intensities, not binarized)."""
    if not isinstance(model, SSVAE):
        raise TypeError("evaluate_classifier is for the SSVAE")
    x, y = test_set
    with torch.no_grad():
        accuracy = (model.cls(x).argmax(1) == y).float().mean().item()
    print(f"Test set classification accuracy: {accuracy:.4f}")
    return accuracy


# ---------------------------------------------------------------------------------------------
# Checkpoints, summaries and results


def _checkpoint(model: torch.nn.Module, global_step: int, root: str | Path) -> Path:
    return Path(root) / model.name / f"model-{global_step:05d}.pt"


def save_model_by_name(model: torch.nn.Module, global_step: int,
                       root: str | Path = "checkpoints") -> Path:
    """Save the model's state_dict as root/<model.name>/model-<step>.pt."""
    path = _checkpoint(model, global_step, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), path)
    print(f"Saved to {path}")
    return path


def load_model_by_name(model: torch.nn.Module, global_step: int,
                       device: torch.device | None = None,
                       root: str | Path = "checkpoints") -> None:
    """Load the weights save_model_by_name saved at global_step into model."""
    path = _checkpoint(model, global_step, root)
    if not path.is_file():
        raise FileNotFoundError(f"no checkpoint {path}: train first (--train)")
    model.load_state_dict(torch.load(path, map_location=device, weights_only=True))
    print(f"Loaded from {path}")


class ScalarWriter:
    """Training summaries as lines ``step,tag,value`` of a CSV file (tensorboard's
    add_scalar, without tensorboard)."""

    def __init__(self, path: Path):
        self.path = path

    def add_scalar(self, tag: str, value: float, global_step: int) -> None:
        with self.path.open("a") as log:
            log.write(f"{global_step},{tag},{value:.6g}\n")


def prepare_writer(model_name: str, overwrite_existing: bool = False,
                   root: str | Path = "logs") -> ScalarWriter:
    """A writer of root/<model_name>/summaries.csv; an existing log is kept and appended to
    unless overwrite_existing."""
    path = Path(root) / model_name / "summaries.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    if overwrite_existing:
        path.unlink(missing_ok=True)
    return ScalarWriter(path)


def log_summaries(writer: ScalarWriter, summaries: dict[str, float],
                  global_step: int) -> None:
    """Write every summary (a number) at global_step."""
    for tag, value in summaries.items():
        writer.add_scalar(tag, float(value), global_step)


def save_results_pickle(results: dict, model_name: str, root: str | Path = ".") -> Path:
    """Pickle a run's results (the numbers of the evaluation) as root/<model_name>.pkl."""
    path = Path(root) / f"{model_name}.pkl"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        pickle.dump(results, file)
    return path
