"""What keeps grading trustworthy: the sandbox and its limits (memory cgroups, private caches) and the inert
presentation of the student's text and HTML.
"""
