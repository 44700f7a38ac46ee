"""One package per assignment: manifest.json (parts, points) and cases.py (CASES)."""
