"""Whether a worker's process still runs, told from this machine: only a certain death counts."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from postbud.jobs.machine import ProcessIdentity, is_gone, process_started, this_process


def _child() -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])


def test_a_running_process_on_this_machine_is_not_gone() -> None:
    me = this_process()
    child = _child()
    try:
        other = ProcessIdentity(child.pid, me.machine, process_started(child.pid))
        assert not is_gone(other, me)
    finally:
        child.kill()
        child.wait()


def test_a_killed_process_is_gone_even_before_its_parent_reaps_it() -> None:
    me = this_process()
    child = _child()
    other = ProcessIdentity(child.pid, me.machine, process_started(child.pid))
    os.kill(child.pid, signal.SIGKILL)
    os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)  # dead, a zombie until reaped
    assert is_gone(other, me)
    child.wait()
    assert is_gone(other, me)


def test_a_reused_pid_is_not_the_process_that_registered() -> None:
    me = this_process()
    assert me.started is not None
    assert not is_gone(me, me)
    assert is_gone(ProcessIdentity(me.pid, me.machine, me.started - 1), me)


def test_a_process_elsewhere_or_of_an_unknown_machine_is_never_judged_from_here() -> None:
    me = this_process()
    assert me.machine is not None
    far = ProcessIdentity(2**22 + 7, "another-boot/pid:[1]", 1)  # no such pid here
    assert not is_gone(far, me)
    assert not is_gone(ProcessIdentity(2**22 + 7, None, None), me)
    assert is_gone(ProcessIdentity(2**22 + 7, me.machine, 1), me), "the same machine: certainly gone"
