"""Reviews' pages, one module per part: the register, actions, the impact log, overviews."""
