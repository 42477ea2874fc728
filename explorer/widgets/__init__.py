"""One module per panel: training, reconstructions, latent map, CVAE; shared helpers."""
