"""The model and what every stage shares: amounts, rules, check results, problems, cell look-ups, URLs.

Nothing here imports from another package of the generator."""
