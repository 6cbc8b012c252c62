"""Transaction review pages by subject: the queue, the transaction page and its printable
record, how its actions run, editing, the review's course, the import and the licensing
decision path of a line."""
