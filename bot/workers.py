"""`firevoice run --webhook --workers N`: N bot processes behind one port.

The parent checks the settings, upgrades the database once, then starts N copies of
`firevoice run --webhook ... --worker I`. They listen on the same port (SO_REUSEPORT, the
kernel shares connections among them), share PostgreSQL (conversations, seen updates and
answers, each update in one transaction) and Redis (one person's updates handled in order,
whichever worker receives them). SIGTERM or SIGINT stops them all; a worker that dies is
started again, unless it dies straight after starting (a broken set-up), when all stop.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from types import FrameType

log = logging.getLogger("firevoice.workers")

QUICK_EXIT_SECONDS = 10
STOP_SECONDS = 30


def worker_command(run_args: Sequence[str], index: int) -> list[str]:
    return [
        sys.executable,
        "-c",
        "from bot.cli import main; main()",
        "run",
        *run_args,
        "--worker",
        str(index),
    ]


def supervise(run_args: Sequence[str], workers: int) -> int:
    """Run the workers until a signal; returns the exit code."""
    logging.basicConfig(level="INFO", format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    started: dict[int, float] = {}
    processes: dict[int, subprocess.Popen[bytes]] = {}

    def start(index: int) -> None:
        processes[index] = subprocess.Popen(worker_command(run_args, index))  # noqa: S603
        started[index] = time.monotonic()

    stopping = False

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for index in range(workers):
        start(index)
    log.info("started %s workers", workers)
    code = 0
    while not stopping:
        time.sleep(0.2)
        for index, process in list(processes.items()):
            returned = process.poll()
            if returned is None or stopping:
                continue
            if time.monotonic() - started[index] < QUICK_EXIT_SECONDS:
                log.error("worker %s stopped at once (exit code %s); stopping", index + 1, returned)
                stopping, code = True, 1
                break
            log.warning("worker %s stopped (exit code %s); starting it again", index + 1, returned)
            start(index)
    for process in processes.values():
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    for process in processes.values():
        try:
            process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    log.info("all workers stopped")
    return code
