"""Party life: meetings of every kind the regulations name (三会一课, theme party day,
organisational life meeting, the monthly second-level central-group study), their
attendance, make-up study, attachments, QR sign-in, and compliance computed from
rules kept as data.

It is its own app because it owns one aggregate (a meeting with its attendance and
attachments) with its own write path, rules and reminders; the organisation tree
and the register (branches, members) only read-feed it, and liaison or assessment
can read its figures without depending on its internals.
"""
