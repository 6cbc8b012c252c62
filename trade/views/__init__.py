"""The trade pages: transactions (`transactions`), the item master and classification
(`items`), the control list and customs catalogue (`reference_lists`) and the licence
register (`licences`). Views are thin: check access, validate a form, call one service,
redirect."""
