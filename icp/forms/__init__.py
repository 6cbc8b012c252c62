"""Forms of the programme, one module per subject."""
