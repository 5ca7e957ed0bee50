"""The core app keeps no tables of its own (the sign-in lock-out is django-axes')."""
