"""The models of the homework: VAE, GMVAE, SSVAE and FSVAE (one module each)."""
