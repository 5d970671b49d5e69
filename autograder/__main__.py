from autograder import exit_now
from autograder.cli import main

exit_now(main())  # results written and printed: the interpreter's teardown of torch would only add seconds
