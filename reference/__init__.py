"""The ICP reference library as its own app: models, loader (services), selectors, data files."""
