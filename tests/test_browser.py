"""In a real browser: every explorer of the course builds and redraws.

The units' notebooks are executed elsewhere in the suite (full marks, validation),
so this test does not run them, with their training, in the browser: it serves a
small notebook that only builds each explorer from ``lib`` with the data it needs
(``EXPLORER_CELLS``). Headless Debian Chromium, driven by Playwright, opens it,
runs every cell, moves the first slider of each explorer, and checks that its plot
changed and that the browser console logged no error. `.ci/run` installs Chromium
with apt; no browser is downloaded.
"""

from __future__ import annotations

import json
import re
import time
import urllib.request

import nbformat
import pytest

from conftest import LAB_TOKEN, serve_lab

pytestmark = pytest.mark.slow
NOTEBOOK = "explorers.ipynb"
WIDGET = "application/vnd.jupyter.widget-view+json"
# explorer (its CSS class) -> the cell that builds it, as a unit's notebook does.
SETUP_CELL = """\
import numpy as np

from lib import data, explorers, networks, solver

# The network landscape needs a trained model: a small net on the 8x8 digits.
digits = data.standardize(data.load_digits())
model = networks.FullyConnectedNet([32], input_dim=64, weight_scale=0.1, seed=0)
solver.Solver(model, digits, update_rule="adam", optim_config={"learning_rate": 1e-2},
              num_epochs=2, progress=False).train()
landscape_X, landscape_y = digits["X_train"][:200], digits["y_train"][:200]
"""
EXPLORER_CELLS = {
    "explorer-landscape": "explorers.interact_loss_landscape()",
    "explorer-schedules": "explorers.interact_schedules()",
    "explorer-initialisation": "explorers.interact_initialisation()",
    "explorer-approximation": "explorers.interact_approximation()",
    "explorer-network-landscape": (
        "explorers.interact_network_landscape(model, landscape_X, landscape_y)"
    ),
}


# A student's answer with a typical mistake (no square root), then a test cell as
# the units write them: the check fails, and its message must come first.
FAILING_NOTEBOOK = "failing-check.ipynb"
FAILING_CELLS = [
    """\
import numpy as np

from lib import checks


def compute_distances(X_test, X_train):
    diff = X_test[:, None, :] - X_train[None, :, :]
    return np.sum(diff * diff, axis=2)
""",
    """\
\"\"\"compute_distances: a hand-checked example.\"\"\"
points = np.array([[0.0, 0.0], [3.0, 4.0], [6.0, 8.0]])
expected = np.array([[0.0, 5.0, 10.0], [5.0, 0.0, 5.0], [10.0, 5.0, 0.0]])
checks.check_close("compute_distances(points, points)",
                   compute_distances(points, points), expected)
""",
]


