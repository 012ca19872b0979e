"""The sandbox around a student's process: bubblewrap (Debian's ``bubblewrap``).

The student's code runs

- as an unprivileged user (a user id of its own per grading job when the grader
  runs as root; in a user namespace otherwise);
- with no network, in its own PID namespace with its own /proc, and with its own
  IPC and UTS namespaces;
- with a private, empty /tmp and home, and a working folder in /tmp, on a tmpfs
  of ``--disk-mb`` (files there are memory, so they are capped like memory), and a
  /dev/shm of its own, capped the same way;
- on a filesystem view that holds the operating system and the Python environment
  read-only, the course library (``lib/``) and datasets read-only, and the few
  grader modules that serve the channel. Nothing else of the course is there: no
  ``solutions/``, no ``grading/`` output, no other submission, no writable file of
  the course; and the library is a copy without the references of the answers
  being graded (references.py);
- under limits on memory (address space), file size, and the number of processes.

``available()`` says whether bubblewrap can start here; ``describe_off()`` lists
the guarantees that are lost without it, for the report.
"""

from __future__ import annotations

import functools
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

from grading import layout
from grading.classroom.limits import Limits

REPO = layout.ROOT
# The grader modules the student's process needs (its end of the channel).
SERVER_MODULES = (
    "__init__.py",
    "classroom/__init__.py",
    "classroom/channel.py",
    "classroom/mirror.py",
    "classroom/protocol.py",
    "classroom/proxy.py",
    "classroom/student.py",
)
SERVER_ROOT = "/opt/grader"
GUARANTEES = (
    "the student's code runs as an unprivileged user",
    "no network",
    "its own PID namespace and /proc (other workers are invisible)",
    "a private /tmp and home, on a tmpfs capped at --disk-mb",
    "a read-only view without solutions/, grader output or other submissions",
    "a course library without the references of the unit's answers",
    "a dataset file without the held-out images (unit 07's graded design)",
    "a limit on the number of processes",
)
THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")
UID_BASE = 61000  # user ids of the sandboxes when the grader runs as root


def bwrap() -> str | None:
    return shutil.which("bwrap")


def server_tree(folder: Path) -> Path:
    """A folder holding the grader modules the student's process imports."""
    for name in SERVER_MODULES:
        target = folder / "grading" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "grading" / name, target)
    folder.chmod(0o755)  # readable by the sandbox's own user
    return folder


def _python_roots() -> list[str]:
    """Folders the Python environment needs: the venv and the base install."""
    roots = {os.path.realpath(sys.prefix), os.path.realpath(sys.base_prefix)}
    return sorted(roots)


def _view(
    namespaces: list[str],
    binds: list[tuple[str, str]],
    writable: list[tuple[str, str]] = (),
    env: dict[str, str] | None = None,
    chdir: str = "/tmp/work",
    disk_mb: int = 256,
) -> list[str]:
    """The bwrap arguments for a view of the system and the Python environment
    read-only, the ``binds`` read-only and the ``writable`` ones writable, a private
    /tmp (with a home and a working folder) and /dev/shm, each a tmpfs of at most
    ``disk_mb``, and a clean environment."""
    size = str(disk_mb * 2**20)
    args = [
        bwrap(),
        *namespaces,
        "--die-with-parent",
        "--new-session",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        # Writable by the student's user (a user id of its own when root starts it).
        "--perms",
        "1777",
        "--size",
        size,
        "--tmpfs",
        "/dev/shm",
        "--perms",
        "1777",
        "--size",
        size,
        "--tmpfs",
        "/tmp",
        "--perms",
        "0777",
        "--dir",
        "/tmp/home",
        "--perms",
        "0777",
        "--dir",
        "/tmp/work",
        "--chdir",
        chdir,
        "--clearenv",
    ]
    settings = {
        "HOME": "/tmp/home",
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "MPLBACKEND": "Agg",
        **dict.fromkeys(THREAD_VARIABLES, "1"),
        **{
            k: os.environ[k]
            for k in ("LANG", "LC_ALL", "TZ", "COURSE_DEVICE", "COURSE_DATASET")
            if k in os.environ
        },
        **(env or {}),
    }
    for key, value in settings.items():
        args += ["--setenv", key, value]
    for system in ("/usr", "/etc", "/lib", "/lib64", "/bin", "/sbin"):
        if os.path.islink(system):
            args += ["--symlink", os.readlink(system), system]
        elif os.path.exists(system):
            args += ["--ro-bind", system, system]
    made: set[str] = set()
    mounts = [(s, t, "--ro-bind") for s, t in [*((r, r) for r in _python_roots())]]
    mounts += [(s, t, "--ro-bind") for s, t in binds]
    mounts += [(s, t, "--bind") for s, t in writable]
    for source, target, how in mounts:
        # The folders above a mount point must be searchable by the student's user.
        for parent in reversed(Path(target).parents):
            if str(parent) not in made and str(parent) not in ("/", "/tmp"):
                args += ["--perms", "0755", "--dir", str(parent)]
                made.add(str(parent))
        args += [how, source, target]
    return args


