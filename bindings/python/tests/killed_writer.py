# Helper of the kill tests (test_process.py, test_pool_durable.py): run a
# writer that prints "ready" and then a line for each change once it is
# acknowledged, SIGKILL it, and collect what it acknowledged.
import signal
import subprocess
import time


def run_and_kill(argv, env, seconds):
    """Start argv, let it write for `seconds` after it is ready, kill it
    with SIGKILL and return the lines it printed whole, in order (a line
    the kill cut short was not acknowledged)."""
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True,
                            env=env)
    first = proc.stdout.readline()
    assert first == "ready\n", first
    deadline = time.monotonic() + seconds
    lines = []
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
    proc.send_signal(signal.SIGKILL)
    lines.extend(proc.stdout.read().splitlines(True))
    proc.wait()
    proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL, proc.returncode
    return [line[:-1] for line in lines if line.endswith("\n")]
