"""The lines that mark the code a student writes in a reference file (as in otter assign)."""

BEGIN, END = "# BEGIN SOLUTION", "# END SOLUTION"
