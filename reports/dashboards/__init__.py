"""PCI dashboards: views over the datasets, reviews and training selectors."""
