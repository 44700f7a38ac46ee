"""Realistic mistakes and correct alternatives of ``vae_gmvae_iwae``, as edits of the reference.

Never given to students. Each Mistake is a small edit of the reference with the sentence the
feedback gives when a student's answer matches it ("Likely cause"); each Alternative is a
correct implementation in another style, which must get full marks. The grader's feedback
and our tests (tests/test_assignments.py) read the same lists: see autograder/variants.py.
Where two mistakes give the same outputs, the feedback names the first; the later one says
which phrase of it the feedback must contain (``says``).
"""

from autograder.variants import Alternative, Mistake

UTILS = "submission/utils.py"
VAE = "submission/models/vae.py"
GMVAE = "submission/models/gmvae.py"
SSVAE = "submission/models/ssvae.py"
FSVAE = "submission/models/fsvae.py"

# ---- lines of the reference that several edits replace ----------------------------------

NOISE = "m + torch.sqrt(v) * torch.randn_like(m)"
LOG_NORMAL = ("    log_prob = -0.5 * (np.log(2 * np.pi) + torch.log(v) + (x - m) ** 2 / v)\n"
              "    return log_prob.sum(-1)\n")
MIXTURE = "log_mean_exp(log_normal(z.unsqueeze(1), m, v), dim=1)"

REC = "rec = -ut.log_bernoulli_with_logits(x, self.dec(z)).mean()"
VAE_KL = "kl = ut.kl_normal(m, v, pm, pv).mean()"
GMVAE_KL = "kl = (ut.log_normal(z, m, v) - ut.log_normal_mixture(z, pm, pv)).mean()"

IWAE_DRAW = ("        x_rep = ut.duplicate(x, iw)\n"
             "        m, v = self.enc(x_rep)\n"
             "        z = ut.sample_gaussian(m, v)\n")
IWAE_MEAN = "niwae = -ut.log_mean_exp(log_w.reshape(iw, -1), dim=0).mean()"
IWAE_MIXED = "niwae = -ut.log_mean_exp(log_w.reshape(-1, iw), dim=1).mean()"
VAE_LOG_W = "log_w = log_px_z + ut.log_normal(z, pm, pv) - ut.log_normal(z, m, v)"
VAE_IWAE_TAIL = ("        rec = -log_px_z.mean()\n"
                 "        kl = ut.kl_normal(m, v, pm, pv).mean()\n")
GMVAE_IWAE_TAIL = ("        rec = -log_px_z.mean()\n"
                   "        kl = (log_q - log_p).mean()\n")
VAE_IWAE = (IWAE_DRAW
            + "        log_px_z = ut.log_bernoulli_with_logits(x_rep, self.dec(z))\n"
              "        pm, pv = (p.expand_as(m) for p in self.z_prior)\n"
              f"        {VAE_LOG_W}\n"
              f"        {IWAE_MEAN}\n")
ELBO_FIRST = "        nelbo, kl, rec = self.negative_elbo_bound(x)\n"
GMVAE_IWAE = (IWAE_DRAW
              + "        log_px_z = ut.log_bernoulli_with_logits(x_rep, self.dec(z))\n"
                "        pm, pv = (p.expand(len(x_rep), *p.shape[1:]) for p in prior)\n"
                "        log_q = ut.log_normal(z, m, v)\n"
                "        log_p = ut.log_normal_mixture(z, pm, pv)\n"
                "        log_w = log_px_z + log_p - log_q\n"
                f"        {IWAE_MEAN}\n")

SS_ROWS = "rec_rows, kl_z_rows = (t.reshape(self.y_dim, -1).t() for t in (rec_rows, kl_z_rows))"
SS_KL_Y = "kl_y = ut.kl_cat(y_prob, y_logprob, np.log(1.0 / self.y_dim)).mean()"
SS_WEIGHTED = ("        kl_z = (y_prob * kl_z_rows).sum(1).mean()\n"
               "        rec = (y_prob * rec_rows).sum(1).mean()\n")
SS_BOUND = "nelbo = kl_z + kl_y + rec"
SS_BLOCK = ("        m, v = self.enc(x, y)\n"
            "        z = ut.sample_gaussian(m, v)\n"
            "        rec_rows = -ut.log_bernoulli_with_logits(x, self.dec(z, y))\n"
            "        pm, pv = (p.expand_as(m) for p in self.z_prior)\n"
            "        kl_z_rows = ut.kl_normal(m, v, pm, pv)\n"
            "        # (y_dim * batch,) -> (batch, y_dim), matching y_prob\n"
            f"        {SS_ROWS}\n")

FS_REC = "rec = -ut.log_normal(x, x_mean, torch.full_like(x_mean, 0.1)).mean()"


# ---- messages that more than one mistake gives ------------------------------------------

MIXED_LAYOUT = ("The samples are drawn in one layout and their log weights grouped in the other "
                "(ut.duplicate is copy-major: row j * batch + b is example b), so each "
                "example's weights are averaged with other examples' weights: every example's "
                "iw weights must be averaged together.")
SPLIT_DRAWS = ("The importance samples are drawn in iw separate calls, one sample per example "
               "at a time: the right distribution, but the contract draws all iw * batch "
               "samples in one call, first, and torch gives other numbers for split draws, so "
               "the seeded comparison cannot match them.")
DRAW_BEFORE = ("Random numbers are drawn before the importance samples (negative_elbo_bound "
               "draws its own z): the iw * batch samples must be the function's first draw. "
               "The ELBO decomposition may be computed after them.")
