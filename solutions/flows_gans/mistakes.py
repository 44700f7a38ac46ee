"""Common mistakes in flows_gans, and correct implementations in other styles.

Never given to students. Each Mistake is a small edit of the reference (or a whole other
definition) with the sentence the feedback gives when a student's answer matches it ("Likely
cause"); each Alternative is a correct implementation that must get full marks. The grader's
feedback and our tests (tests/test_assignments.py) read the same lists: see autograder/variants.py.
"""
from autograder.variants import Alternative, Mistake


FN = "flow_network.py"
GAN = "gan.py"

MISTAKES = [
    # ---- 1a
    Mistake('one pass', part="1a", file=FN, function="MADE.forward",
            source="""
                def forward(self, z):
                    mu, alpha = self.net(z).chunk(2, dim=1)
                    x = mu + torch.exp(alpha) * z
                    return x, alpha.sum(dim=1)
            """,
            message='You computed mu and alpha in a single pass of self.net on z, but sampling is sequential: mu_i and alpha_i must come from the x_<i already generated, so run self.net on the x built so far, D times, one dimension per pass.',
            example=True),
    Mistake('exp(-alpha) in forward', part="1a", file=FN, function="MADE.forward",
            edits=[('            x = mu + torch.exp(alpha) * z\n        log_det = alpha.sum(dim=1)  # (B,)\n        return x, log_det\n',
                    '            x = mu + torch.exp(-alpha) * z\n        return x, alpha.sum(dim=1)\n')],
            message='The scale has the wrong sign: in the sampling direction x_i = mu_i + exp(alpha_i) * z_i, with exp(+alpha).'),
    Mistake('made forward inverse formula', part="1a", file=FN, function="MADE.forward",
            edits=[('            x = mu + torch.exp(alpha) * z\n        log_det = alpha.sum(dim=1)  # (B,)\n        return x, log_det\n',
                    '            x = (z - mu) * torch.exp(-alpha)\n        return x, alpha.sum(dim=1)\n')],
            message='forward applies the density-direction formula z = (x - mu) * exp(-alpha); forward goes from z to x: x_i = mu_i + exp(alpha_i) * z_i.'),
    Mistake('negative log_det', part="1a", file=FN, function="MADE.forward",
            edits=[('        log_det = alpha.sum(dim=1)  # (B,)\n        return x, log_det\n',
                    '        return x, -alpha.sum(dim=1)\n')],
            message='The log-determinant has the wrong sign: x = mu + exp(alpha) * z gives log|det dx/dz| = +sum_i alpha_i.'),
    Mistake('log_det from the first pass', part="1a", file=FN, function="MADE.forward",
            edits=[('        x = torch.zeros_like(z)\n',
                    '        x = torch.zeros_like(z)\n        log_det = None\n'),
                   ('        log_det = alpha.sum(dim=1)  # (B,)\n',
                    '            if log_det is None:\n                log_det = alpha.sum(dim=1)\n')],
            message='log_det uses the alpha of the first pass, computed before any x_i was known: take alpha from the last pass, once every x_<i is final.'),
    Mistake('log_det not summed', part="1a", file=FN, function="MADE.forward",
            edits=[('        log_det = alpha.sum(dim=1)  # (B,)\n        return x, log_det\n',
                    '        return x, alpha\n')],
            message='log_det has shape (batch_size, D): sum alpha over the dimensions (dim=1) to return one log-determinant per sample, shape (batch_size,).'),
    Mistake('made forward logdet keepdim', part="1a", file=FN, function="MADE.forward",
            edits=[('        log_det = alpha.sum(dim=1)  # (B,)\n        return x, log_det\n',
                    '        return x, alpha.sum(dim=1, keepdim=True)\n')],
            message='log_det has shape (batch_size, 1), but the contract wants a 1-D tensor of shape (batch_size,): sum over dim=1 without keepdim.'),
    Mistake('made forward swapped mu alpha', part="1a", file=FN, function="MADE.forward",
            edits=[('            mu, alpha = self.net(x).chunk(2, dim=1)  # (B, D) each\n',
                    '            alpha, mu = self.net(x).chunk(2, dim=1)\n'),
                   ('        log_det = alpha.sum(dim=1)  # (B,)\n        return x, log_det\n',
                    '        return x, alpha.sum(dim=1)\n')],
            message='mu and alpha are swapped: the first D columns of self.net(x) are the means mu and the last D the log standard deviations alpha.'),
    # ---- 1b
    Mistake('made inverse positive logdet', part="1b", file=FN, function="MADE.inverse",
            edits=[('        log_det = -alpha.sum(dim=1)  # (B,)\n        return z, log_det\n',
                    '        return z, alpha.sum(dim=1)\n')],
            message='The log-determinant has the wrong sign: z = (x - mu) * exp(-alpha) gives log|det dz/dx| = -sum(alpha).'),
    Mistake('made inverse exp alpha', part="1b", file=FN, function="MADE.inverse",
            edits=[('        z = (x - mu) * torch.exp(-alpha)\n        log_det = -alpha.sum(dim=1)  # (B,)\n        return z, log_det\n',
                    '        z = (x - mu) * torch.exp(alpha)\n        return z, -alpha.sum(dim=1)\n')],
            message='The scale has the wrong sign: inverting x = mu + exp(alpha) * z gives z = (x - mu) * exp(-alpha).'),
    Mistake('made inverse logdet not summed', part="1b", file=FN, function="MADE.inverse",
            edits=[('        log_det = -alpha.sum(dim=1)  # (B,)\n        return z, log_det\n',
                    '        return z, -alpha\n')],
            message='log_det has shape (batch_size, D): sum -alpha over the dimensions (dim=1) to return one log-determinant per sample, shape (batch_size,).'),
    Mistake('made inverse logdet summed over batch', part="1b", file=FN, function="MADE.inverse",
            edits=[('        log_det = -alpha.sum(dim=1)  # (B,)\n        return z, log_det\n',
                    '        return z, -alpha.sum()\n')],
            message='log_det was summed over the whole batch into one number: sum -alpha over dim=1 only, to get one log-determinant per sample, shape (batch_size,).'),
    Mistake('made inverse mu after scaling', part="1b", file=FN, function="MADE.inverse",
            edits=[('        z = (x - mu) * torch.exp(-alpha)\n        log_det = -alpha.sum(dim=1)  # (B,)\n        return z, log_det\n',
                    '        z = x * torch.exp(-alpha) - mu\n        return z, -alpha.sum(dim=1)\n')],
            message='The mean is subtracted after scaling: subtract mu first, z = (x - mu) * exp(-alpha).'),
    Mistake('made inverse swapped mu alpha', part="1b", file=FN, function="MADE.inverse",
            edits=[('        mu, alpha = self.net(x).chunk(2, dim=1)  # (B, D) each\n',
                    '        alpha, mu = self.net(x).chunk(2, dim=1)\n'),
                   ('        log_det = -alpha.sum(dim=1)  # (B,)\n        return z, log_det\n',
                    '        return z, -alpha.sum(dim=1)\n')],
            message='mu and alpha are swapped: the first D columns of self.net(x) are the means mu and the last D the log standard deviations alpha.'),
    Mistake('positive log_det', part="1b", file=FN, function="MADE.inverse",
            edits=[('        z = (x - mu) * torch.exp(-alpha)\n        log_det = -alpha.sum(dim=1)  # (B,)\n        return z, log_det\n',
                    '        return (x - mu) * torch.exp(-alpha), alpha.sum(dim=1)\n')],
            message='The log-determinant has the wrong sign: z = (x - mu) * exp(-alpha) scales each dimension by exp(-alpha_i), so log|det dz/dx| is minus the sum of the alphas.',
            says='wrong sign',
            example=True),
    Mistake('exp(alpha) in inverse', part="1b", file=FN, function="MADE.inverse",
            edits=[('        z = (x - mu) * torch.exp(-alpha)\n        log_det = -alpha.sum(dim=1)  # (B,)\n        return z, log_det\n',
                    '        return (x - mu) * torch.exp(alpha), -alpha.sum(dim=1)\n')],
            message='The scale has the wrong sign: undoing x = mu + exp(alpha) * z divides (x - mu) by exp(alpha), that is multiplies it by exp(-alpha).',
            says='exp(-alpha)'),
    Mistake('keepdim log_det', part="1b", file=FN, function="MADE.inverse",
            edits=[('        z = (x - mu) * torch.exp(-alpha)\n        log_det = -alpha.sum(dim=1)  # (B,)\n        return z, log_det\n',
                    '        return (x - mu) * torch.exp(-alpha), -alpha.sum(dim=1, keepdim=True)\n')],
            message='log_det keeps the summed dimension (keepdim=True) and has shape (batch_size, 1): the contract wants a 1-D tensor, one value per sample, shape (batch_size,).',
            says='shape (1, 1)'),
    Mistake('returns only z', part="1b", file=FN, function="MADE.inverse",
            edits=[('        z = (x - mu) * torch.exp(-alpha)\n        log_det = -alpha.sum(dim=1)  # (B,)\n        return z, log_det\n',
                    '        return (x - mu) * torch.exp(-alpha)\n')],
            message='inverse returns z alone: the contract wants the pair (z, log_det), with log_det = log|det dz/dx| of shape (batch_size,).',
            says='must return a tuple'),
    Mistake('log_det summed over the batch', part="1b", file=FN, function="MADE.inverse",
            edits=[('        z = (x - mu) * torch.exp(-alpha)\n        log_det = -alpha.sum(dim=1)  # (B,)\n        return z, log_det\n',
                    '        return (x - mu) * torch.exp(-alpha), -alpha.sum()\n')],
            message='log_det is summed over the batch as well, into one number: sum over the features only, one log-determinant per sample, shape (batch_size,).',
            says='shape ()'),
    # ---- 1c
    Mistake('maf log probs sum over batch', part="1c", file=FN, function="MAF.log_probs",
            edits=[('        return log_prob.mean()\n',
                    '        return log_prob.sum()\n')],
            message='log_probs sums over the batch; the contract wants the mean of log p(x) over the batch.'),
    Mistake('log_probs does MADE.inverse itself', part="1c", file=FN, function="MAF.log_probs",
            source="""
                def log_probs(self, x):
                    log_det_sum = torch.zeros(x.shape[0])
                    for layer in self.nf:
                        if isinstance(layer, MADE):
                            mu, alpha = layer.net(x).chunk(2, dim=1)
                            x = (x - mu) * torch.exp(-alpha)
                            log_det_sum = log_det_sum - alpha.sum(dim=1)
                        else:
                            x, _ = layer.inverse(x)
                    return (self.base_dist.log_prob(x).sum(dim=1) + log_det_sum).mean()
            """,
            message="log_probs computes MADE's inverse itself, from layer.net: call each layer's own inverse(x) -> (z, log_det), as the contract asks. (The tests run log_probs on MADE layers with an inverse of their own, so that a mistake in MADE.inverse costs 1b only, not 1c too.)"),
    Mistake('maf log probs no mean', part="1c", file=FN, function="MAF.log_probs",
            edits=[('        return log_prob.mean()\n',
                    '        return log_prob\n')],
            message='log_probs returns one value per sample; the contract wants a 0-dim tensor, the mean of log p(x) over the batch.'),
    Mistake('maf log probs no base density', part="1c", file=FN, function="MAF.log_probs",
            edits=[('        log_prob = log_prob + self.base_dist.log_prob(x).sum(dim=1)\n',
                    '')],
            message='The base log-density is missing: add self.base_dist.log_prob(z) of the final z, summed over dimensions, to the log-determinants.'),
    Mistake('maf log probs no log dets', part="1c", file=FN, function="MAF.log_probs",
            edits=[('        log_prob = torch.zeros(x.size(0), device=x.device)  # (B,)\n',
                    ''),
                   ('            log_prob = log_prob + log_det.view(-1)\n        log_prob = log_prob + self.base_dist.log_prob(x).sum(dim=1)\n        return log_prob.mean()\n',
                    '        return self.base_dist.log_prob(x).sum(dim=1).mean()\n')],
            message="The log-determinants are missing: by the change of variables formula, add every layer's log_det from inverse to the base log-density."),
    Mistake('maf log probs subtract log dets', part="1c", file=FN, function="MAF.log_probs",
            edits=[('            log_prob = log_prob + log_det.view(-1)\n',
                    '            log_prob = log_prob - log_det.view(-1)\n')],
            message='The log-determinants are subtracted, but inverse already returns log|det dz/dx|, which is added: log p(x) = log p(z) + sum of the log_dets.'),
    Mistake('maf log probs forward', part="1c", file=FN, function="MAF.log_probs",
            edits=[('            x, log_det = flow.inverse(x)\n',
                    '            x, log_det = flow.forward(x)\n')],
            message="You ran the layers' forward (the sampling direction z -> x); evaluating a density needs the inverse direction x -> z: call flow.inverse(x)."),
    Mistake('maf log probs reversed order', part="1c", file=FN, function="MAF.log_probs",
            edits=[('        for flow in self.nf:\n',
                    '        for flow in self.nf[::-1]:\n')],
            message='The layers are visited in reverse; going from x to z means calling inverse through self.nf in its own order (sampling is what runs self.nf[::-1]).'),
    Mistake('maf log probs base density of input', part="1c", file=FN, function="MAF.log_probs",
            edits=[('        log_prob = torch.zeros(x.size(0), device=x.device)  # (B,)\n',
                    '        log_prob = self.base_dist.log_prob(x).sum(dim=1)\n'),
                   ('        log_prob = log_prob + self.base_dist.log_prob(x).sum(dim=1)\n',
                    '')],
            message="The base density is evaluated at the input x; it must be evaluated at the final z that comes out of the last layer's inverse."),
    Mistake('maf log probs no log 2pi', part="1c", file=FN, function="MAF.log_probs",
            edits=[('        log_prob = log_prob + self.base_dist.log_prob(x).sum(dim=1)\n',
                    '        log_prob = log_prob - 0.5 * (x ** 2).sum(dim=1)\n')],
            message='The base log-density misses the normalizing constant: a standard Normal has log N(z; 0, 1) = -0.5 * z^2 - 0.5 * log(2 pi) per dimension (use self.base_dist.log_prob).'),
    Mistake('maf log probs negated', part="1c", file=FN, function="MAF.log_probs",
            edits=[('        return log_prob.mean()\n',
                    '        return -log_prob.mean()\n')],
            message='log_probs returns the negative log-likelihood; return the log-likelihood itself, since loss already negates it.'),
    Mistake('maf log probs python float', part="1c", file=FN, function="MAF.log_probs",
            edits=[('        return log_prob.mean()\n',
                    '        return log_prob.mean().item()\n')],
            message='log_probs returns a Python number (.item()), which drops the autograd graph; return the 0-dim tensor so that loss(x).backward() can train the flow.'),
    Mistake('sum over the batch', part="1c", file=FN, function="MAF.log_probs",
            edits=[('        log_prob = torch.zeros(x.size(0), device=x.device)  # (B,)\n',
                    '        log_det_sum = 0\n'),
                   ('            log_prob = log_prob + log_det.view(-1)\n        log_prob = log_prob + self.base_dist.log_prob(x).sum(dim=1)\n        return log_prob.mean()\n',
                    '            log_det_sum = log_det_sum + log_det.view(-1)\n        return (self.base_dist.log_prob(x).sum(dim=1) + log_det_sum).sum()\n')],
            message='log_probs sums over the batch: the contract wants the mean of log p(x) over the batch, a 0-dim tensor.',
            says='sums over the batch',
            example=True),
    Mistake('no log-dets', part="1c", file=FN, function="MAF.log_probs",
            source="""
                def log_probs(self, x):
                    for flow in self.nf:
                        x, _ = flow.inverse(x)
                    return self.base_dist.log_prob(x).sum(dim=1).mean()
            """,
            message="The log-determinants are missing: the log_det that each layer's inverse returns is thrown away, but the change of variables adds every one of them to the base log-density.",
            says='log-determinants are missing'),
    Mistake('per-sample log-probabilities', part="1c", file=FN, function="MAF.log_probs",
            edits=[('        log_prob = torch.zeros(x.size(0), device=x.device)  # (B,)\n',
                    '        total = torch.zeros(x.shape[0])\n'),
                   ('            log_prob = log_prob + log_det.view(-1)\n        log_prob = log_prob + self.base_dist.log_prob(x).sum(dim=1)\n        return log_prob.mean()\n',
                    '            total = total + log_det.squeeze()\n        return total + self.base_dist.log_prob(x).sum(dim=1)\n')],
            message='log_probs returns one log-probability per sample, shape (batch_size,): the contract wants a 0-dim tensor, their mean over the batch.',
            says='0-dim'),
    Mistake('log-dets subtracted', part="1c", file=FN, function="MAF.log_probs",
            edits=[('        log_prob = torch.zeros(x.size(0), device=x.device)  # (B,)\n',
                    '        log_p = torch.zeros(x.shape[0])\n'),
                   ('            log_prob = log_prob + log_det.view(-1)\n        log_prob = log_prob + self.base_dist.log_prob(x).sum(dim=1)\n        return log_prob.mean()\n',
                    '            log_p = log_p - log_det.view(-1)\n        return (log_p + self.base_dist.log_prob(x).sum(dim=1)).mean()\n')],
            message='The log-determinants are subtracted: inverse already returns log|det dz/dx|, and log p(x) = log p(z) plus the sum of those log_dets.',
            says='subtracted'),
    Mistake('python float', part="1c", file=FN, function="MAF.log_probs",
            edits=[('        log_prob = torch.zeros(x.size(0), device=x.device)  # (B,)\n',
                    '        total = torch.zeros(x.shape[0])\n'),
                   ('            log_prob = log_prob + log_det.view(-1)\n        log_prob = log_prob + self.base_dist.log_prob(x).sum(dim=1)\n        return log_prob.mean()\n',
                    '            total = total + log_det.view(-1)\n        return (total + self.base_dist.log_prob(x).sum(dim=1)).mean().item()\n')],
            message='log_probs returns a Python float (.item()), which cuts the autograd graph: return the 0-dim tensor itself, so that loss(x).backward() can train the flow.',
            says='float, expected a torch.tensor'),
    # ---- 2b
    Mistake('nonsat d sum', part="2b", file=GAN, function="loss_nonsaturating_d",
            edits=[('    d_loss = -F.logsigmoid(d(x_real)).mean() - F.logsigmoid(-d(g(z))).mean()\n    return d_loss\n',
                    '    return -F.logsigmoid(d(x_real)).sum() - F.logsigmoid(-d(g(z))).sum()\n')],
            message='The discriminator loss sums over the batch; the expectations are means over the batch.'),
    Mistake('nonsat d no minus', part="2b", file=GAN, function="loss_nonsaturating_d",
            edits=[('    d_loss = -F.logsigmoid(d(x_real)).mean() - F.logsigmoid(-d(g(z))).mean()\n    return d_loss\n',
                    '    return F.logsigmoid(d(x_real)).mean() + F.logsigmoid(-d(g(z))).mean()\n')],
            message='The discriminator loss has the wrong sign: it is the negative log-likelihood -E[log sigmoid(d(x_real))] - E[log(1 - sigmoid(d(g(z))))].'),
    Mistake('d loss with log(sigmoid(fake))', part="2b", file=GAN, function="loss_nonsaturating_d",
            edits=[('    d_loss = -F.logsigmoid(d(x_real)).mean() - F.logsigmoid(-d(g(z))).mean()\n    return d_loss\n',
                    '    return -F.logsigmoid(d(x_real)).mean() - F.logsigmoid(d(g(z))).mean()\n')],
            message='The fake term uses log sigmoid(d(g(z))); the discriminator should call fakes fake, log(1 - sigmoid(d(g(z)))) = log sigmoid(-d(g(z))).',
            example=True),
    Mistake('d loss with logsigmoid(1 - logit)', part="2b", file=GAN, function="loss_nonsaturating_d",
            edits=[('    d_loss = -F.logsigmoid(d(x_real)).mean() - F.logsigmoid(-d(g(z))).mean()\n',
                    '    d_loss = -F.logsigmoid(d(x_real)).mean() - F.logsigmoid(1 - d(g(z))).mean()\n')],
            message='The fake term takes logsigmoid(1 - d(g(z))): 1 - D is a probability, 1 - sigmoid(t), which is sigmoid(-t), so log(1 - D(g(z))) is F.logsigmoid(-d(g(z))), not a function of 1 - t.'),
    Mistake('nonsat d swapped labels', part="2b", file=GAN, function="loss_nonsaturating_d",
            edits=[('    d_loss = -F.logsigmoid(d(x_real)).mean() - F.logsigmoid(-d(g(z))).mean()\n    return d_loss\n',
                    '    return -F.logsigmoid(-d(x_real)).mean() - F.logsigmoid(d(g(z))).mean()\n')],
            message='The real and fake labels are swapped: the discriminator maximizes log sigmoid(d(x_real)) + log(1 - sigmoid(d(g(z)))).'),
    Mistake('nonsat d no fake term', part="2b", file=GAN, function="loss_nonsaturating_d",
            edits=[('    d_loss = -F.logsigmoid(d(x_real)).mean() - F.logsigmoid(-d(g(z))).mean()\n    return d_loss\n',
                    '    return -F.logsigmoid(d(x_real)).mean()\n')],
            message='The fake term is missing: add -E[log(1 - sigmoid(d(g(z))))] for the generated samples.'),
    Mistake('nonsat g saturating', part="2b", file=GAN, function="loss_nonsaturating_g",
            edits=[('    g_loss = -F.logsigmoid(d(g(z))).mean()\n    return g_loss\n',
                    '    return F.logsigmoid(-d(g(z))).mean()\n')],
            message='This is the saturating generator loss E[log(1 - sigmoid(d(g(z))))]; the non-saturating loss is -E[log sigmoid(d(g(z)))].'),
    Mistake('nonsat g no minus', part="2b", file=GAN, function="loss_nonsaturating_g",
            edits=[('    g_loss = -F.logsigmoid(d(g(z))).mean()\n    return g_loss\n',
                    '    return F.logsigmoid(d(g(z))).mean()\n')],
            message='The generator loss has the wrong sign: it is -E[log sigmoid(d(g(z)))], which the generator minimizes.'),
    Mistake('nonsat g fake label', part="2b", file=GAN, function="loss_nonsaturating_g",
            edits=[('    g_loss = -F.logsigmoid(d(g(z))).mean()\n    return g_loss\n',
                    '    return -F.logsigmoid(-d(g(z))).mean()\n')],
            message='The generator loss rewards fakes that look fake: it is -E[log sigmoid(d(g(z)))], not -E[log(1 - sigmoid(d(g(z))))].'),
    Mistake('nonsat g sum', part="2b", file=GAN, function="loss_nonsaturating_g",
            edits=[('    g_loss = -F.logsigmoid(d(g(z))).mean()\n    return g_loss\n',
                    '    return -F.logsigmoid(d(g(z))).sum()\n')],
            message='The generator loss sums over the batch; the expectation is a mean over the batch.'),
    Mistake('nonsat g detached', part="2b", file=GAN, function="loss_nonsaturating_g",
            edits=[('    g_loss = -F.logsigmoid(d(g(z))).mean()\n    return g_loss\n',
                    '    return -F.logsigmoid(d(g(z).detach())).mean()\n')],
            message='The fake samples are detached, so no gradient reaches the generator: score g(z) itself with d.'),
    Mistake('saturating g loss', part="2b", file=GAN, function="loss_nonsaturating_g",
            edits=[('    g_loss = -F.logsigmoid(d(g(z))).mean()\n    return g_loss\n',
                    '    return torch.log(1 - torch.sigmoid(d(g(z)))).mean()\n')],
            message='This is the saturating generator loss E[log(1 - sigmoid(d(g(z))))], whose gradient vanishes early in training: the non-saturating loss is -E[log sigmoid(d(g(z)))], computed stably from the logits.',
            says='saturating'),
    Mistake('d loss summed', part="2b", file=GAN, function="loss_nonsaturating_d",
            edits=[('    d_loss = -F.logsigmoid(d(x_real)).mean() - F.logsigmoid(-d(g(z))).mean()\n    return d_loss\n',
                    '    return -(F.logsigmoid(d(x_real)) + F.logsigmoid(-d(g(z)))).sum()\n')],
            message='The discriminator loss sums over the batch: both expectations are means over the batch.',
            says='sums over the batch'),
    Mistake('g loss under no_grad', part="2b", file=GAN, function="loss_nonsaturating_g",
            edits=[('    g_loss = -F.logsigmoid(d(g(z))).mean()\n    return g_loss\n',
                    '    with torch.no_grad():\n        x_fake = g(z)\n    return -F.logsigmoid(d(x_fake)).mean()\n')],
            message='The fakes are generated under torch.no_grad(), so no gradient reaches the generator: let g(z) stay in the autograd graph.',
            says='generator'),
    Mistake('z drawn twice', part="2b", file=GAN, function="loss_nonsaturating_d",
            edits=[('    d_loss = -F.logsigmoid(d(x_real)).mean() - F.logsigmoid(-d(g(z))).mean()\n    return d_loss\n',
                    '    z = torch.randn(batch_size, g.dim_z, device=device)\n    return -F.logsigmoid(d(x_real)).mean() - F.logsigmoid(-d(g(z))).mean()\n')],
            message="z is drawn a second time, so the fakes come from other noise than the grader's: use the z of the provided line, drawn once, for g(z).",
            says='wrong values'),
    # ---- 4b
    Mistake('cond d random fake labels', part="4b", file=GAN, function="conditional_loss_nonsaturating_d",
            edits=[('    x_fake = g(z, y_real)\n    d_loss = -F.logsigmoid(d(x_real, y_real)).mean() - F.logsigmoid(-d(x_fake, y_real)).mean()\n    return d_loss\n',
                    '    y_fake = y_real[torch.randperm(batch_size, device=device)]\n    x_fake = g(z, y_fake)\n    return -F.logsigmoid(d(x_real, y_real)).mean() - F.logsigmoid(-d(x_fake, y_fake)).mean()\n')],
            message='The fakes are generated with labels other than y_real; the contract generates them as g(z, y_real) and scores them with d(., y_real).'),
    Mistake('cond d fake scored with other labels', part="4b", file=GAN, function="conditional_loss_nonsaturating_d",
            edits=[('    z = torch.randn(batch_size, g.dim_z, device=device)\n',
                    '    z = torch.randn(batch_size, g.dim_z, device=device)\n    y_other = y_real[torch.randperm(batch_size, device=device)]\n'),
                   ('    d_loss = -F.logsigmoid(d(x_real, y_real)).mean() - F.logsigmoid(-d(x_fake, y_real)).mean()\n    return d_loss\n',
                    '    return -F.logsigmoid(d(x_real, y_real)).mean() - F.logsigmoid(-d(x_fake, y_other)).mean()\n')],
            message='The fakes are scored with labels other than the ones they were generated with: use d(g(z, y_real), y_real).'),
    Mistake('cond d sum', part="4b", file=GAN, function="conditional_loss_nonsaturating_d",
            edits=[('    d_loss = -F.logsigmoid(d(x_real, y_real)).mean() - F.logsigmoid(-d(x_fake, y_real)).mean()\n    return d_loss\n',
                    '    return -F.logsigmoid(d(x_real, y_real)).sum() - F.logsigmoid(-d(x_fake, y_real)).sum()\n')],
            message='The discriminator loss sums over the batch; the expectations are means over the batch.'),
    Mistake('cond d fake log sigmoid', part="4b", file=GAN, function="conditional_loss_nonsaturating_d",
            edits=[('    d_loss = -F.logsigmoid(d(x_real, y_real)).mean() - F.logsigmoid(-d(x_fake, y_real)).mean()\n    return d_loss\n',
                    '    return -F.logsigmoid(d(x_real, y_real)).mean() - F.logsigmoid(d(x_fake, y_real)).mean()\n')],
            message='The fake term uses log sigmoid(d(g(z, y), y)); the discriminator should call fakes fake, log(1 - sigmoid(d(g(z, y), y))) = log sigmoid(-d(g(z, y), y)).'),
    Mistake('cond d no minus', part="4b", file=GAN, function="conditional_loss_nonsaturating_d",
            edits=[('    d_loss = -F.logsigmoid(d(x_real, y_real)).mean() - F.logsigmoid(-d(x_fake, y_real)).mean()\n    return d_loss\n',
                    '    return F.logsigmoid(d(x_real, y_real)).mean() + F.logsigmoid(-d(x_fake, y_real)).mean()\n')],
            message='The discriminator loss has the wrong sign: it is -E[log sigmoid(d(x_real, y_real))] - E[log(1 - sigmoid(d(g(z, y_real), y_real)))].'),
    Mistake('cond g random labels', part="4b", file=GAN, function="conditional_loss_nonsaturating_g",
            edits=[('    g_loss = -F.logsigmoid(d(g(z, y_real), y_real)).mean()\n    return g_loss\n',
                    '    y_fake = y_real[torch.randperm(batch_size, device=device)]\n    return -F.logsigmoid(d(g(z, y_fake), y_fake)).mean()\n')],
            message='The fakes are generated with labels other than y_real; the contract uses the real labels: -E[log sigmoid(d(g(z, y_real), y_real))].'),
    Mistake('cond g scored with other labels', part="4b", file=GAN, function="conditional_loss_nonsaturating_g",
            edits=[('    g_loss = -F.logsigmoid(d(g(z, y_real), y_real)).mean()\n    return g_loss\n',
                    '    y_other = y_real[torch.randperm(batch_size, device=device)]\n    return -F.logsigmoid(d(g(z, y_real), y_other)).mean()\n')],
            message='The fakes are scored with labels other than the ones they were generated with: use d(g(z, y_real), y_real).'),
    Mistake('cond g saturating', part="4b", file=GAN, function="conditional_loss_nonsaturating_g",
            edits=[('    g_loss = -F.logsigmoid(d(g(z, y_real), y_real)).mean()\n    return g_loss\n',
                    '    return F.logsigmoid(-d(g(z, y_real), y_real)).mean()\n')],
            message='This is the saturating generator loss E[log(1 - sigmoid(d(g(z, y), y)))]; the non-saturating loss is -E[log sigmoid(d(g(z, y_real), y_real))].'),
    Mistake('conditional g loss sign', part="4b", file=GAN, function="conditional_loss_nonsaturating_g",
            edits=[('    g_loss = -F.logsigmoid(d(g(z, y_real), y_real)).mean()\n    return g_loss\n',
                    '    return F.logsigmoid(d(g(z, y_real), y_real)).mean()\n')],
            message='The generator loss has the wrong sign: it is -E[log sigmoid(d(g(z, y_real), y_real))], which the generator minimizes.'),
    Mistake('cond g sum', part="4b", file=GAN, function="conditional_loss_nonsaturating_g",
            edits=[('    g_loss = -F.logsigmoid(d(g(z, y_real), y_real)).mean()\n    return g_loss\n',
                    '    return -F.logsigmoid(d(g(z, y_real), y_real)).sum()\n')],
            message='The generator loss sums over the batch; the expectation is a mean over the batch.'),
    Mistake('random labels for the fakes', part="4b", file=GAN, function="conditional_loss_nonsaturating_d",
            edits=[('    x_fake = g(z, y_real)\n    d_loss = -F.logsigmoid(d(x_real, y_real)).mean() - F.logsigmoid(-d(x_fake, y_real)).mean()\n    return d_loss\n',
                    '    y_fake = torch.randint(0, g.num_classes, (batch_size,), device=device)\n    x_fake = g(z, y_fake)\n    return -F.logsigmoid(d(x_real, y_real)).mean() - F.logsigmoid(-d(x_fake, y_fake)).mean()\n')],
            message='The fakes are generated with random labels (torch.randint) instead of y_real: the contract generates them with the real labels and scores them with those same labels.',
            says='wrong values',
            example=True),
    Mistake('labels not passed to d', part="4b", file=GAN, function="conditional_loss_nonsaturating_g",
            edits=[('    g_loss = -F.logsigmoid(d(g(z, y_real), y_real)).mean()\n    return g_loss\n',
                    '    return -F.logsigmoid(d(g(z, y_real))).mean()\n')],
            message='d is called without labels: the conditional discriminator scores (sample, label) pairs, so pass each fake together with the label y_real it was generated for.',
            says='call d(x, y)'),
    Mistake('conditional d loss per sample', part="4b", file=GAN, function="conditional_loss_nonsaturating_d",
            edits=[('    x_fake = g(z, y_real)\n    d_loss = -F.logsigmoid(d(x_real, y_real)).mean() - F.logsigmoid(-d(x_fake, y_real)).mean()\n    return d_loss\n',
                    '    return -F.logsigmoid(d(x_real, y_real)) - F.logsigmoid(-d(g(z, y_real), y_real))\n')],
            message='The loss is left per sample, shape (batch_size,): both expectations are means over the batch, so the loss is a 0-dim tensor.',
            says='has shape'),
    # ---- 5e
    Mistake('wgan gp d alpha on real', part="5e", file=GAN, function="loss_wasserstein_gp_d",
            edits=[('    critic_loss = d(x_fake).mean() - d(x_real).mean()\n\n    r = alpha * x_fake + (1 - alpha) * x_real\n',
                    '    r = alpha * x_real + (1 - alpha) * x_fake\n'),
                   ('    grad_norm = grad.reshape(batch_size, -1).norm(dim=1)  # (B,)\n    penalty = ((grad_norm - 1) ** 2).mean()\n\n    d_loss = critic_loss + 10 * penalty\n    return d_loss\n',
                    '    penalty = ((grad.reshape(batch_size, -1).norm(dim=1) - 1) ** 2).mean()\n    return d(x_fake).mean() - d(x_real).mean() + 10 * penalty\n')],
            message='alpha multiplies the real sample; the contract interpolates r = alpha * x_fake + (1 - alpha) * x_real.'),
    Mistake('wgan gp d no create graph', part="5e", file=GAN, function="loss_wasserstein_gp_d",
            edits=[('    critic_loss = d(x_fake).mean() - d(x_real).mean()\n',
                    ''),
                   ('    grad = torch.autograd.grad(d(r).sum(), r, create_graph=True)[0]  # (B, 1, 28, 28)\n    grad_norm = grad.reshape(batch_size, -1).norm(dim=1)  # (B,)\n    penalty = ((grad_norm - 1) ** 2).mean()\n\n    d_loss = critic_loss + 10 * penalty\n    return d_loss\n',
                    '    grad = torch.autograd.grad(d(r).sum(), r)[0]\n    penalty = ((grad.reshape(batch_size, -1).norm(dim=1) - 1) ** 2).mean()\n    return d(x_fake).mean() - d(x_real).mean() + 10 * penalty\n')],
            message='The gradient penalty has the right value but no gradient: call torch.autograd.grad(..., create_graph=True) so the optimizer can differentiate the penalty.'),
    Mistake('wgan gp d norm last dim', part="5e", file=GAN, function="loss_wasserstein_gp_d",
            edits=[('    critic_loss = d(x_fake).mean() - d(x_real).mean()\n',
                    ''),
                   ('    grad_norm = grad.reshape(batch_size, -1).norm(dim=1)  # (B,)\n    penalty = ((grad_norm - 1) ** 2).mean()\n\n    d_loss = critic_loss + 10 * penalty\n    return d_loss\n',
                    '    penalty = ((grad.norm(dim=-1) - 1) ** 2).mean()\n    return d(x_fake).mean() - d(x_real).mean() + 10 * penalty\n')],
            message="The norm is taken over the last dimension only; take the 2-norm of each sample's whole gradient, e.g. grad.reshape(batch_size, -1).norm(dim=1)."),
    Mistake('wgan gp d norm whole batch', part="5e", file=GAN, function="loss_wasserstein_gp_d",
            edits=[('    critic_loss = d(x_fake).mean() - d(x_real).mean()\n',
                    ''),
                   ('    grad_norm = grad.reshape(batch_size, -1).norm(dim=1)  # (B,)\n    penalty = ((grad_norm - 1) ** 2).mean()\n\n    d_loss = critic_loss + 10 * penalty\n    return d_loss\n',
                    '    penalty = (grad.norm() - 1) ** 2\n    return d(x_fake).mean() - d(x_real).mean() + 10 * penalty\n')],
            message="The norm is taken over the whole batch's gradient at once; take one 2-norm per sample, e.g. grad.reshape(batch_size, -1).norm(dim=1), and average the penalty over the batch."),
    Mistake('wgan gp d weight 1', part="5e", file=GAN, function="loss_wasserstein_gp_d",
            edits=[('    critic_loss = d(x_fake).mean() - d(x_real).mean()\n',
                    ''),
                   ('    grad_norm = grad.reshape(batch_size, -1).norm(dim=1)  # (B,)\n    penalty = ((grad_norm - 1) ** 2).mean()\n\n    d_loss = critic_loss + 10 * penalty\n    return d_loss\n',
                    '    penalty = ((grad.reshape(batch_size, -1).norm(dim=1) - 1) ** 2).mean()\n    return d(x_fake).mean() - d(x_real).mean() + penalty\n')],
            message='The gradient penalty has weight 1; the contract weighs it by 10: E[d(x_fake)] - E[d(x_real)] + 10 * E[(norm - 1)^2].'),
    Mistake('wgan gp d swapped critic terms', part="5e", file=GAN, function="loss_wasserstein_gp_d",
            edits=[('    critic_loss = d(x_fake).mean() - d(x_real).mean()\n',
                    ''),
                   ('    grad_norm = grad.reshape(batch_size, -1).norm(dim=1)  # (B,)\n    penalty = ((grad_norm - 1) ** 2).mean()\n\n    d_loss = critic_loss + 10 * penalty\n    return d_loss\n',
                    '    penalty = ((grad.reshape(batch_size, -1).norm(dim=1) - 1) ** 2).mean()\n    return d(x_real).mean() - d(x_fake).mean() + 10 * penalty\n')],
            message='The critic terms have the wrong sign: the critic minimizes E[d(x_fake)] - E[d(x_real)] (plus the penalty), giving real data high values.'),
    Mistake('wgan gp d one alpha', part="5e", file=GAN, function="loss_wasserstein_gp_d",
            edits=[('    alpha = torch.rand(batch_size, 1, 1, 1, device=device)\n',
                    '    alpha = torch.rand(1, device=device)\n'),
                   ('    critic_loss = d(x_fake).mean() - d(x_real).mean()\n',
                    ''),
                   ('    grad_norm = grad.reshape(batch_size, -1).norm(dim=1)  # (B,)\n    penalty = ((grad_norm - 1) ** 2).mean()\n\n    d_loss = critic_loss + 10 * penalty\n    return d_loss\n',
                    '    penalty = ((grad.reshape(batch_size, -1).norm(dim=1) - 1) ** 2).mean()\n    return d(x_fake).mean() - d(x_real).mean() + 10 * penalty\n')],
            message='One alpha is shared by the whole batch; draw one alpha per sample as torch.rand(batch_size, 1, 1, 1, device=device).'),
    Mistake('wgan gp d squared norm', part="5e", file=GAN, function="loss_wasserstein_gp_d",
            edits=[('    critic_loss = d(x_fake).mean() - d(x_real).mean()\n',
                    ''),
                   ('    grad_norm = grad.reshape(batch_size, -1).norm(dim=1)  # (B,)\n    penalty = ((grad_norm - 1) ** 2).mean()\n\n    d_loss = critic_loss + 10 * penalty\n    return d_loss\n',
                    '    penalty = (grad.reshape(batch_size, -1).norm(dim=1) ** 2).mean()\n    return d(x_fake).mean() - d(x_real).mean() + 10 * penalty\n')],
            message='The penalty is the squared norm; the gradient penalty pushes the norm towards 1: E[(norm - 1)^2].'),
    Mistake('wgan g loss sign', part="5e", file=GAN, function="loss_wasserstein_gp_g",
            edits=[('    g_loss = -d(g(z)).mean()\n    return g_loss\n',
                    '    return d(g(z)).mean()\n')],
            message='The generator loss has the wrong sign: the generator minimizes -E[d(g(z))].'),
    Mistake('wgan g sum', part="5e", file=GAN, function="loss_wasserstein_gp_g",
            edits=[('    g_loss = -d(g(z)).mean()\n    return g_loss\n',
                    '    return -d(g(z)).sum()\n')],
            message='The generator loss sums over the batch; the expectation is a mean over the batch.'),
    Mistake('wgan g with real term', part="5e", file=GAN, function="loss_wasserstein_gp_g",
            edits=[('    g_loss = -d(g(z)).mean()\n    return g_loss\n',
                    '    return d(x_real).mean() - d(g(z)).mean()\n')],
            message="The generator loss includes the real-data term; the contract's generator loss is only -E[d(g(z))]."),
    Mistake('wgan g nonsaturating', part="5e", file=GAN, function="loss_wasserstein_gp_g",
            edits=[('    g_loss = -d(g(z)).mean()\n    return g_loss\n',
                    '    return -F.logsigmoid(d(g(z))).mean()\n')],
            message='This is the non-saturating GAN loss; the Wasserstein generator loss uses the critic values directly: -E[d(g(z))].'),
    Mistake('wgan g detached', part="5e", file=GAN, function="loss_wasserstein_gp_g",
            edits=[('    g_loss = -d(g(z)).mean()\n    return g_loss\n',
                    '    return -d(g(z).detach()).mean()\n')],
            message='The fake samples are detached, so no gradient reaches the generator: score g(z) itself with d.'),
    Mistake('alpha on the real sample', part="5e", file=GAN, function="loss_wasserstein_gp_d",
            edits=[('    critic_loss = d(x_fake).mean() - d(x_real).mean()\n\n    r = alpha * x_fake + (1 - alpha) * x_real\n    # row i of the gradient of d(r).sum() is the gradient of d(r_i): samples are independent\n    grad = torch.autograd.grad(d(r).sum(), r, create_graph=True)[0]  # (B, 1, 28, 28)\n    grad_norm = grad.reshape(batch_size, -1).norm(dim=1)  # (B,)\n    penalty = ((grad_norm - 1) ** 2).mean()\n\n    d_loss = critic_loss + 10 * penalty\n    return d_loss\n',
                    '    r = alpha * x_real + (1 - alpha) * x_fake\n    grad, = torch.autograd.grad(d(r).sum(), r, create_graph=True)\n    penalty = ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()\n    return d(x_fake).mean() - d(x_real).mean() + 10 * penalty\n')],
            message='alpha multiplies the real sample: the contract puts alpha on the fake sample, r = alpha * x_fake + (1 - alpha) * x_real.',
            says='alpha multiplies the real sample',
            example=True),
    Mistake('missing create_graph', part="5e", file=GAN, function="loss_wasserstein_gp_d",
            edits=[('    critic_loss = d(x_fake).mean() - d(x_real).mean()\n',
                    ''),
                   ('    grad = torch.autograd.grad(d(r).sum(), r, create_graph=True)[0]  # (B, 1, 28, 28)\n    grad_norm = grad.reshape(batch_size, -1).norm(dim=1)  # (B,)\n    penalty = ((grad_norm - 1) ** 2).mean()\n\n    d_loss = critic_loss + 10 * penalty\n    return d_loss\n',
                    '    grad, = torch.autograd.grad(d(r).sum(), r)\n    penalty = ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()\n    return d(x_fake).mean() - d(x_real).mean() + 10 * penalty\n')],
            message="The gradient penalty has the right value but no gradient: without create_graph=True, torch.autograd.grad leaves the gradient with respect to r out of the graph, so d's optimizer never sees the penalty.",
            says='create_graph=True'),
    Mistake('norm over the last dimension', part="5e", file=GAN, function="loss_wasserstein_gp_d",
            edits=[('    critic_loss = d(x_fake).mean() - d(x_real).mean()\n',
                    ''),
                   ('    grad = torch.autograd.grad(d(r).sum(), r, create_graph=True)[0]  # (B, 1, 28, 28)\n    grad_norm = grad.reshape(batch_size, -1).norm(dim=1)  # (B,)\n    penalty = ((grad_norm - 1) ** 2).mean()\n\n    d_loss = critic_loss + 10 * penalty\n    return d_loss\n',
                    '    grad, = torch.autograd.grad(d(r).sum(), r, create_graph=True)\n    penalty = ((grad.norm(dim=-1) - 1) ** 2).mean()\n    return d(x_fake).mean() - d(x_real).mean() + 10 * penalty\n')],
            message="The norm is taken over the last dimension only: the penalty uses the 2-norm of each sample's whole gradient, over all its non-batch dimensions.",
            says='last dimension'),
    Mistake('penalty weight 1', part="5e", file=GAN, function="loss_wasserstein_gp_d",
            edits=[('    critic_loss = d(x_fake).mean() - d(x_real).mean()\n',
                    ''),
                   ('    grad = torch.autograd.grad(d(r).sum(), r, create_graph=True)[0]  # (B, 1, 28, 28)\n    grad_norm = grad.reshape(batch_size, -1).norm(dim=1)  # (B,)\n    penalty = ((grad_norm - 1) ** 2).mean()\n\n    d_loss = critic_loss + 10 * penalty\n    return d_loss\n',
                    '    grad, = torch.autograd.grad(d(r).sum(), r, create_graph=True)\n    return d(x_fake).mean() - d(x_real).mean() + ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()\n')],
            message='The gradient penalty has weight 1: the contract weighs it by 10.',
            says='weight 1'),
    Mistake('norm over the channel dimension', part="5e", file=GAN, function="loss_wasserstein_gp_d",
            edits=[('    grad_norm = grad.reshape(batch_size, -1).norm(dim=1)  # (B,)\n',
                    '    grad_norm = grad.norm(2, dim=1)\n')],
            message="The norm is taken over dimension 1 only (the channel): each sample's gradient is an image (1, 28, 28), and the penalty uses the 2-norm of all of it, e.g. grad.flatten(1).norm(dim=1)."),
    Mistake('penalty summed over the batch', part="5e", file=GAN, function="loss_wasserstein_gp_d",
            edits=[('    penalty = ((grad_norm - 1) ** 2).mean()\n',
                    '    penalty = ((grad_norm - 1) ** 2).sum()\n')],
            message='The penalty is summed over the batch: E[(norm - 1)^2] is a mean over the samples, like the critic terms.'),
    Mistake('alpha per pixel', part="5e", file=GAN, function="loss_wasserstein_gp_d",
            edits=[('    alpha = torch.rand(batch_size, 1, 1, 1, device=device)\n',
                    '    alpha = torch.rand_like(x_real)\n')],
            message='alpha is drawn per pixel (the shape of x_real): the contract draws one alpha per sample, torch.rand(batch_size, 1, 1, 1, device=device), which broadcasts over the image.'),
    Mistake('interpolation past the real sample', part="5e", file=GAN, function="loss_wasserstein_gp_d",
            edits=[('    r = alpha * x_fake + (1 - alpha) * x_real\n',
                    '    r = x_real + alpha * (x_real - x_fake)\n')],
            message='r = x_real + alpha * (x_real - x_fake) extrapolates away from the fake sample: r lies between the two, r = alpha * x_fake + (1 - alpha) * x_real.'),
    Mistake('alpha drawn with numpy', part="5e", file=GAN, function="loss_wasserstein_gp_d",
            edits=[('    alpha = torch.rand(batch_size, 1, 1, 1, device=device)\n',
                    '    import numpy as np\n    alpha = torch.tensor(np.random.uniform(size=(batch_size, 1, 1, 1)), dtype=torch.float32, device=device)\n')],
            message="alpha comes from numpy's generator: the grading contract draws it with torch, torch.rand(batch_size, 1, 1, 1, device=device) right after z, so that a seeded run is reproducible (torch.manual_seed does not seed numpy)."),
]

