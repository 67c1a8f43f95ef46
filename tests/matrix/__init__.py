"""The permission matrix: every named URL, every role (see tests/demo/test_permission_matrix.py)."""