LOG_SUM = ("The importance weights are summed, not averaged: the IWAE bound is the log of the "
           "mean of the iw weights, so a - log iw is missing.")
MEAN_LOG_W = ("The log weights are averaged, which gives the ELBO estimated on iw samples: the "
              "IWAE bound takes the log of the average of the weights themselves.")
BATCH_SUM = ("The bound is summed over the batch: every reported term is the mean over the "
             "batch of a per-example sum over dimensions.")
REC_SIGN = ("rec has the wrong sign: it is the negative log-likelihood of x given z (a positive "
            "number), which the negative ELBO adds to the KL.")
SIGMOID = ("A sigmoid is applied to the decoder's output before the Bernoulli log-likelihood: "
           "the decoder gives logits, and ut.log_bernoulli_with_logits applies the sigmoid "
           "itself.")
DECODED_MEAN = ("The decoder is given the posterior mean m instead of the sample z: the "
                "reconstruction term is estimated at the reparameterized sample.")
STANDARD_PRIOR = ("The prior is taken as a standard normal: the GMVAE's prior is the mixture of "
                  "Gaussians given by prior (from self.z_pre), whose log density is "
                  "ut.log_normal_mixture.")


def _iwae_loop(prior_line: str, log_p: str) -> str:
    """A negative_iwae_bound block that draws the iw samples in a loop, one draw each."""
    return ("        m, v = self.enc(x)\n"
            f"        {prior_line}\n"
            "        log_ws = []\n"
            "        for _ in range(iw):\n"
            "            z = ut.sample_gaussian(m, v)\n"
            "            log_px_z = ut.log_bernoulli_with_logits(x, self.dec(z))\n"
            "            log_q = ut.log_normal(z, m, v)\n"
            f"            log_p = {log_p}\n"
            "            log_ws.append(log_px_z + log_p - log_q)\n"
            "        niwae = -ut.log_mean_exp(torch.stack(log_ws), dim=0).mean()\n"
            "        rec = -log_px_z.mean()\n"
            "        kl = (log_q - log_p).mean()\n")


