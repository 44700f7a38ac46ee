"""Common mistakes in vae_gan_planar, and correct implementations in other styles.

Never given to students. Each Mistake is a small edit of the reference (or a whole other
definition) with the sentence the feedback gives when a student's answer matches it ("Likely
cause"); each Alternative is a correct implementation that must get full marks. The grader's
feedback and our tests (tests/test_assignments.py) read the same lists: see autograder/variants.py.
"""
from autograder.variants import Alternative, Mistake


GAN = "gan.py"
PF = "planar_flow.py"
VAE = "vae.py"

MISTAKES = [
    # ---- 1.1
    Mistake('bernoulli negated', part="1.1", file=VAE, function="log_likelihood_bernoulli",
            edits=[('    return (target * torch.log(mu) + (1 - target) * torch.log(1 - mu)).sum(dim=1)\n',
                    '    return -(target * torch.log(mu) + (1 - target) * torch.log(1 - mu)).sum(dim=1)\n')],
            message='The sign is flipped (this is the binary cross-entropy loss): return the log-likelihood sum_d t log mu + (1 - t) log(1 - mu) itself.'),
    Mistake('bernoulli mean over dims', part="1.1", file=VAE, function="log_likelihood_bernoulli",
            edits=[('    return (target * torch.log(mu) + (1 - target) * torch.log(1 - mu)).sum(dim=1)\n',
                    '    return (target * torch.log(mu) + (1 - target) * torch.log(1 - mu)).mean(dim=1)\n')],
            message='The log-likelihood is averaged over the dimensions: the contract wants it summed over every dimension of each batch row.'),
    Mistake('bernoulli missing zero term', part="1.1", file=VAE, function="log_likelihood_bernoulli",
            edits=[('    return (target * torch.log(mu) + (1 - target) * torch.log(1 - mu)).sum(dim=1)\n',
                    '    return (target * torch.log(mu)).sum(dim=1)\n')],
            message='The (1 - t) log(1 - mu) term for the zeros of the target is missing: each dimension contributes t log mu + (1 - t) log(1 - mu).'),
    Mistake('bernoulli mu as logits', part="1.1", file=VAE, function="log_likelihood_bernoulli",
            edits=[('    return (target * torch.log(mu) + (1 - target) * torch.log(1 - mu)).sum(dim=1)\n',
                    "    return -torch.nn.functional.binary_cross_entropy_with_logits(mu, target, reduction='none').sum(dim=1)\n")],
            message='mu is treated as logits, but it already holds the probabilities p(x=1): use log(mu) and log(1 - mu) directly, without a sigmoid.'),
    Mistake('binary cross-entropy instead of log-likelihood', part="1.1", file=VAE, function="log_likelihood_bernoulli",
            edits=[('    return (target * torch.log(mu) + (1 - target) * torch.log(1 - mu)).sum(dim=1)\n',
                    "    return torch.nn.functional.binary_cross_entropy(mu, target, reduction='none').sum(dim=1)\n")],
            message='The sign is flipped: binary_cross_entropy is the negative log-likelihood, and the contract wants the log-likelihood sum_d t log mu + (1 - t) log(1 - mu) itself.',
            says='sign is flipped'),
    Mistake('mean over the dimensions', part="1.1", file=VAE, function="log_likelihood_bernoulli",
            edits=[('    return (target * torch.log(mu) + (1 - target) * torch.log(1 - mu)).sum(dim=1)\n',
                    '    return torch.mean(target * torch.log(mu) + (1 - target) * torch.log(1 - mu), dim=1)\n')],
            message='The log-likelihood is averaged over the dimensions: the contract wants it summed over every dimension of each batch row.',
            says='averaged over the dimensions'),
    Mistake('only the ones of the target', part="1.1", file=VAE, function="log_likelihood_bernoulli",
            edits=[('    return (target * torch.log(mu) + (1 - target) * torch.log(1 - mu)).sum(dim=1)\n',
                    '    return torch.sum(target * torch.log(mu), dim=1)\n')],
            message='The (1 - t) log(1 - mu) term is missing, so the zeros of the target count for nothing: each dimension contributes t log mu + (1 - t) log(1 - mu).',
            says='(1 - t) log(1 - mu) term'),
    Mistake('log of a product of probabilities', part="1.1", file=VAE, function="log_likelihood_bernoulli",
            edits=[('    return (target * torch.log(mu) + (1 - target) * torch.log(1 - mu)).sum(dim=1)\n',
                    '    return torch.log(torch.prod(mu ** target * (1 - mu) ** (1 - target), dim=1))\n')],
            message='The log of a product of many probabilities underflows: the product rounds to 0 in float32 and its log to -inf. Sum the per-dimension log-probabilities instead.',
            says='inf value'),
    Mistake('sigmoid of probabilities', part="1.1", file=VAE, function="log_likelihood_bernoulli",
            edits=[('    return (target * torch.log(mu) + (1 - target) * torch.log(1 - mu)).sum(dim=1)\n',
                    '    p = torch.sigmoid(mu)\n    return (target * torch.log(p) + (1 - target) * torch.log(1 - p)).sum(1)\n')],
            message='mu is treated as logits and goes through a sigmoid, but it already holds the probabilities p(x=1): take log(mu) and log(1 - mu) directly.',
            says='treated as logits'),
    # ---- 1.2
    Mistake('normal missing log 2pi', part="1.2", file=VAE, function="log_likelihood_normal",
            edits=[('    return -0.5 * (math.log(2 * math.pi) + logvar + (z - mu) ** 2 / torch.exp(logvar)).sum(dim=1)\n',
                    '    return -0.5 * (logvar + (z - mu) ** 2 / torch.exp(logvar)).sum(dim=1)\n')],
            message='The log(2 pi) constant is missing: each dimension contributes -0.5 * (log(2 pi) + logvar + (z - mu)^2 / exp(logvar)).'),
    Mistake('normal logvar as variance', part="1.2", file=VAE, function="log_likelihood_normal",
            edits=[('    return -0.5 * (math.log(2 * math.pi) + logvar + (z - mu) ** 2 / torch.exp(logvar)).sum(dim=1)\n',
                    '    return -0.5 * (math.log(2 * math.pi) + logvar + (z - mu) ** 2 / logvar).sum(dim=1)\n')],
            message='logvar is used as the variance in (z - mu)^2 / logvar: it is the log of the variance, so divide by exp(logvar).'),
    Mistake('normal exp logvar as std', part="1.2", file=VAE, function="log_likelihood_normal",
            edits=[('    return -0.5 * (math.log(2 * math.pi) + logvar + (z - mu) ** 2 / torch.exp(logvar)).sum(dim=1)\n',
                    '    return torch.distributions.Normal(mu, torch.exp(logvar)).log_prob(z).sum(dim=1)\n')],
            message='exp(logvar) is used as the standard deviation, but it is the variance: the standard deviation is exp(0.5 * logvar).'),
    Mistake('normal mean over dims', part="1.2", file=VAE, function="log_likelihood_normal",
            edits=[('    return -0.5 * (math.log(2 * math.pi) + logvar + (z - mu) ** 2 / torch.exp(logvar)).sum(dim=1)\n',
                    '    return -0.5 * (math.log(2 * math.pi) + logvar + (z - mu) ** 2 / torch.exp(logvar)).mean(dim=1)\n')],
            message='The log-density is averaged over the dimensions: the contract wants it summed over every dimension of each batch row.'),
    Mistake('no log 2 pi', part="1.2", file=VAE, function="log_likelihood_normal",
            edits=[('    return -0.5 * (math.log(2 * math.pi) + logvar + (z - mu) ** 2 / torch.exp(logvar)).sum(dim=1)\n',
                    '    return torch.sum(-0.5 * logvar - 0.5 * (z - mu) ** 2 / torch.exp(logvar), dim=1)\n')],
            message="The log(2 pi) constant is missing: each dimension's log-density includes -0.5 * log(2 pi).",
            says='log(2 pi) constant is missing'),
    Mistake('logvar used as the variance', part="1.2", file=VAE, function="log_likelihood_normal",
            edits=[('    return -0.5 * (math.log(2 * math.pi) + logvar + (z - mu) ** 2 / torch.exp(logvar)).sum(dim=1)\n',
                    '    return -0.5 * (np.log(2 * np.pi) + logvar + (z - mu) ** 2 / logvar).sum(dim=1)\n')],
            message='logvar is used as the variance in (z - mu)^2 / logvar: it is the log of the variance, so the variance is exp(logvar).',
            says='logvar is used as the variance'),
    Mistake('exp(logvar) as the standard deviation', part="1.2", file=VAE, function="log_likelihood_normal",
            edits=[('    return -0.5 * (math.log(2 * math.pi) + logvar + (z - mu) ** 2 / torch.exp(logvar)).sum(dim=1)\n',
                    '    return torch.distributions.Normal(mu, logvar.exp()).log_prob(z).sum(dim=1)\n')],
            message='exp(logvar) is used as the standard deviation, but it is the variance: the standard deviation is exp(0.5 * logvar).',
            says='used as the standard deviation'),
    Mistake('density first, log after', part="1.2", file=VAE, function="log_likelihood_normal",
            edits=[('    return -0.5 * (math.log(2 * math.pi) + logvar + (z - mu) ** 2 / torch.exp(logvar)).sum(dim=1)\n',
                    '    var = torch.exp(logvar)\n    density = torch.exp(-(z - mu) ** 2 / (2 * var)) / torch.sqrt(2 * math.pi * var)\n    return torch.log(density).sum(dim=1)\n')],
            message='The density is computed first and its log taken after: for tiny variances or a z far from mu the density rounds to 0 in float32 and its log to -inf. Write the log-density directly, as a sum of log terms.',
            says='inf value'),
    # ---- 1.3
    Mistake('lme no max shift', part="1.3", file=VAE, function="log_mean_exp",
            edits=[('    a = y.max(dim=1, keepdim=True)[0]\n    return torch.log(torch.exp(y - a).sum(dim=1) / sample_size) + a.squeeze(1)\n',
                    '    return torch.log(torch.exp(y).mean(dim=1))\n')],
            message='exp(y) overflows or underflows for values like +-1000: subtract the row maximum a before exp and add it back after the log.'),
    Mistake('lme missing log k', part="1.3", file=VAE, function="log_mean_exp",
            edits=[('    a = y.max(dim=1, keepdim=True)[0]\n    return torch.log(torch.exp(y - a).sum(dim=1) / sample_size) + a.squeeze(1)\n',
                    '    return torch.logsumexp(y, dim=1)\n')],
            message='This is log-sum-exp, not log-mean-exp: divide the sum by the number of samples K (subtract log K).'),
    Mistake('lme max not added back', part="1.3", file=VAE, function="log_mean_exp",
            edits=[('    return torch.log(torch.exp(y - a).sum(dim=1) / sample_size) + a.squeeze(1)\n',
                    '    return torch.log(torch.exp(y - a).mean(dim=1))\n')],
            message='The row maximum a is subtracted before exp but never added back: the result is log((1/K) sum_k exp(y_k - a)) + a.'),
    Mistake('no max shift', part="1.3", file=VAE, function="log_mean_exp",
            edits=[('    a = y.max(dim=1, keepdim=True)[0]\n    return torch.log(torch.exp(y - a).sum(dim=1) / sample_size) + a.squeeze(1)\n',
                    '    return torch.log(torch.mean(torch.exp(y), dim=1))\n')],
            message="exp(y) overflows or underflows for values like +-1000: subtract each row's maximum before exp and add it back after the log.",
            says='overflows or underflows',
            example=True),
    Mistake('logsumexp without 1/K', part="1.3", file=VAE, function="log_mean_exp",
            edits=[('    a = y.max(dim=1, keepdim=True)[0]\n    return torch.log(torch.exp(y - a).sum(dim=1) / sample_size) + a.squeeze(1)\n',
                    '    a = torch.max(y, dim=1, keepdim=True)[0]\n    return torch.log(torch.exp(y - a).sum(dim=1)) + a.squeeze(1)\n')],
            message='This is log-sum-exp, not log-mean-exp: the sum of the exponentials is not divided by the number of samples K.',
            says='log-sum-exp, not log-mean-exp'),
    Mistake('max not added back', part="1.3", file=VAE, function="log_mean_exp",
            edits=[('    a = y.max(dim=1, keepdim=True)[0]\n    return torch.log(torch.exp(y - a).sum(dim=1) / sample_size) + a.squeeze(1)\n',
                    '    a = y.max(1, keepdim=True).values\n    return torch.log(torch.sum(torch.exp(y - a), 1) / sample_size)\n')],
            message='The row maximum a is subtracted before exp but never added back after the log, so the result is shifted by -a.',
            says='never added back'),
    Mistake('keeps the reduced dimension', part="1.3", file=VAE, function="log_mean_exp",
            edits=[('    return torch.log(torch.exp(y - a).sum(dim=1) / sample_size) + a.squeeze(1)\n',
                    '    return torch.log(torch.exp(y - a).mean(dim=1, keepdim=True)) + a\n')],
            message='The result keeps the reduced dimension, shape (batch_size, 1): the contract wants one value per row, shape (batch_size,).',
            says='shape'),
    # ---- 1.4
    Mistake('kl reversed', part="1.4", file=VAE, function="kl_gaussian_gaussian_analytic",
            edits=[('    kl = logvar_p - logvar_q + (torch.exp(logvar_q) + (mu_q - mu_p) ** 2) / torch.exp(logvar_p) - 1\n',
                    '    kl = logvar_q - logvar_p + (torch.exp(logvar_p) + (mu_p - mu_q) ** 2) / torch.exp(logvar_q) - 1\n')],
            message='This computes KL(p || q): the contract wants KL(q || p), with the expectation under q (the first pair of arguments).'),
    Mistake('kl missing minus one', part="1.4", file=VAE, function="kl_gaussian_gaussian_analytic",
            edits=[('    kl = logvar_p - logvar_q + (torch.exp(logvar_q) + (mu_q - mu_p) ** 2) / torch.exp(logvar_p) - 1\n',
                    '    kl = logvar_p - logvar_q + (torch.exp(logvar_q) + (mu_q - mu_p) ** 2) / torch.exp(logvar_p)\n')],
            message='The -1 inside the sum is missing: each dimension contributes 0.5 * (logvar_p - logvar_q + (exp(logvar_q) + (mu_q - mu_p)^2) / exp(logvar_p) - 1).'),
    Mistake('kl missing half', part="1.4", file=VAE, function="kl_gaussian_gaussian_analytic",
            edits=[('    return 0.5 * kl.sum(dim=1)\n',
                    '    return kl.sum(dim=1)\n')],
            message='The factor 0.5 in front of the sum is missing: each dimension contributes 0.5 * (logvar_p - logvar_q + (exp(logvar_q) + (mu_q - mu_p)^2) / exp(logvar_p) - 1).'),
    Mistake('kl log ratio flipped', part="1.4", file=VAE, function="kl_gaussian_gaussian_analytic",
            edits=[('    kl = logvar_p - logvar_q + (torch.exp(logvar_q) + (mu_q - mu_p) ** 2) / torch.exp(logvar_p) - 1\n',
                    '    kl = logvar_q - logvar_p + (torch.exp(logvar_q) + (mu_q - mu_p) ** 2) / torch.exp(logvar_p) - 1\n')],
            message='The log-variance term has the wrong sign: it is logvar_p - logvar_q, the log of the variance ratio sigma_p^2 / sigma_q^2.'),
    Mistake('KL(p || q)', part="1.4", file=VAE, function="kl_gaussian_gaussian_analytic",
            edits=[('    kl = logvar_p - logvar_q + (torch.exp(logvar_q) + (mu_q - mu_p) ** 2) / torch.exp(logvar_p) - 1\n',
                    '    kl = logvar_q - logvar_p + (logvar_p.exp() + (mu_p - mu_q) ** 2) / logvar_q.exp() - 1\n')],
            message='This computes KL(p || q): the contract wants KL(q || p), the expectation under q (the first pair of arguments), so the roles of the two distributions are swapped.',
            says='This computes KL(p || q)'),
    Mistake('no -1', part="1.4", file=VAE, function="kl_gaussian_gaussian_analytic",
            edits=[('    kl = logvar_p - logvar_q + (torch.exp(logvar_q) + (mu_q - mu_p) ** 2) / torch.exp(logvar_p) - 1\n    return 0.5 * kl.sum(dim=1)\n',
                    '    return 0.5 * torch.sum(logvar_p - logvar_q + (torch.exp(logvar_q) + (mu_q - mu_p) ** 2) / torch.exp(logvar_p), dim=1)\n')],
            message='The -1 inside the sum is missing: each dimension of the analytic KL has a -1 term, which makes KL(q || q) = 0.',
            says='The -1 inside the sum is missing'),
    Mistake('no 0.5', part="1.4", file=VAE, function="kl_gaussian_gaussian_analytic",
            edits=[('    kl = logvar_p - logvar_q + (torch.exp(logvar_q) + (mu_q - mu_p) ** 2) / torch.exp(logvar_p) - 1\n    return 0.5 * kl.sum(dim=1)\n',
                    '    return torch.sum(logvar_p - logvar_q + (torch.exp(logvar_q) + (mu_q - mu_p) ** 2) / torch.exp(logvar_p) - 1, dim=1)\n')],
            message='The factor 0.5 in front of the sum is missing: the analytic KL is 0.5 times the sum over the dimensions.',
            says='factor 0.5'),
    Mistake('standard deviations used as variances', part="1.4", file=VAE, function="kl_gaussian_gaussian_analytic",
            edits=[('    kl = logvar_p - logvar_q + (torch.exp(logvar_q) + (mu_q - mu_p) ** 2) / torch.exp(logvar_p) - 1\n',
                    '    std_q, std_p = torch.exp(0.5 * logvar_q), torch.exp(0.5 * logvar_p)\n    kl = logvar_p - logvar_q + (std_q + (mu_q - mu_p) ** 2) / std_p - 1\n')],
            message='The standard deviations exp(0.5 * logvar) are used where the formula wants the variances exp(logvar): the KL divides variances, not standard deviations.',
            says='wrong values'),
    # ---- 1.5
    Mistake('samples from p', part="1.5", file=VAE, function="kl_gaussian_gaussian_mc",
            edits=[('    z = mu_q + torch.exp(0.5 * logvar_q) * torch.randn_like(mu_q)\n',
                    '    z = mu_p + torch.exp(0.5 * logvar_p) * torch.randn_like(mu_p)\n')],
            message='The samples are drawn from p: KL(q || p) is an expectation under q, so draw z = mu_q + exp(logvar_q / 2) * eps.'),
    Mistake('mc not reparameterized', part="1.5", file=VAE, function="kl_gaussian_gaussian_mc",
            edits=[('    z = mu_q + torch.exp(0.5 * logvar_q) * torch.randn_like(mu_q)\n',
                    '    z = torch.distributions.Normal(mu_q, torch.exp(0.5 * logvar_q)).sample()\n')],
            message='The samples are not reparameterized (.sample() cuts the gradient through z): write z = mu_q + exp(logvar_q / 2) * eps with eps = torch.randn_like(mu_q).'),
    Mistake('exp(logvar) as the standard deviation of the samples', part="1.5", file=VAE, function="kl_gaussian_gaussian_mc",
            edits=[('    z = mu_q + torch.exp(0.5 * logvar_q) * torch.randn_like(mu_q)\n',
                    '    z = mu_q + torch.exp(logvar_q) * torch.randn_like(mu_q)\n')],
            message='The samples use exp(logvar_q) as the standard deviation: it is the variance, so scale eps by exp(logvar_q / 2).'),
    Mistake('mc log ratio reversed', part="1.5", file=VAE, function="kl_gaussian_gaussian_mc",
            edits=[('    return (log_q - log_p).sum(dim=2).mean(dim=1)\n',
                    '    return (log_p - log_q).sum(dim=2).mean(dim=1)\n')],
            message='The log-ratio is reversed: KL(q || p) averages log q(z) - log p(z) over samples z from q.'),
    Mistake('mc kl as the log of a ratio of densities', part="1.5", file=VAE, function="kl_gaussian_gaussian_mc",
            edits=[('    log_q = -0.5 * (math.log(2 * math.pi) + logvar_q + (z - mu_q) ** 2 / torch.exp(logvar_q))\n    log_p = -0.5 * (math.log(2 * math.pi) + logvar_p + (z - mu_p) ** 2 / torch.exp(logvar_p))\n    return (log_q - log_p).sum(dim=2).mean(dim=1)\n',
                    '    q = torch.exp(-0.5 * (z - mu_q) ** 2 / torch.exp(logvar_q)) / torch.sqrt(2 * math.pi * torch.exp(logvar_q))\n    p = torch.exp(-0.5 * (z - mu_p) ** 2 / torch.exp(logvar_p)) / torch.sqrt(2 * math.pi * torch.exp(logvar_p))\n    return torch.log(q / p).sum(dim=2).mean(dim=1)\n')],
            message='The estimate takes the log of a ratio of densities, which underflows to log(x / 0) when q and p are far apart: subtract the log-densities instead, log q(z) - log p(z), each computed in log space.'),
    Mistake('.sample() instead of rsample()', part="1.5", file=VAE, function="kl_gaussian_gaussian_mc",
            edits=[('    z = mu_q + torch.exp(0.5 * logvar_q) * torch.randn_like(mu_q)\n    log_q = -0.5 * (math.log(2 * math.pi) + logvar_q + (z - mu_q) ** 2 / torch.exp(logvar_q))\n    log_p = -0.5 * (math.log(2 * math.pi) + logvar_p + (z - mu_p) ** 2 / torch.exp(logvar_p))\n    return (log_q - log_p).sum(dim=2).mean(dim=1)\n',
                    '    q = torch.distributions.Normal(mu_q, torch.exp(0.5 * logvar_q))\n    p = torch.distributions.Normal(mu_p, torch.exp(0.5 * logvar_p))\n    z = q.sample()\n    return (q.log_prob(z) - p.log_prob(z)).sum(dim=2).mean(dim=1)\n')],
            message='The samples are not reparameterized: .sample() cuts the gradient through z, so none reaches mu_q and logvar_q. Draw z with rsample() or as mu_q + exp(logvar_q / 2) * eps.',
            says='not reparameterized'),
    Mistake('one sample whatever num_samples', part="1.5", file=VAE, function="kl_gaussian_gaussian_mc",
            edits=[('    logvar_p = logvar_p.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)\n',
                    '    logvar_p = logvar_p.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)\n    mu_q, logvar_q, mu_p, logvar_p = mu_q[:, 0], logvar_q[:, 0], mu_p[:, 0], logvar_p[:, 0]\n'),
                   ('    return (log_q - log_p).sum(dim=2).mean(dim=1)\n',
                    '    return (log_q - log_p).sum(dim=1)\n')],
            message='num_samples is not honoured: only one sample is drawn per row, whatever num_samples is. Average the estimate over num_samples samples of each row.',
            says='num_samples is not honoured'),
    Mistake('sum over the samples', part="1.5", file=VAE, function="kl_gaussian_gaussian_mc",
            edits=[('    return (log_q - log_p).sum(dim=2).mean(dim=1)\n',
                    '    return (log_q - log_p).sum(dim=(1, 2))\n')],
            message='The estimates are summed over the samples: average over the num_samples samples of each row (and sum over the dimensions).',
            says='average over the num_samples samples'),
    Mistake('fixed seed inside', part="1.5", file=VAE, function="kl_gaussian_gaussian_mc",
            edits=[('    logvar_p = logvar_p.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)\n',
                    '    logvar_p = logvar_p.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)\n    torch.manual_seed(0)\n')],
            message='The function reseeds the random generator (torch.manual_seed), so every call draws the same samples and returns identical values: draw fresh noise at each call and leave seeding to the caller.',
            says='identical values'),
    Mistake('estimate through numpy', part="1.5", file=VAE, function="kl_gaussian_gaussian_mc",
            edits=[('    z = mu_q + torch.exp(0.5 * logvar_q) * torch.randn_like(mu_q)\n    log_q = -0.5 * (math.log(2 * math.pi) + logvar_q + (z - mu_q) ** 2 / torch.exp(logvar_q))\n    log_p = -0.5 * (math.log(2 * math.pi) + logvar_p + (z - mu_p) ** 2 / torch.exp(logvar_p))\n    return (log_q - log_p).sum(dim=2).mean(dim=1)\n',
                    '    mq, lq, mp, lp = (t.detach().numpy() for t in (mu_q, logvar_q, mu_p, logvar_p))\n    z = mq + np.exp(0.5 * lq) * torch.randn(mq.shape).numpy()\n    log_ratio = -0.5 * (lq + (z - mq) ** 2 / np.exp(lq)) + 0.5 * (lp + (z - mp) ** 2 / np.exp(lp))\n    return torch.from_numpy(log_ratio.sum(2).mean(1)).float()\n')],
            message='The estimate goes through numpy, so it is detached from the autograd graph and no gradient reaches mu_q and logvar_q: compute it with torch operations only.',
            says='detached from the autograd graph'),
    # ---- 2.1
    Mistake('jsd log of sigmoid', part="2.1", file=GAN, function="jsd",
            edits=[('    return 0.5 * (F.logsigmoid(cp).mean() + F.logsigmoid(-cq).mean()) + math.log(2)\n',
                    '    return 0.5 * (torch.log(torch.sigmoid(cp)).mean() + torch.log(1 - torch.sigmoid(cq)).mean()) + math.log(2)\n')],
            message="torch.log(torch.sigmoid(x)) rounds to log(0) = -inf once the critic's logits are large (about 100, common late in training): use F.logsigmoid(cp) and F.logsigmoid(-cq)."),
    Mistake('jsd with log sigmoid written by cases in torch.where', part="2.1", file=GAN, function="jsd",
            source="""
                def jsd(cp, cq):
                    def log_sigmoid(x):
                        return torch.where(x >= 0, -torch.log1p(torch.exp(-x)), x - torch.log1p(torch.exp(x)))
                    return 0.5 * (log_sigmoid(cp).mean() + log_sigmoid(-cq).mean()) + math.log(2)
            """,
            message='Writing log sigmoid with torch.where over two formulas gives the right values but NaN gradients for large logits (the unused branch overflows, and 0 * inf is NaN): use F.logsigmoid.'),
    Mistake('jsd without log 2', part="2.1", file=GAN, function="jsd",
            edits=[('    return 0.5 * (F.logsigmoid(cp).mean() + F.logsigmoid(-cq).mean()) + math.log(2)\n',
                    '    return 0.5 * (F.logsigmoid(cp).mean() + F.logsigmoid(-cq).mean())\n')],
            message='The + log 2 constant is missing: jsd = 0.5 * (E[log sigmoid(cp)] + E[log sigmoid(-cq)]) + log 2.'),
    Mistake('jsd missing half', part="2.1", file=GAN, function="jsd",
            edits=[('    return 0.5 * (F.logsigmoid(cp).mean() + F.logsigmoid(-cq).mean()) + math.log(2)\n',
                    '    return F.logsigmoid(cp).mean() + F.logsigmoid(-cq).mean() + math.log(2)\n')],
            message='The factor 0.5 on the two expectations is missing: jsd = 0.5 * (E[log sigmoid(cp)] + E[log sigmoid(-cq)]) + log 2.'),
    Mistake('jsd fake term not negated', part="2.1", file=GAN, function="jsd",
            edits=[('    return 0.5 * (F.logsigmoid(cp).mean() + F.logsigmoid(-cq).mean()) + math.log(2)\n',
                    '    return 0.5 * (F.logsigmoid(cp).mean() + F.logsigmoid(cq).mean()) + math.log(2)\n')],
            message='The fake term uses log sigmoid(cq): it should be log(1 - sigmoid(cq)) = log sigmoid(-cq).'),
    Mistake('jsd real fake swapped', part="2.1", file=GAN, function="jsd",
            edits=[('    return 0.5 * (F.logsigmoid(cp).mean() + F.logsigmoid(-cq).mean()) + math.log(2)\n',
                    '    return 0.5 * (F.logsigmoid(cq).mean() + F.logsigmoid(-cp).mean()) + math.log(2)\n')],
            message='Real and fake are swapped: the critic gives positive values to real data, so use log sigmoid(cp) for the real term and log sigmoid(-cq) for the fake one.'),
    Mistake('w1 sign swapped', part="2.1", file=GAN, function="w1",
            edits=[('    return cp.mean() - cq.mean()\n',
                    '    return cq.mean() - cp.mean()\n')],
            message='The sign is swapped: the critic gives positive values to real data, so w1 = E[cp] - E[cq].'),
    Mistake('w1 sum instead of mean', part="2.1", file=GAN, function="w1",
            edits=[('    return cp.mean() - cq.mean()\n',
                    '    return cp.sum() - cq.sum()\n')],
            message='The critic values are summed: w1 uses the means, E[cp] - E[cq].'),
    Mistake('w1 through sigmoid', part="2.1", file=GAN, function="w1",
            edits=[('    return cp.mean() - cq.mean()\n',
                    '    return torch.sigmoid(cp).mean() - torch.sigmoid(cq).mean()\n')],
            message='The critic values go through a sigmoid: w1 uses the raw critic values, E[cp] - E[cq].'),
    Mistake('jsd with log(sigmoid) and log(1 - sigmoid)', part="2.1", file=GAN, function="jsd",
            source="""
                def jsd(cp, cq):
                    real = torch.log(torch.sigmoid(cp)).mean()
                    fake = torch.log(1 - torch.sigmoid(cq)).mean()
                    return 0.5 * real + 0.5 * fake + math.log(2.)
            """,
            message="torch.log(torch.sigmoid(x)) and torch.log(1 - torch.sigmoid(x)) round to log(0) = -inf once the critic's logits are large: compute both terms with F.logsigmoid.",
            says='F.logsigmoid'),
    Mistake('jsd with log sigmoid(cq)', part="2.1", file=GAN, function="jsd",
            edits=[('    return 0.5 * (F.logsigmoid(cp).mean() + F.logsigmoid(-cq).mean()) + math.log(2)\n',
                    '    return 0.5 * torch.log(torch.sigmoid(cp)).mean() + 0.5 * torch.log(torch.sigmoid(cq)).mean() + math.log(2)\n')],
            message='The fake term uses log sigmoid(cq): it should be log(1 - sigmoid(cq)), and both terms should be computed stably with F.logsigmoid.',
            says='fake term uses log sigmoid(cq)'),
    Mistake('w1 the wrong way round', part="2.1", file=GAN, function="w1",
            edits=[('    return cp.mean() - cq.mean()\n',
                    '    return torch.mean(cq) - torch.mean(cp)\n')],
            message='The sign is swapped: the critic gives high values to real data, so w1 = E[cp] - E[cq].',
            says='sign is swapped'),
    Mistake('w1 with sums', part="2.1", file=GAN, function="w1",
            edits=[('    return cp.mean() - cq.mean()\n',
                    '    return torch.sum(cp) - torch.sum(cq)\n')],
            message='The critic values are summed: w1 uses the means over the batches, E[cp] - E[cq].',
            says='critic values are summed'),
    Mistake('jsd returns a Python float', part="2.1", file=GAN, function="jsd",
            edits=[('    return 0.5 * (F.logsigmoid(cp).mean() + F.logsigmoid(-cq).mean()) + math.log(2)\n',
                    '    return (0.5 * (F.logsigmoid(cp).mean() + F.logsigmoid(-cq).mean())).item() + math.log(2)\n')],
            message='jsd returns a Python float (.item()), which cuts the autograd graph: keep the result a 0-dim tensor, so that the critic and the generator can be trained through it.',
            says='float, expected a torch.tensor'),
    # ---- 2.2
    Mistake('r1 not squared', part="2.2", file=GAN, function="r1gp",
            edits=[('    grad = autograd.grad(critic(x).sum(), x, create_graph=True)[0]\n    return (grad.reshape(grad.size(0), -1).norm(2, dim=1) ** 2).mean()\n',
                    '    grad = torch.autograd.grad(critic(x).sum(), x, create_graph=True)[0]\n    return grad.reshape(grad.size(0), -1).norm(2, dim=1).mean()\n')],
            message='The gradient norm is not squared: R1 is E_p[||grad_x critic(p)||^2].'),
    Mistake('r1 norm over last dim', part="2.2", file=GAN, function="r1gp",
            edits=[('    grad = autograd.grad(critic(x).sum(), x, create_graph=True)[0]\n    return (grad.reshape(grad.size(0), -1).norm(2, dim=1) ** 2).mean()\n',
                    '    grad = torch.autograd.grad(critic(x).sum(), x, create_graph=True)[0]\n    return (grad.norm(2, dim=-1) ** 2).mean()\n')],
            message="The norm is taken over the last dimension only: take the 2-norm of each sample's whole gradient, e.g. grad.reshape(N, -1).norm(2, dim=1)."),
    Mistake('r1 without create graph', part="2.2", file=GAN, function="r1gp",
            edits=[('    grad = autograd.grad(critic(x).sum(), x, create_graph=True)[0]\n',
                    '    grad = torch.autograd.grad(critic(x).sum(), x)[0]\n')],
            message="The penalty is not differentiable with respect to the critic's parameters: call autograd.grad with create_graph=True."),
    Mistake('r1 one centred', part="2.2", file=GAN, function="r1gp",
            edits=[('    grad = autograd.grad(critic(x).sum(), x, create_graph=True)[0]\n    return (grad.reshape(grad.size(0), -1).norm(2, dim=1) ** 2).mean()\n',
                    '    grad = torch.autograd.grad(critic(x).sum(), x, create_graph=True)[0]\n    return ((grad.reshape(grad.size(0), -1).norm(2, dim=1) - 1) ** 2).mean()\n')],
            message='R1 is zero-centred: penalize ||grad_x critic(p)||^2, not (||grad|| - 1)^2 (that is the GP of ogp).'),
    Mistake('ogp without create graph', part="2.2", file=GAN, function="ogp",
            edits=[('    grad = autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)[0]\n',
                    '    grad = autograd.grad(critic(x_hat).sum(), x_hat)[0]\n')],
            message="The penalty is not differentiable with respect to the critic's parameters: call autograd.grad with create_graph=True (detaching the interpolate x_hat itself, as a fresh leaf, is right)."),
    Mistake('ogp eps on fake', part="2.2", file=GAN, function="ogp",
            edits=[('    x_hat = (eps * p + (1 - eps) * q).detach().requires_grad_(True)\n    grad = autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)[0]\n',
                    '    x_hat = (eps * q + (1 - eps) * p).detach().requires_grad_(True)\n    grad = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)[0]\n')],
            message='eps multiplies the fake sample: the contract interpolates x_hat = eps * p + (1 - eps) * q, with eps on the real sample.'),
    Mistake('ogp missing minus one', part="2.2", file=GAN, function="ogp",
            edits=[('    grad = autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)[0]\n    return ((grad.reshape(grad.size(0), -1).norm(2, dim=1) - 1) ** 2).mean()\n',
                    '    grad = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)[0]\n    return (grad.reshape(grad.size(0), -1).norm(2, dim=1) ** 2).mean()\n')],
            message='The penalty is not one-centred: ogp is E[(||grad_x critic(x_hat)|| - 1)^2].'),
    Mistake('ogp norm over last dim', part="2.2", file=GAN, function="ogp",
            edits=[('    grad = autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)[0]\n    return ((grad.reshape(grad.size(0), -1).norm(2, dim=1) - 1) ** 2).mean()\n',
                    '    grad = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)[0]\n    return ((grad.norm(2, dim=-1) - 1) ** 2).mean()\n')],
            message="The norm is taken over the last dimension only: take the 2-norm of each sample's whole gradient, e.g. grad.reshape(N, -1).norm(2, dim=1)."),
    Mistake('ogp one eps for the batch', part="2.2", file=GAN, function="ogp",
            edits=[('    eps = torch.rand(p.size(0), device=p.device).view(-1, *[1] * (p.dim() - 1))\n',
                    '    eps = torch.rand(1, device=p.device)\n'),
                   ('    grad = autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)[0]\n',
                    '    grad = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)[0]\n')],
            message='A single eps is shared by the whole batch: draw one eps per sample with torch.rand(N) and reshape it to broadcast over the sample shape.'),
    Mistake('r1 norm over the last dimension', part="2.2", file=GAN, function="r1gp",
            edits=[('    return (grad.reshape(grad.size(0), -1).norm(2, dim=1) ** 2).mean()\n',
                    '    return (grad.norm(2, dim=-1) ** 2).mean()\n')],
            message="The norm is taken over the last dimension only: take the 2-norm of each sample's whole gradient, over all its non-batch dimensions.",
            says='last dimension only'),
    Mistake('r1 without create_graph', part="2.2", file=GAN, function="r1gp",
            source="""
                def r1gp(p, cp, q, cq, critic):
                    x = p.clone().requires_grad_(True)
                    grad, = autograd.grad(critic(x).sum(), x)
                    return grad.pow(2).reshape(len(x), -1).sum(1).mean()
            """,
            message="The penalty is not differentiable with respect to the critic's parameters: call autograd.grad with create_graph=True.",
            says='create_graph=True'),
    Mistake('ogp eps on the fake sample', part="2.2", file=GAN, function="ogp",
            edits=[('    eps = torch.rand(p.size(0), device=p.device).view(-1, *[1] * (p.dim() - 1))\n    x_hat = (eps * p + (1 - eps) * q).detach().requires_grad_(True)\n',
                    '    eps = torch.rand(p.size(0)).view(-1, *[1] * (p.dim() - 1))\n    x_hat = (eps * q + (1 - eps) * p).detach().requires_grad_(True)\n')],
            message='eps multiplies the fake sample: the contract interpolates with eps on the real sample, x_hat = eps * p + (1 - eps) * q.',
            says='eps multiplies the fake sample',
            example=True),
    Mistake('ogp eps of shape (N, 1) breaks scalar samples', part="2.2", file=GAN, function="ogp",
            edits=[('    eps = torch.rand(p.size(0), device=p.device).view(-1, *[1] * (p.dim() - 1))\n',
                    '    eps = torch.rand(p.size(0), 1)\n')],
            message='eps of shape (N, 1) only broadcasts per sample for (N, d) samples: for scalar or image samples it pairs with the wrong dimension. Give eps one entry per sample and a trailing 1 for each sample dimension.',
            says='raised RuntimeError'),
    Mistake('flatten(1) fails on scalar samples', part="2.2", file=GAN, function="ogp",
            edits=[('    eps = torch.rand(p.size(0), device=p.device).view(-1, *[1] * (p.dim() - 1))\n',
                    '    eps = torch.rand(p.size(0), *([1] * (p.dim() - 1)))\n'),
                   ('    return ((grad.reshape(grad.size(0), -1).norm(2, dim=1) - 1) ** 2).mean()\n',
                    '    return ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()\n')],
            message='grad.flatten(1) fails when the samples are scalars (shape (N,)): reshape the gradient to (N, -1), which works for any sample shape.',
            says='Dimension out of range'),
    Mistake('r1 one-centred', part="2.2", file=GAN, function="r1gp",
            edits=[('    return (grad.reshape(grad.size(0), -1).norm(2, dim=1) ** 2).mean()\n',
                    '    return ((grad.reshape(grad.size(0), -1).norm(2, dim=1) - 1) ** 2).mean()\n')],
            message='R1 is zero-centred: it penalizes ||grad_x critic(p)||^2, not (||grad|| - 1)^2 (that is the GP of ogp).',
            says='R1 is zero-centred'),
    # ---- 2.3
    Mistake('critic minimizes the divergence', part="2.3", file=GAN, function="make_losses",
            edits=[('        loss = -head(cp, cq)\n',
                    '        loss = head(cp, cq)\n')],
            message='critic_loss does not negate the head: the critic maximizes the divergence, so it minimizes -head(cp, cq) + reg_cf * reg.'),
    Mistake('losses reg subtracted', part="2.3", file=GAN, function="make_losses",
            edits=[('            loss = loss + reg_cf * reg(p, cp, q, cq, critic)\n',
                    '            loss = loss - reg_cf * reg(p, cp, q, cq, critic)\n')],
            message='The penalty is subtracted in critic_loss: it is a cost for the critic, so critic_loss = -head(cp, cq) + reg_cf * reg(p, cp, q, cq, critic).'),
    Mistake('losses metric negated', part="2.3", file=GAN, function="make_losses",
            edits=[('        return head(critic(p), critic(q))\n',
                    '        return -head(critic(p), critic(q))\n')],
            message='metric is negated: it is the divergence estimate head(critic(p), critic(q)) itself, which the generator minimizes.'),
    Mistake('reg_cf forgotten', part="2.3", file=GAN, function="make_losses",
            edits=[('            loss = loss + reg_cf * reg(p, cp, q, cq, critic)\n',
                    '            loss = loss + reg(p, cp, q, cq, critic)\n')],
            message='reg_cf is ignored: the penalty enters critic_loss as reg_cf * reg(p, cp, q, cq, critic).'),
    Mistake('regularizers swapped', part="2.3", file=GAN, function="make_losses",
            edits=[("    reg = {'GP': ogp, 'R1': r1gp, None: None}[reg_type]\n",
                    "    reg = {'GP': r1gp, 'R1': ogp, None: None}[reg_type]\n")],
            message="The regularizers are swapped: 'GP' is the one-centred ogp and 'R1' the zero-centred r1gp."),
    Mistake('critic maximizes the penalty', part="2.3", file=GAN, function="make_losses",
            edits=[("    head = {'JSD': jsd, 'W1': w1}[loss_type]\n    reg = {'GP': ogp, 'R1': r1gp, None: None}[reg_type]\n",
                    "    head = jsd if loss_type == 'JSD' else w1\n"),
                   ('        if reg is not None:\n            loss = loss + reg_cf * reg(p, cp, q, cq, critic)\n',
                    "        if reg_type == 'GP':\n            loss = loss - reg_cf * ogp(p, cp, q, cq, critic)\n        elif reg_type == 'R1':\n            loss = loss - reg_cf * r1gp(p, cp, q, cq, critic)\n")],
            message='The penalty is subtracted in critic_loss: it is a cost for the critic, so it is added, weighted by reg_cf.',
            says='penalty is subtracted'),
    Mistake('metric with a detached generator sample', part="2.3", file=GAN, function="make_losses",
            edits=[('        return head(critic(p), critic(q))\n',
                    '        return head(critic(p), critic(q.detach()))\n'),
                   ('        cp, cq = critic(p), critic(q)\n',
                    '        cp, cq = critic(p), critic(q.detach())\n')],
            message='metric detaches the fake samples, so no gradient of the metric reaches the fake samples q and the generator cannot learn from it: score q as it is there.',
            says='reaches the fake samples q'),
    # ---- 2.4
    Mistake('ema weights swapped', part="2.4", file=GAN, function="apply_exponential_moving_average",
            edits=[('            t.copy_(alpha * t + (1 - alpha) * s)\n',
                    '            t.copy_((1 - alpha) * t + alpha * s)\n')],
            message='The weights are swapped: alpha goes on the target, target = alpha * target + (1 - alpha) * source.'),
    Mistake('ema not in place', part="2.4", file=GAN, function="apply_exponential_moving_average",
            edits=[('            t.copy_(alpha * t + (1 - alpha) * s)\n',
                    '            t = alpha * t + (1 - alpha) * s\n')],
            message="The new value is assigned to a local name and the target's parameters never change: write it into them in place, e.g. t.copy_(alpha * t + (1 - alpha) * s) under torch.no_grad()."),
    Mistake('ema updates source', part="2.4", file=GAN, function="apply_exponential_moving_average",
            edits=[('            t.copy_(alpha * t + (1 - alpha) * s)\n',
                    '            s.copy_(alpha * s + (1 - alpha) * t)\n')],
            message='The source is updated instead of the target: only the target moves, target = alpha * target + (1 - alpha) * source.'),
    Mistake('ema copies source', part="2.4", file=GAN, function="apply_exponential_moving_average",
            edits=[('            t.copy_(alpha * t + (1 - alpha) * s)\n',
                    '            t.copy_(s)\n')],
            message='The source is copied into the target: the moving average keeps a fraction alpha of the target, target = alpha * target + (1 - alpha) * source.'),
    Mistake('ema into a local name', part="2.4", file=GAN, function="apply_exponential_moving_average",
            source="""
                def apply_exponential_moving_average(source, target, alpha=0.998):
                    for s, t in zip(source.parameters(), target.parameters()):
                        t = alpha * t.detach() + (1 - alpha) * s.detach()
            """,
            message="The new value is assigned to a local name and the target's parameters never change: write it into the target's own tensors in place, under torch.no_grad().",
            says='assigned to a local name'),
    Mistake('ema without no_grad', part="2.4", file=GAN, function="apply_exponential_moving_average",
            source="""
                def apply_exponential_moving_average(source, target, alpha=0.998):
                    for s, t in zip(source.parameters(), target.parameters()):
                        t.mul_(alpha).add_((1 - alpha) * s)
            """,
            message='The in-place update runs with autograd on, which PyTorch refuses for leaf parameters that require grad: do the update under torch.no_grad().',
            says='in-place operation'),
    Mistake('ema replaces the parameters', part="2.4", file=GAN, function="apply_exponential_moving_average",
            source="""
                def apply_exponential_moving_average(source, target, alpha=0.998):
                    new_state = {}
                    for (name, t), s in zip(target.named_parameters(), source.parameters()):
                        new_state[name] = alpha * t + (1 - alpha) * s
                    for name, value in new_state.items():
                        module = target
                        *path, leaf = name.split('.')
                        for part in path:
                            module = getattr(module, part)
                        module._parameters[leaf] = value
            """,
            message="The target's parameters are replaced by new tensors that carry autograd history: keep the target's own parameter tensors and change their values in place, under torch.no_grad().",
            says='without autograd history'),
    # ---- 2.5
    Mistake('generator step first', part="2.5", file=GAN, function="make_train_step",
            source="""
                def make_train_step(loss_type, critic_inner_iters=1, reg_type=None, reg_cf=1., alpha_ema=None):
                    assert critic_inner_iters >= 1, 'critic_inner_iters must be at least 1'
                    assert alpha_ema is None or 0 < alpha_ema < 1, 'alpha_ema must be None or in (0, 1)'
                    metric, critic_loss = make_losses(loss_type, reg_type, reg_cf)

                    def train_step(train_data_iter, critic, critic_optim, generator, test_generator, generator_optim):
                        p = next(train_data_iter)
                        q = generator()
                        generator_optim.zero_grad()
                        loss = metric(p, q, critic)
                        loss.backward()
                        generator_optim.step()

                        for _ in range(critic_inner_iters):
                            p = next(train_data_iter)
                            q = generator()
                            critic_optim.zero_grad()
                            critic_loss(p, q, critic).backward()
                            critic_optim.step()

                        if alpha_ema is not None:
                            apply_exponential_moving_average(generator, test_generator, alpha_ema)
                        return loss

                    return train_step
            """,
            message='The generator is updated before the critic: do the critic_inner_iters critic steps first, then one generator step.'),
    Mistake('generator step on the last critic batch', part="2.5", file=GAN, function="make_train_step",
            edits=[('            critic_optim.step()\n\n        p = next(train_data_iter)\n',
                    '            critic_optim.step()\n\n')],
            message='The generator step reuses the last critic batch: draw a fresh p = next(train_data_iter) (and q = generator()) for it.'),
    Mistake('train no zero grad', part="2.5", file=GAN, function="make_train_step",
            edits=[('            critic_optim.zero_grad()\n',
                    ''),
                   ('        generator_optim.zero_grad()\n',
                    '')],
            message='The updates use gradients that were already in .grad when they began (the test leaves some there, as any earlier backward would, and the generator\'s backward also fills the critic\'s): zero each optimizer\'s gradients right before its backward pass, critic_optim.zero_grad() before each critic step and generator_optim.zero_grad() before the generator step, not only after a step.'),
    Mistake('ema from the test generator', part="2.5", file=GAN, function="make_train_step",
            edits=[('            apply_exponential_moving_average(generator, test_generator, alpha_ema)\n',
                    '            apply_exponential_moving_average(test_generator, generator, alpha_ema)\n')],
            message='The moving average goes the wrong way: apply it from generator (the source) into test_generator (the target).'),
    Mistake('train returns critic loss', part="2.5", file=GAN, function="make_train_step",
            edits=[('            critic_loss(p, q, critic).backward()\n',
                    '            c_loss = critic_loss(p, q, critic)\n            c_loss.backward()\n'),
                   ('        loss = metric(p, q, critic)\n        loss.backward()\n',
                    '        metric(p, q, critic).backward()\n'),
                   ('        return loss\n',
                    '        return c_loss\n')],
            message='train_step returns the critic loss: return the metric computed for the generator step.'),
    Mistake('critic also stepped after the generator', part="2.5", file=GAN, function="make_train_step",
            edits=[('        generator_optim.step()\n',
                    '        generator_optim.step()\n        critic_optim.step()\n')],
            message="critic_optim.step() is also called after the generator update, so the critic moves along the generator loss's gradient: step the critic only in its critic_inner_iters updates.",
            says='number of critic_optim.step() calls'),
    # ---- 3.1
    Mistake('planar forward missing b', part="3.1", file=PF, function="PlanarTransformation.forward",
            edits=[('        return x + self.u * torch.tanh(x @ self.w.t() + self.b)\n',
                    '        return x + self.u * torch.tanh(x @ self.w.t())\n')],
            message='The bias b is missing: f(x) = x + u * tanh(x w^T + b).'),
    Mistake('bias outside the tanh', part="3.1", file=PF, function="PlanarTransformation.forward",
            edits=[('        return x + self.u * torch.tanh(x @ self.w.t() + self.b)\n',
                    '        return x + self.u * torch.tanh(x @ self.w.t()) + self.b\n')],
            message='The bias b is added outside the tanh: f(x) = x + u * tanh(x w^T + b).'),
    Mistake('planar forward u w swapped', part="3.1", file=PF, function="PlanarTransformation.forward",
            edits=[('        return x + self.u * torch.tanh(x @ self.w.t() + self.b)\n',
                    '        return x + self.w * torch.tanh(x @ self.u.t() + self.b)\n')],
            message='u and w are swapped: w sets the direction inside the tanh and u scales the output, f(x) = x + u * tanh(x w^T + b).'),
    Mistake('planar forward missing x', part="3.1", file=PF, function="PlanarTransformation.forward",
            edits=[('        return x + self.u * torch.tanh(x @ self.w.t() + self.b)\n',
                    '        return self.u * torch.tanh(x @ self.w.t() + self.b)\n')],
            message='The identity term is missing: the planar map adds to its input, f(x) = x + u * tanh(x w^T + b).'),
    Mistake('u and w swapped', part="3.1", file=PF, function="PlanarTransformation.forward",
            edits=[('        return x + self.u * torch.tanh(x @ self.w.t() + self.b)\n',
                    '        return x + self.w * torch.tanh(torch.mm(x, self.u.t()) + self.b)\n')],
            message='u and w are swapped: w sets the direction inside the tanh and u scales the output, f(x) = x + u * tanh(x w^T + b).',
            says='u and w are swapped'),
    Mistake('no bias', part="3.1", file=PF, function="PlanarTransformation.forward",
            edits=[('        return x + self.u * torch.tanh(x @ self.w.t() + self.b)\n',
                    '        return x + self.u * torch.tanh(x @ self.w.T)\n')],
            message='The bias b is missing inside the tanh: f(x) = x + u * tanh(x w^T + b).',
            says='bias b is missing'),
    Mistake('provided adjust_u check removed', part="3.1", file=PF, function="PlanarTransformation.forward",
            edits=[('        if self.u @ self.w.t() < -1:\n            self.adjust_u()\n',
                    '')],
            message='The provided check at the start of forward, which calls self.adjust_u() when u w^T < -1, was removed: keep it, so that the map stays invertible.',
            says='wrong values'),
    # ---- 3.4
    Mistake('logdet derivative not squared', part="3.4", file=PF, function="PlanarTransformation.get_logdet",
            edits=[('        h_prime = 1 - torch.tanh(x @ self.w.t() + self.b) ** 2\n',
                    '        h_prime = 1 - torch.tanh(x @ self.w.t() + self.b)\n')],
            message='The derivative of tanh is 1 - tanh^2, not 1 - tanh: logdet = log(eps + |1 + (1 - tanh^2(x w^T + b)) * (w u^T)|).'),
    Mistake('no identity', part="3.4", file=PF, function="PlanarTransformation.get_logdet",
            edits=[('        return torch.log(eps + torch.abs(1 + h_prime * (self.w @ self.u.t())))\n',
                    '        return torch.log(eps + torch.abs(h_prime * (self.w @ self.u.t())))\n')],
            message='The 1 of the identity is missing: by the matrix determinant lemma det = 1 + (1 - tanh^2(x w^T + b)) * (w u^T).'),
    Mistake('logdet missing b', part="3.4", file=PF, function="PlanarTransformation.get_logdet",
            edits=[('        h_prime = 1 - torch.tanh(x @ self.w.t() + self.b) ** 2\n',
                    '        h_prime = 1 - torch.tanh(x @ self.w.t()) ** 2\n')],
            message='The bias b is missing inside the tanh: the derivative is taken at x w^T + b.'),
    Mistake('logdet without eps', part="3.4", file=PF, function="PlanarTransformation.get_logdet",
            edits=[('        return torch.log(eps + torch.abs(1 + h_prime * (self.w @ self.u.t())))\n',
                    '        return torch.log(torch.abs(1 + h_prime * (self.w @ self.u.t())))\n')],
            message="eps is missing: where the determinant vanishes, log(|...|) is -inf; the contract's log(eps + |1 + (1 - tanh^2(x w^T + b)) * (w u^T)|) stays finite."),
    Mistake('logdet with eps fixed at 1e-8', part="3.4", file=PF, function="PlanarTransformation.get_logdet",
            edits=[('        return torch.log(eps + torch.abs(1 + h_prime * (self.w @ self.u.t())))\n',
                    '        return torch.log(1e-8 + torch.abs(1 + h_prime * (self.w @ self.u.t())))\n')],
            message='eps is written as the constant 1e-8 instead of the eps argument: use the eps the caller passes.'),
    Mistake('determinant, not its log', part="3.4", file=PF, function="PlanarTransformation.get_logdet",
            edits=[('        return torch.log(eps + torch.abs(1 + h_prime * (self.w @ self.u.t())))\n',
                    '        return eps + torch.abs(1 + h_prime * (self.w @ self.u.t()))\n')],
            message='This returns the absolute determinant, not its log: logdet = log(eps + |1 + (1 - tanh^2(x w^T + b)) * (w u^T)|).'),
    Mistake('1 - tanh instead of 1 - tanh^2', part="3.4", file=PF, function="PlanarTransformation.get_logdet",
            edits=[('        h_prime = 1 - torch.tanh(x @ self.w.t() + self.b) ** 2\n        return torch.log(eps + torch.abs(1 + h_prime * (self.w @ self.u.t())))\n',
                    '        psi = (1 - torch.tanh(x @ self.w.t() + self.b)) * self.w\n        return torch.log(eps + torch.abs(1 + psi @ self.u.t()))\n')],
            message="The derivative of tanh is 1 - tanh^2, not 1 - tanh: the determinant is 1 + (1 - tanh^2(x w^T + b)) * (w u^T).",
            says='derivative of tanh is 1 - tanh^2'),
    Mistake('elementwise w * u', part="3.4", file=PF, function="PlanarTransformation.get_logdet",
            edits=[('        return torch.log(eps + torch.abs(1 + h_prime * (self.w @ self.u.t())))\n',
                    '        return torch.log(eps + torch.abs(1 + h_prime * self.w * self.u))\n')],
            message='w * u is an elementwise product, shape (1, dim), so logdet gets one column per dimension: the determinant needs the scalar w u^T, a matrix product, for a logdet of shape (batch_size, 1).',
            says='shape'),
    # ---- 3.6
    Mistake('flow logdet of output', part="3.6", file=PF, function="Flow.forward",
            source="""
                def forward(self, x):
                    logdet = x.new_zeros(x.size(0), 1)
                    for layer in self.layers:
                        x = layer(x)
                        logdet = logdet + layer.get_logdet(x)
                    return x, logdet
            """,
            message="Each layer's log-determinant is evaluated at its output: add layer.get_logdet(x) of the layer's input first, then transform x."),
    Mistake('flow logdet not accumulated', part="3.6", file=PF, function="Flow.forward",
            edits=[('            logdet = logdet + layer.get_logdet(x)\n',
                    '            logdet = layer.get_logdet(x)\n')],
            message="The log-determinant is overwritten by each layer: start from zero and add every layer's get_logdet."),
    Mistake('flow layers on original input', part="3.6", file=PF, function="Flow.forward",
            edits=[('        logdet = x.new_zeros(x.size(0), 1)\n',
                    '        logdet = x.new_zeros(x.size(0), 1)\n        z = x\n'),
                   ('            x = layer(x)\n        return x, logdet\n',
                    '            z = layer(x)\n        return z, logdet\n')],
            message='Every layer is applied to the original input: feed each layer the output of the previous one (x = layer(x)).'),
    Mistake('flow layers reversed', part="3.6", file=PF, function="Flow.forward",
            edits=[('        for layer in self.layers:\n',
                    '        for layer in reversed(self.layers):\n')],
            message='The layers run in reverse order: apply them in the order of self.layers.'),
    Mistake('loss1 is the log-likelihood', part="3.6", file=PF, function="loss1",
            edits=[('    return -(log_normal + logdet)\n',
                    '    return log_normal + logdet\n')],
            message='The sign is flipped: loss1 is the negative log-likelihood, -(log N(z0; 0, I) + logdet).'),
    Mistake('loss1 missing logdet', part="3.6", file=PF, function="loss1",
            edits=[('    return -(log_normal + logdet)\n',
                    '    return -log_normal\n')],
            message='The log-determinant is missing: by the change of variables, loss1 = -(log N(z0; 0, I) + logdet).'),
    Mistake('loss1 logdet subtracted', part="3.6", file=PF, function="loss1",
            edits=[('    return -(log_normal + logdet)\n',
                    '    return -(log_normal - logdet)\n')],
            message='The log-determinant has the wrong sign: log p(x) = log N(z0; 0, I) + logdet, so loss1 = -(log N(z0; 0, I) + logdet).'),
    Mistake('loss1 missing log 2pi', part="3.6", file=PF, function="loss1",
            edits=[('    log_normal = -0.5 * (math.log(2 * math.pi) + z0 ** 2).sum(dim=1, keepdim=True)\n',
                    '    log_normal = -0.5 * (z0 ** 2).sum(dim=1, keepdim=True)\n')],
            message='The log(2 pi) constant of the standard Normal is missing: log N(z0; 0, I) = sum_d -0.5 * (log(2 pi) + z0_d^2).'),
    Mistake('log-det after the layer', part="3.6", file=PF, function="Flow.forward",
            source="""
                def forward(self, x):
                    logdet = 0
                    for layer in self.layers:
                        x = layer(x)
                        logdet = logdet + layer.get_logdet(x)
                    return x, logdet
            """,
            message="Each layer's log-determinant is evaluated at its output: get_logdet takes the layer's input, so add it before transforming x.",
            says='evaluated at its output'),
    Mistake('log-det overwritten', part="3.6", file=PF, function="Flow.forward",
            edits=[('        logdet = x.new_zeros(x.size(0), 1)\n',
                    '        logdet = torch.zeros(x.size(0), 1)\n'),
                   ('            logdet = logdet + layer.get_logdet(x)\n',
                    '            logdet = layer.get_logdet(x)\n')],
            message="The log-determinant is overwritten by each layer: start from zero and add every layer's get_logdet.",
            says='overwritten by each layer'),
    Mistake('log-det of shape (B,)', part="3.6", file=PF, function="Flow.forward",
            edits=[('        logdet = x.new_zeros(x.size(0), 1)\n',
                    '        logdet = torch.zeros(x.size(0))\n')],
            message="The log-determinant starts with shape (batch_size,), and adding the layers' (batch_size, 1) log-dets broadcasts it to (batch_size, batch_size): start from zeros of shape (batch_size, 1).",
            says='shape'),
    Mistake('loss1 without log 2 pi', part="3.6", file=PF, function="loss1",
            source="""
                def loss1(z0, logdet):
                    return 0.5 * (z0 ** 2).sum(1, keepdim=True) - logdet
            """,
            message='The log(2 pi) constant of the standard Normal is missing: each dimension of log N(z0; 0, I) includes -0.5 * log(2 pi).',
            says='log(2 pi) constant'),
    # ---- 3.8
    Mistake('loss2 adds the log-det', part="3.8", file=PF, function="loss2",
            edits=[('    return log_normal - logdet + target_density.view(-1, 1)\n',
                    '    return log_normal + logdet + target_density.view(-1, 1)\n')],
            message='The log-determinant has the wrong sign: log q(x) = log N(z0; 0, I) - logdet, so loss2 = log N(z0; 0, I) - logdet + U(x).'),
    Mistake('loss2 energy subtracted', part="3.8", file=PF, function="loss2",
            edits=[('    return log_normal - logdet + target_density.view(-1, 1)\n',
                    '    return log_normal - logdet - target_density.view(-1, 1)\n')],
            message='The energy is subtracted: target_density is U(x) = -log p~(x), so loss2 = log N(z0; 0, I) - logdet + U(x).'),
    Mistake('energy not reshaped', part="3.8", file=PF, function="loss2",
            edits=[('    return log_normal - logdet + target_density.view(-1, 1)\n',
                    '    return log_normal - logdet + target_density\n')],
            message='target_density has shape (B,) and broadcasts against the (B, 1) terms into a (B, B) result: reshape it to (B, 1) first.'),
    Mistake('loss2 missing base density', part="3.8", file=PF, function="loss2",
            source="""
                def loss2(target_density, z0, logdet):
                    return -logdet + target_density.view(-1, 1)
            """,
            message='The base log-density is missing: loss2 = log N(z0; 0, I) - logdet + U(x).'),
    Mistake('energy subtracted', part="3.8", file=PF, function="loss2",
            edits=[('    return log_normal - logdet + target_density.view(-1, 1)\n',
                    '    return log_normal - logdet - target_density.unsqueeze(1)\n')],
            message='The energy is subtracted: target_density is U(x) = -log p~(x), so loss2 adds it to log N(z0; 0, I) - logdet.',
            says='energy is subtracted'),
    Mistake('no base density', part="3.8", file=PF, function="loss2",
            source="""
                def loss2(target_density, z0, logdet):
                    return target_density[:, None] - logdet
            """,
            message='The base log-density is missing: loss2 = log N(z0; 0, I) - logdet + U(x).',
            says='base log-density is missing'),
]

