"""The training scripts run on the bundled data (reference code, --tiny) and save their figures."""

import os
import subprocess
import sys

import pytest

from autograder.assignment import ROOT

# (assignment, model) -> the figures `train.py <model>` writes
RUNS = {
    ("flows_gans", "maf"): ["maf.png"],
    ("flows_gans", "gan"): ["gan_conditional.png", "gan_nonsaturating.png", "gan_wgan-gp.png"],
    ("vae_gan_planar", "vae"): ["vae.png"],
    ("vae_gan_planar", "planar"): ["planar_arcs.png", "planar_sine.png"],
    ("vae_gan_planar", "dirac"): ["dirac.png"],
}
# assignment -> the figures its notebook writes: every figure of its training
FIGURES = {a: sorted(f for (other, _), figures in RUNS.items() if other == a for f in figures)
           for a, _ in RUNS}
# but vae_gmvae_iwae's notebook trains one small VAE (main.py --tiny of each of its models runs
# in test_vae_gmvae_iwae_reference.py, which also checks its results and checkpoints)
FIGURES["vae_gmvae_iwae"] = ["vae_latent.png", "vae_samples.png"]


@pytest.mark.parametrize("assignment,model", RUNS)
def test_training_script_writes_its_figures(assignment, model, tmp_path):
    script = ROOT / "solutions" / assignment / "train.py"
    env = {**os.environ, "OMP_NUM_THREADS": "1"}  # tiny tensors: threads only contend
    run = subprocess.run([sys.executable, str(script), model, "--tiny", "--out", "figs"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    written = sorted(p.name for p in (tmp_path / "figs").glob("*.png") if p.stat().st_size > 0)
    assert written == RUNS[assignment, model]
    assert all(f"saved figs/{name}" in run.stdout for name in written)
