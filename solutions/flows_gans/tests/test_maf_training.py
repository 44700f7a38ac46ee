"""Part 1d: the student's MAF samples and trains (what seeded comparisons do not show).

Plain unittest tests with gradescope-utils' decorators, run by the grader in the sandbox on
the submission's flow_network.py (see autograder/extra_tests.py). The submission's modules
are imported inside the tests, never when this file loads.
"""

import math
import unittest

import numpy as np
import torch
from gradescope_utils.autograder_utils.decorators import number, tags, visibility, weight

import datasets

SIZE = (2, 64, 1, 3)  # MAF(input_size, hidden_size, n_hidden, n_flows): small, quick to train
# Plain gradient descent, not torch.optim: an optimizer's first step imports torch._dynamo,
# seconds of work, and modules a sandbox without namespaces may be unable to reach. The
# reference diverges now and then from lr 0.05 on.
STEPS, BATCH, LR = 50, 128, 0.02
# The reference lowers the median chunk loss by 0.33 nats in 50 steps (0.21 at least, over
# 60 seeds); an untrained flow by nothing.
MIN_DROP = 0.1
# The validation set's 3000 points in 10 chunks: chunks of 100 judge the same (the same drops
# over those 60 seeds, to 0.01) at three times the cost.
CHUNK = 300
# Made when the grader loads this file, before the sandbox starts: numpy.random, which makes
# them, is then already imported.
TRAIN, VAL, _ = (torch.from_numpy(split) for split in datasets.moons_splits())


def _median_loss(model: torch.nn.Module, data: torch.Tensor) -> float:
    """The median of the mean loss over chunks of ``CHUNK`` points: one outlier the flow puts
    almost no density on moves the mean loss of the whole set by nats, the median not."""
    with torch.no_grad():
        return torch.stack([model.loss(chunk) for chunk in data.split(CHUNK)]).median().item()


class MAFSamplesAndTrains(unittest.TestCase):
    longMessage = False  # a failed test says our message alone

    @classmethod
    def setUpClass(cls):
        from flow_network import MAF  # the submission's, imported by the grader's worker
        cls.MAF = MAF

    @weight(1)
    @number("1d.01")
    @visibility("visible")
    @tags("sampling")
    def test_samples_are_finite(self):
        """MAF.sample gives n finite 2-D points (MADE.forward in every flow)"""
        samples = self.MAF(*SIZE).sample("cpu", 1000)
        self.assertIsInstance(samples, np.ndarray, "MAF.sample should return a numpy array")
        self.assertEqual(samples.shape, (1000, 2), "MAF.sample(device, 1000) should give "
                         "1000 points of 2 dimensions")
        bad = int((~np.isfinite(samples)).sum())
        self.assertEqual(bad, 0, f"{bad} of the 2000 sampled values are NaN or inf: check "
                         "MADE.forward, which MAF.sample runs through every flow")

    @weight(1)
    @number("1d.02")
    @visibility("visible")
    @tags("training")
    def test_training_lowers_the_loss(self):
        """50 gradient steps on the two moons lower the validation loss"""
        model = self.MAF(*SIZE)
        before = _median_loss(model, VAL)
        for _ in range(STEPS):
            model.zero_grad()
            model.loss(TRAIN[torch.randint(len(TRAIN), (BATCH,))]).backward()
            with torch.no_grad():
                for parameter in model.parameters():
                    if parameter.grad is not None:
                        parameter -= LR * parameter.grad
        after = _median_loss(model, VAL)
        if not math.isfinite(after):
            self.fail(f"the validation loss is {after} after training")
        self.assertLess(after, before - MIN_DROP,
                        f"{STEPS} gradient steps (lr {LR}, batches of {BATCH}) took the "
                        f"validation loss from {before:.3f} to {after:.3f} nats, and a correct "
                        f"MAF loses about 0.3 nats here (this test asks for {MIN_DROP}): check "
                        "that MAF.log_probs adds every layer's log-determinant and keeps its "
                        "autograd graph")
