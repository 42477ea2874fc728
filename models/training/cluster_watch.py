"""The watch over a multi-worker run's wait for its cluster: which worker never came.

TensorFlow waits for every worker of TF_CONFIG inside ``MultiWorkerMirroredStrategy()``,
in C++ code that holds the GIL: no Python thread, signal handler or exception runs until
it returns, which it never does when a worker never starts. So:

- the process arms ``faulthandler.dump_traceback_later(timeout, exit=True)``, a C thread
  that ends it (status 1) when the wait outlasts the timeout;
- a small watcher process (this module, run by :func:`watched`) holds a pipe from it; when
  the pipe closes without the "done" byte, the run died waiting, and the watcher says in
  one line which workers it waited for (those whose port accepts no connection);
- SIGINT and SIGTERM get their default action meanwhile (Python could not act on them).

Standard library only: the watcher starts in a fraction of a second.
"""

from __future__ import annotations

import contextlib
import faulthandler
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

TIMEOUT_ENV = "AE_EXPLORER_CLUSTER_TIMEOUT"
DONE = b"d"


def waiting_for(peers: Sequence[tuple[str, str]], timeout: float) -> str:
    """The line for a cluster that did not come together within ``timeout`` seconds."""
    silent = [f"{who} ({address})" for who, address in peers if not answers(address)]
    named = silent or [f"{who} ({address})" for who, address in peers]
    which = ", ".join(named) if named else "the other workers"
    verb = "has" if len(named) == 1 else "have"
    state = "not started" if silent else "not joined"
    return (
        f"--distribute multiworker: {which} {verb} {state} after {timeout:g} s; run the same "
        f"command there (with its TF_CONFIG task), or wait longer: {TIMEOUT_ENV}=SECONDS"
    )


def answers(address: str, timeout: float = 1.0) -> bool:
    """True when something accepts a TCP connection at ``host:port``."""
    host, _, port = address.rpartition(":")
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout):
            return True
    except (OSError, ValueError):
        return False


@contextlib.contextmanager
def watched(peers: Sequence[tuple[str, str]], timeout: float) -> Iterator[None]:
    """While inside (TensorFlow's wait for the cluster): ended after ``timeout`` seconds,
    with one line naming the workers that never came (see the module)."""
    read, write = os.pipe()
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])}
    command = [sys.executable, "-m", "models.training.cluster_watch", str(read)]
    watcher = subprocess.Popen(
        [*command, repr(timeout), json.dumps(list(peers))],
        pass_fds=(read,),
        stdin=subprocess.DEVNULL,
        env=env,
    )
    os.close(read)
    previous = {s: signal.signal(s, signal.SIG_DFL) for s in (signal.SIGINT, signal.SIGTERM)}
    with open(os.devnull, "w") as devnull:
        faulthandler.dump_traceback_later(timeout, exit=True, file=devnull)
        try:
            yield
        finally:
            faulthandler.cancel_dump_traceback_later()
            for signum, handler in previous.items():
                signal.signal(signum, handler)
            with contextlib.suppress(OSError):
                os.write(write, DONE)  # made, or failed in Python: the run speaks for itself
            os.close(write)
            with contextlib.suppress(subprocess.TimeoutExpired):
                watcher.wait(5)


def main(argv: Sequence[str]) -> int:
    """The watcher: ``FD TIMEOUT PEERS_JSON``; silent unless the run died waiting."""
    fd, timeout, peers = int(argv[0]), float(argv[1]), json.loads(argv[2])
    start = time.monotonic()
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches the whole group
        data = os.read(fd, 1)
    except OSError:
        return 0
    if data:
        return 0
    if time.monotonic() - start >= timeout - 0.5:
        print(f"ae-explorer: error: {waiting_for(peers, timeout)}", file=sys.stderr, flush=True)
    else:
        names = ", ".join(f"{who} ({address})" for who, address in peers) or "the cluster"
        print(f"ae-explorer: stopped while waiting for {names}", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
