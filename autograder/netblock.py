"""Block the network for this process and its descendants with a seccomp filter.

Where the sandbox gets no network namespace (Gradescope's Docker container refuses
``unshare``; a user who is not root cannot ask), a process may still install a seccomp
filter on itself once it has set no_new_privs, which Docker's default profile allows. The
filter makes ``socket`` and ``socketpair`` fail with EACCES for every address family but
AF_UNIX (so AF_INET, AF_INET6, AF_PACKET, AF_NETLINK, ...), and ``io_uring_setup`` fail
with EPERM (an io_uring can open sockets without calling ``socket``). Every other system
call is allowed; system calls of another ABI (32-bit ``int 0x80``, x32) kill the process,
libseccomp's default for a foreign architecture. A filter is inherited by every child and
cannot be removed. AF_UNIX stays open: local IPC and ``socket.socketpair()`` work.
"""

from __future__ import annotations

import errno
import socket

try:
    import pyseccomp
except (ImportError, RuntimeError) as exc:  # RuntimeError: the binding found no libseccomp.so
    pyseccomp = None
    MISSING = f"{type(exc).__name__}: {exc}"
else:
    MISSING = ""


def block_network() -> str | None:
    """Install the filter on the calling process; ``None``, or why it could not be installed."""
    if pyseccomp is None:
        return f"no seccomp filter, the network is open: {MISSING}"
    try:
        rules = pyseccomp.SyscallFilter(pyseccomp.ALLOW)
        for call in ("socket", "socketpair"):
            rules.add_rule(pyseccomp.ERRNO(errno.EACCES), call,
                           pyseccomp.Arg(0, pyseccomp.NE, socket.AF_UNIX))
        rules.add_rule(pyseccomp.ERRNO(errno.EPERM), "io_uring_setup")
        rules.load()  # sets no_new_privs first (libseccomp's default)
    except OSError as exc:
        return f"no seccomp filter, the network is open: loading it failed ({exc})"
    return None
