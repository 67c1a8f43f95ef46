"""Assessments the committee runs each year: branch standards (支部达标考核), the
democratic appraisal of members (民主评议党员), part-time secretaries' "one post, two
duties" (一岗双责) and the monthly recognition (流动红旗, 岗位之星).

Its own app because it owns no party life of its own: it *reads* what `meetings`
and `liaison` record (through the computed-indicator registry in `indicators`) and
adds a yearly review workflow on top, which the committee runs in the admin.
"""
