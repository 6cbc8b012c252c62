"""Audit services, one module per subject: templates, audits (plan, sign-off, addenda),
checklist (generation), review (answers, findings, corrective actions), report."""