def _notebook(sources: list[str]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    return nb


def explorer_notebook() -> nbformat.NotebookNode:
    """The notebook the browser runs: the setup cell, then one cell per explorer."""
    return _notebook([SETUP_CELL, *EXPLORER_CELLS.values()])


@pytest.fixture(scope="module")
def scratch_lab(tmp_path_factory):
    """JupyterLab serving a throwaway folder that holds the explorer notebook."""
    root = tmp_path_factory.mktemp("lab-root")
    nbformat.write(explorer_notebook(), str(root / NOTEBOOK))
    nbformat.write(_notebook(FAILING_CELLS), str(root / FAILING_NOTEBOOK))
    with serve_lab(root, tmp_path_factory.mktemp("home")) as base:
        yield base


@pytest.fixture
def browser_page(browser):
    """A fresh page per notebook, so no tab or error of another test carries over."""
    with browser.new_context(viewport={"width": 1400, "height": 1000}) as context:
        page = context.new_page()
        errors: list[str] = []
        page.on(
            "console", lambda m: errors.append(m.text) if m.type == "error" else None
        )
        page.on("pageerror", lambda e: errors.append(str(e)))
        yield page, errors


def _api(base: str, path: str, body: dict | None = None) -> dict:
    request = urllib.request.Request(
        base + path,
        headers={
            "Authorization": f"token {LAB_TOKEN}",
            "Content-Type": "application/json",
        },
        data=None if body is None else json.dumps(body).encode(),
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read().decode())


def _start_kernel(base: str, notebook: str) -> None:
    """Start the notebook's kernel session through the REST API, so that the page
    joins an existing session instead of starting one itself."""
    _api(
        base,
        "/api/sessions",
        {
            "path": notebook,
            "name": notebook,
            "type": "notebook",
            "kernel": {"name": "python3"},
        },
    )


def _image_source(page, explorer: str) -> str | None:
    image = page.locator(f".{explorer} img")
    return image.first.get_attribute("src") if image.count() else None


def _no_dialog(page) -> None:
    """Fail with the dialog's text if JupyterLab shows one. Accepting a dialog
    blindly is what made this test flaky: a "Select Kernel" dialog, accepted, starts
    a new kernel and drops every queued cell."""
    dialog = page.locator(".jp-Dialog:visible")
    if dialog.count():
        raise AssertionError(f"JupyterLab showed a dialog: {dialog.first.inner_text()}")


def _wait_for_kernel(page, timeout_s: float = 180) -> None:
    """Wait until the page has joined the kernel session and the kernel is idle.

    Running cells before that is the race this waits out: JupyterLab runs a cell
    of a notebook without a kernel by asking, per cell, which kernel to start.
    """
    timeout = timeout_s * 1000
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=timeout)
    page.wait_for_selector(
        ".jp-Toolbar-kernelName:has-text('Python 3')", timeout=timeout
    )
    page.wait_for_selector(
        ".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=timeout
    )


def _click_run_all(page, timeout_s: float = 120) -> None:
    """Run > Run All Cells from the menu bar, as a student would.

    Under load JupyterLab may still be wiring up its menus when the page appears, so
    the menu is opened again until the item shows (the one retry JupyterLab needs).
    """
    deadline = time.time() + timeout_s
    while True:
        page.locator(".lm-MenuBar-item", has_text="Run").first.click()
        item = page.locator(".lm-Menu-item:visible", has_text="Run All Cells").first
        try:
            item.wait_for(state="visible", timeout=5_000)
            item.click()
            return
        except Exception:
            page.keyboard.press("Escape")
            if time.time() > deadline:
                raise


def _wait_until_all_cells_ran(page, cells: int, timeout_s: float = 300) -> None:
    """Wait until every cell shows an execution count, then check that the counts
    are 1, 2, ..., cells: all ran, in order, in one kernel."""
    prompt = re.compile(r"\[(\d+)\]")
    done = page.locator(".jp-InputPrompt", has_text=prompt)
    deadline = time.time() + timeout_s
    while done.count() < cells:
        _no_dialog(page)
        if time.time() > deadline:
            raise TimeoutError(f"{done.count()} of {cells} cells ran in {timeout_s} s")
        time.sleep(0.5)
    counts = [int(prompt.search(t).group(1)) for t in done.all_inner_texts()]
    assert counts == list(range(1, cells + 1)), f"execution counts {counts}"


def test_explorer_notebook_runs_headless():
    """The browser's notebook itself runs without error (a broken setup cell would
    otherwise show up only as a missing explorer in the browser)."""
    from nbclient import NotebookClient

    nb = explorer_notebook()
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    for cell, explorer in zip(nb.cells[1:], EXPLORER_CELLS, strict=True):
        kinds = [o.get("output_type") for o in cell.outputs]
        assert "error" not in kinds, f"the cell building {explorer} raised an error"
        widgets = [o for o in cell.outputs if WIDGET in o.get("data", {})]
        assert widgets, f"the cell building {explorer} showed no widget: {kinds}"


