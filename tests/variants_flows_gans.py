"""Realistic mistakes (mutants) and correct alternatives for ``flows_gans``."""

from variants import Variant

FN, GAN = "flow_network.py", "gan.py"

MUTANTS = [
    # ---- 1a MADE.forward
    Variant("one pass", "1a", FN, "MADE.forward", """
        def forward(self, z):
            mu, alpha = self.net(z).chunk(2, dim=1)
            x = mu + torch.exp(alpha) * z
            return x, alpha.sum(dim=1)
        """, expect="sequential", example=True),
    Variant("log_det not summed", "1a", FN, "MADE.forward", """
        def forward(self, z):
            x = torch.zeros_like(z)
            for _ in range(self.input_size):
                mu, alpha = self.net(x).chunk(2, dim=1)
                x = mu + torch.exp(alpha) * z
            return x, alpha
        """, expect="shape"),
    Variant("exp(-alpha) in forward", "1a", FN, "MADE.forward", """
        def forward(self, z):
            x = torch.zeros_like(z)
            for _ in range(self.input_size):
                mu, alpha = self.net(x).chunk(2, dim=1)
                x = mu + torch.exp(-alpha) * z
            return x, alpha.sum(dim=1)
        """, expect="wrong sign"),
    Variant("negative log_det", "1a", FN, "MADE.forward", """
        def forward(self, z):
            x = torch.zeros_like(z)
            for _ in range(self.input_size):
                mu, alpha = self.net(x).chunk(2, dim=1)
                x = mu + torch.exp(alpha) * z
            return x, -alpha.sum(dim=1)
        """, expect="log-determinant has the wrong sign"),
    Variant("log_det from the first pass", "1a", FN, "MADE.forward", """
        def forward(self, z):
            x = torch.zeros_like(z)
            log_det = None
            for _ in range(self.input_size):
                mu, alpha = self.net(x).chunk(2, dim=1)
                x = mu + torch.exp(alpha) * z
                if log_det is None:
                    log_det = alpha.sum(dim=1)
            return x, log_det
        """, expect="first pass"),
    # ---- 1b MADE.inverse
    Variant("positive log_det", "1b", FN, "MADE.inverse", """
        def inverse(self, x):
            mu, alpha = self.net(x).chunk(2, dim=1)
            return (x - mu) * torch.exp(-alpha), alpha.sum(dim=1)
        """, expect="wrong sign", example=True),
    Variant("exp(alpha) in inverse", "1b", FN, "MADE.inverse", """
        def inverse(self, x):
            mu, alpha = self.net(x).chunk(2, dim=1)
            return (x - mu) * torch.exp(alpha), -alpha.sum(dim=1)
        """, expect="exp(-alpha)"),
    Variant("keepdim log_det", "1b", FN, "MADE.inverse", """
        def inverse(self, x):
            mu, alpha = self.net(x).chunk(2, dim=1)
            return (x - mu) * torch.exp(-alpha), -alpha.sum(dim=1, keepdim=True)
        """, expect="shape (1, 1)"),
    Variant("returns only z", "1b", FN, "MADE.inverse", """
        def inverse(self, x):
            mu, alpha = self.net(x).chunk(2, dim=1)
            return (x - mu) * torch.exp(-alpha)
        """, expect="must return a tuple"),
    Variant("log_det summed over the batch", "1b", FN, "MADE.inverse", """
        def inverse(self, x):
            mu, alpha = self.net(x).chunk(2, dim=1)
            return (x - mu) * torch.exp(-alpha), -alpha.sum()
        """, expect="shape ()"),
    # ---- 1c MAF.log_probs
    Variant("sum over the batch", "1c", FN, "MAF.log_probs", """
        def log_probs(self, x):
            log_det_sum = 0
            for flow in self.nf:
                x, log_det = flow.inverse(x)
                log_det_sum = log_det_sum + log_det.view(-1)
            return (self.base_dist.log_prob(x).sum(dim=1) + log_det_sum).sum()
        """, expect="sums over the batch", example=True),
    Variant("no log-dets", "1c", FN, "MAF.log_probs", """
        def log_probs(self, x):
            for flow in self.nf:
                x, _ = flow.inverse(x)
            return self.base_dist.log_prob(x).sum(dim=1).mean()
        """, expect="log-determinants are missing"),
    Variant("per-sample log-probabilities", "1c", FN, "MAF.log_probs", """
        def log_probs(self, x):
            total = torch.zeros(x.shape[0])
            for flow in self.nf:
                x, log_det = flow.inverse(x)
                total = total + log_det.squeeze()
            return total + self.base_dist.log_prob(x).sum(dim=1)
        """, expect="0-dim"),
    Variant("log-dets subtracted", "1c", FN, "MAF.log_probs", """
        def log_probs(self, x):
            log_p = torch.zeros(x.shape[0])
            for flow in self.nf:
                x, log_det = flow.inverse(x)
                log_p = log_p - log_det.view(-1)
            return (log_p + self.base_dist.log_prob(x).sum(dim=1)).mean()
        """, expect="subtracted"),
    Variant("python float", "1c", FN, "MAF.log_probs", """
        def log_probs(self, x):
            total = torch.zeros(x.shape[0])
            for flow in self.nf:
                x, log_det = flow.inverse(x)
                total = total + log_det.view(-1)
            return (total + self.base_dist.log_prob(x).sum(dim=1)).mean().item()
        """, expect="float, expected a torch.tensor"),
    # ---- 2b non-saturating losses
    Variant("d loss with log(sigmoid(fake))", "2b", GAN, "loss_nonsaturating_d", """
        def loss_nonsaturating_d(g, d, x_real, *, device):
            batch_size = x_real.shape[0]
            z = torch.randn(batch_size, g.dim_z, device=device)
            return -F.logsigmoid(d(x_real)).mean() - F.logsigmoid(d(g(z))).mean()
        """, expect="fake term", example=True),
    Variant("saturating g loss", "2b", GAN, "loss_nonsaturating_g", """
        def loss_nonsaturating_g(g, d, x_real, *, device):
            batch_size = x_real.shape[0]
            z = torch.randn(batch_size, g.dim_z, device=device)
            return torch.log(1 - torch.sigmoid(d(g(z)))).mean()
        """, expect="saturating"),
    Variant("d loss summed", "2b", GAN, "loss_nonsaturating_d", """
        def loss_nonsaturating_d(g, d, x_real, *, device):
            batch_size = x_real.shape[0]
            z = torch.randn(batch_size, g.dim_z, device=device)
            return -(F.logsigmoid(d(x_real)) + F.logsigmoid(-d(g(z)))).sum()
        """, expect="sums over the batch"),
    Variant("g loss under no_grad", "2b", GAN, "loss_nonsaturating_g", """
        def loss_nonsaturating_g(g, d, x_real, *, device):
            batch_size = x_real.shape[0]
            z = torch.randn(batch_size, g.dim_z, device=device)
            with torch.no_grad():
                x_fake = g(z)
            return -F.logsigmoid(d(x_fake)).mean()
        """, expect="generator"),
    Variant("z drawn twice", "2b", GAN, "loss_nonsaturating_d", """
        def loss_nonsaturating_d(g, d, x_real, *, device):
            batch_size = x_real.shape[0]
            z = torch.randn(batch_size, g.dim_z, device=device)
            z = torch.randn(batch_size, g.dim_z, device=device)
            return -F.logsigmoid(d(x_real)).mean() - F.logsigmoid(-d(g(z))).mean()
        """, expect="wrong values"),
    # ---- 4b conditional losses
    Variant("random labels for the fakes", "4b", GAN, "conditional_loss_nonsaturating_d", """
        def conditional_loss_nonsaturating_d(g, d, x_real, y_real, *, device):
            batch_size = x_real.shape[0]
            z = torch.randn(batch_size, g.dim_z, device=device)
            y_fake = torch.randint(0, g.num_classes, (batch_size,), device=device)
            x_fake = g(z, y_fake)
            return -F.logsigmoid(d(x_real, y_real)).mean() - F.logsigmoid(-d(x_fake, y_fake)).mean()
        """, expect="wrong values", example=True),
    Variant("labels not passed to d", "4b", GAN, "conditional_loss_nonsaturating_g", """
        def conditional_loss_nonsaturating_g(g, d, x_real, y_real, *, device):
            batch_size = x_real.shape[0]
            z = torch.randn(batch_size, g.dim_z, device=device)
            return -F.logsigmoid(d(g(z, y_real))).mean()
        """, expect="call d(x, y)"),
    Variant("conditional g loss sign", "4b", GAN, "conditional_loss_nonsaturating_g", """
        def conditional_loss_nonsaturating_g(g, d, x_real, y_real, *, device):
            batch_size = x_real.shape[0]
            z = torch.randn(batch_size, g.dim_z, device=device)
            return F.logsigmoid(d(g(z, y_real), y_real)).mean()
        """, expect="wrong sign"),
    Variant("conditional d loss per sample", "4b", GAN, "conditional_loss_nonsaturating_d", """
        def conditional_loss_nonsaturating_d(g, d, x_real, y_real, *, device):
            batch_size = x_real.shape[0]
            z = torch.randn(batch_size, g.dim_z, device=device)
            return -F.logsigmoid(d(x_real, y_real)) - F.logsigmoid(-d(g(z, y_real), y_real))
        """, expect="has shape"),
    # ---- 5e WGAN-GP
    Variant("alpha on the real sample", "5e", GAN, "loss_wasserstein_gp_d", """
        def loss_wasserstein_gp_d(g, d, x_real, *, device):
            batch_size = x_real.shape[0]
            z = torch.randn(batch_size, g.dim_z, device=device)
            alpha = torch.rand(batch_size, 1, 1, 1, device=device)
            x_fake = g(z)
            r = alpha * x_real + (1 - alpha) * x_fake
            grad, = torch.autograd.grad(d(r).sum(), r, create_graph=True)
            penalty = ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()
            return d(x_fake).mean() - d(x_real).mean() + 10 * penalty
        """, expect="alpha multiplies the real sample", example=True),
    Variant("missing create_graph", "5e", GAN, "loss_wasserstein_gp_d", """
        def loss_wasserstein_gp_d(g, d, x_real, *, device):
            batch_size = x_real.shape[0]
            z = torch.randn(batch_size, g.dim_z, device=device)
            alpha = torch.rand(batch_size, 1, 1, 1, device=device)
            x_fake = g(z)
            r = alpha * x_fake + (1 - alpha) * x_real
            grad, = torch.autograd.grad(d(r).sum(), r)
            penalty = ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()
            return d(x_fake).mean() - d(x_real).mean() + 10 * penalty
        """, expect="create_graph=True"),
    Variant("norm over the last dimension", "5e", GAN, "loss_wasserstein_gp_d", """
        def loss_wasserstein_gp_d(g, d, x_real, *, device):
            batch_size = x_real.shape[0]
            z = torch.randn(batch_size, g.dim_z, device=device)
            alpha = torch.rand(batch_size, 1, 1, 1, device=device)
            x_fake = g(z)
            r = alpha * x_fake + (1 - alpha) * x_real
            grad, = torch.autograd.grad(d(r).sum(), r, create_graph=True)
            penalty = ((grad.norm(dim=-1) - 1) ** 2).mean()
            return d(x_fake).mean() - d(x_real).mean() + 10 * penalty
        """, expect="last dimension"),
    Variant("penalty weight 1", "5e", GAN, "loss_wasserstein_gp_d", """
        def loss_wasserstein_gp_d(g, d, x_real, *, device):
            batch_size = x_real.shape[0]
            z = torch.randn(batch_size, g.dim_z, device=device)
            alpha = torch.rand(batch_size, 1, 1, 1, device=device)
            x_fake = g(z)
            r = alpha * x_fake + (1 - alpha) * x_real
            grad, = torch.autograd.grad(d(r).sum(), r, create_graph=True)
            return d(x_fake).mean() - d(x_real).mean() + ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()
        """, expect="weight 1"),
    Variant("wgan g loss sign", "5e", GAN, "loss_wasserstein_gp_g", """
        def loss_wasserstein_gp_g(g, d, x_real, *, device):
            batch_size = x_real.shape[0]
            z = torch.randn(batch_size, g.dim_z, device=device)
            return d(g(z)).mean()
        """, expect="wrong sign"),
]

