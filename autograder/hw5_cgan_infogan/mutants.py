from autograder.mutant import Mutant, Variant

MUTANTS = []
VARIANTS = []
