"""Command line of the course: ``python -m autograder grade|report|release|example|course new|gradescope|demo|student-repo``.

``grade`` scores notebooks without any nbgrader database (see :mod:`autograder.pipeline.batch`): each
notebook is graded by a pytest run in a process of its own, under time and memory limits.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from autograder.pipeline.registry import homeworks
from autograder.pipeline.report import INDENT, format_table


def __getattr__(name: str):
    """``grade_notebook``, the grading entry point for scripts and tests, imported on first use: ``--help`` and
    the other commands do not pay for nbformat and the grading pipeline."""
    if name == "grade_notebook":
        from autograder.pipeline.batch import grade_notebook

        return grade_notebook
    raise AttributeError(name)


def _grade(args) -> int:
    from autograder.pipeline import class_results
    from autograder.pipeline.batch import default_jobs, grade_all, gradescope, notebooks_in, write_class_csv
    from autograder.pipeline.class_progress import ClassProgress

    notebooks = notebooks_in(args.notebooks)
    if not notebooks:
        raise SystemExit(f"no notebooks in {' '.join(args.notebooks)}")
    if args.resume and not args.json:
        raise SystemExit("--resume keeps the results of an earlier run from its --json file: give --json FILE")
    from autograder.integrity import sandbox

    jobs = args.jobs or default_jobs()
    memory_gb = sandbox.memory_limit_gb(args.memory_gb, jobs)
    if memory_gb is not None and memory_gb < 5:
        print(f"warning: {memory_gb:g} GB of address space per grading process is below what torch maps on start "
              "(≈ 4 GB); grade fewer notebooks at once (--jobs) or set --memory-gb", file=sys.stderr)
    digests = [class_results.notebook_digest(p) if p.is_file() else None for p in notebooks]
    kept = class_results.reusable(args.json) if args.resume else {}
    results = [kept.get((str(p.resolve()), d)) for p, d in zip(notebooks, digests)]
    todo = [i for i, r in enumerate(results) if r is None]
    progress = ClassProgress(len(todo), reused=len(notebooks) - len(todo))

    def finished(k: int, result: dict) -> None:
        index = todo[k]
        results[index] = class_results.stamp(result, digests[index]) if digests[index] else result
        progress.done(result)
        if args.json:  # after every notebook: an interrupted class keeps what was graded
            class_results.write(args.json, [r for r in results if r is not None])

    try:
        grade_all([notebooks[i] for i in todo], args.homework, jobs=jobs, on_result=finished,
                  cell_timeout=args.cell_timeout, notebook_timeout=args.notebook_timeout, memory_gb=memory_gb)
    finally:
        progress.close()
    from autograder.integrity.student_text import one_line

    for result in results:
        print(f"\n{one_line(result['notebook'], 300)} ({result['homework']})")
        if result["grades"]:
            print(format_table(result["grades"], result.get("error"), result.get("student_text", "")))
        elif result.get("error"):
            print(f"NOT GRADED NORMALLY:\n{INDENT}{one_line(result['error'], 1000)}")
    if args.csv:
        write_class_csv(results, args.csv)
    if args.gradescope:
        if len(results) != 1:
            raise SystemExit("--gradescope writes one notebook's results.json: grade one notebook")
        Path(args.gradescope).write_text(json.dumps(gradescope(results[0]), indent=2))
    return 0


def _stale(command: str, stale: list[Path], checked: int, what: str) -> int:
    """``--check``'s verdict: 0 when nothing is stale, else 1 with the stale notebooks named."""
    if not stale:
        print(f"{checked} homework{'s' * (checked != 1)}: the committed {what} are up to date")
        return 0
    for path in stale:
        print(f"stale: {path}")
    print(f"run `python -m autograder {command}` and commit the notebooks it writes")
    return 1


def _regenerate(args, command: str, what: str, write, chosen: list[str], note=lambda hw: "") -> int:
    """``release`` and ``example``: ``write(chosen, check=...)`` regenerates the committed notebooks (or, with
    ``--check``, returns the stale ones); ``note(hw)`` follows each written path."""
    try:
        paths = write(chosen, check=args.check)
    except ValueError as error:
        raise SystemExit(f"{command}: {error}") from None
    if args.check:
        return _stale(command, paths, len(chosen), what)
    for hw, path in zip(chosen, paths):
        print(f"wrote {path}{note(hw)}")
    return 0


def _release(args) -> int:
    from autograder.course.nbgrader_course import release_all

    return _regenerate(args, "release", "releases (and the solutions' course address)", release_all,
                       args.homeworks or homeworks())


def _example(args) -> int:
    from autograder.course.examples import homeworks_with_examples, write_examples
    from autograder.pipeline.manifest import manifest

    return _regenerate(args, "example", "example submissions", write_examples,
                       args.homeworks or homeworks_with_examples(),
                       lambda hw: f" (graded, it scores {manifest(hw).example_score:g} / {manifest(hw).total:g})")


