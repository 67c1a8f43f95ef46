"""People and roles: the person register, branch memberships and posts, and the one
access layer (`members.access`) that scopes every page, export and admin list."""
