"""Pieces shared by the panels: image grids and picture export, look and helpers, dialogs."""
