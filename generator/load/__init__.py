"""Load stage: data/ → the model (core/model.py), with every problem found on the way at its file:line:col."""
