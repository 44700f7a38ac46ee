"""Realistic mistakes and correct alternatives of ``vae_gmvae_iwae``, as edits of the reference.

Each feeds the feedback's "Likely cause" line and the test suite (see autograder/variants.py).
"""

from autograder.variants import Alternative, Mistake

UTILS = "submission/utils.py"
VAE = "submission/models/vae.py"
GMVAE = "submission/models/gmvae.py"
SSVAE = "submission/models/ssvae.py"
FSVAE = "submission/models/fsvae.py"

MISTAKES = [
    Mistake("std as variance", part="1a", file=UTILS, function="sample_gaussian",
            edits=[("torch.sqrt(v) * ", "v * ")],
            message="The noise is scaled by v, the variance: scale it by the standard "
                    "deviation, the square root of v.", example=True),
    Mistake("mixed IWAE layout", part="3b", file=VAE, function="VAE.negative_iwae_bound",
            edits=[("log_w.reshape(iw, -1), dim=0)", "log_w.reshape(-1, iw), dim=1)")],
            message="The samples are drawn copy-major (ut.duplicate: row j*batch + b is "
                    "example b) but the log weights are grouped example-major: each "
                    "example's iw weights must be averaged together, so reshape to (iw, "
                    "batch) and reduce over dim 0.", example=True),
    Mistake("mixed IWAE layout", part="3d", file=GMVAE, function="GMVAE.negative_iwae_bound",
            edits=[("log_w.reshape(iw, -1), dim=0)", "log_w.reshape(-1, iw), dim=1)")],
            message="The samples are drawn copy-major (ut.duplicate: row j*batch + b is "
                    "example b) but the log weights are grouped example-major: each "
                    "example's iw weights must be averaged together, so reshape to (iw, "
                    "batch) and reduce over dim 0."),
]

ALTERNATIVES = [
    Alternative("3b example-major layout", part="3b", file=VAE, function="VAE.negative_iwae_bound",
                edits=[("ut.duplicate(x, iw)", "x.repeat_interleave(iw, 0)"),
                       ("log_w.reshape(iw, -1), dim=0)", "log_w.reshape(-1, iw), dim=1)")]),
    Alternative("3d example-major layout", part="3d", file=GMVAE,
                function="GMVAE.negative_iwae_bound",
                edits=[("ut.duplicate(x, iw)", "x.repeat_interleave(iw, 0)"),
                       ("log_w.reshape(iw, -1), dim=0)", "log_w.reshape(-1, iw), dim=1)")]),
]