def _student_repo(args) -> int:
    """Write the public student repository (``shared`` and the releases) into ``args.dest``."""
    from autograder.course.nbgrader_course import PLACEHOLDER_REPOSITORY, course_repository
    from autograder.course.student_repo import DISTRIBUTION, build_student_repo

    try:
        written = build_student_repo(args.dest)
    except ValueError as error:
        raise SystemExit(f"student-repo: {error}") from None
    for path in written:
        print(f"wrote {path}")
    dest = Path(args.dest).resolve()
    repository = course_repository()
    print(f"\nThe student repository ({DISTRIBUTION}: shared/ and assignments/ only) is in {dest}.")
    if repository == PLACEHOLDER_REPOSITORY:
        print("Next: create the public repository, set its address as 'repository' in course.json, run "
              "`python -m autograder release` and this command again, then push this folder there.")
    elif (dest / ".git").exists():
        print(f"Next: push it to the public repository named in course.json, {repository}:\n"
              f"  cd {dest} && git add -A && git commit -m 'Course release' && git push")
    else:
        print(f"Next: push it to the public repository named in course.json, {repository}:\n"
              f"  cd {dest} && git init -b main && git add -A && git commit -m 'Course release'\n"
              f"  git remote add origin {repository} && git push -u origin main")
    return 0


def _course_new(args) -> int:
    """Create a semester's course folder (see :func:`autograder.course.nbgrader_course.new_semester`) and say what comes next."""
    from autograder.course.nbgrader_course import REPO, new_semester

    dest = Path(args.dest).resolve()
    chosen = args.homeworks or homeworks()
    if dest == REPO or REPO in dest.parents:
        print(f"note: {dest} is inside the instructor repository; a semester's gradebook and submissions are "
              "better kept in a folder of their own", file=sys.stderr)
    try:
        releases = new_semester(dest, chosen)
    except ValueError as error:
        raise SystemExit(f"course new: {error}") from None
    for release in releases:
        print(f"wrote {release}")
    hw = chosen[0]
    print(f"\nThe semester's course folder is {dest}. From there (cd {dest}):\n"
          f"  submissions go to     submitted/<student>/{hw}/{hw}.ipynb   (or nbgrader collect)\n"
          f"  grade them            nbgrader autograde {hw}\n"
          f"  grade written answers jupyter lab, then Nbgrader → Formgrader\n"
          f"  feedback              nbgrader generate_feedback {hw}   → feedback/<student>/{hw}/\n"
          f"  grades                nbgrader export   → grades.csv")
    return 0


def _gradescope(args) -> int:
    from autograder.integrations.gradescope import build

    try:
        path = build(args.homework, args.output)
    except ValueError as error:
        raise SystemExit(f"gradescope: {error}") from None
    print(f"wrote {path}: upload it as the autograder of {args.homework}'s Gradescope assignment (\"Zip file upload\"); "
          f"students submit their {args.homework}.ipynb")
    return 0


def _report(args) -> int:
    from autograder.course.class_report import write

    try:
        path = write(args.results, args.output, args.csv)
    except ValueError as error:
        raise SystemExit(f"report: {error}") from None
    print(f"wrote {path}: open it in a browser" + (f"; and {args.csv}, one row per notebook" if args.csv else ""))
    return 0


