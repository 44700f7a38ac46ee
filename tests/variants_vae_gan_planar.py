"""Realistic mistakes (mutants) and correct alternatives for ``vae_gan_planar``."""

from variants import Variant, edited, reference_source

VAE, GAN, PF = "vae.py", "gan.py", "planar_flow.py"
MAKE_LOSSES = reference_source("vae_gan_planar", GAN, "make_losses")
MC_KL = reference_source("vae_gan_planar", VAE, "kl_gaussian_gaussian_mc")
LOGDET = reference_source("vae_gan_planar", PF, "PlanarTransformation.get_logdet")
TRAIN_STEP = reference_source("vae_gan_planar", GAN, "make_train_step")

MUTANTS = [
    # ---- 1.1 log_likelihood_bernoulli
    Variant("binary cross-entropy instead of log-likelihood", "1.1", VAE, "log_likelihood_bernoulli", """
        def log_likelihood_bernoulli(mu, target):
            batch_size = mu.size(0)
            mu = mu.view(batch_size, -1)
            target = target.view(batch_size, -1)
            return torch.nn.functional.binary_cross_entropy(mu, target, reduction='none').sum(dim=1)
        """, expect="sign is flipped"),
    Variant("mean over the dimensions", "1.1", VAE, "log_likelihood_bernoulli", """
        def log_likelihood_bernoulli(mu, target):
            batch_size = mu.size(0)
            mu = mu.view(batch_size, -1)
            target = target.view(batch_size, -1)
            return torch.mean(target * torch.log(mu) + (1 - target) * torch.log(1 - mu), dim=1)
        """, expect="averaged over the dimensions"),
    Variant("only the ones of the target", "1.1", VAE, "log_likelihood_bernoulli", """
        def log_likelihood_bernoulli(mu, target):
            batch_size = mu.size(0)
            mu = mu.view(batch_size, -1)
            target = target.view(batch_size, -1)
            return torch.sum(target * torch.log(mu), dim=1)
        """, expect="(1 - t) log(1 - mu) term"),
    Variant("log of a product of probabilities", "1.1", VAE, "log_likelihood_bernoulli", """
        def log_likelihood_bernoulli(mu, target):
            batch_size = mu.size(0)
            mu = mu.view(batch_size, -1)
            target = target.view(batch_size, -1)
            return torch.log(torch.prod(mu ** target * (1 - mu) ** (1 - target), dim=1))
        """, expect="inf value"),
    Variant("sigmoid of probabilities", "1.1", VAE, "log_likelihood_bernoulli", """
        def log_likelihood_bernoulli(mu, target):
            batch_size = mu.size(0)
            mu = mu.view(batch_size, -1)
            target = target.view(batch_size, -1)
            p = torch.sigmoid(mu)
            return (target * torch.log(p) + (1 - target) * torch.log(1 - p)).sum(1)
        """, expect="treated as logits"),
    # ---- 1.2 log_likelihood_normal
    Variant("no log 2 pi", "1.2", VAE, "log_likelihood_normal", """
        def log_likelihood_normal(mu, logvar, z):
            batch_size = mu.size(0)
            mu = mu.view(batch_size, -1)
            logvar = logvar.view(batch_size, -1)
            z = z.view(batch_size, -1)
            return torch.sum(-0.5 * logvar - 0.5 * (z - mu) ** 2 / torch.exp(logvar), dim=1)
        """, expect="log(2 pi) constant is missing"),
    Variant("logvar used as the variance", "1.2", VAE, "log_likelihood_normal", """
        def log_likelihood_normal(mu, logvar, z):
            batch_size = mu.size(0)
            mu = mu.view(batch_size, -1)
            logvar = logvar.view(batch_size, -1)
            z = z.view(batch_size, -1)
            return -0.5 * (np.log(2 * np.pi) + logvar + (z - mu) ** 2 / logvar).sum(dim=1)
        """, expect="logvar is used as the variance"),
    Variant("exp(logvar) as the standard deviation", "1.2", VAE, "log_likelihood_normal", """
        def log_likelihood_normal(mu, logvar, z):
            batch_size = mu.size(0)
            mu = mu.view(batch_size, -1)
            logvar = logvar.view(batch_size, -1)
            z = z.view(batch_size, -1)
            return torch.distributions.Normal(mu, logvar.exp()).log_prob(z).sum(dim=1)
        """, expect="used as the standard deviation"),
    Variant("density first, log after", "1.2", VAE, "log_likelihood_normal", """
        def log_likelihood_normal(mu, logvar, z):
            batch_size = mu.size(0)
            mu = mu.view(batch_size, -1)
            logvar = logvar.view(batch_size, -1)
            z = z.view(batch_size, -1)
            var = torch.exp(logvar)
            density = torch.exp(-(z - mu) ** 2 / (2 * var)) / torch.sqrt(2 * math.pi * var)
            return torch.log(density).sum(dim=1)
        """, expect="inf value"),
    # ---- 1.3 log_mean_exp
    Variant("no max shift", "1.3", VAE, "log_mean_exp", """
        def log_mean_exp(y):
            batch_size = y.size(0)
            sample_size = y.size(1)
            return torch.log(torch.mean(torch.exp(y), dim=1))
        """, expect="overflows or underflows", example=True),
    Variant("logsumexp without 1/K", "1.3", VAE, "log_mean_exp", """
        def log_mean_exp(y):
            batch_size = y.size(0)
            sample_size = y.size(1)
            a = torch.max(y, dim=1, keepdim=True)[0]
            return torch.log(torch.exp(y - a).sum(dim=1)) + a.squeeze(1)
        """, expect="log-sum-exp, not log-mean-exp"),
    Variant("max not added back", "1.3", VAE, "log_mean_exp", """
        def log_mean_exp(y):
            batch_size = y.size(0)
            sample_size = y.size(1)
            a = y.max(1, keepdim=True).values
            return torch.log(torch.sum(torch.exp(y - a), 1) / sample_size)
        """, expect="never added back"),
    Variant("keeps the reduced dimension", "1.3", VAE, "log_mean_exp", """
        def log_mean_exp(y):
            batch_size = y.size(0)
            sample_size = y.size(1)
            a = y.max(dim=1, keepdim=True)[0]
            return torch.log(torch.exp(y - a).mean(dim=1, keepdim=True)) + a
        """, expect="shape"),
    # ---- 1.4 kl_gaussian_gaussian_analytic
    Variant("KL(p || q)", "1.4", VAE, "kl_gaussian_gaussian_analytic", """
        def kl_gaussian_gaussian_analytic(mu_q, logvar_q, mu_p, logvar_p):
            batch_size = mu_q.size(0)
            mu_q = mu_q.view(batch_size, -1)
            logvar_q = logvar_q.view(batch_size, -1)
            mu_p = mu_p.view(batch_size, -1)
            logvar_p = logvar_p.view(batch_size, -1)
            kl = logvar_q - logvar_p + (logvar_p.exp() + (mu_p - mu_q) ** 2) / logvar_q.exp() - 1
            return 0.5 * kl.sum(dim=1)
        """, expect="This computes KL(p || q)"),
    Variant("no -1", "1.4", VAE, "kl_gaussian_gaussian_analytic", """
        def kl_gaussian_gaussian_analytic(mu_q, logvar_q, mu_p, logvar_p):
            batch_size = mu_q.size(0)
            mu_q = mu_q.view(batch_size, -1)
            logvar_q = logvar_q.view(batch_size, -1)
            mu_p = mu_p.view(batch_size, -1)
            logvar_p = logvar_p.view(batch_size, -1)
            return 0.5 * torch.sum(logvar_p - logvar_q + (torch.exp(logvar_q) + (mu_q - mu_p) ** 2) / torch.exp(logvar_p), dim=1)
        """, expect="The -1 inside the sum is missing"),
    Variant("no 0.5", "1.4", VAE, "kl_gaussian_gaussian_analytic", """
        def kl_gaussian_gaussian_analytic(mu_q, logvar_q, mu_p, logvar_p):
            batch_size = mu_q.size(0)
            mu_q = mu_q.view(batch_size, -1)
            logvar_q = logvar_q.view(batch_size, -1)
            mu_p = mu_p.view(batch_size, -1)
            logvar_p = logvar_p.view(batch_size, -1)
            return torch.sum(logvar_p - logvar_q + (torch.exp(logvar_q) + (mu_q - mu_p) ** 2) / torch.exp(logvar_p) - 1, dim=1)
        """, expect="factor 0.5"),
    Variant("standard deviations used as variances", "1.4", VAE, "kl_gaussian_gaussian_analytic", """
        def kl_gaussian_gaussian_analytic(mu_q, logvar_q, mu_p, logvar_p):
            batch_size = mu_q.size(0)
            mu_q = mu_q.view(batch_size, -1)
            logvar_q = logvar_q.view(batch_size, -1)
            mu_p = mu_p.view(batch_size, -1)
            logvar_p = logvar_p.view(batch_size, -1)
            std_q, std_p = torch.exp(0.5 * logvar_q), torch.exp(0.5 * logvar_p)
            kl = logvar_p - logvar_q + (std_q + (mu_q - mu_p) ** 2) / std_p - 1
            return 0.5 * kl.sum(dim=1)
        """, expect="wrong values"),
    # ---- 1.5 kl_gaussian_gaussian_mc
    Variant("mc kl as the log of a ratio of densities", "1.5", VAE, "kl_gaussian_gaussian_mc", edited(
        MC_KL,
        ("    log_q = -0.5 * (math.log(2 * math.pi) + logvar_q + (z - mu_q) ** 2 / torch.exp(logvar_q))\n"
         "    log_p = -0.5 * (math.log(2 * math.pi) + logvar_p + (z - mu_p) ** 2 / torch.exp(logvar_p))\n",
         "    q = torch.exp(-0.5 * (z - mu_q) ** 2 / torch.exp(logvar_q)) / torch.sqrt(2 * math.pi * torch.exp(logvar_q))\n"
         "    p = torch.exp(-0.5 * (z - mu_p) ** 2 / torch.exp(logvar_p)) / torch.sqrt(2 * math.pi * torch.exp(logvar_p))\n"),
        ("(log_q - log_p)", "torch.log(q / p)")), expect="log-densities themselves"),
    Variant("samples from p", "1.5", VAE, "kl_gaussian_gaussian_mc", """
        def kl_gaussian_gaussian_mc(mu_q, logvar_q, mu_p, logvar_p, num_samples=1):
            batch_size = mu_q.size(0)
            input_size = np.prod(mu_q.size()[1:])
            mu_q = mu_q.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
            logvar_q = logvar_q.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
            mu_p = mu_p.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
            logvar_p = logvar_p.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
            z = mu_p + torch.exp(0.5 * logvar_p) * torch.randn_like(mu_p)
            log_q = -0.5 * (math.log(2 * math.pi) + logvar_q + (z - mu_q) ** 2 / torch.exp(logvar_q))
            log_p = -0.5 * (math.log(2 * math.pi) + logvar_p + (z - mu_p) ** 2 / torch.exp(logvar_p))
            return (log_q - log_p).sum(dim=2).mean(dim=1)
        """, expect="samples are drawn from p"),
    Variant(".sample() instead of rsample()", "1.5", VAE, "kl_gaussian_gaussian_mc", """
        def kl_gaussian_gaussian_mc(mu_q, logvar_q, mu_p, logvar_p, num_samples=1):
            batch_size = mu_q.size(0)
            input_size = np.prod(mu_q.size()[1:])
            mu_q = mu_q.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
            logvar_q = logvar_q.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
            mu_p = mu_p.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
            logvar_p = logvar_p.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
            q = torch.distributions.Normal(mu_q, torch.exp(0.5 * logvar_q))
            p = torch.distributions.Normal(mu_p, torch.exp(0.5 * logvar_p))
            z = q.sample()
            return (q.log_prob(z) - p.log_prob(z)).sum(dim=2).mean(dim=1)
        """, expect="not reparameterized"),
    Variant("one sample whatever num_samples", "1.5", VAE, "kl_gaussian_gaussian_mc", """
        def kl_gaussian_gaussian_mc(mu_q, logvar_q, mu_p, logvar_p, num_samples=1):
            batch_size = mu_q.size(0)
            input_size = np.prod(mu_q.size()[1:])
            mu_q = mu_q.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
            logvar_q = logvar_q.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
            mu_p = mu_p.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
            logvar_p = logvar_p.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
            mu_q, logvar_q, mu_p, logvar_p = mu_q[:, 0], logvar_q[:, 0], mu_p[:, 0], logvar_p[:, 0]
            z = mu_q + torch.exp(0.5 * logvar_q) * torch.randn_like(mu_q)
            log_q = -0.5 * (math.log(2 * math.pi) + logvar_q + (z - mu_q) ** 2 / torch.exp(logvar_q))
            log_p = -0.5 * (math.log(2 * math.pi) + logvar_p + (z - mu_p) ** 2 / torch.exp(logvar_p))
            return (log_q - log_p).sum(dim=1)
        """, expect="num_samples is not honoured"),
    Variant("sum over the samples", "1.5", VAE, "kl_gaussian_gaussian_mc", """
        def kl_gaussian_gaussian_mc(mu_q, logvar_q, mu_p, logvar_p, num_samples=1):
            batch_size = mu_q.size(0)
            input_size = np.prod(mu_q.size()[1:])
            mu_q = mu_q.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
            logvar_q = logvar_q.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
            mu_p = mu_p.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
            logvar_p = logvar_p.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
            z = mu_q + torch.exp(0.5 * logvar_q) * torch.randn_like(mu_q)
            log_q = -0.5 * (math.log(2 * math.pi) + logvar_q + (z - mu_q) ** 2 / torch.exp(logvar_q))
            log_p = -0.5 * (math.log(2 * math.pi) + logvar_p + (z - mu_p) ** 2 / torch.exp(logvar_p))
            return (log_q - log_p).sum(dim=(1, 2))
        """, expect="average over the num_samples samples"),
    Variant("fixed seed inside", "1.5", VAE, "kl_gaussian_gaussian_mc", """
        def kl_gaussian_gaussian_mc(mu_q, logvar_q, mu_p, logvar_p, num_samples=1):
            batch_size = mu_q.size(0)
            input_size = np.prod(mu_q.size()[1:])
            mu_q = mu_q.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
            logvar_q = logvar_q.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
            mu_p = mu_p.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
            logvar_p = logvar_p.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
            torch.manual_seed(0)
            z = mu_q + torch.exp(0.5 * logvar_q) * torch.randn_like(mu_q)
            log_q = -0.5 * (math.log(2 * math.pi) + logvar_q + (z - mu_q) ** 2 / torch.exp(logvar_q))
            log_p = -0.5 * (math.log(2 * math.pi) + logvar_p + (z - mu_p) ** 2 / torch.exp(logvar_p))
            return (log_q - log_p).sum(dim=2).mean(dim=1)
        """, expect="identical values"),
    Variant("exp(logvar) as the standard deviation of the samples", "1.5", VAE, "kl_gaussian_gaussian_mc", """
        def kl_gaussian_gaussian_mc(mu_q, logvar_q, mu_p, logvar_p, num_samples=1):
            batch_size = mu_q.size(0)
            input_size = np.prod(mu_q.size()[1:])
            mu_q = mu_q.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
            logvar_q = logvar_q.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
            mu_p = mu_p.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
            logvar_p = logvar_p.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
            z = mu_q + torch.exp(logvar_q) * torch.randn_like(mu_q)
            log_q = -0.5 * (math.log(2 * math.pi) + logvar_q + (z - mu_q) ** 2 / torch.exp(logvar_q))
            log_p = -0.5 * (math.log(2 * math.pi) + logvar_p + (z - mu_p) ** 2 / torch.exp(logvar_p))
            return (log_q - log_p).sum(dim=2).mean(dim=1)
        """, expect="exp(logvar_q) as the standard deviation"),
    Variant("estimate through numpy", "1.5", VAE, "kl_gaussian_gaussian_mc", """
        def kl_gaussian_gaussian_mc(mu_q, logvar_q, mu_p, logvar_p, num_samples=1):
            batch_size = mu_q.size(0)
            input_size = np.prod(mu_q.size()[1:])
            mu_q = mu_q.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
            logvar_q = logvar_q.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
            mu_p = mu_p.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
            logvar_p = logvar_p.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
            mq, lq, mp, lp = (t.detach().numpy() for t in (mu_q, logvar_q, mu_p, logvar_p))
            z = mq + np.exp(0.5 * lq) * torch.randn(mq.shape).numpy()
            log_ratio = -0.5 * (lq + (z - mq) ** 2 / np.exp(lq)) + 0.5 * (lp + (z - mp) ** 2 / np.exp(lp))
            return torch.from_numpy(log_ratio.sum(2).mean(1)).float()
        """, expect="detached from the autograd graph"),
    # ---- 2.1 jsd and w1
    Variant("jsd with log(sigmoid) and log(1 - sigmoid)", "2.1", GAN, "jsd", """
        def jsd(cp, cq):
            real = torch.log(torch.sigmoid(cp)).mean()
            fake = torch.log(1 - torch.sigmoid(cq)).mean()
            return 0.5 * real + 0.5 * fake + math.log(2.)
        """, expect="F.logsigmoid"),
    Variant("jsd with log sigmoid written by cases in torch.where", "2.1", GAN, "jsd", """
        def jsd(cp, cq):
            def log_sigmoid(x):
                return torch.where(x >= 0, -torch.log1p(torch.exp(-x)), x - torch.log1p(torch.exp(x)))
            return 0.5 * (log_sigmoid(cp).mean() + log_sigmoid(-cq).mean()) + math.log(2)
        """, expect="NaN value(s) where finite values are expected"),
    Variant("jsd without log 2", "2.1", GAN, "jsd", """
        def jsd(cp, cq):
            return 0.5 * (F.logsigmoid(cp).mean() + F.logsigmoid(-cq).mean())
        """, expect="+ log 2 constant is missing"),
    Variant("jsd with log sigmoid(cq)", "2.1", GAN, "jsd", """
        def jsd(cp, cq):
            return 0.5 * torch.log(torch.sigmoid(cp)).mean() + 0.5 * torch.log(torch.sigmoid(cq)).mean() + math.log(2)
        """, expect="fake term uses log sigmoid(cq)"),
    Variant("w1 the wrong way round", "2.1", GAN, "w1", """
        def w1(cp, cq):
            return torch.mean(cq) - torch.mean(cp)
        """, expect="sign is swapped"),
    Variant("w1 with sums", "2.1", GAN, "w1", """
        def w1(cp, cq):
            return torch.sum(cp) - torch.sum(cq)
        """, expect="critic values are summed"),
    Variant("jsd returns a Python float", "2.1", GAN, "jsd", """
        def jsd(cp, cq):
            return (0.5 * (F.logsigmoid(cp).mean() + F.logsigmoid(-cq).mean())).item() + math.log(2)
        """, expect="float, expected a torch.tensor"),
    # ---- 2.2 r1gp and ogp
    Variant("r1 norm over the last dimension", "2.2", GAN, "r1gp", """
        def r1gp(p, cp, q, cq, critic):
            x = p.detach().requires_grad_(True)
            grad = autograd.grad(critic(x).sum(), x, create_graph=True)[0]
            return (grad.norm(2, dim=-1) ** 2).mean()
        """, expect="last dimension only"),
    Variant("r1 without create_graph", "2.2", GAN, "r1gp", """
        def r1gp(p, cp, q, cq, critic):
            x = p.clone().requires_grad_(True)
            grad, = autograd.grad(critic(x).sum(), x)
            return grad.pow(2).reshape(len(x), -1).sum(1).mean()
        """, expect="create_graph=True"),
    Variant("ogp eps on the fake sample", "2.2", GAN, "ogp", """
        def ogp(p, cp, q, cq, critic):
            eps = torch.rand(p.size(0)).view(-1, *[1] * (p.dim() - 1))
            x_hat = (eps * q + (1 - eps) * p).detach().requires_grad_(True)
            grad = autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)[0]
            return ((grad.reshape(grad.size(0), -1).norm(2, dim=1) - 1) ** 2).mean()
        """, expect="eps multiplies the fake sample", example=True),
    Variant("ogp one eps for the batch", "2.2", GAN, "ogp", """
        def ogp(p, cp, q, cq, critic):
            eps = torch.rand(1)
            x_hat = (eps * p + (1 - eps) * q).detach().requires_grad_(True)
            grad = autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)[0]
            return ((grad.reshape(grad.size(0), -1).norm(2, dim=1) - 1) ** 2).mean()
        """, expect="single eps is shared"),
    Variant("ogp eps of shape (N, 1) breaks scalar samples", "2.2", GAN, "ogp", """
        def ogp(p, cp, q, cq, critic):
            eps = torch.rand(p.size(0), 1)
            x_hat = (eps * p + (1 - eps) * q).detach().requires_grad_(True)
            grad = autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)[0]
            return ((grad.reshape(grad.size(0), -1).norm(2, dim=1) - 1) ** 2).mean()
        """, expect="raised RuntimeError"),
    Variant("flatten(1) fails on scalar samples", "2.2", GAN, "ogp", """
        def ogp(p, cp, q, cq, critic):
            eps = torch.rand(p.size(0), *([1] * (p.dim() - 1)))
            x_hat = (eps * p + (1 - eps) * q).detach().requires_grad_(True)
            grad = autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)[0]
            return ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()
        """, expect="Dimension out of range"),
    Variant("r1 one-centred", "2.2", GAN, "r1gp", """
        def r1gp(p, cp, q, cq, critic):
            x = p.detach().requires_grad_(True)
            grad = autograd.grad(critic(x).sum(), x, create_graph=True)[0]
            return ((grad.reshape(grad.size(0), -1).norm(2, dim=1) - 1) ** 2).mean()
        """, expect="R1 is zero-centred"),
    # ---- 2.3 make_losses
    Variant("critic maximizes the penalty", "2.3", GAN, "make_losses", """
        def make_losses(loss_type, reg_type=None, reg_cf=1.):
            assert reg_cf > 0, 'reg_cf must be positive'
            if loss_type not in AVAILABLE_LOSSES:
                raise NotImplementedError(f'Unknown loss {loss_type!r}: choose one of {AVAILABLE_LOSSES}')
            if reg_type not in AVAILABLE_REGULARIZERS:
                raise NotImplementedError(f'Unknown regularizer {reg_type!r}: choose one of {AVAILABLE_REGULARIZERS}')
            head = jsd if loss_type == 'JSD' else w1

            def metric(p, q, critic):
                return head(critic(p), critic(q))

            def critic_loss(p, q, critic):
                cp, cq = critic(p), critic(q)
                loss = -head(cp, cq)
                if reg_type == 'GP':
                    loss = loss - reg_cf * ogp(p, cp, q, cq, critic)
                elif reg_type == 'R1':
                    loss = loss - reg_cf * r1gp(p, cp, q, cq, critic)
                return loss

            return metric, critic_loss
        """, expect="penalty is subtracted"),
    Variant("critic minimizes the divergence", "2.3", GAN, "make_losses", edited(
        MAKE_LOSSES, ("loss = -head(cp, cq)", "loss = head(cp, cq)")),
        expect="does not negate the head"),
    Variant("reg_cf forgotten", "2.3", GAN, "make_losses", edited(
        MAKE_LOSSES, ("loss + reg_cf * reg(", "loss + reg(")), expect="reg_cf is ignored"),
    Variant("metric with a detached generator sample", "2.3", GAN, "make_losses", edited(
        MAKE_LOSSES, ("return head(critic(p), critic(q))", "return head(critic(p), critic(q.detach()))"),
        ("cp, cq = critic(p), critic(q)", "cp, cq = critic(p), critic(q.detach())")),
        expect="reaches the fake samples q"),
    Variant("regularizers swapped", "2.3", GAN, "make_losses", edited(
        MAKE_LOSSES, ("{'GP': ogp, 'R1': r1gp,", "{'GP': r1gp, 'R1': ogp,")),
        expect="regularizers are swapped"),
    # ---- 2.4 apply_exponential_moving_average
    Variant("ema weights swapped", "2.4", GAN, "apply_exponential_moving_average", """
        def apply_exponential_moving_average(source, target, alpha=0.998):
            with torch.no_grad():
                for s, t in zip(source.parameters(), target.parameters()):
                    t.copy_(alpha * s + (1 - alpha) * t)
        """, expect="weights are swapped"),
    Variant("ema into a local name", "2.4", GAN, "apply_exponential_moving_average", """
        def apply_exponential_moving_average(source, target, alpha=0.998):
            for s, t in zip(source.parameters(), target.parameters()):
                t = alpha * t.detach() + (1 - alpha) * s.detach()
        """, expect="assigned to a local name"),
    Variant("ema without no_grad", "2.4", GAN, "apply_exponential_moving_average", """
        def apply_exponential_moving_average(source, target, alpha=0.998):
            for s, t in zip(source.parameters(), target.parameters()):
                t.mul_(alpha).add_((1 - alpha) * s)
        """, expect="in-place operation"),
    Variant("ema replaces the parameters", "2.4", GAN, "apply_exponential_moving_average", """
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
        """, expect="without autograd history"),
    # ---- 2.5 make_train_step
    Variant("generator step first", "2.5", GAN, "make_train_step", """
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
        """, expect="generator is updated before the critic"),
    Variant("generator step on the last critic batch", "2.5", GAN, "make_train_step", edited(
        TRAIN_STEP, ("\n\n        p = next(train_data_iter)\n", "\n\n")),
        expect="reuses the last critic batch"),
    Variant("no zero_grad", "2.5", GAN, "make_train_step", edited(
        TRAIN_STEP, ("critic_optim.zero_grad()", "pass"), ("generator_optim.zero_grad()", "pass")),
        expect="gradients are not zeroed"),
    Variant("ema from the test generator", "2.5", GAN, "make_train_step", edited(
        TRAIN_STEP, ("average(generator, test_generator,", "average(test_generator, generator,")),
        expect="moving average goes the wrong way"),
    Variant("critic also stepped after the generator", "2.5", GAN, "make_train_step", edited(
        TRAIN_STEP, ("generator_optim.step()\n", "generator_optim.step()\n        critic_optim.step()\n")),
        expect="number of critic_optim.step() calls"),
    Variant("returns the metric as a float", "2.5", GAN, "make_train_step", edited(
        TRAIN_STEP, ("return loss\n", "return loss.item()\n")),
        expect="`returned metric` is a float"),
    # ---- 3.1 PlanarTransformation.forward
    Variant("bias outside the tanh", "3.1", PF, "PlanarTransformation.forward", """
        def forward(self, x):
            if self.u @ self.w.t() < -1:
                self.adjust_u()
            return x + self.u * torch.tanh(x @ self.w.t()) + self.b
        """, expect="added outside the tanh"),
    Variant("u and w swapped", "3.1", PF, "PlanarTransformation.forward", """
        def forward(self, x):
            if self.u @ self.w.t() < -1:
                self.adjust_u()
            return x + self.w * torch.tanh(torch.mm(x, self.u.t()) + self.b)
        """, expect="u and w are swapped"),
    Variant("no bias", "3.1", PF, "PlanarTransformation.forward", """
        def forward(self, x):
            if self.u @ self.w.t() < -1:
                self.adjust_u()
            return x + self.u * torch.tanh(x @ self.w.T)
        """, expect="bias b is missing"),
    Variant("provided adjust_u check removed", "3.1", PF, "PlanarTransformation.forward", """
        def forward(self, x):
            return x + self.u * torch.tanh(x @ self.w.t() + self.b)
        """, expect="wrong values"),
    # ---- 3.4 PlanarTransformation.get_logdet
    Variant("logdet without eps", "3.4", PF, "PlanarTransformation.get_logdet", edited(
        LOGDET, ("torch.log(eps + torch.abs(", "torch.log(torch.abs(")),
        expect="the log needs its eps"),
    Variant("logdet with eps fixed at 1e-8", "3.4", PF, "PlanarTransformation.get_logdet", edited(
        LOGDET, ("torch.log(eps + torch.abs(", "torch.log(1e-8 + torch.abs(")),
        expect="eps the caller passes"),
    Variant("1 - tanh instead of 1 - tanh^2", "3.4", PF, "PlanarTransformation.get_logdet", """
        def get_logdet(self, x, eps=1e-8):
            if self.u @ self.w.t() < -1:
                self.adjust_u()
            psi = (1 - torch.tanh(x @ self.w.t() + self.b)) * self.w
            return torch.log(eps + torch.abs(1 + psi @ self.u.t()))
        """, expect="derivative of tanh is 1 - tanh^2"),
    Variant("no identity", "3.4", PF, "PlanarTransformation.get_logdet", """
        def get_logdet(self, x, eps=1e-8):
            if self.u @ self.w.t() < -1:
                self.adjust_u()
            h_prime = 1 - torch.tanh(x @ self.w.t() + self.b) ** 2
            return torch.log(eps + torch.abs(h_prime * (self.w @ self.u.t())))
        """, expect="1 of the identity is missing"),
    Variant("determinant, not its log", "3.4", PF, "PlanarTransformation.get_logdet", """
        def get_logdet(self, x, eps=1e-8):
            if self.u @ self.w.t() < -1:
                self.adjust_u()
            h_prime = 1 - torch.tanh(x @ self.w.t() + self.b) ** 2
            return eps + torch.abs(1 + h_prime * (self.w @ self.u.t()))
        """, expect="returns the absolute determinant"),
    Variant("elementwise w * u", "3.4", PF, "PlanarTransformation.get_logdet", """
        def get_logdet(self, x, eps=1e-8):
            if self.u @ self.w.t() < -1:
                self.adjust_u()
            h_prime = 1 - torch.tanh(x @ self.w.t() + self.b) ** 2
            return torch.log(eps + torch.abs(1 + h_prime * self.w * self.u))
        """, expect="shape"),
    # ---- 3.6 Flow.forward and loss1
    Variant("log-det after the layer", "3.6", PF, "Flow.forward", """
        def forward(self, x):
            logdet = 0
            for layer in self.layers:
                x = layer(x)
                logdet = logdet + layer.get_logdet(x)
            return x, logdet
        """, expect="evaluated at its output"),
    Variant("log-det overwritten", "3.6", PF, "Flow.forward", """
        def forward(self, x):
            logdet = torch.zeros(x.size(0), 1)
            for layer in self.layers:
                logdet = layer.get_logdet(x)
                x = layer(x)
            return x, logdet
        """, expect="overwritten by each layer"),
    Variant("log-det of shape (B,)", "3.6", PF, "Flow.forward", """
        def forward(self, x):
            logdet = torch.zeros(x.size(0))
            for layer in self.layers:
                logdet = logdet + layer.get_logdet(x)
                x = layer(x)
            return x, logdet
        """, expect="shape"),
    Variant("loss1 is the log-likelihood", "3.6", PF, "loss1", """
        def loss1(z0, logdet):
            log_normal = -0.5 * (math.log(2 * math.pi) + z0 ** 2).sum(dim=1, keepdim=True)
            return log_normal + logdet
        """, expect="sign is flipped"),
    Variant("loss1 without log 2 pi", "3.6", PF, "loss1", """
        def loss1(z0, logdet):
            return 0.5 * (z0 ** 2).sum(1, keepdim=True) - logdet
        """, expect="log(2 pi) constant"),
    # ---- 3.8 loss2
    Variant("loss2 adds the log-det", "3.8", PF, "loss2", """
        def loss2(target_density, z0, logdet):
            log_normal = -0.5 * (math.log(2 * math.pi) + z0 ** 2).sum(dim=1, keepdim=True)
            return log_normal + logdet + target_density.view(-1, 1)
        """, expect="log-determinant has the wrong sign"),
    Variant("energy not reshaped", "3.8", PF, "loss2", """
        def loss2(target_density, z0, logdet):
            log_normal = -0.5 * (math.log(2 * math.pi) + z0 ** 2).sum(dim=1, keepdim=True)
            return log_normal - logdet + target_density
        """, expect="reshape it to (B, 1)"),
    Variant("energy subtracted", "3.8", PF, "loss2", """
        def loss2(target_density, z0, logdet):
            log_normal = -0.5 * (math.log(2 * math.pi) + z0 ** 2).sum(dim=1, keepdim=True)
            return log_normal - logdet - target_density.unsqueeze(1)
        """, expect="energy is subtracted"),
    Variant("no base density", "3.8", PF, "loss2", """
        def loss2(target_density, z0, logdet):
            return target_density[:, None] - logdet
        """, expect="base log-density is missing"),
]

