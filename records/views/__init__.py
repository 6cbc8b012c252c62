"""Element 8 pages, one module per subject: documents, retention (with the records overview),
legal holds, disposal, the event log, inspection bundles and the notification centre. Views check
access, call one service and redirect; rules live in records/services/."""