MISTAKES = [
    # ---- 1a sample_gaussian
    Mistake("std as variance", part="1a", file=UTILS, function="sample_gaussian",
            edits=[("torch.sqrt(v) * ", "v * ")],
            message="The noise is scaled by v, the variance: scale it by the standard "
                    "deviation, the square root of v.", example=True),
    Mistake("torch.normal", part="1a", file=UTILS, function="sample_gaussian",
            edits=[(NOISE, "torch.normal(m, torch.sqrt(v))")],
            message="torch.normal draws the right values but cuts the gradient: its gradients "
                    "with respect to m and v are zero. The reparameterization trick writes z "
                    "as a differentiable function of m, v and standard-normal noise."),
    Mistake("Normal.sample", part="1a", file=UTILS, function="sample_gaussian",
            edits=[(NOISE, "torch.distributions.Normal(m, torch.sqrt(v)).sample()")],
            message="Normal(...).sample() draws without an autograd graph, so z is detached "
                    "from m and v: no gradient reaches the encoder through it.",
            says="detached from the autograd graph"),
    Mistake("v as a log-variance", part="1a", file=UTILS, function="sample_gaussian",
            edits=[("torch.sqrt(v)", "torch.exp(0.5 * v)")],
            message="v is treated as a log-variance (exp(v / 2) as the standard deviation): "
                    "here v is the variance itself."),
    Mistake("uniform noise", part="1a", file=UTILS, function="sample_gaussian",
            edits=[("torch.sqrt(v) * torch.randn_like(m)", "torch.sqrt(v) * torch.rand_like(m)")],
            message="The noise is uniform on [0, 1): the reparameterization trick scales and "
                    "shifts standard-normal noise."),
    Mistake("one noise value for all", part="1a", file=UTILS, function="sample_gaussian",
            edits=[("torch.sqrt(v) * torch.randn_like(m)", "torch.sqrt(v) * torch.randn(1)")],
            message="One noise value is shared by every element: each element of z needs its "
                    "own standard-normal draw, of m's shape."),
    # ---- 2a log_normal, log_normal_mixture
    Mistake("v as a standard deviation", part="2a", file=UTILS, function="log_normal",
            edits=[(LOG_NORMAL,
                    "    return torch.distributions.Normal(m, v).log_prob(x).sum(-1)\n")],
            message="v is used as the standard deviation (torch.distributions.Normal takes a "
                    "scale): v is the variance, whose square root is the standard deviation."),
    Mistake("variance squared", part="2a", file=UTILS, function="log_normal",
            edits=[("(x - m) ** 2 / v)", "(x - m) ** 2 / v ** 2)")],
            message="The squared distance is divided by v squared: v is already the variance, "
                    "not a standard deviation."),
    Mistake("no sum over the dimensions", part="2a", file=UTILS, function="log_normal",
            edits=[("return log_prob.sum(-1)", "return log_prob")],
            message="The log density is not summed over the last dimension: a diagonal "
                    "Gaussian's log density is the sum of the per-dimension terms, one number "
                    "per point."),
    Mistake("mean over the dimensions", part="2a", file=UTILS, function="log_normal",
            edits=[("return log_prob.sum(-1)", "return log_prob.mean(-1)")],
            message="The log density is averaged over the last dimension: a diagonal "
                    "Gaussian's log density is the sum of the per-dimension terms."),
    Mistake("no log 2 pi", part="2a", file=UTILS, function="log_normal",
            edits=[("np.log(2 * np.pi) + ", "")],
            message="The log(2 pi) constant is missing: each dimension's log density includes "
                    "-0.5 * log(2 pi)."),
    Mistake("no log v", part="2a", file=UTILS, function="log_normal",
            edits=[("torch.log(v) + ", "")],
            message="The -0.5 * log v term of the normalising constant is missing: the density "
                    "of a Gaussian with variance v is divided by sqrt(2 pi v)."),
    Mistake("mixture without - log k", part="2a", file=UTILS, function="log_normal_mixture",
            edits=[(MIXTURE, "log_sum_exp(log_normal(z.unsqueeze(1), m, v), dim=1)")],
            message="The components' densities are summed, not averaged: the uniform mixture "
                    "weights each component by 1/k, so a - log k is missing.", example=True),
    Mistake("mixture of log densities", part="2a", file=UTILS, function="log_normal_mixture",
            edits=[(MIXTURE, "log_normal(z.unsqueeze(1), m, v).mean(1)")],
            message="The components' log densities are averaged: the mixture's density is the "
                    "average of the components' densities, and its log comes after the "
                    "average (log-mean-exp)."),
    Mistake("mixture exp then log", part="2a", file=UTILS, function="log_normal_mixture",
            edits=[(MIXTURE, "torch.log(torch.exp(log_normal(z.unsqueeze(1), m, v)).mean(1))")],
            message="The densities are computed as exp of the log densities, which underflows "
                    "to 0 far from every component (and log 0 = -inf): combine the log "
                    "densities stably, shifted by their maximum."),
    Mistake("mixture minus log of the dimension", part="2a", file=UTILS,
            function="log_normal_mixture",
            edits=[(MIXTURE, "torch.logsumexp(log_normal(z.unsqueeze(1), m, v), 1) "
                             "- np.log(z.size(1))")],
            message="The log of z's dimension is subtracted instead of log k: the uniform "
                    "weights are 1/k, with k the number of components (dimension 1 of m)."),
    Mistake("mixture over the batch", part="2a", file=UTILS, function="log_normal_mixture",
            edits=[("m, v), dim=1)", "m, v), dim=0)")],
            message="The mixture is reduced over the batch dimension: the k components lie "
                    "along dimension 1 of m and v."),
    # ---- 1b VAE.negative_elbo_bound
    Mistake("1b rec sign", part="1b", file=VAE, function="VAE.negative_elbo_bound",
            edits=[(REC, "rec = ut.log_bernoulli_with_logits(x, self.dec(z)).mean()")],
            message=REC_SIGN),
    Mistake("1b sum over the batch", part="1b", file=VAE, function="VAE.negative_elbo_bound",
            edits=[("self.dec(z)).mean()", "self.dec(z)).sum()"),
                   ("pv).mean()", "pv).sum()")],
            message=BATCH_SUM),
    Mistake("1b KL subtracted", part="1b", file=VAE, function="VAE.negative_elbo_bound",
            edits=[("nelbo = kl + rec", "nelbo = rec - kl")],
            message="The KL enters the bound with the wrong sign: the negative ELBO is the "
                    "reconstruction term plus the KL to the prior."),
    Mistake("1b reversed KL", part="1b", file=VAE, function="VAE.negative_elbo_bound",
            edits=[("ut.kl_normal(m, v, pm, pv)", "ut.kl_normal(pm, pv, m, v)")],
            message="This is KL(p || q): the ELBO's KL is from the posterior q(z|x), the "
                    "encoder's m and v, to the prior p(z)."),
    Mistake("1b sigmoid before the likelihood", part="1b", file=VAE,
            function="VAE.negative_elbo_bound",
            edits=[("self.dec(z)", "torch.sigmoid(self.dec(z))")],
            message=SIGMOID),
    Mistake("1b decoded mean", part="1b", file=VAE, function="VAE.negative_elbo_bound",
            edits=[("self.dec(z)", "self.dec(m)")],
            message=DECODED_MEAN),
    Mistake("1b Monte Carlo KL", part="1b", file=VAE, function="VAE.negative_elbo_bound",
            edits=[(VAE_KL, "kl = (ut.log_normal(z, m, v) - ut.log_normal(z, pm, pv)).mean()")],
            message="The KL is a one-sample Monte Carlo estimate: between the VAE's Gaussian "
                    "posterior and its standard normal prior the contract uses the exact, "
                    "analytic KL."),
    Mistake("1b mean over the pixels", part="1b", file=VAE, function="VAE.negative_elbo_bound",
            edits=[(REC, "rec = torch.nn.functional.binary_cross_entropy_with_logits("
                         "self.dec(z), x)")],
            message="The reconstruction term is averaged over the 784 pixels too: it is a sum "
                    "over the dimensions of each example, then a mean over the batch."),
    # ---- 2b GMVAE.negative_elbo_bound
    Mistake("2b KL sign", part="2b", file=GMVAE, function="GMVAE.negative_elbo_bound",
            edits=[("(ut.log_normal(z, m, v) - ut.log_normal_mixture(z, pm, pv))",
                    "(ut.log_normal_mixture(z, pm, pv) - ut.log_normal(z, m, v))")],
            message="The KL estimate has the wrong sign: it is log q(z|x) minus log p(z), both "
                    "at the sample z."),
    Mistake("2b standard normal prior", part="2b", file=GMVAE,
            function="GMVAE.negative_elbo_bound",
            edits=[(GMVAE_KL, "kl = ut.kl_normal(m, v, torch.zeros_like(m), "
                              "torch.ones_like(m)).mean()")],
            message=STANDARD_PRIOR),
    Mistake("2b second sample for the KL", part="2b", file=GMVAE,
            function="GMVAE.negative_elbo_bound",
            edits=[(GMVAE_KL, "z_kl = ut.sample_gaussian(m, v)\n"
                              "        kl = (ut.log_normal(z_kl, m, v) "
                              "- ut.log_normal_mixture(z_kl, pm, pv)).mean()")],
            message="The KL is estimated at a second sample of z: the one-sample estimate uses "
                    "the same z as the reconstruction, drawn once."),
    Mistake("2b sum over the batch", part="2b", file=GMVAE, function="GMVAE.negative_elbo_bound",
            edits=[("self.dec(z)).mean()", "self.dec(z)).sum()"),
                   ("pm, pv)).mean()", "pm, pv)).sum()")],
            message=BATCH_SUM),
    Mistake("2b rec sign", part="2b", file=GMVAE, function="GMVAE.negative_elbo_bound",
            edits=[(REC, "rec = ut.log_bernoulli_with_logits(x, self.dec(z)).mean()")],
            message=REC_SIGN),
    Mistake("2b decoded mean", part="2b", file=GMVAE, function="GMVAE.negative_elbo_bound",
            edits=[("self.dec(z)", "self.dec(m)")],
            message=DECODED_MEAN),
    Mistake("2b sigmoid before the likelihood", part="2b", file=GMVAE,
            function="GMVAE.negative_elbo_bound",
            edits=[("self.dec(z)", "torch.sigmoid(self.dec(z))")],
            message=SIGMOID),
    # ---- 3b VAE.negative_iwae_bound
    Mistake("3b mixed IWAE layout", part="3b", file=VAE, function="VAE.negative_iwae_bound",
            edits=[(IWAE_MEAN, IWAE_MIXED)], message=MIXED_LAYOUT, example=True),
    Mistake("3b example-major draws, copy-major weights", part="3b", file=VAE,
            function="VAE.negative_iwae_bound",
            edits=[("ut.duplicate(x, iw)", "x.repeat_interleave(iw, 0)")],
            message=MIXED_LAYOUT),
    Mistake("3b iw separate draws", part="3b", file=VAE, function="VAE.negative_iwae_bound",
            edits=[(VAE_IWAE + VAE_IWAE_TAIL, _iwae_loop(
                "pm, pv = (p.expand_as(m) for p in self.z_prior)", "ut.log_normal(z, pm, pv)"))],
            message=SPLIT_DRAWS),
    Mistake("3b a draw before the samples", part="3b", file=VAE,
            function="VAE.negative_iwae_bound",
            edits=[(IWAE_DRAW, ELBO_FIRST + IWAE_DRAW),
                   (VAE_IWAE_TAIL, "")],
            message=DRAW_BEFORE),
    Mistake("3b log-sum-exp", part="3b", file=VAE, function="VAE.negative_iwae_bound",
            edits=[("ut.log_mean_exp(", "ut.log_sum_exp(")], message=LOG_SUM),
    Mistake("3b mean of the log weights", part="3b", file=VAE,
            function="VAE.negative_iwae_bound",
            edits=[(IWAE_MEAN, "niwae = -log_w.mean()")], message=MEAN_LOG_W),
    Mistake("3b analytic KL in the weights", part="3b", file=VAE,
            function="VAE.negative_iwae_bound",
            edits=[(VAE_LOG_W, "log_w = log_px_z - ut.kl_normal(m, v, pm, pv)")],
            message="The log weights subtract the analytic KL: each importance weight is "
                    "p(x|z) p(z) / q(z|x) at its own sample z, so log p(z) and log q(z|x) are "
                    "evaluated at z."),
    Mistake("3b no log q", part="3b", file=VAE, function="VAE.negative_iwae_bound",
            edits=[(" - ut.log_normal(z, m, v)", "")],
            message="The log weights lack - log q(z|x): an importance weight divides p(x, z) "
                    "by the density of the proposal q(z|x) that drew z."),
    Mistake("3b sum over the batch", part="3b", file=VAE, function="VAE.negative_iwae_bound",
            edits=[("dim=0).mean()", "dim=0).sum()")], message=BATCH_SUM),
    # ---- 3d GMVAE.negative_iwae_bound
    Mistake("3d mixed IWAE layout", part="3d", file=GMVAE, function="GMVAE.negative_iwae_bound",
            edits=[(IWAE_MEAN, IWAE_MIXED)], message=MIXED_LAYOUT),
    Mistake("3d example-major draws, copy-major weights", part="3d", file=GMVAE,
            function="GMVAE.negative_iwae_bound",
            edits=[("ut.duplicate(x, iw)", "x.repeat_interleave(iw, 0)")],
            message=MIXED_LAYOUT),
    Mistake("3d iw separate draws", part="3d", file=GMVAE, function="GMVAE.negative_iwae_bound",
            edits=[(GMVAE_IWAE + GMVAE_IWAE_TAIL, _iwae_loop(
                "pm, pv = (p.expand(len(x), *p.shape[1:]) for p in prior)",
                "ut.log_normal_mixture(z, pm, pv)"))],
            message=SPLIT_DRAWS),
    Mistake("3d a draw before the samples", part="3d", file=GMVAE,
            function="GMVAE.negative_iwae_bound",
            edits=[(IWAE_DRAW, ELBO_FIRST + IWAE_DRAW),
                   (GMVAE_IWAE_TAIL, "")],
            message=DRAW_BEFORE),
    Mistake("3d log-sum-exp", part="3d", file=GMVAE, function="GMVAE.negative_iwae_bound",
            edits=[("ut.log_mean_exp(", "ut.log_sum_exp(")], message=LOG_SUM),
    Mistake("3d mean of the log weights", part="3d", file=GMVAE,
            function="GMVAE.negative_iwae_bound",
            edits=[(IWAE_MEAN, "niwae = -log_w.mean()")], message=MEAN_LOG_W),
    Mistake("3d standard normal prior", part="3d", file=GMVAE,
            function="GMVAE.negative_iwae_bound",
            edits=[("log_p = ut.log_normal_mixture(z, pm, pv)",
                    "log_p = ut.log_normal(z, torch.zeros_like(z), torch.ones_like(z))")],
            message=STANDARD_PRIOR),
    Mistake("3d log q and log p swapped", part="3d", file=GMVAE,
            function="GMVAE.negative_iwae_bound",
            edits=[("log_w = log_px_z + log_p - log_q", "log_w = log_px_z + log_q - log_p")],
            message="The log weights add log q(z|x) and subtract log p(z): an importance "
                    "weight is p(x|z) p(z) / q(z|x)."),
    Mistake("3d sum over the batch", part="3d", file=GMVAE, function="GMVAE.negative_iwae_bound",
            edits=[("dim=0).mean()", "dim=0).sum()")], message=BATCH_SUM),
    # ---- 4b SSVAE.negative_elbo_bound
    Mistake("4b no kl_y", part="4b", file=SSVAE, function="SSVAE.negative_elbo_bound",
            edits=[(SS_BOUND, "nelbo = kl_z + rec")],
            message="The bound leaves out kl_y: the negative ELBO of unlabelled x includes the "
                    "KL from q(y|x) to the uniform class prior.", example=True),
    Mistake("4b no class prior", part="4b", file=SSVAE, function="SSVAE.negative_elbo_bound",
            edits=[("np.log(1.0 / self.y_dim)", "0")],
            message="kl_y lacks the class prior's log p(y) = -log 10: without it kl_y is the "
                    "negative entropy of q(y|x), not a KL (a KL is never negative)."),
    Mistake("4b class prior's sign", part="4b", file=SSVAE, function="SSVAE.negative_elbo_bound",
            edits=[("np.log(1.0 / self.y_dim)", "np.log(self.y_dim)")],
            message="The class prior's log probability has the wrong sign: under the uniform "
                    "prior log p(y) = log(1/10), a negative number."),
    Mistake("4b kl_y from the logits", part="4b", file=SSVAE,
            function="SSVAE.negative_elbo_bound",
            edits=[("ut.kl_cat(y_prob, y_logprob,", "ut.kl_cat(y_prob, y_logits,")],
            message="kl_y uses the classifier's logits as log q(y|x): the log probabilities are "
                    "the log-softmax of the logits."),
    Mistake("4b classes averaged", part="4b", file=SSVAE, function="SSVAE.negative_elbo_bound",
            edits=[(SS_WEIGHTED, "        kl_z = kl_z_rows.mean(1).mean()\n"
                                 "        rec = rec_rows.mean(1).mean()\n")],
            message="kl_z and rec average the 10 classes uniformly: each class's terms are "
                    "weighted by the classifier's probability q(y|x) of that class."),
    Mistake("4b classes summed", part="4b", file=SSVAE, function="SSVAE.negative_elbo_bound",
            edits=[(SS_WEIGHTED, "        kl_z = kl_z_rows.sum(1).mean()\n"
                                 "        rec = rec_rows.sum(1).mean()\n")],
            message="kl_z and rec add up the 10 classes' terms unweighted: each class's terms "
                    "are weighted by the classifier's probability q(y|x) of that class."),
    Mistake("4b rows paired with the wrong classes", part="4b", file=SSVAE,
            function="SSVAE.negative_elbo_bound",
            edits=[(SS_ROWS, "rec_rows, kl_z_rows = (t.reshape(-1, self.y_dim) "
                             "for t in (rec_rows, kl_z_rows))")],
            message="The per-row terms are regrouped as if example-major, but row c * batch + b "
                    "pairs example b with class c (class-major): the terms weighted by an "
                    "example's q(y|x) belong to other examples and classes."),
    Mistake("4b gen_weight in the bound", part="4b", file=SSVAE,
            function="SSVAE.negative_elbo_bound",
            edits=[(SS_BOUND, "nelbo = self.gen_weight * (kl_z + kl_y + rec)")],
            message="gen_weight scales the bound: gen_weight and class_weight belong to loss() "
                    "only, and negative_elbo_bound returns the unweighted bound."),
    Mistake("4b sum over the batch", part="4b", file=SSVAE, function="SSVAE.negative_elbo_bound",
            edits=[("self.y_dim)).mean()", "self.y_dim)).sum()"),
                   (SS_WEIGHTED, "        kl_z = (y_prob * kl_z_rows).sum()\n"
                                 "        rec = (y_prob * rec_rows).sum()\n")],
            message=BATCH_SUM),
    # ---- 5b FSVAE.negative_elbo_bound
    Mistake("5b unit variance", part="5b", file=FSVAE, function="FSVAE.negative_elbo_bound",
            edits=[("torch.full_like(x_mean, 0.1)", "torch.ones_like(x_mean)")],
            message="The decoder's Gaussian has variance 1: the contract fixes its variance at "
                    "0.1 in every dimension."),
    Mistake("5b standard deviation 0.1", part="5b", file=FSVAE,
            function="FSVAE.negative_elbo_bound",
            edits=[(FS_REC, "rec = -torch.distributions.Normal(x_mean, 0.1).log_prob(x)"
                            ".sum(-1).mean()")],
            message="0.1 is used as the standard deviation (torch.distributions.Normal takes a "
                    "scale): 0.1 is the variance of the decoder's Gaussian."),
    Mistake("5b squared error", part="5b", file=FSVAE, function="FSVAE.negative_elbo_bound",
            edits=[(FS_REC, "rec = ((x - x_mean) ** 2).sum(-1).mean()")],
            message="rec is a squared error, not the negative log density of a Gaussian with "
                    "variance 0.1: its 1 / (2 * 0.1) scale and its constant are missing."),
    Mistake("5b mse_loss", part="5b", file=FSVAE, function="FSVAE.negative_elbo_bound",
            edits=[(FS_REC, "rec = torch.nn.functional.mse_loss(x_mean, x)")],
            message="rec is F.mse_loss, a mean over every pixel of every example: the "
                    "contract's rec is the negative log density of a Gaussian with variance "
                    "0.1, summed over the 3072 dimensions and averaged over the batch."),
    Mistake("5b no constant", part="5b", file=FSVAE, function="FSVAE.negative_elbo_bound",
            edits=[(FS_REC, "rec = (0.5 * (x - x_mean) ** 2 / 0.1).sum(-1).mean()")],
            message="The Gaussian's normalising constant is missing: the contract keeps the "
                    "full log density, with its 0.5 * log(2 pi * 0.1) per dimension."),
    Mistake("5b Bernoulli likelihood", part="5b", file=FSVAE,
            function="FSVAE.negative_elbo_bound",
            edits=[(FS_REC, "rec = -ut.log_bernoulli_with_logits(x, x_mean).mean()")],
            message="rec is a Bernoulli log-likelihood with the decoder's output as logits: the "
                    "FSVAE's decoder gives the mean of a Gaussian with variance 0.1 over "
                    "real-valued pixels."),
    Mistake("5b sum over the batch", part="5b", file=FSVAE, function="FSVAE.negative_elbo_bound",
            edits=[("0.1)).mean()", "0.1)).sum()"), ("pv).mean()", "pv).sum()")],
            message=BATCH_SUM),
]


