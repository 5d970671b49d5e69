"""nbgrader configuration for the course (run nbgrader commands from the repository root)."""
c = get_config()  # noqa: F821

c.CourseDirectory.course_id = "gan-course"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "assignments"

# Per-cell limit while autograding. nbgrader sets NBGRADER_EXECUTION, which switches the
# notebooks to fast mode, so no cell needs more than a few seconds on a CPU; the limit only
# stops runaway student code. (ExecutePreprocessor.timeout has no effect in nbgrader 0.9.)
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True

# A release never contains the instructor's answers or hidden tests.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
c.ClearHiddenTests.enforce_metadata = True

# Deleted test cells are put back from the gradebook and graded (a student cannot skip a check by
# deleting its cell; a correct notebook with a deleted cell still earns the points, as in the CLI).
c.OverwriteCells.add_missing_cells = True

# No verdict is decided in the student's kernel: the kernel runs confined (SandboxedExecute: an allow-list
# sandbox in a PID namespace, under a whole-notebook limit), its hidden test cells only answer the judge's
# inputs with plain data (HandOffToGrader), and the judge decides each cell in nbgrader's own process after
# execution, its verdict replacing the test cell's output (JudgeTestCells). Stderr in a hidden test cell is not a failure, a value one
# returns is, and no cell's output may exceed 20,000 characters in the feedback.
from nbconvert.preprocessors import ClearMetadataPreprocessor  # noqa: E402
from nbgrader.preprocessors import (  # noqa: E402
    AssignLatePenalties, CheckCellMetadata, ClearOutput, DeduplicateIds, IgnorePattern, OverwriteCells,
    OverwriteKernelspec, SaveAutoGrades)

from autograder.integrations.nbgrader_preprocessors import (  # noqa: E402
    GraderPathsRelative, JudgeTestCells, HandOffToGrader, LimitOutputSize, RestoreReleaseCells,
    ReturnedValueIsAFailure, SandboxedExecute, StderrIsNotAFailure)

# Cell metadata comes from the release (the gradebook), whatever the submission says: edited points, flags,
# grade_ids, checksums or extra test cells are put back or removed and flagged, never a reason to stop grading.
c.Autograde.sanitize_preprocessors = [
    ClearOutput, DeduplicateIds, RestoreReleaseCells, OverwriteKernelspec, OverwriteCells, CheckCellMetadata,
]

c.Autograde.autograde_preprocessors = [
    HandOffToGrader, SandboxedExecute, JudgeTestCells, IgnorePattern, ClearMetadataPreprocessor, LimitOutputSize,
    GraderPathsRelative, StderrIsNotAFailure, ReturnedValueIsAFailure, SaveAutoGrades, AssignLatePenalties, CheckCellMetadata,
]

# Pages that show a submission (feedback, formgrader) are inert: HTML and Markdown outputs and Markdown cells are
# sanitised by an allow-list (nh3), JavaScript and widget outputs dropped; images, tables and Markdown still render.
# (nbgrader's templates render Markdown cells unsanitised and nbconvert's own sanitiser shows headings and images
# as escaped source: autograder/integrity/html_sanitizer.py replaces both filters.)
c.HTMLExporter.sanitize_html = True
c.HTMLExporter.filters = {"clean_html": "autograder.integrity.html_sanitizer.clean_html",
                          "markdown2html": "autograder.integrity.html_sanitizer.SanitizedMarkdown"}
# Widget and JavaScript outputs would render empty on a sanitised page: a tqdm bar shows as its text instead.
c.NbConvertBase.display_data_priority = ["text/html", "text/markdown", "image/svg+xml", "text/latex", "image/png",
                                         "image/jpeg", "text/plain"]
