"""The Draw tab's components: the panel, its answers, the strip ends, the mini map."""
