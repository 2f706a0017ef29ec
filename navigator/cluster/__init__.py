"""Several hosts on one machine: PostgreSQL, Redis, HAProxy and stacks, for tests and demos.

Debian's own servers, started as child processes bound to loopback with their data under
a folder of ours (``var/cluster`` for ``make cluster``, a temporary folder in tests). The
same classes start them for ``navigator cluster`` and for the integration tests.
"""