def _course_binds(lib_dir: Path | None, data_dir: Path | None) -> list:
    binds = [(str(lib_dir or REPO / "lib"), str(REPO / "lib"))]
    data = data_dir or REPO / "data"
    if data.exists():
        binds.append((str(data), str(REPO / "data")))
    return binds


def command(
    server: Path,
    fd: int,
    uid: int | None = None,
    lib_dir: Path | None = None,
    data_dir: Path | None = None,
    disk_mb: int = 256,
    files: list[tuple[str, str]] = (),
) -> list[str]:
    """The bwrap command line that starts the student's process on ``fd``;
    ``files``: (source, target) pairs, each source shown read-only in place of a
    file of the views (heldout.py's blanked dataset)."""
    binds = [*_course_binds(lib_dir, data_dir), (str(server), SERVER_ROOT)]
    args = _view(_namespaces(), binds, disk_mb=disk_mb)
    for source, target in files:  # over files inside the read-only views above
        args += ["--ro-bind", source, target]
    return [*args, "--", sys.executable, "-I", "-c", program(SERVER_ROOT, fd, uid)]


def _namespaces() -> list[str]:
    if os.geteuid() == 0:
        # Root makes the namespaces itself; the process inside then switches to a
        # user id of its own before it reads a byte of the submission.
        return [
            "--unshare-pid",
            "--unshare-net",
            "--unshare-ipc",
            "--unshare-uts",
            "--unshare-cgroup-try",
        ]
    return ["--unshare-all", "--cap-drop", "ALL"]  # a user namespace, no capability


def _drop_to(uid: int | None) -> str:
    """Python source that becomes ``uid`` for good (no way back, no new
    privileges); nothing when the grader is not root."""
    if uid is None:
        return ""
    return (
        "import ctypes, os; os.setgroups([]); "
        f"os.setgid({uid}); os.setuid({uid}); "
        "ctypes.CDLL(None).prctl(38, 1, 0, 0, 0); "  # PR_SET_NO_NEW_PRIVS
    )


def program(server: str, fd: int, uid: int | None = None) -> str:
    """Python source that (as root: first becomes ``uid``, with no way back and no
    new privileges) serves the channel on ``fd``."""
    drop = _drop_to(uid)
    return (
        f"{drop}import sys; sys.path.insert(0, {server!r}); "
        f"from grading.classroom import student; sys.exit(student.main({fd}))"
    )


def resource_limits(limits: Limits, procs: int):
    """A ``preexec_fn`` that puts the student's process under the limits: memory
    (address space), file size, no core files, ``procs`` processes."""

    def apply():
        size = limits.memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (size, size))
        size = limits.file_mb * 2**20
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_NPROC, (procs, procs))

    return apply


def start(
    server: Path, fd: int, limits: Limits, slot: int = 0, **paths
) -> subprocess.Popen:
    """Start the sandboxed student process with ``fd`` as its channel."""
    procs, uid = limits.processes, None
    if os.geteuid() == 0:
        uid = UID_BASE + slot
    else:  # the limit counts every process of this user: leave room for them
        procs += _processes_of(os.geteuid())
    return subprocess.Popen(
        command(server, fd, uid, disk_mb=limits.disk_mb, **paths),
        pass_fds=(fd,),
        preexec_fn=resource_limits(limits, procs),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _processes_of(uid: int) -> int:
    count = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                count += entry.stat().st_uid == uid
            except OSError:
                continue
    return count


@functools.lru_cache(maxsize=1)
def available() -> tuple[bool, str]:
    """(whether the sandbox starts here, why not)."""
    if bwrap() is None:
        return False, (
            "bubblewrap is not installed (Debian/Ubuntu: sudo apt-get install "
            "bubblewrap)"
        )
    probe = [
        bwrap(),
        "--unshare-all",
        "--die-with-parent",
        "--ro-bind",
        "/",
        "/",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "true",
    ]
    user = {"user": UID_BASE, "group": UID_BASE, "extra_groups": []}
    try:
        done = subprocess.run(
            probe,
            capture_output=True,
            text=True,
            timeout=30,
            **(user if os.geteuid() == 0 else {}),
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return False, f"bubblewrap did not start ({error})"
    if done.returncode != 0:
        return False, f"bubblewrap did not start ({done.stderr.strip()[:200]})"
    return True, ""


def describe_off(reason: str) -> list[str]:
    """The report's lines when grading runs without the sandbox."""
    return [f"SANDBOX OFF ({reason}); these guarantees do not hold:"] + [
        f"  - {g}" for g in GUARANTEES
    ]
