"""Settings split by environment: base, local (the demo), test and production.

Every value that differs between machines is read from the environment with
django-environ; `production` refuses to start without its secrets.
"""