ALTERNATIVES = [
    Alternative('bernoulli picking log(mu) or log(1 - mu) with torch.where', part="1.1", file=VAE, function="log_likelihood_bernoulli",
                edits=[('    return (target * torch.log(mu) + (1 - target) * torch.log(1 - mu)).sum(dim=1)\n',
                        '    return torch.where(target == 1, torch.log(mu), torch.log(1 - mu)).sum(dim=1)\n')]),
    Alternative('log_mean_exp with a loop over the rows', part="1.3", file=VAE, function="log_mean_exp",
                source="""
                    def log_mean_exp(y):
                        rows = []
                        for row in y:
                            a = row.max()
                            rows.append(a + torch.log(torch.mean(torch.exp(row - a))))
                        return torch.stack(rows)
                """),
    Alternative('jsd with a float64 constant', part="2.1", file=GAN, function="jsd",
                edits=[('    return 0.5 * (F.logsigmoid(cp).mean() + F.logsigmoid(-cq).mean()) + math.log(2)\n',
                        '    return 0.5 * (F.logsigmoid(cp).mean() + F.logsigmoid(-cq).mean()) + torch.tensor(math.log(2), dtype=torch.float64)\n')]),
    Alternative('ema with mul_ and add_', part="2.4", file=GAN, function="apply_exponential_moving_average",
                source="""
                    def apply_exponential_moving_average(source, target, alpha=0.998):
                        with torch.no_grad():
                            for t, s in zip(target.parameters(), source.parameters()):
                                t.mul_(alpha).add_(s, alpha=1 - alpha)
                        return target
                """),
    Alternative('train step with the moving average written out', part="2.5", file=GAN, function="make_train_step",
                edits=[('            apply_exponential_moving_average(generator, test_generator, alpha_ema)\n',
                        '            with torch.no_grad():\n                for s, t in zip(generator.parameters(), test_generator.parameters()):\n                    t.data = alpha_ema * t.data + (1 - alpha_ema) * s.data\n')]),
    Alternative('logdet with reshape and a matrix product for w u^T', part="3.4", file=PF, function="PlanarTransformation.get_logdet",
                edits=[('        h_prime = 1 - torch.tanh(x @ self.w.t() + self.b) ** 2\n        return torch.log(eps + torch.abs(1 + h_prime * (self.w @ self.u.t())))\n',
                        '        a = (x @ self.w.T + self.b).reshape(-1, 1)\n        psi = (1 - torch.tanh(a) ** 2) * self.w\n        return torch.log(eps + (1 + psi @ self.u.T).abs())\n')]),
    Alternative('flow dispatching with isinstance and += on the log-det', part="3.6", file=PF, function="Flow.forward",
                source="""
                    def forward(self, x):
                        logdet = torch.zeros(x.shape[0], 1)
                        for layer in self.layers:
                            if isinstance(layer, PlanarTransformation):
                                logdet += layer.get_logdet(x)
                                x = layer(x)
                        return x, logdet
                """),
    Alternative('bernoulli with torch.distributions', part="1.1", file=VAE, function="log_likelihood_bernoulli",
                edits=[('    return (target * torch.log(mu) + (1 - target) * torch.log(1 - mu)).sum(dim=1)\n',
                        '    return torch.distributions.Bernoulli(probs=mu).log_prob(target).sum(-1)\n')]),
    Alternative('bernoulli as minus binary cross-entropy', part="1.1", file=VAE, function="log_likelihood_bernoulli",
                edits=[('    return (target * torch.log(mu) + (1 - target) * torch.log(1 - mu)).sum(dim=1)\n',
                        "    return -torch.nn.functional.binary_cross_entropy(mu, target, reduction='none').sum(dim=1)\n")]),
    Alternative('normal with torch.distributions', part="1.2", file=VAE, function="log_likelihood_normal",
                edits=[('    return -0.5 * (math.log(2 * math.pi) + logvar + (z - mu) ** 2 / torch.exp(logvar)).sum(dim=1)\n',
                        '    return torch.distributions.Normal(mu, torch.exp(0.5 * logvar)).log_prob(z).sum(dim=1)\n')]),
    Alternative('normal with numpy constants and exp(-logvar)', part="1.2", file=VAE, function="log_likelihood_normal",
                edits=[('    return -0.5 * (math.log(2 * math.pi) + logvar + (z - mu) ** 2 / torch.exp(logvar)).sum(dim=1)\n',
                        '    d = mu.shape[1]\n    return -0.5 * d * np.log(2 * np.pi) - 0.5 * torch.sum(logvar + (z - mu).pow(2) * torch.exp(-logvar), 1)\n')]),
    Alternative('log_mean_exp with torch.logsumexp', part="1.3", file=VAE, function="log_mean_exp",
                edits=[('    a = y.max(dim=1, keepdim=True)[0]\n    return torch.log(torch.exp(y - a).sum(dim=1) / sample_size) + a.squeeze(1)\n',
                        '    return torch.logsumexp(y, dim=1) - math.log(sample_size)\n')]),
    Alternative('log_mean_exp with a detached maximum', part="1.3", file=VAE, function="log_mean_exp",
                edits=[('    a = y.max(dim=1, keepdim=True)[0]\n    return torch.log(torch.exp(y - a).sum(dim=1) / sample_size) + a.squeeze(1)\n',
                        '    a = torch.max(y, dim=1)[0].detach()\n    return a + torch.log(torch.mean(torch.exp(y - a.unsqueeze(1)), dim=1))\n')]),
    Alternative('kl with torch.distributions', part="1.4", file=VAE, function="kl_gaussian_gaussian_analytic",
                edits=[('    kl = logvar_p - logvar_q + (torch.exp(logvar_q) + (mu_q - mu_p) ** 2) / torch.exp(logvar_p) - 1\n    return 0.5 * kl.sum(dim=1)\n',
                        '    q = torch.distributions.Normal(mu_q, torch.exp(0.5 * logvar_q))\n    p = torch.distributions.Normal(mu_p, torch.exp(0.5 * logvar_p))\n    return torch.distributions.kl_divergence(q, p).sum(dim=1)\n')]),
    Alternative('kl with standard deviations', part="1.4", file=VAE, function="kl_gaussian_gaussian_analytic",
                edits=[('    kl = logvar_p - logvar_q + (torch.exp(logvar_q) + (mu_q - mu_p) ** 2) / torch.exp(logvar_p) - 1\n    return 0.5 * kl.sum(dim=1)\n',
                        '    std_q, std_p = torch.exp(0.5 * logvar_q), torch.exp(0.5 * logvar_p)\n    kl = torch.log(std_p / std_q) + (std_q ** 2 + (mu_q - mu_p) ** 2) / (2 * std_p ** 2) - 0.5\n    return kl.sum(-1)\n')]),
    Alternative('mc kl with rsample and log_prob', part="1.5", file=VAE, function="kl_gaussian_gaussian_mc",
                edits=[('    z = mu_q + torch.exp(0.5 * logvar_q) * torch.randn_like(mu_q)\n    log_q = -0.5 * (math.log(2 * math.pi) + logvar_q + (z - mu_q) ** 2 / torch.exp(logvar_q))\n    log_p = -0.5 * (math.log(2 * math.pi) + logvar_p + (z - mu_p) ** 2 / torch.exp(logvar_p))\n    return (log_q - log_p).sum(dim=2).mean(dim=1)\n',
                        '    q = torch.distributions.Normal(mu_q, torch.exp(0.5 * logvar_q))\n    p = torch.distributions.Normal(mu_p, torch.exp(0.5 * logvar_p))\n    z = q.rsample()\n    return torch.mean(torch.sum(q.log_prob(z) - p.log_prob(z), dim=-1), dim=-1)\n')]),
    Alternative('mc kl drawing eps sample-major', part="1.5", file=VAE, function="kl_gaussian_gaussian_mc",
                edits=[('    z = mu_q + torch.exp(0.5 * logvar_q) * torch.randn_like(mu_q)\n    log_q = -0.5 * (math.log(2 * math.pi) + logvar_q + (z - mu_q) ** 2 / torch.exp(logvar_q))\n    log_p = -0.5 * (math.log(2 * math.pi) + logvar_p + (z - mu_p) ** 2 / torch.exp(logvar_p))\n    return (log_q - log_p).sum(dim=2).mean(dim=1)\n',
                        '    eps = torch.randn(num_samples, input_size, batch_size).permute(2, 0, 1)\n    z = mu_q + torch.exp(logvar_q / 2) * eps\n    log_q = -0.5 * (logvar_q + eps ** 2)\n    log_p = -0.5 * (logvar_p + (z - mu_p) ** 2 * torch.exp(-logvar_p))\n    return (log_q - log_p).sum(2).mean(1)\n')]),
    Alternative('jsd with softplus', part="2.1", file=GAN, function="jsd",
                edits=[('    return 0.5 * (F.logsigmoid(cp).mean() + F.logsigmoid(-cq).mean()) + math.log(2)\n',
                        '    return math.log(2) - 0.5 * (F.softplus(-cp).mean() + F.softplus(cq).mean())\n')]),
    Alternative('ogp with torch.lerp and a (N, 1, ..., 1) eps', part="2.2", file=GAN, function="ogp",
                source="""
                    def ogp(p, cp, q, cq, critic):
                        eps = torch.rand(p.shape[0], *([1] * (p.dim() - 1)), device=p.device)
                        x_hat = torch.lerp(q, p, eps).detach()
                        x_hat.requires_grad = True
                        out = critic(x_hat)
                        grad, = autograd.grad(outputs=out, inputs=x_hat, grad_outputs=torch.ones_like(out),
                                              create_graph=True, retain_graph=True)
                        return torch.mean((grad.reshape(len(grad), -1).norm(dim=1) - 1) ** 2)
                """),
    Alternative('ogp with rand_like and a non-detached interpolate', part="2.2", file=GAN, function="ogp",
                source="""
                    def ogp(p, cp, q, cq, critic):
                        eps = torch.rand_like(cp)
                        while eps.dim() < p.dim():
                            eps = eps.unsqueeze(-1)
                        x_hat = eps * p + (1 - eps) * q
                        x_hat.requires_grad_(True)
                        grad = autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)[0]
                        norms = torch.sqrt(torch.sum(grad.view(grad.shape[0], -1) ** 2, dim=1))
                        return ((norms - 1) ** 2).mean()
                """),
    Alternative('r1 with squared gradients summed', part="2.2", file=GAN, function="r1gp",
                source="""
                    def r1gp(p, cp, q, cq, critic):
                        x = p.clone().detach().requires_grad_()
                        (grad,) = torch.autograd.grad(critic(x).sum(), [x], create_graph=True)
                        return grad.pow(2).reshape(x.shape[0], -1).sum(dim=1).mean()
                """),
    Alternative('make_losses with if/else and a detached fake in the critic loss', part="2.3", file=GAN, function="make_losses",
                edits=[("    head = {'JSD': jsd, 'W1': w1}[loss_type]\n    reg = {'GP': ogp, 'R1': r1gp, None: None}[reg_type]\n",
                        "    def head(cp, cq):\n        return jsd(cp, cq) if loss_type == 'JSD' else w1(cp, cq)\n"),
                       ('    def critic_loss(p, q, critic):\n',
                        '    def critic_loss(p, q, critic):\n        q = q.detach()\n'),
                       ('        loss = -head(cp, cq)\n        if reg is not None:\n            loss = loss + reg_cf * reg(p, cp, q, cq, critic)\n        return loss\n',
                        "        penalty = 0.\n        if reg_type == 'GP':\n            penalty = ogp(p, cp, q, cq, critic)\n        elif reg_type == 'R1':\n            penalty = r1gp(p, cp, q, cq, critic)\n        return reg_cf * penalty - head(cp, cq)\n")]),
    Alternative('ema with lerp_', part="2.4", file=GAN, function="apply_exponential_moving_average",
                edits=[('            t.copy_(alpha * t + (1 - alpha) * s)\n',
                        '            t.lerp_(s, 1 - alpha)\n')]),
    Alternative('ema through .data and state_dict names', part="2.4", file=GAN, function="apply_exponential_moving_average",
                source="""
                    def apply_exponential_moving_average(source, target, alpha=0.998):
                        source_params = dict(source.named_parameters())
                        for name, t in target.named_parameters():
                            t.data.mul_(alpha).add_(source_params[name].data, alpha=1 - alpha)
                """),
    Alternative('train step with module zero_grad and a detached fake', part="2.5", file=GAN, function="make_train_step",
                source="""
                    def make_train_step(loss_type, critic_inner_iters=1, reg_type=None, reg_cf=1., alpha_ema=None):
                        assert critic_inner_iters >= 1, 'critic_inner_iters must be at least 1'
                        assert alpha_ema is None or 0 < alpha_ema < 1, 'alpha_ema must be None or in (0, 1)'
                        metric, critic_loss = make_losses(loss_type, reg_type, reg_cf)

                        def train_step(train_data_iter, critic, critic_optim, generator, test_generator, generator_optim):
                            for _ in range(critic_inner_iters):
                                real = next(train_data_iter)
                                fake = generator().detach()
                                critic.zero_grad()
                                loss_c = critic_loss(real, fake, critic)
                                loss_c.backward()
                                critic_optim.step()
                            fake = generator()
                            real = next(train_data_iter)
                            generator.zero_grad()
                            critic.zero_grad()
                            loss_g = metric(real, fake, critic)
                            loss_g.backward()
                            generator_optim.step()
                            if alpha_ema is not None:
                                apply_exponential_moving_average(generator, test_generator, alpha=alpha_ema)
                            return loss_g

                        return train_step
                """),
    Alternative('planar forward with F.linear', part="3.1", file=PF, function="PlanarTransformation.forward",
                edits=[('        return x + self.u * torch.tanh(x @ self.w.t() + self.b)\n',
                        '        return x + torch.tanh(torch.nn.functional.linear(x, self.w, self.b)) * self.u\n')]),
    Alternative('logdet through psi and a matrix product', part="3.4", file=PF, function="PlanarTransformation.get_logdet",
                edits=[('        h_prime = 1 - torch.tanh(x @ self.w.t() + self.b) ** 2\n        return torch.log(eps + torch.abs(1 + h_prime * (self.w @ self.u.t())))\n',
                        '        a = torch.mm(x, self.w.t()) + self.b\n        psi = (1 - torch.tanh(a).pow(2)) * self.w\n        return (1 + torch.mm(psi, self.u.t())).abs().add(eps).log()\n')]),
    Alternative('flow with a list of log-dets', part="3.6", file=PF, function="Flow.forward",
                source="""
                    def forward(self, x):
                        logdets = []
                        for i in range(len(self.layers)):
                            logdets.append(self.layers[i].get_logdet(x))
                            x = self.layers[i](x)
                        return x, torch.stack(logdets, dim=0).sum(dim=0)
                """),
    Alternative('loss1 with torch.distributions', part="3.6", file=PF, function="loss1",
                source="""
                    def loss1(z0, logdet):
                        base = torch.distributions.Normal(torch.zeros_like(z0), torch.ones_like(z0))
                        return -(base.log_prob(z0).sum(-1, keepdim=True) + logdet)
                """),
    Alternative('loss2 with MultivariateNormal', part="3.8", file=PF, function="loss2",
                source="""
                    def loss2(target_density, z0, logdet):
                        dim = z0.shape[1]
                        base = torch.distributions.MultivariateNormal(torch.zeros(dim), torch.eye(dim))
                        return (base.log_prob(z0) + target_density).unsqueeze(-1) - logdet
                """),
    Alternative('logdet with |det| written as torch.where', part="3.4", file=PF, function="PlanarTransformation.get_logdet",
                edits=[('        return torch.log(eps + torch.abs(1 + h_prime * (self.w @ self.u.t())))\n',
                        '        det = 1 + h_prime * (self.w @ self.u.t())\n        return torch.log(eps + torch.where(det >= 0, det, -det))\n')]),
    Alternative('logdet without abs (adjust_u keeps the determinant at or above 0)', part="3.4", file=PF, function="PlanarTransformation.get_logdet",
                edits=[('        return torch.log(eps + torch.abs(1 + h_prime * (self.w @ self.u.t())))\n',
                        '        det = 1 + h_prime * (self.w @ self.u.t())\n        return torch.log(eps + det)\n')]),
    Alternative('train_step returning the metric as a float', part="2.5", file=GAN, function="make_train_step",
                edits=[('        return loss\n',
                        '        return loss.item()\n')]),
]
