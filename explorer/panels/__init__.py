"""One module per tab. Each model panel is given its :class:`~explorer.session.Slot` and
follows it (:class:`~explorer.panels.base.FollowsSlot`); the training panel follows the
controller's run."""
