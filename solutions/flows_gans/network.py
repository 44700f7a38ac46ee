"""The GAN networks (provided): small convolutional nets for 28x28 grayscale images.

Images have shape (B, 1, 28, 28) with values in [-1, 1]. Discriminators return logits (or,
for the Wasserstein GAN, critic values) of shape (B,). Conditional networks also take a
(B,) long tensor y of class labels in {0, ..., num_classes - 1}.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Generator(nn.Module):
    """z (B, dim_z) -> images (B, 1, 28, 28) in [-1, 1]."""

    def __init__(self, dim_z=64):
        super().__init__()
        self.dim_z = dim_z
        self.net = nn.Sequential(
            nn.Linear(dim_z, 64 * 7 * 7),
            nn.LeakyReLU(0.2),
            nn.Unflatten(1, (64, 7, 7)),
            nn.ConvTranspose2d(64, 32, 4, stride=2, padding=1),  # (B, 32, 14, 14)
            nn.LeakyReLU(0.2),
            nn.ConvTranspose2d(32, 1, 4, stride=2, padding=1),  # (B, 1, 28, 28)
            nn.Tanh(),
        )

    def forward(self, z):
        return self.net(z)


class Discriminator(nn.Module):
    """images (B, 1, 28, 28) -> logits (B,)."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 32, 4, stride=2, padding=1),  # (B, 32, 14, 14)
            nn.LeakyReLU(0.2),
            nn.Conv2d(32, 64, 4, stride=2, padding=1),  # (B, 64, 7, 7)
            nn.LeakyReLU(0.2),
            nn.Flatten(),  # (B, 64 * 7 * 7)
        )
        self.fc = nn.Linear(64 * 7 * 7, 1)

    def forward(self, x):
        return self.fc(self.features(x)).squeeze(1)


class ConditionalGenerator(nn.Module):
    """(z (B, dim_z), y (B,)) -> images (B, 1, 28, 28): the one-hot label joins the noise."""

    def __init__(self, dim_z=64, num_classes=10):
        super().__init__()
        self.dim_z = dim_z
        self.num_classes = num_classes
        self.net = Generator(dim_z + num_classes).net

    def forward(self, z, y):
        y_onehot = F.one_hot(y, self.num_classes).to(z.dtype)  # (B, num_classes)
        return self.net(torch.cat([z, y_onehot], dim=1))


class ConditionalDiscriminator(nn.Module):
    """(x (B, 1, 28, 28), y (B,)) -> logits (B,).

    A projection discriminator (Miyato & Koyama, 2018): the logit is a linear function of the
    image features h plus <embed(y), h>, so the label decides which features count as real.
    """

    def __init__(self, num_classes=10):
        super().__init__()
        self.num_classes = num_classes
        self.features = Discriminator().features
        self.fc = nn.Linear(64 * 7 * 7, 1)
        self.embed = nn.Embedding(num_classes, 64 * 7 * 7)
        nn.init.normal_(self.embed.weight, std=0.02)  # start with small logits, like fc

    def forward(self, x, y):
        h = self.features(x)  # (B, 64 * 7 * 7)
        return self.fc(h).squeeze(1) + (self.embed(y) * h).sum(dim=1)
