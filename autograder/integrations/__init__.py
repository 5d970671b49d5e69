"""The course's grader inside other tools: nbgrader (its command and preprocessors), pytest (the plugin) and Gradescope
(the autograder zip).
"""
