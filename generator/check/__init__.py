"""Check stage: every rule of every form and every figure quoted in prose, checked exactly.

check_document (document.py) runs them all; the results (core/results.py) are data that rendering shows."""
