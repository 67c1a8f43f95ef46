"""The organisation: the tree of party organisations and the supply chain it follows.

Owns the committee -> general branch -> branch -> party group tree (of any depth,
a materialised path so ancestors and descendants are one indexed query), the
supply-chain segments and business nodes each branch covers, the structure rules
of the regulations as editable data, and the pairing with outside organisations.
"""
