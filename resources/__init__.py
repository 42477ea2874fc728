"""Files shipped with the app: trained weights (with the commands that made them), icons, styles."""
