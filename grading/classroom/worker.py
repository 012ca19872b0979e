"""Grade one submission in this process: ``python -m grading.classroom.worker``.

Started by the runner, one process per submission. It runs the merged notebook
(see template.py) in a fresh kernel of the grader's, whose working folder is
empty: the tests run there, and the student's answers in a sandboxed process of
their own (trusted.py, sandbox.py), under the limits. It writes worker.json
(scores, status, what was found) and graded.ipynb (the notebook as it ran, from
which the runner renders the student's feedback page) into the output folder.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from grading import notebook, verdicts
from grading.classroom import template
from grading.classroom.limits import Limits

STOPPED = "GradingStopped"  # the student's process died or went over a limit


def _kernel_env(home: Path) -> dict[str, str]:
    """A plain environment: nothing in it says the notebook is being graded."""
    keep = ("PATH", "LANG", "LC_ALL", "COURSE_DEVICE", "COURSE_DATASET", "TZ")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env.update(
        HOME=str(home),
        MPLBACKEND="Agg",
        PYTHONSAFEPATH="1",
        JUPYTER_PREFER_ENV_PATH="1",
        OMP_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
        OPENBLAS_NUM_THREADS="1",
    )
    return env


def start_kernel(client, attempts: int = 3, **start) -> None:
    """Start the grader's kernel for ``client`` (an nbclient NotebookClient). A
    kernel that dies before it answers, or never answers (two workers starting
    kernels at once can race for a port), is started afresh, up to ``attempts``
    times: nothing of the submission has run yet, so a retry changes no
    verdict."""
    for attempt in range(attempts):
        client.km = client.create_kernel_manager()
        try:
            client.start_new_kernel(**start)
            client.start_new_kernel_client()
            return
        except (RuntimeError, TimeoutError):
            try:
                if client.km is not None and client.km.has_kernel:
                    client.km.shutdown_kernel(now=True)
            except Exception:  # noqa: BLE001 -- it may be gone already
                pass
            client.kc = None
            if attempt == attempts - 1:
                raise


def _output_size(cell) -> int:
    return sum(len(json.dumps(o)) for o in cell.get("outputs", []))


def _score(merged: template.Merged, nb) -> dict:
    """test -> points: a test scores when its cell raised no error (warnings on
    stderr cost nothing), and every test after an answer the scan flagged scores
    0."""
    scores = {}
    tampered = False
    for cell in nb.cells:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid in merged.flags and notebook.is_answer_cell(cell):
            tampered = True  # every test from here on scores 0
        if gid not in merged.points or not notebook.is_test_cell(cell):
            continue
        errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
        scores[gid] = 0.0 if errors or tampered else merged.points[gid]
    return scores


def _answer_errors(nb) -> list[str]:
    """Errors raised by answer cells themselves (MemoryError, ...), for the report."""
    found = []
    for cell in nb.cells:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if not notebook.is_answer_cell(cell):
            continue
        for o in cell.get("outputs", []):
            if o.get("output_type") == "error" and o.ename != STOPPED:
                # The student's error arrives as StudentCellError.
                name = o.ename
                if name == "StudentCellError":
                    name = str(o.evalue).split(":")[0]
                found.append(f"answer cell {gid} raised {name}")
    return found


def _stopped(nb) -> str | None:
    """Why the student's process stopped, if it did."""
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if o.get("output_type") == "error" and o.ename == STOPPED:
                return str(o.evalue)
    return None


def merge_submission(
    solution_path: Path,
    release_path: Path,
    submitted_path: Path,
    notebook_mb: float = Limits.notebook_mb,
) -> template.Merged | dict:
    """The notebook to grade (template.merge), or a "not graded" result for a file
    that is not a notebook or is over ``notebook_mb`` (refused before it is
    parsed). Runs in the grader's process: the solution is read here, never where
    the student's code runs."""
    size = submitted_path.stat().st_size
    if size > notebook_mb * 2**20:
        return {
            "status": "not graded",
            "reason": f"the notebook is {size / 2**20:.1f} MB, over the "
            f"{notebook_mb:g} MB limit per notebook (--notebook-mb): clear its "
            "outputs (Edit > Clear Outputs of All Cells), save, and hand it in again",
        }
    try:
        raw = json.loads(submitted_path.read_text(errors="replace"))
        cell_ids = [c.get("id") for c in raw.get("cells", []) if c.get("id")]
        submitted = nbformat.reads(json.dumps(raw), as_version=4)
    except Exception as error:  # noqa: BLE001 -- any unreadable file
        return {
            "status": "not graded",
            "reason": f"not a readable notebook ({type(error).__name__}: "
            f"{str(error)[:200]})",
        }
    merged = template.merge(
        notebook.read(solution_path), notebook.read(release_path), submitted
    )
    if len(cell_ids) != len(set(cell_ids)):
        merged.notes.append(
            "duplicate cell ids (harmless: cells are matched by their nbgrader names)"
        )
    return merged


def grade(
    solution_path: Path,
    release_path: Path,
    submitted_path: Path,
    out: Path,
    limits: Limits,
    sandbox_on: bool = True,
    slot: int = 0,
    lib_view: Path | None = None,
) -> dict:
    merged = merge_submission(
        solution_path, release_path, submitted_path, limits.notebook_mb
    )
    if isinstance(merged, dict):
        return {**merged, "scores": {}, "notes": [], "seconds": 0.0}
    unit = solution_path.parent.name
    return run_merged(merged, unit, out, limits, sandbox_on, slot, lib_view)


