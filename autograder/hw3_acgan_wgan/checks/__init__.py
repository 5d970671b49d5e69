"""The graded checks of hw3_acgan_wgan: one file per problem, ``pNN_name.py``, holding the judged function
``test_pNN_name`` (its name is the problem's id in the notebook's test cell and in nbgrader's gradebook); its
points are in the homework's ``manifest.json``.

Judge only: each check reads the plain data its probe (``../probes.py``) recorded from the student's code and
compares it with what the reference (``../reference.py``) computes; the student's process cannot read these files.
"""
