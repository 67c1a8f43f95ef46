"""The permission matrix: every named URL, every role (see tests/test_permission_matrix.py)."""
