"""nbgrader configuration for the course (run nbgrader commands from the repository root)."""
c = get_config()  # noqa: F821

c.CourseDirectory.course_id = "gan-course"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "assignments"
c.CourseDirectory.db_assignments = [{"name": "hw1_mnist_gan"}, {"name": "hw2_dcgan_cifar10"}]

# Per-cell limit while autograding. nbgrader sets NBGRADER_EXECUTION, which switches the
# notebooks to fast mode, so no cell needs more than a few seconds on a CPU; the limit only
# stops runaway student code. (ExecutePreprocessor.timeout has no effect in nbgrader 0.9.)
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True

# A release never contains the instructor's answers or hidden tests.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
c.ClearHiddenTests.enforce_metadata = True
