"""Scoped reads of the programme, one module per subject (the reference library's reads are in
`reference.selectors`)."""
