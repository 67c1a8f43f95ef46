"""The roster import: people, their branch memberships and their posts from an Excel
sheet. Upload, a preview with row-level errors, then an all-or-nothing import through
the members services; re-importing the same sheet changes nothing.

Kept import-free: `members.models` imports this package's model at start-up.
"""