def _demo(args) -> int:
    """Generate the releases and autograde the bundled example submission with nbgrader."""
    from autograder.course import nbgrader_course as c
    from autograder.course.examples import example_path

    hw = args.homework
    # One course folder per homework: a demo of one homework never deletes another's feedback.
    root = Path(args.course_dir or f"build/demo-course/{hw}").resolve()
    if root.exists() and any(root.iterdir()):
        import shutil

        shutil.rmtree(root)
    course = c.new_course(root, [hw])
    print(f"Course directory: {course}")
    release = c.generate(course, hw)
    print(f"1. nbgrader generate_assignment {hw} → {release.relative_to(course)}")
    c.submit(course, hw, args.student, example_path(hw))
    print(f"2. submitted the bundled example as student '{args.student}'")
    c.autograde(course, hw, args.student)
    print(f"3. nbgrader autograde {hw} --student {args.student}")
    feedback = c.feedback(course, hw, args.student)
    print(f"4. nbgrader generate_feedback → {feedback.relative_to(course)}")
    grades = c.export(course)
    print(f"5. nbgrader export → {grades.relative_to(course)}\n")

    scores = c.scores(course, hw, args.student)
    messages = c.failure_messages(course, hw, args.student)
    from autograder.pipeline.registry import checks

    titles = {ch.name: ch.label for ch in checks(hw)}
    rows = []
    for grade_id, s in scores.items():
        title = titles.get(grade_id, grade_id) if s["auto"] else f"{grade_id} (graded by hand)"
        message = messages.get(grade_id, "" if s["auto"] else "awaits manual grading")
        rows.append({"title": title, "score": s["score"], "points": s["max_score"], "message": message})
    auto = [r for r, s in zip(rows, scores.values()) if s["auto"]]
    manual = [r for r, s in zip(rows, scores.values()) if not s["auto"]]
    print(format_table(auto))
    print(f"Written answers: {sum(r['points'] for r in manual):g} more points await manual grading "
          f"({', '.join(r['title'].split()[0] for r in manual)}).")
    print(f"Feedback for the student: {feedback}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command line's parser: every subcommand, its options and the function that runs it (``args.run``)."""
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("grade", help="grade notebooks or class folders (no nbgrader database), a table for each")
    g.add_argument("notebooks", nargs="+", help="notebooks, or folders whose notebooks are all graded")
    g.add_argument("--homework", help="e.g. hw1_mnist_gan; by default recognised from the notebook's test cells")
    g.add_argument("--json", help="write all results to this JSON file (rewritten after every notebook)")
    g.add_argument("--resume", action="store_true",
                   help="keep the results in the --json file of notebooks unchanged since (same content, same "
                        "grader) and grade only the rest: an interrupted class goes on where it stopped")
    g.add_argument("--csv", help="write one row per notebook (the class's scores) to this CSV file")
    g.add_argument("--gradescope", help="write Gradescope's results.json for the (one) notebook graded")
    g.add_argument("--jobs", type=int, default=0,
                   help="notebooks graded at once, each in its own process with cores ÷ jobs torch threads "
                        "(default: one per core, as many as the memory holds at ≈ 6 GB each)")
    g.add_argument("--cell-timeout", type=float, default=120.0, help="seconds one cell may run (default 120)")
    g.add_argument("--notebook-timeout", type=float, default=900.0,
                   help="seconds one whole notebook may take to grade (default 900)")
    g.add_argument("--memory-gb", type=float, default=None,
                   help="memory limit of each grading process, as an address-space limit and a memory cgroup "
                        "where possible (default: 80%% of the machine's memory divided by --jobs; 0: none)")
    g.set_defaults(run=_grade)
    r = sub.add_parser("release", help="regenerate assignments/ from solutions/ with nbgrader generate_assignment")
    r.add_argument("homeworks", nargs="*", help="e.g. hw1_mnist_gan (default: all)")
    r.add_argument("--check", action="store_true",
                   help="write nothing: exit 1 naming the releases that are stale (for CI and before a push)")
    r.set_defaults(run=_release)
    e = sub.add_parser("example", help="rebuild the bundled example submissions from the releases")
    e.add_argument("homeworks", nargs="*", help="e.g. hw1_mnist_gan (default: all that bundle one)")
    e.add_argument("--check", action="store_true",
                   help="write nothing: exit 1 naming the example submissions that are stale")
    e.set_defaults(run=_example)
    s = sub.add_parser("student-repo", help="write the public student repository (shared/ and assignments/ only)")
    s.add_argument("dest", help="an empty or new folder, a fresh clone of the public repository, or a previous build")
    s.set_defaults(run=_student_repo)
    co = sub.add_parser("course", help="a semester's nbgrader course folder, outside this repository")
    co_sub = co.add_subparsers(dest="action", required=True)
    cn = co_sub.add_parser("new", help="create DEST with the configuration and the releases of the homeworks")
    cn.add_argument("dest", help="a new or empty folder (gradebook, submissions, feedback and grades live there)")
    cn.add_argument("homeworks", nargs="*", help="e.g. hw1_mnist_gan (default: all)")
    cn.set_defaults(run=_course_new)
    gs = sub.add_parser("gradescope", help="Gradescope's autograder zip for one homework")
    gs.add_argument("homework", help="e.g. hw1_mnist_gan")
    gs.add_argument("-o", "--output", default="autograder.zip", help="where the zip goes (default autograder.zip)")
    gs.set_defaults(run=_gradescope)
    rp = sub.add_parser("report", help="one HTML page on a graded class: histogram, pass rates, commonest failures")
    rp.add_argument("results", nargs="+", help="results files of `grade --json`; several are merged (a Slurm "
                    "array's, one per task), a notebook in several counting once with its last result")
    rp.add_argument("-o", "--output", default="report.html", help="where the page goes (default report.html)")
    rp.add_argument("--csv", help="also write the class's CSV here, one row per notebook (as `grade --csv`)")
    rp.set_defaults(run=_report)
    d = sub.add_parser("demo", help="the instructor workflow end to end on the bundled example submission")
    d.add_argument("--homework", default="hw1_mnist_gan", help="the homework whose example is graded")
    d.add_argument("--course-dir", default=None, help="default: build/demo-course/<homework> (emptied first)")
    d.add_argument("--student", default="example_student")
    d.set_defaults(run=_demo)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)