ALTERNATIVES = [
    # Patterns seen in real XCS236 submissions: each must keep full marks.
    Variant("forward writes x in place, column by column, and accumulates with +=", "1a", FN,
            "MADE.forward", """
        def forward(self, z):
            x = torch.zeros_like(z)
            log_det = torch.zeros(z.shape[0])
            for i in range(self.input_size):
                mu, alpha = self.net(x).chunk(2, dim=1)
                x[:, i] = mu[:, i] + torch.exp(alpha[:, i]) * z[:, i]
                log_det += alpha[:, i]
            return x, log_det
        """),
    Variant("forward with the log-det summed in numpy", "1a", FN, "MADE.forward", """
        def forward(self, z):
            import numpy as np
            x = torch.zeros_like(z)
            for i in range(self.input_size):
                mu, alpha = self.net(x).chunk(2, dim=1)
                x[:, i] = mu[:, i] + torch.exp(alpha[:, i]) * z[:, i]
            return x, torch.from_numpy(np.sum(alpha.numpy(), axis=1))
        """),
    Variant("inverse with a per-sample loop into a preallocated z", "1b", FN, "MADE.inverse", """
        def inverse(self, x):
            mu, alpha = self.net(x).chunk(2, dim=1)
            z = torch.empty_like(x)
            for b in range(x.shape[0]):
                z[b] = (x[b] - mu[b]) * torch.exp(-alpha[b])
            return z, -alpha.sum(1)
        """),
    Variant("log_probs accumulating += into the first layer's log-det", "1c", FN,
            "MAF.log_probs", """
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
    Variant("log_probs dispatching with isinstance and numpy constants", "1c", FN,
            "MAF.log_probs", """
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
    Variant("log_probs with a per-sample loop and reshape", "1c", FN, "MAF.log_probs", """
        def log_probs(self, x):
            log_dets = 0
            for flow in self.nf:
                x, log_det = flow.inverse(x)
                log_dets = log_dets + log_det.reshape(-1)
            per_sample = [self.base_dist.log_prob(x[b]).sum() + log_dets[b] for b in range(x.shape[0])]
            return torch.stack(per_sample).mean()
        """),
    Variant("log sigmoid written with torch.where", "2b", GAN, "loss_nonsaturating_d", """
        def loss_nonsaturating_d(g, d, x_real, *, device):
            batch_size = x_real.shape[0]
            z = torch.randn(batch_size, g.dim_z, device=device)

            def log_sigmoid(t):
                return torch.where(t >= 0, -torch.log1p(torch.exp(-t)), t - torch.log1p(torch.exp(t)))

            return -log_sigmoid(d(x_real)).mean() - log_sigmoid(-d(g(z))).mean()
        """),
    Variant("g loss with torch.distributions", "2b", GAN, "loss_nonsaturating_g", """
        def loss_nonsaturating_g(g, d, x_real, *, device):
            batch_size = x_real.shape[0]
            z = torch.randn(batch_size, g.dim_z, device=device)
            logits = d(g(z))
            return -torch.distributions.Bernoulli(logits=logits).log_prob(torch.ones_like(logits)).mean()
        """),
    Variant("forward fills one column per pass", "1a", FN, "MADE.forward", """
        def forward(self, z):
            x = torch.zeros_like(z)
            for i in range(self.input_size):
                mu, alpha = self.net(x).chunk(2, dim=1)
                x = torch.cat([x[:, :i], mu[:, i:i + 1] + torch.exp(alpha[:, i:i + 1]) * z[:, i:i + 1],
                               x[:, i + 1:]], dim=1)
            mu, alpha = self.net(x).chunk(2, dim=1)
            return x, alpha.sum(-1)
        """),
    Variant("inverse by slicing the network output", "1b", FN, "MADE.inverse", """
        def inverse(self, x):
            out = self.net(x)
            mu, alpha = out[:, :self.input_size], out[:, self.input_size:]
            z = (x - mu) / torch.exp(alpha)
            return z, torch.sum(-alpha, dim=-1)
        """),
    Variant("log_probs with torch.distributions and a list", "1c", FN, "MAF.log_probs", """
        def log_probs(self, x):
            log_dets = []
            for layer in self.nf:
                x, log_det = layer.inverse(x)
                log_dets.append(log_det.reshape(-1))
            base = torch.distributions.Normal(torch.zeros_like(x), torch.ones_like(x))
            log_p = base.log_prob(x).sum(-1) + torch.stack(log_dets).sum(0)
            return torch.mean(log_p)
        """),
    Variant("log_probs with the Gaussian density written out", "1c", FN, "MAF.log_probs", """
        def log_probs(self, x):
            import math
            total = 0.0
            for flow in self.nf:
                x, log_det = flow.inverse(x)
                total = total + log_det.squeeze(-1) if log_det.dim() == 2 else total + log_det
            log_base = -0.5 * (x ** 2).sum(1) - 0.5 * x.shape[1] * math.log(2 * math.pi)
            return (log_base + total).mean()
        """),
    Variant("BCE with logits", "2b", GAN, "loss_nonsaturating_d", """
        def loss_nonsaturating_d(g, d, x_real, *, device):
            batch_size = x_real.shape[0]
            z = torch.randn(batch_size, g.dim_z, device=device)
            real, fake = d(x_real), d(g(z).detach())
            return (F.binary_cross_entropy_with_logits(real, torch.ones_like(real))
                    + F.binary_cross_entropy_with_logits(fake, torch.zeros_like(fake)))
        """),
    Variant("log of sigmoid", "2b", GAN, "loss_nonsaturating_g", """
        def loss_nonsaturating_g(g, d, x_real, *, device):
            batch_size = x_real.shape[0]
            z = torch.randn(batch_size, g.dim_z, device=device)
            return -torch.log(torch.sigmoid(d(g(z)))).mean()
        """),
    Variant("conditional with softplus", "4b", GAN, "conditional_loss_nonsaturating_d", """
        def conditional_loss_nonsaturating_d(g, d, x_real, y_real, *, device):
            batch_size = x_real.shape[0]
            z = torch.randn(batch_size, g.dim_z, device=device)
            x_fake = g(z, y_real)
            return F.softplus(-d(x_real, y_real)).mean() + F.softplus(d(x_fake, y_real)).mean()
        """),
    Variant("wgan-gp with a detached fake and a leaf r", "5e", GAN, "loss_wasserstein_gp_d", """
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
    Variant("wgan-gp alpha via torch.lerp", "5e", GAN, "loss_wasserstein_gp_d", """
        def loss_wasserstein_gp_d(g, d, x_real, *, device):
            batch_size = x_real.shape[0]
            z = torch.randn(batch_size, g.dim_z, device=device)
            alpha = torch.rand(batch_size, 1, 1, 1, device=device)
            x_fake = g(z)
            r = torch.lerp(x_real, x_fake, alpha)
            grad, = torch.autograd.grad(d(r).sum(), r, create_graph=True)
            gp = (grad.view(batch_size, -1).norm(2, dim=1) - 1).pow(2).mean()
            return d(x_fake).mean() - d(x_real).mean() + 10.0 * gp
        """),
]