ALTERNATIVES = [
    # Patterns of real submissions: each must keep full marks.
    Variant("bernoulli picking log(mu) or log(1 - mu) with torch.where", "1.1", VAE,
            "log_likelihood_bernoulli", """
        def log_likelihood_bernoulli(mu, target):
            batch_size = mu.size(0)
            mu = mu.view(batch_size, -1)
            target = target.view(batch_size, -1)
            return torch.where(target == 1, torch.log(mu), torch.log(1 - mu)).sum(dim=1)
        """),
    Variant("log_mean_exp with a loop over the rows", "1.3", VAE, "log_mean_exp", """
        def log_mean_exp(y):
            rows = []
            for row in y:
                a = row.max()
                rows.append(a + torch.log(torch.mean(torch.exp(row - a))))
            return torch.stack(rows)
        """),
    Variant("ema with mul_ and add_", "2.4", GAN, "apply_exponential_moving_average", """
        def apply_exponential_moving_average(source, target, alpha=0.998):
            with torch.no_grad():
                for t, s in zip(target.parameters(), source.parameters()):
                    t.mul_(alpha).add_(s, alpha=1 - alpha)
            return target
        """),
    Variant("train step with the moving average written out", "2.5", GAN, "make_train_step", edited(
        TRAIN_STEP, ("            apply_exponential_moving_average(generator, test_generator, alpha_ema)\n",
                     "            with torch.no_grad():\n"
                     "                for s, t in zip(generator.parameters(), test_generator.parameters()):\n"
                     "                    t.data = alpha_ema * t.data + (1 - alpha_ema) * s.data\n"))),
    Variant("logdet with reshape and a matrix product for w u^T", "3.4", PF,
            "PlanarTransformation.get_logdet", """
        def get_logdet(self, x, eps=1e-8):
            if self.u @ self.w.t() < -1:
                self.adjust_u()
            a = (x @ self.w.T + self.b).reshape(-1, 1)
            psi = (1 - torch.tanh(a) ** 2) * self.w
            return torch.log(eps + (1 + psi @ self.u.T).abs())
        """),
    Variant("flow dispatching with isinstance and += on the log-det", "3.6", PF, "Flow.forward", """
        def forward(self, x):
            logdet = torch.zeros(x.shape[0], 1)
            for layer in self.layers:
                if isinstance(layer, PlanarTransformation):
                    logdet += layer.get_logdet(x)
                    x = layer(x)
            return x, logdet
        """),
    Variant("bernoulli with torch.distributions", "1.1", VAE, "log_likelihood_bernoulli", """
        def log_likelihood_bernoulli(mu, target):
            batch_size = mu.size(0)
            mu = mu.view(batch_size, -1)
            target = target.view(batch_size, -1)
            return torch.distributions.Bernoulli(probs=mu).log_prob(target).sum(-1)
        """),
    Variant("bernoulli as minus binary cross-entropy", "1.1", VAE, "log_likelihood_bernoulli", """
        def log_likelihood_bernoulli(mu, target):
            batch_size = mu.size(0)
            mu = mu.view(batch_size, -1)
            target = target.view(batch_size, -1)
            return -torch.nn.functional.binary_cross_entropy(mu, target, reduction='none').sum(dim=1)
        """),
    Variant("normal with torch.distributions", "1.2", VAE, "log_likelihood_normal", """
        def log_likelihood_normal(mu, logvar, z):
            batch_size = mu.size(0)
            mu = mu.view(batch_size, -1)
            logvar = logvar.view(batch_size, -1)
            z = z.view(batch_size, -1)
            return torch.distributions.Normal(mu, torch.exp(0.5 * logvar)).log_prob(z).sum(dim=1)
        """),
    Variant("normal with numpy constants and exp(-logvar)", "1.2", VAE, "log_likelihood_normal", """
        def log_likelihood_normal(mu, logvar, z):
            batch_size = mu.size(0)
            mu = mu.view(batch_size, -1)
            logvar = logvar.view(batch_size, -1)
            z = z.view(batch_size, -1)
            d = mu.shape[1]
            return -0.5 * d * np.log(2 * np.pi) - 0.5 * torch.sum(logvar + (z - mu).pow(2) * torch.exp(-logvar), 1)
        """),
    Variant("log_mean_exp with torch.logsumexp", "1.3", VAE, "log_mean_exp", """
        def log_mean_exp(y):
            batch_size = y.size(0)
            sample_size = y.size(1)
            return torch.logsumexp(y, dim=1) - math.log(sample_size)
        """),
    Variant("log_mean_exp with a detached maximum", "1.3", VAE, "log_mean_exp", """
        def log_mean_exp(y):
            batch_size = y.size(0)
            sample_size = y.size(1)
            a = torch.max(y, dim=1)[0].detach()
            return a + torch.log(torch.mean(torch.exp(y - a.unsqueeze(1)), dim=1))
        """),
    Variant("kl with torch.distributions", "1.4", VAE, "kl_gaussian_gaussian_analytic", """
        def kl_gaussian_gaussian_analytic(mu_q, logvar_q, mu_p, logvar_p):
            batch_size = mu_q.size(0)
            mu_q = mu_q.view(batch_size, -1)
            logvar_q = logvar_q.view(batch_size, -1)
            mu_p = mu_p.view(batch_size, -1)
            logvar_p = logvar_p.view(batch_size, -1)
            q = torch.distributions.Normal(mu_q, torch.exp(0.5 * logvar_q))
            p = torch.distributions.Normal(mu_p, torch.exp(0.5 * logvar_p))
            return torch.distributions.kl_divergence(q, p).sum(dim=1)
        """),
    Variant("kl with standard deviations", "1.4", VAE, "kl_gaussian_gaussian_analytic", """
        def kl_gaussian_gaussian_analytic(mu_q, logvar_q, mu_p, logvar_p):
            batch_size = mu_q.size(0)
            mu_q = mu_q.view(batch_size, -1)
            logvar_q = logvar_q.view(batch_size, -1)
            mu_p = mu_p.view(batch_size, -1)
            logvar_p = logvar_p.view(batch_size, -1)
            std_q, std_p = torch.exp(0.5 * logvar_q), torch.exp(0.5 * logvar_p)
            kl = torch.log(std_p / std_q) + (std_q ** 2 + (mu_q - mu_p) ** 2) / (2 * std_p ** 2) - 0.5
            return kl.sum(-1)
        """),
    Variant("mc kl with rsample and log_prob", "1.5", VAE, "kl_gaussian_gaussian_mc", """
        def kl_gaussian_gaussian_mc(mu_q, logvar_q, mu_p, logvar_p, num_samples=1):
            batch_size = mu_q.size(0)
            input_size = np.prod(mu_q.size()[1:])
            mu_q = mu_q.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
            logvar_q = logvar_q.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
            mu_p = mu_p.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
            logvar_p = logvar_p.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
            q = torch.distributions.Normal(mu_q, torch.exp(0.5 * logvar_q))
            p = torch.distributions.Normal(mu_p, torch.exp(0.5 * logvar_p))
            z = q.rsample()
            return torch.mean(torch.sum(q.log_prob(z) - p.log_prob(z), dim=-1), dim=-1)
        """),
    Variant("mc kl drawing eps sample-major", "1.5", VAE, "kl_gaussian_gaussian_mc", """
        def kl_gaussian_gaussian_mc(mu_q, logvar_q, mu_p, logvar_p, num_samples=1):
            batch_size = mu_q.size(0)
            input_size = np.prod(mu_q.size()[1:])
            mu_q = mu_q.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
            logvar_q = logvar_q.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
            mu_p = mu_p.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
            logvar_p = logvar_p.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
            eps = torch.randn(num_samples, input_size, batch_size).permute(2, 0, 1)
            z = mu_q + torch.exp(logvar_q / 2) * eps
            log_q = -0.5 * (logvar_q + eps ** 2)
            log_p = -0.5 * (logvar_p + (z - mu_p) ** 2 * torch.exp(-logvar_p))
            return (log_q - log_p).sum(2).mean(1)
        """),
    Variant("jsd with softplus", "2.1", GAN, "jsd", """
        def jsd(cp, cq):
            return math.log(2) - 0.5 * (F.softplus(-cp).mean() + F.softplus(cq).mean())
        """),
    Variant("ogp with torch.lerp and a (N, 1, ..., 1) eps", "2.2", GAN, "ogp", """
        def ogp(p, cp, q, cq, critic):
            eps = torch.rand(p.shape[0], *([1] * (p.dim() - 1)), device=p.device)
            x_hat = torch.lerp(q, p, eps).detach()
            x_hat.requires_grad = True
            out = critic(x_hat)
            grad, = autograd.grad(outputs=out, inputs=x_hat, grad_outputs=torch.ones_like(out),
                                  create_graph=True, retain_graph=True)
            return torch.mean((grad.reshape(len(grad), -1).norm(dim=1) - 1) ** 2)
        """),
    Variant("ogp with rand_like and a non-detached interpolate", "2.2", GAN, "ogp", """
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
    Variant("r1 with squared gradients summed", "2.2", GAN, "r1gp", """
        def r1gp(p, cp, q, cq, critic):
            x = p.clone().detach().requires_grad_()
            (grad,) = torch.autograd.grad(critic(x).sum(), [x], create_graph=True)
            return grad.pow(2).reshape(x.shape[0], -1).sum(dim=1).mean()
        """),
    Variant("make_losses with if/else and a detached fake in the critic loss", "2.3", GAN, "make_losses", """
        def make_losses(loss_type, reg_type=None, reg_cf=1.):
            assert reg_cf > 0, 'reg_cf must be positive'
            if loss_type not in AVAILABLE_LOSSES:
                raise NotImplementedError(f'Unknown loss {loss_type!r}: choose one of {AVAILABLE_LOSSES}')
            if reg_type not in AVAILABLE_REGULARIZERS:
                raise NotImplementedError(f'Unknown regularizer {reg_type!r}: choose one of {AVAILABLE_REGULARIZERS}')

            def head(cp, cq):
                return jsd(cp, cq) if loss_type == 'JSD' else w1(cp, cq)

            def metric(p, q, critic):
                return head(critic(p), critic(q))

            def critic_loss(p, q, critic):
                q = q.detach()
                cp, cq = critic(p), critic(q)
                penalty = 0.
                if reg_type == 'GP':
                    penalty = ogp(p, cp, q, cq, critic)
                elif reg_type == 'R1':
                    penalty = r1gp(p, cp, q, cq, critic)
                return reg_cf * penalty - head(cp, cq)

            return metric, critic_loss
        """),
    Variant("ema with lerp_", "2.4", GAN, "apply_exponential_moving_average", """
        def apply_exponential_moving_average(source, target, alpha=0.998):
            with torch.no_grad():
                for s, t in zip(source.parameters(), target.parameters()):
                    t.lerp_(s, 1 - alpha)
        """),
    Variant("ema through .data and state_dict names", "2.4", GAN, "apply_exponential_moving_average", """
        def apply_exponential_moving_average(source, target, alpha=0.998):
            source_params = dict(source.named_parameters())
            for name, t in target.named_parameters():
                t.data.mul_(alpha).add_(source_params[name].data, alpha=1 - alpha)
        """),
    Variant("train step with module zero_grad and a detached fake", "2.5", GAN, "make_train_step", """
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
    Variant("planar forward with F.linear", "3.1", PF, "PlanarTransformation.forward", """
        def forward(self, x):
            if self.u @ self.w.t() < -1:
                self.adjust_u()
            return x + torch.tanh(torch.nn.functional.linear(x, self.w, self.b)) * self.u
        """),
    Variant("logdet through psi and a matrix product", "3.4", PF, "PlanarTransformation.get_logdet", """
        def get_logdet(self, x, eps=1e-8):
            if self.u @ self.w.t() < -1:
                self.adjust_u()
            a = torch.mm(x, self.w.t()) + self.b
            psi = (1 - torch.tanh(a).pow(2)) * self.w
            return (1 + torch.mm(psi, self.u.t())).abs().add(eps).log()
        """),
    Variant("flow with a list of log-dets", "3.6", PF, "Flow.forward", """
        def forward(self, x):
            logdets = []
            for i in range(len(self.layers)):
                logdets.append(self.layers[i].get_logdet(x))
                x = self.layers[i](x)
            return x, torch.stack(logdets, dim=0).sum(dim=0)
        """),
    Variant("loss1 with torch.distributions", "3.6", PF, "loss1", """
        def loss1(z0, logdet):
            base = torch.distributions.Normal(torch.zeros_like(z0), torch.ones_like(z0))
            return -(base.log_prob(z0).sum(-1, keepdim=True) + logdet)
        """),
    Variant("loss2 with MultivariateNormal", "3.8", PF, "loss2", """
        def loss2(target_density, z0, logdet):
            dim = z0.shape[1]
            base = torch.distributions.MultivariateNormal(torch.zeros(dim), torch.eye(dim))
            return (base.log_prob(z0) + target_density).unsqueeze(-1) - logdet
        """),
]
