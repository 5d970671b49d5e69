"""The grading pipeline: the judge and the student's side (runner), the plain-data format between them, the registry of
checks and the homeworks' manifests, grading notebooks and classes, and the result text.
"""
