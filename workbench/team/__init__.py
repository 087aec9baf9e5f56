"""Team mode: how far annotators agree, what a reviewer must settle, and who did what.

Everything here reads pulled snapshots (``workbench.snapshot``), never Label Studio itself,
so the figures describe exactly the data an export of the same snapshot would contain.
"""