def _open_and_run_all(page, base: str, notebook: str, cells: int, tmp_path) -> None:
    """Open the notebook in JupyterLab, Run All Cells, wait until all ran."""
    _start_kernel(base, notebook)
    page.goto(f"{base}/lab/tree/{notebook}?reset&token={LAB_TOKEN}")
    try:
        _wait_for_kernel(page)
        _no_dialog(page)
        _click_run_all(page)
        _wait_until_all_cells_ran(page, cells)
    except Exception:
        page.screenshot(path=str(tmp_path / "failure.png"))
        raise


def test_a_failing_check_shows_its_message_first(scratch_lab, browser_page, tmp_path):
    """In JupyterLab, a failed check shows the test's line and the message with its
    hint, no frames of the course library, and all of it is on screen, without
    scrolling, once the test cell is in view (a screenshot of the cell is kept)."""
    page, _ = browser_page
    _open_and_run_all(page, scratch_lab, FAILING_NOTEBOOK, len(FAILING_CELLS), tmp_path)
    cell = page.locator(".jp-Notebook .jp-CodeCell").nth(1)
    error = cell.locator(".jp-OutputArea-output[data-mime-type*='stderr'] pre")
    error.wait_for(state="visible", timeout=60_000)
    cell.evaluate("element => element.scrollIntoView({block: 'start'})")
    cell.screenshot(path=str(tmp_path / "failing-check.png"))
    text = error.inner_text()
    lines = text.strip().splitlines()
    assert lines[0].startswith("Test failed at line 4: checks.check_close("), text
    assert lines[1].startswith("CheckFailed: compute_distances(points, points):"), text
    assert "Hint: your result is the square of the expected one" in text, text
    assert "checks.py" not in text and "Traceback" not in text, text
    box = error.bounding_box()
    height = page.viewport_size["height"]
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height, (
        f"the message spans y = {box} in a {height} px window: not all on screen"
    )
    assert (tmp_path / "failing-check.png").stat().st_size > 0


def test_explorers_redraw_after_a_slider_moves(scratch_lab, browser_page, tmp_path):
    page, errors = browser_page
    cells = 1 + len(EXPLORER_CELLS)
    _open_and_run_all(page, scratch_lab, NOTEBOOK, cells, tmp_path)
    for explorer in EXPLORER_CELLS:
        try:
            box = page.locator(f".{explorer}")
            box.wait_for(state="attached", timeout=60_000)
            # JupyterLab renders only the cells near the viewport: bring it in.
            box.scroll_into_view_if_needed()
            page.wait_for_selector(f".{explorer} img", timeout=60_000)
        except Exception:
            page.screenshot(path=str(tmp_path / f"{explorer}.png"))
            raise
        cut = page.locator(f".{explorer} .widget-label").evaluate_all(
            "labels => labels.filter(l => l.scrollWidth > l.clientWidth + 1)"
            ".map(l => l.textContent)"
        )
        assert not cut, f"{explorer}: labels cut off: {cut}"
        before = _image_source(page, explorer)
        handle = page.locator(f".{explorer} .noUi-handle").first
        handle.focus()
        # One key press is one change, so exactly one redraw: after it nothing
        # else redraws, and the status line must end on "drawn in". (Several
        # presses queue several redraws, and the line says "computing…" again
        # between them.)
        handle.press("ArrowRight")
        deadline = time.time() + 60
        while _image_source(page, explorer) == before and time.time() < deadline:
            time.sleep(0.2)
        assert _image_source(page, explorer) != before, f"{explorer} did not redraw"
        status = page.locator(f".{explorer} .explorer-status")
        text = status.inner_text()
        while "drawn in" not in text and time.time() < deadline:
            time.sleep(0.2)
            text = status.inner_text()
        assert "drawn in" in text, (
            f"{explorer}'s status line says {text!r}; console errors: {errors}"
        )
    assert not errors, f"browser console errors: {errors}"