def run_merged(
    merged: template.Merged,
    unit: str,
    out: Path,
    limits: Limits,
    sandbox_on: bool = True,
    slot: int = 0,
    lib_view: Path | None = None,
) -> dict:
    """Run the merged notebook and score it. ``lib_view``: the course library as
    the student's process sees it (references.stripped_lib), when the runner has
    made it once for the whole run."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    result = {
        "status": "graded",
        "reason": "",
        "scores": {},
        "notes": list(merged.notes),
        "tampering": merged.flags,
        "seconds": 0.0,
        "written": merged.written,  # graded by hand: never scored here
    }
    start = time.perf_counter()
    nb = merged.nb
    with tempfile.TemporaryDirectory(prefix="notebook-") as work:
        home = Path(work) / "home"
        run_dir = Path(work) / "work"
        home.mkdir()
        run_dir.mkdir()
        env = _kernel_env(home)
        from grading.classroom import sandbox, trusted

        config = {
            "server": str(sandbox.server_tree(Path(work) / "server")),
            "limits": limits.as_dict(),
            "sandbox": sandbox_on,
            "slot": slot,
            "work": str(run_dir),
            "unit": unit,
        }
        if lib_view is not None:
            config["lib_view"] = str(lib_view)
        session = Path(work) / "session.json"
        session.write_text(json.dumps(config))
        env[trusted.SESSION_ENV] = str(session)
        client = NotebookClient(
            nb,
            timeout=limits.cell_seconds,
            kernel_name="python3",
            allow_errors=True,
            interrupt_on_timeout=False,  # a slow cell ends the run: "not graded"
            # Its outputs are in hand: no graceful shutdown to wait for (which
            # took 2.6 s of a 7.6 s 01_knn submission).
            shutdown_kernel="immediate",
            record_timing=False,
            resources={"metadata": {"path": str(run_dir)}},
        )
        try:
            start_kernel(client, cwd=str(run_dir), env=env)
            client.execute()
        except CellTimeoutError:
            result.update(
                status="not graded",
                reason=f"a cell ran over the {limits.cell_seconds:.0f} s "
                "limit per cell",
            )
        except DeadKernelError:
            result.update(
                status="not graded",
                reason="the kernel died (it exited, was killed, or ran out"
                f" of its {limits.memory_mb} MB of memory)",
            )
        except Exception as error:  # noqa: BLE001 -- reported, never raised
            result.update(
                status="not graded",
                reason=f"the notebook could not run ({type(error).__name__}"
                f": {str(error)[:200]})",
            )
        finally:
            try:
                if client.km is not None and client.km.has_kernel:
                    client.km.shutdown_kernel(now=True)
            except Exception:  # noqa: BLE001 -- the kernel may be gone already
                pass
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    result["peak_kernel_mb"] = round(children.ru_maxrss / 1024, 1)
    total_output = sum(_output_size(c) for c in nb.cells)
    result["output_kb"] = round(total_output / 1024, 1)
    scores = _score(merged, nb)
    result["notes"] += _answer_errors(nb)
    stopped = _stopped(nb)
    if stopped and result["status"] == "graded":
        result.update(status="not graded", reason=stopped)
    if result["status"] == "graded":
        result["scores"] = scores
        # what each failing test said (messages and hints, no code): the data of
        # course.py insight's misconception report
        result["verdicts"] = verdicts.verdicts(nb)
    result["max_score"] = sum(merged.points.values())
    result["score"] = sum(result["scores"].values())
    result["seconds"] = round(time.perf_counter() - start, 2)
    if result["status"] == "graded":
        _write_graded(nb, out / GRADED)
    return result


GRADED = "graded.ipynb"  # the notebook as it ran, for the feedback page


def _write_graded(nb, path: Path) -> None:
    """The graded notebook as the student should see it, hidden tests still in
    (the feedback page removes them): no grader cells, the student's own answer
    code, long outputs cut."""
    shown = nbformat.from_dict(json.loads(json.dumps(nb)))
    shown.cells = [c for c in shown.cells if template.ROLE not in c.metadata]
    for cell in shown.cells:  # the student's own answer code, not the request
        if "grading_answer_source" in cell.metadata:
            cell.source = cell.metadata.pop("grading_answer_source")
    for cell in shown.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and len(output["text"]) > 20000:
                output["text"] = output["text"][:20000] + "\n[... output cut ...]"
    path.write_text(json.dumps(shown))


def bound_memory(limits: Limits) -> None:
    """Cap this worker's heap, and so its kernel's (a child inherits it): what a
    submission makes the grader build (a notebook to parse, replies to decode) can
    take at most ``grader_memory_mb``, beyond the student's own limit. The heap
    (RLIMIT_DATA), not the address space, so that libraries' reservations count
    for nothing."""
    size = max(limits.grader_memory_mb, limits.memory_mb + 512) * 2**20
    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        size = min(size, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (size, hard))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--solution", type=Path)
    parser.add_argument("--release", type=Path)
    parser.add_argument("--submitted", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--limits", default="{}")
    parser.add_argument("--no-sandbox", action="store_true")
    parser.add_argument("--slot", type=int, default=0)
    parser.add_argument("--lib-view", type=Path, default=None)
    args = parser.parse_args(argv)
    limits = Limits(**json.loads(args.limits))
    bound_memory(limits)
    args.out.mkdir(parents=True, exist_ok=True)
    result = grade(
        args.solution,
        args.release,
        args.submitted,
        args.out,
        limits,
        sandbox_on=not args.no_sandbox,
        slot=args.slot,
        lib_view=args.lib_view,
    )
    partial = args.out / "worker.json"
    partial.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
