"""Audit services, one module per subject: templates, audits (plan, sign-off, addenda),
checklist (generation; its sample in checklist_sample, what the records show for a sampled
transaction in checklist_facts), review (answers, findings, corrective actions), report."""
