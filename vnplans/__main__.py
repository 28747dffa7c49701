"""`python -m vnplans ...` is the `vnplans` command."""
import sys

from vnplans.pipeline.cli import main

sys.exit(main())
