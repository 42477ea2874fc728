"""The Latent map tab's components: the plot, its overlays, the side controls."""
