"""Demo content of the programme, one module per element (see core/demo.py)."""
