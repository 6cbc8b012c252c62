"""Writes and business rules of the programme, one module per subject."""