ALTERNATIVES = [
    # ---- 1a
    Alternative("1a randn of m's shape", part="1a", file=UTILS, function="sample_gaussian",
                edits=[(NOISE, "m + v.sqrt() * torch.randn(m.shape)")]),
    Alternative("1a Normal.rsample", part="1a", file=UTILS, function="sample_gaussian",
                edits=[(NOISE, "torch.distributions.Normal(m, v.sqrt()).rsample()")]),
    Alternative("1a noise first, power one half", part="1a", file=UTILS,
                function="sample_gaussian",
                edits=[("    z = " + NOISE, "    eps = torch.randn_like(v)\n"
                                            "    z = eps * v ** 0.5 + m")]),
    Alternative("1a standard deviation from the log-variance", part="1a", file=UTILS,
                function="sample_gaussian",
                edits=[("torch.sqrt(v)", "torch.exp(0.5 * torch.log(v))")]),
    # ---- 2a
    Alternative("2a Normal.log_prob", part="2a", file=UTILS, function="log_normal",
                edits=[(LOG_NORMAL, "    return torch.distributions.Normal(m, v.sqrt())"
                                    ".log_prob(x).sum(-1)\n")]),
    Alternative("2a sum of three terms", part="2a", file=UTILS, function="log_normal",
                edits=[(LOG_NORMAL, "    quadratic = ((x - m) ** 2 / v).sum(-1)\n"
                                    "    log_det = torch.log(v).sum(-1)\n"
                                    "    return -0.5 * (quadratic + log_det "
                                    "+ x.size(-1) * np.log(2 * np.pi))\n")]),
    Alternative("2a torch.logsumexp minus log k", part="2a", file=UTILS,
                function="log_normal_mixture",
                edits=[(MIXTURE, "torch.logsumexp(log_normal(z[:, None, :], m, v), dim=1) "
                                 "- np.log(m.size(1))")]),
    Alternative("2a MixtureSameFamily", part="2a", file=UTILS, function="log_normal_mixture",
                edits=[(MIXTURE, "torch.distributions.MixtureSameFamily(\n"
                                 "        torch.distributions.Categorical(logits=torch.zeros("
                                 "m.shape[:-1])),\n"
                                 "        torch.distributions.Independent("
                                 "torch.distributions.Normal(m, v.sqrt()), 1),\n"
                                 "    ).log_prob(z)")]),
    Alternative("2a loop over the components", part="2a", file=UTILS,
                function="log_normal_mixture",
                edits=[(MIXTURE, "log_mean_exp(torch.stack(\n"
                                 "        [log_normal(z, m[:, i], v[:, i]) "
                                 "for i in range(m.size(1))], dim=1), dim=1)")]),
    # ---- 1b
    Alternative("1b explicit KL", part="1b", file=VAE, function="VAE.negative_elbo_bound",
                edits=[(VAE_KL, "kl = 0.5 * (v + m ** 2 - 1 - torch.log(v)).sum(-1).mean()")]),
    Alternative("1b torch.distributions KL", part="1b", file=VAE,
                function="VAE.negative_elbo_bound",
                edits=[(VAE_KL, "D = torch.distributions\n"
                                "        kl = D.kl_divergence(D.Normal(m, v.sqrt()), "
                                "D.Normal(pm, pv.sqrt())).sum(-1).mean()")]),
    Alternative("1b summed BCE with logits", part="1b", file=VAE,
                function="VAE.negative_elbo_bound",
                edits=[(REC, "rec = torch.nn.functional.binary_cross_entropy_with_logits("
                             "self.dec(z), x, reduction='sum') / x.size(0)")]),
    Alternative("1b per-example bound", part="1b", file=VAE, function="VAE.negative_elbo_bound",
                edits=[(REC, "rec_b = -ut.log_bernoulli_with_logits(x, self.dec(z))"),
                       ("pm, pv = (p.expand_as(m) for p in self.z_prior)",
                        "pm, pv = torch.zeros_like(m), torch.ones_like(v)"),
                       (VAE_KL, "kl_b = ut.kl_normal(m, v, pm, pv)"),
                       ("nelbo = kl + rec", "nelbo = (kl_b + rec_b).mean()\n"
                                            "        kl, rec = kl_b.mean(), rec_b.mean()")]),
    # ---- 2b
    Alternative("2b broadcast prior", part="2b", file=GMVAE, function="GMVAE.negative_elbo_bound",
                edits=[("        pm, pv = (p.expand(len(x), *p.shape[1:]) for p in prior)\n", ""),
                       ("ut.log_normal_mixture(z, pm, pv)", "ut.log_normal_mixture(z, *prior)")]),
    Alternative("2b Normal.log_prob of the posterior", part="2b", file=GMVAE,
                function="GMVAE.negative_elbo_bound",
                edits=[("ut.log_normal(z, m, v)",
                        "torch.distributions.Normal(m, v.sqrt()).log_prob(z).sum(-1)")]),
    Alternative("2b summed BCE with logits", part="2b", file=GMVAE,
                function="GMVAE.negative_elbo_bound",
                edits=[(REC, "rec = torch.nn.functional.binary_cross_entropy_with_logits("
                             "self.dec(z), x, reduction='sum') / len(x)")]),
    # ---- 3b (the two example-major layouts are accepted by the IWAE cases: see cases.py)
    Alternative("3b example-major layout", part="3b", file=VAE, function="VAE.negative_iwae_bound",
                edits=[("ut.duplicate(x, iw)", "x.repeat_interleave(iw, 0)"),
                       (IWAE_MEAN, IWAE_MIXED)]),
    Alternative("3b one (batch, iw, z) draw", part="3b", file=VAE,
                function="VAE.negative_iwae_bound",
                edits=[(VAE_IWAE + VAE_IWAE_TAIL,
                        "        m, v = self.enc(x)\n"
                        "        m, v = (t[:, None].expand(-1, iw, -1) for t in (m, v))\n"
                        "        z = ut.sample_gaussian(m, v)  # (batch, iw, z_dim)\n"
                        "        x_rep = x[:, None].expand(-1, iw, -1)\n"
                        "        log_px_z = ut.log_bernoulli_with_logits(x_rep, self.dec(z))\n"
                        "        log_p = ut.log_normal(z, torch.zeros_like(z), "
                        "torch.ones_like(z))\n"
                        "        log_w = log_px_z + log_p - ut.log_normal(z, m, v)  # (batch, iw)\n"
                        "        niwae = -ut.log_mean_exp(log_w, dim=1).mean()\n"
                        "        rec = -log_px_z.mean()\n"
                        "        kl = ut.kl_normal(m, v, torch.zeros_like(m), "
                        "torch.ones_like(v)).mean()\n")]),
    Alternative("3b encoded once, expanded copy-major", part="3b", file=VAE,
                function="VAE.negative_iwae_bound",
                edits=[(IWAE_DRAW, "        m, v = self.enc(x)\n"
                                   "        m, v = (t.expand(iw, *t.shape) for t in (m, v))\n"
                                   "        z = ut.sample_gaussian(m, v)  # (iw, batch, z_dim)\n"
                                   "        x_rep = x.expand(iw, *x.shape)\n"),
                       (IWAE_MEAN, "niwae = -ut.log_mean_exp(log_w, dim=0).mean()")]),
    Alternative("3b torch.logsumexp minus log iw", part="3b", file=VAE,
                function="VAE.negative_iwae_bound",
                edits=[(IWAE_MEAN, "log_w = log_w.reshape(iw, -1)\n"
                                   "        niwae = -(torch.logsumexp(log_w, dim=0) "
                                   "- torch.log(torch.tensor(float(iw)))).mean()")]),
    Alternative("3b decomposition by negative_elbo_bound afterwards", part="3b", file=VAE,
                function="VAE.negative_iwae_bound",
                edits=[(VAE_IWAE_TAIL, "        _, kl, rec = self.negative_elbo_bound(x)\n")]),
    # ---- 3d
    Alternative("3d example-major layout", part="3d", file=GMVAE,
                function="GMVAE.negative_iwae_bound",
                edits=[("ut.duplicate(x, iw)", "x.repeat_interleave(iw, 0)"),
                       (IWAE_MEAN, IWAE_MIXED)]),
    Alternative("3d one (batch, iw, z) draw", part="3d", file=GMVAE,
                function="GMVAE.negative_iwae_bound",
                edits=[(GMVAE_IWAE + GMVAE_IWAE_TAIL,
                        "        B = x.size(0)\n"
                        "        m, v = self.enc(x)\n"
                        "        m, v = (t[:, None].expand(-1, iw, -1) for t in (m, v))\n"
                        "        z = ut.sample_gaussian(m, v)  # (batch, iw, z_dim)\n"
                        "        log_px_z = ut.log_bernoulli_with_logits(\n"
                        "            x[:, None].expand(-1, iw, -1), self.dec(z))\n"
                        "        log_q = ut.log_normal(z, m, v)\n"
                        "        log_p = ut.log_normal_mixture(z.reshape(B * iw, -1), *prior)"
                        ".reshape(B, iw)\n"
                        "        niwae = -ut.log_mean_exp(log_px_z + log_p - log_q, dim=1).mean()\n"
                        "        rec = -log_px_z.mean()\n"
                        "        kl = (log_q - log_p).mean()\n")]),
    Alternative("3d encoded once, expanded copy-major", part="3d", file=GMVAE,
                function="GMVAE.negative_iwae_bound",
                edits=[(IWAE_DRAW, "        m, v = self.enc(x)\n"
                                   "        m, v = (t.expand(iw, *t.shape).reshape(-1, t.size(1))"
                                   " for t in (m, v))\n"
                                   "        z = ut.sample_gaussian(m, v)\n"
                                   "        x_rep = ut.duplicate(x, iw)\n")]),
    Alternative("3d torch.logsumexp minus log iw", part="3d", file=GMVAE,
                function="GMVAE.negative_iwae_bound",
                edits=[(IWAE_MEAN, "niwae = -(torch.logsumexp(log_w.reshape(iw, -1), dim=0) "
                                   "- np.log(iw)).mean()")]),
    Alternative("3d decomposition by negative_elbo_bound afterwards", part="3d", file=GMVAE,
                function="GMVAE.negative_iwae_bound",
                edits=[(GMVAE_IWAE_TAIL, "        _, kl, rec = self.negative_elbo_bound(x)\n")]),
    # ---- 4b
    Alternative("4b loop over the classes", part="4b", file=SSVAE,
                function="SSVAE.negative_elbo_bound",
                edits=[(SS_BLOCK, "        batch = x.size(0) // self.y_dim\n"
                                  "        rec_rows, kl_z_rows = [], []\n"
                                  "        for c in range(self.y_dim):\n"
                                  "            xc = x[c * batch:(c + 1) * batch]\n"
                                  "            yc = y[c * batch:(c + 1) * batch]\n"
                                  "            m, v = self.enc(xc, yc)\n"
                                  "            z = ut.sample_gaussian(m, v)\n"
                                  "            rec_rows.append(-ut.log_bernoulli_with_logits("
                                  "xc, self.dec(z, yc)))\n"
                                  "            kl_z_rows.append(ut.kl_normal(m, v, "
                                  "torch.zeros_like(m), torch.ones_like(v)))\n"
                                  "        rec_rows = torch.stack(rec_rows, dim=1)\n"
                                  "        kl_z_rows = torch.stack(kl_z_rows, dim=1)\n")]),
    Alternative("4b kl_y from y_prob.log()", part="4b", file=SSVAE,
                function="SSVAE.negative_elbo_bound",
                edits=[(SS_KL_Y, "kl_y = (y_prob * (y_prob.log() + np.log(self.y_dim)))"
                                 ".sum(1).mean()")]),
    Alternative("4b weights in the class-major layout", part="4b", file=SSVAE,
                function="SSVAE.negative_elbo_bound",
                edits=[("        # (y_dim * batch,) -> (batch, y_dim), matching y_prob\n"
                        f"        {SS_ROWS}\n", ""),
                       (SS_WEIGHTED, "        q = y_prob.t().reshape(-1)  # row c * batch + b\n"
                                     "        kl_z = (q * kl_z_rows).sum() / y_prob.size(0)\n"
                                     "        rec = (q * rec_rows).sum() / y_prob.size(0)\n")]),
    Alternative("4b explicit Gaussian KL", part="4b", file=SSVAE,
                function="SSVAE.negative_elbo_bound",
                edits=[("kl_z_rows = ut.kl_normal(m, v, pm, pv)",
                        "kl_z_rows = 0.5 * (v + m ** 2 - 1 - v.log()).sum(-1)")]),
    # ---- 5b
    Alternative("5b Normal.log_prob", part="5b", file=FSVAE, function="FSVAE.negative_elbo_bound",
                edits=[(FS_REC, "rec = -torch.distributions.Normal(x_mean, 0.1 ** 0.5)"
                                ".log_prob(x).sum(-1).mean()")]),
    Alternative("5b explicit Gaussian", part="5b", file=FSVAE,
                function="FSVAE.negative_elbo_bound",
                edits=[(FS_REC, "constant = 0.5 * x.size(1) * torch.log(torch.tensor("
                                "2 * torch.pi * 0.1))\n"
                                "        rec = (((x - x_mean) ** 2).sum(-1) / (2 * 0.1)"
                                " + constant).mean()")]),
    Alternative("5b scalar variance", part="5b", file=FSVAE, function="FSVAE.negative_elbo_bound",
                edits=[("torch.full_like(x_mean, 0.1)", "torch.tensor(0.1)")]),
]
