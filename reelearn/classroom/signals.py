"""Signals the classroom app sends for the apps above it (which it never imports)."""

from django.dispatch import Signal

# Sent inside the erasing transaction, after a class's link to some pupils (and maybe their
# accounts) went: `classroom_id`, `pupil_ids`. Anything that keeps a copy naming those pupils
# in that class — the packs app's class-pack PDFs — deletes or rebuilds it.
pupils_erased = Signal()
