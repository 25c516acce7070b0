"""Data: readers (records with provenance), labels (quote resolution and alignment), build."""
