"""In-app notifications (the bell) and their e-mail delivery.

Its own app because every part of the portal that reminds someone (party-life
reminders now, liaison follow-ups and assessment deadlines later) needs the same
thing: one row per recipient, reason and period under a unique key, so a reminder
exists exactly once however often a job runs, and an e-mail sent at most once per
row, after the row is committed. The e-mail is rendered at sending time from the
reason's templates, `templates/notifications/email/<reason>_subject.txt`, `.txt`
and `.html` (`default_*` when a reason has none).
"""
