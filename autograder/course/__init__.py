"""Course tools for instructors: the nbgrader course folder and semesters, the public student repository, submissions
built from the releases, the class report.
"""
