"""Writes for invoicing: the fiscal-year run (run.py), issuing, credit notes and payments
(documents.py)."""
