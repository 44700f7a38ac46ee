"""The training loop (provided): Adam, lr 1e-3, for iter_max gradient steps."""
import time
from pathlib import Path

import torch
from torch import optim
from torch.utils.data import DataLoader

from submission import utils as ut

LOG_EVERY = 50  # steps between two lines of the summaries log
PROGRESS_LINES = 20  # progress lines printed over a run


def _batch(x: torch.Tensor, y: torch.Tensor, y_status: str, device: torch.device
           ) -> tuple[torch.Tensor, torch.Tensor]:
    """Flattened images, dynamically binarized unless y_status is 'fullsup' (real-valued
    colour images), and one-hot labels, on device."""
    x = x.to(device).reshape(len(x), -1)
    if y_status != "fullsup":
        x = torch.bernoulli(x)
    return x, ut.one_hot(y.to(device))


def train(model: torch.nn.Module, train_loader: DataLoader,
          labeled_subset: tuple[torch.Tensor, torch.Tensor] | None, device: torch.device,
          writer: ut.ScalarWriter, iter_max: int, iter_save: int, y_status: str = "none",
          checkpoint_dir: str | Path = "checkpoints") -> None:
    """Minimize model.loss for iter_max steps, saving a checkpoint every iter_save steps.

    y_status: 'none' (VAE, GMVAE: model.loss(x)), 'semisup' (SSVAE: model.loss(x, xl, yl),
    with the labelled subset binarized afresh at every step) or 'fullsup' (FSVAE:
    model.loss(x, y)).
    """
    if y_status not in ("none", "semisup", "fullsup"):
        raise ValueError(f"unknown y_status {y_status!r}")
    optimizer = optim.Adam(model.parameters(), lr=1e-3)
    progress_every = max(iter_max // PROGRESS_LINES, 1)
    start, step = time.perf_counter(), 0
    while step < iter_max:
        for xu, yu in train_loader:
            step += 1
            xu, yu = _batch(xu, yu, y_status, device)
            if y_status == "none":
                loss, summaries = model.loss(xu)
            elif y_status == "semisup":
                xl, yl = labeled_subset
                loss, summaries = model.loss(xu, torch.bernoulli(xl), yl)
                summaries["class/acc"] = (model.cls(xu).argmax(1) == yu.argmax(1)).float().mean()
            else:
                loss, summaries = model.loss(xu, yu)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()

            summaries = {tag: torch.as_tensor(value).detach().item()
                         for tag, value in summaries.items()}
            if step % LOG_EVERY == 0:
                ut.log_summaries(writer, summaries, step)
            if step % progress_every == 0 or step == iter_max:
                shown = ", ".join(f"{tag} {value:.4g}" for tag, value in summaries.items())
                print(f"step {step}/{iter_max} ({time.perf_counter() - start:.0f} s): {shown}",
                      flush=True)
            if step % iter_save == 0 or step == iter_max:
                ut.save_model_by_name(model, step, root=checkpoint_dir)
            if step == iter_max:
                return
