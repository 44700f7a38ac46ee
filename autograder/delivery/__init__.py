"""Delivery to Gradescope: the autograder and student zips, and the students' self-check."""