ALTERNATIVES = [
    Alternative('forward writes x in place, column by column, and accumulates with +=', part="1a", file=FN, function="MADE.forward",
                edits=[('        for _ in range(self.input_size):\n',
                        '        log_det = torch.zeros(z.shape[0])\n        for i in range(self.input_size):\n'),
                       ('            x = mu + torch.exp(alpha) * z\n        log_det = alpha.sum(dim=1)  # (B,)\n',
                        '            x[:, i] = mu[:, i] + torch.exp(alpha[:, i]) * z[:, i]\n            log_det += alpha[:, i]\n')]),
    Alternative('forward with the log-det summed in numpy', part="1a", file=FN, function="MADE.forward",
                source="""
                    def forward(self, z):
                        import numpy as np
                        x = torch.zeros_like(z)
                        for i in range(self.input_size):
                            mu, alpha = self.net(x).chunk(2, dim=1)
                            x[:, i] = mu[:, i] + torch.exp(alpha[:, i]) * z[:, i]
                        return x, torch.from_numpy(np.sum(alpha.numpy(), axis=1))
                """),
    Alternative('inverse with a per-sample loop into a preallocated z', part="1b", file=FN, function="MADE.inverse",
                source="""
                    def inverse(self, x):
                        mu, alpha = self.net(x).chunk(2, dim=1)
                        z = torch.empty_like(x)
                        for b in range(x.shape[0]):
                            z[b] = (x[b] - mu[b]) * torch.exp(-alpha[b])
                        return z, -alpha.sum(1)
                """),
    Alternative("log_probs accumulating += into the first layer's log-det", part="1c", file=FN, function="MAF.log_probs",
                source="""
                    def log_probs(self, x):
                        total = None
                        for layer in self.nf:
                            x, log_det = layer.inverse(x)
                            log_det = log_det.view(-1)
                            if total is None:
                                total = log_det
                            else:
                                total += log_det
                        return (total + self.base_dist.log_prob(x).sum(dim=1)).mean()
                """),
    Alternative('log_probs dispatching with isinstance and numpy constants', part="1c", file=FN, function="MAF.log_probs",
                source="""
                    def log_probs(self, x):
                        import numpy as np
                        log_det_sum = torch.zeros(x.shape[0])
                        for layer in self.nf:
                            if isinstance(layer, MADE):
                                x, log_det = layer.inverse(x)
                                log_det_sum += log_det
                            elif isinstance(layer, PermuteLayer):
                                x, _ = layer.inverse(x)
                        log_base = -0.5 * (x ** 2).sum(dim=1) - 0.5 * self.input_size * np.log(2 * np.pi)
                        return torch.mean(log_base + log_det_sum)
                """),
    Alternative('log_probs dispatching on the exact type', part="1c", file=FN, function="MAF.log_probs",
                source="""
                    def log_probs(self, x):
                        log_det_sum = torch.zeros(x.shape[0])
                        for layer in self.nf:
                            if type(layer) == MADE:
                                x, log_det = layer.inverse(x)
                                log_det_sum = log_det_sum + log_det
                            else:
                                x, _ = layer.inverse(x)
                        return (self.base_dist.log_prob(x).sum(dim=1) + log_det_sum).mean()
                """),
    Alternative('log_probs with a per-sample loop and reshape', part="1c", file=FN, function="MAF.log_probs",
                edits=[('        log_prob = torch.zeros(x.size(0), device=x.device)  # (B,)\n',
                        '        log_dets = 0\n'),
                       ('            log_prob = log_prob + log_det.view(-1)\n        log_prob = log_prob + self.base_dist.log_prob(x).sum(dim=1)\n        return log_prob.mean()\n',
                        '            log_dets = log_dets + log_det.reshape(-1)\n        per_sample = [self.base_dist.log_prob(x[b]).sum() + log_dets[b] for b in range(x.shape[0])]\n        return torch.stack(per_sample).mean()\n')]),
    Alternative('log sigmoid written with torch.where', part="2b", file=GAN, function="loss_nonsaturating_d",
                edits=[('    d_loss = -F.logsigmoid(d(x_real)).mean() - F.logsigmoid(-d(g(z))).mean()\n    return d_loss\n',
                        '    def log_sigmoid(t):\n        return torch.where(t >= 0, -torch.log1p(torch.exp(-t)), t - torch.log1p(torch.exp(t)))\n    return -log_sigmoid(d(x_real)).mean() - log_sigmoid(-d(g(z))).mean()\n')]),
    Alternative('d loss with 1e-6 added inside the logs', part="2b", file=GAN, function="loss_nonsaturating_d",
                edits=[('    d_loss = -F.logsigmoid(d(x_real)).mean() - F.logsigmoid(-d(g(z))).mean()\n',
                        '    eps = 1e-6\n    d_real, d_fake = torch.sigmoid(d(x_real)), torch.sigmoid(d(g(z)))\n'
                        '    d_loss = -torch.mean(torch.log(d_real + eps)) - torch.mean(torch.log(1 - d_fake + eps))\n')]),
    Alternative('g loss with torch.distributions', part="2b", file=GAN, function="loss_nonsaturating_g",
                edits=[('    g_loss = -F.logsigmoid(d(g(z))).mean()\n    return g_loss\n',
                        '    logits = d(g(z))\n    return -torch.distributions.Bernoulli(logits=logits).log_prob(torch.ones_like(logits)).mean()\n')]),
    Alternative('forward fills one column per pass', part="1a", file=FN, function="MADE.forward",
                source="""
                    def forward(self, z):
                        x = torch.zeros_like(z)
                        for i in range(self.input_size):
                            mu, alpha = self.net(x).chunk(2, dim=1)
                            x = torch.cat([x[:, :i], mu[:, i:i + 1] + torch.exp(alpha[:, i:i + 1]) * z[:, i:i + 1],
                                           x[:, i + 1:]], dim=1)
                        mu, alpha = self.net(x).chunk(2, dim=1)
                        return x, alpha.sum(-1)
                """),
    Alternative('inverse by slicing the network output', part="1b", file=FN, function="MADE.inverse",
                source="""
                    def inverse(self, x):
                        out = self.net(x)
                        mu, alpha = out[:, :self.input_size], out[:, self.input_size:]
                        z = (x - mu) / torch.exp(alpha)
                        return z, torch.sum(-alpha, dim=-1)
                """),
    Alternative('log_probs with torch.distributions and a list', part="1c", file=FN, function="MAF.log_probs",
                source="""
                    def log_probs(self, x):
                        log_dets = []
                        for layer in self.nf:
                            x, log_det = layer.inverse(x)
                            log_dets.append(log_det.reshape(-1))
                        base = torch.distributions.Normal(torch.zeros_like(x), torch.ones_like(x))
                        log_p = base.log_prob(x).sum(-1) + torch.stack(log_dets).sum(0)
                        return torch.mean(log_p)
                """),
    Alternative('log_probs with the Gaussian density written out', part="1c", file=FN, function="MAF.log_probs",
                source="""
                    def log_probs(self, x):
                        import math
                        total = 0.0
                        for flow in self.nf:
                            x, log_det = flow.inverse(x)
                            total = total + log_det.squeeze(-1) if log_det.dim() == 2 else total + log_det
                        log_base = -0.5 * (x ** 2).sum(1) - 0.5 * x.shape[1] * math.log(2 * math.pi)
                        return (log_base + total).mean()
                """),
    Alternative('BCE with logits', part="2b", file=GAN, function="loss_nonsaturating_d",
                edits=[('    d_loss = -F.logsigmoid(d(x_real)).mean() - F.logsigmoid(-d(g(z))).mean()\n    return d_loss\n',
                        '    real, fake = d(x_real), d(g(z).detach())\n    return (F.binary_cross_entropy_with_logits(real, torch.ones_like(real))\n            + F.binary_cross_entropy_with_logits(fake, torch.zeros_like(fake)))\n')]),
    Alternative('log of sigmoid', part="2b", file=GAN, function="loss_nonsaturating_g",
                edits=[('    g_loss = -F.logsigmoid(d(g(z))).mean()\n    return g_loss\n',
                        '    return -torch.log(torch.sigmoid(d(g(z)))).mean()\n')]),
    Alternative('conditional with softplus', part="4b", file=GAN, function="conditional_loss_nonsaturating_d",
                edits=[('    d_loss = -F.logsigmoid(d(x_real, y_real)).mean() - F.logsigmoid(-d(x_fake, y_real)).mean()\n    return d_loss\n',
                        '    return F.softplus(-d(x_real, y_real)).mean() + F.softplus(d(x_fake, y_real)).mean()\n')]),
    Alternative('wgan-gp with a detached fake and a leaf r', part="5e", file=GAN, function="loss_wasserstein_gp_d",
                source="""
                    def loss_wasserstein_gp_d(g, d, x_real, *, device):
                        batch_size = x_real.shape[0]
                        z = torch.randn(batch_size, g.dim_z, device=device)
                        alpha = torch.rand(batch_size, device=device).view(-1, 1, 1, 1)
                        x_fake = g(z).detach()
                        r = (alpha * x_fake + (1 - alpha) * x_real).requires_grad_(True)
                        scores = d(r)
                        grad = torch.autograd.grad(scores, r, grad_outputs=torch.ones_like(scores),
                                                   create_graph=True, retain_graph=True)[0]
                        norm = torch.sqrt((grad ** 2).sum(dim=(1, 2, 3)))
                        return torch.mean(d(x_fake)) - torch.mean(d(x_real)) + 10 * torch.mean((norm - 1) ** 2)
                """),
    Alternative('wgan-gp alpha via torch.lerp', part="5e", file=GAN, function="loss_wasserstein_gp_d",
                edits=[('    critic_loss = d(x_fake).mean() - d(x_real).mean()\n\n    r = alpha * x_fake + (1 - alpha) * x_real\n    # row i of the gradient of d(r).sum() is the gradient of d(r_i): samples are independent\n    grad = torch.autograd.grad(d(r).sum(), r, create_graph=True)[0]  # (B, 1, 28, 28)\n    grad_norm = grad.reshape(batch_size, -1).norm(dim=1)  # (B,)\n    penalty = ((grad_norm - 1) ** 2).mean()\n\n    d_loss = critic_loss + 10 * penalty\n    return d_loss\n',
                        '    r = torch.lerp(x_real, x_fake, alpha)\n    grad, = torch.autograd.grad(d(r).sum(), r, create_graph=True)\n    gp = (grad.view(batch_size, -1).norm(2, dim=1) - 1).pow(2).mean()\n    return d(x_fake).mean() - d(x_real).mean() + 10.0 * gp\n')]),
]
