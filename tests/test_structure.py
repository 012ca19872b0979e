"""Every unit follows the contract: names from COURSE.md, tests for every answer,
hidden tests, wrong-answer cases, demo cells that grading may skip."""

from __future__ import annotations

import ast
import re

import nbformat
import pytest

from conftest import REPO, UNITS, unit_notebooks, wrong_answers
from grading import notebook

# The graded answers of each unit, exactly as COURSE.md names them.
EXPECTED_ANSWERS = {
    "01_knn": [
        "compute_distances_two_loops",
        "compute_distances_one_loop",
        "compute_distances_no_loops",
        "compute_distances_l1",
        "predict_labels",
        "cross_validate_k",
        "best_k",
    ],
    "02_linear": [
        "svm_loss_naive",
        "svm_loss_vectorized",
        "svm_loss_change_car",
        "svm_loss_min",
        "svm_loss_max",
        "svm_loss_at_init",
        "softmax_loss_naive",
        "softmax_loss_vectorized",
        "softmax_loss_min",
        "softmax_loss_max",
        "softmax_loss_at_init",
        "l1_penalty",
        "elastic_net_penalty",
        "LinearClassifier",
        "fit_standardizer",
        "pca_fit",
        "pca_project",
        "log_uniform",
        "random_search",
        "coarse_to_fine_search",
        "linear_hparams",
        "kl_divergence",
    ],
    "03_optimization": [
        "numerical_gradient",
        "sgd",
        "sgd_momentum",
        "momentum_trajectory",
        "nesterov",
        "adagrad",
        "rmsprop",
        "adam",
        "adamw",
        "step_decay",
        "exponential_decay",
        "inverse_time_decay",
        "cosine_annealing",
        "linear_warmup",
        "noam_schedule",
        "linear_decay",
        "sgdr_schedule",
        "PlateauScheduler",
        "robbins_monro",
        "newton_step",
    ],
    "04_backprop": [
        "affine_forward",
        "affine_backward",
        "relu_forward",
        "relu_backward",
        "leaky_relu_forward",
        "leaky_relu_backward",
        "sigmoid_forward",
        "sigmoid_backward",
        "tanh_forward",
        "tanh_backward",
        "maxout_forward",
        "maxout_backward",
        "softmax_loss",
        "svm_loss",
        "bce_with_logits_loss",
        "l2_loss",
        "l1_loss",
        "init_weights",
        "TwoLayerNet",
        "FullyConnectedNet",
        "overfit_hparams",
    ],
    "05_regularization": [
        "batchnorm_forward",
        "batchnorm_backward",
        "batchnorm_backward_alt",
        "layernorm_forward",
        "layernorm_backward",
        "dropout_forward",
        "dropout_backward",
        "FullyConnectedNet",
        "EarlyStopping",
        "fc_hparams",
    ],
    "06_cnn": [
        "conv_output_size",
        "count_conv_params",
        "receptive_field",
        "conv_forward_naive",
        "conv_backward_naive",
        "max_pool_forward_naive",
        "max_pool_backward_naive",
        "avg_pool_forward_naive",
        "avg_pool_backward_naive",
        "spatial_batchnorm_forward",
        "spatial_batchnorm_backward",
        "spatial_groupnorm_forward",
        "spatial_groupnorm_backward",
        "ThreeLayerConvNet",
        "cnn_param_count",
        "mlp_param_count",
        "param_reduction",
    ],
    "07_pytorch": [
        "flatten",
        "three_layer_convnet",
        "ThreeLayerConvNet",
        "LectureCNN",
        "train_model",
        "check_accuracy",
        "compute_saliency_maps",
        "confusion_matrix",
        "precision_recall_f1",
        "mixup_batch",
        "soft_cross_entropy",
        "cutmix_batch",
        "design_model",
        "design_hparams",
    ],
    "08_rnn": [
        "rnn_step_forward",
        "rnn_step_backward",
        "rnn_forward",
        "rnn_backward",
        "word_embedding_forward",
        "word_embedding_backward",
        "conv1d_forward",
        "conv1d_backward",
        "lstm_step_forward",
        "lstm_step_backward",
        "lstm_forward",
        "lstm_backward",
        "gru_step_forward",
        "gru_step_backward",
        "gru_forward",
        "gru_backward",
        "clip_grad_norm",
        "CharRNN",
        "sequence_mse_loss",
    ],
    "09_attention": [
        "scaled_dot_product_attention",
        "causal_mask",
        "MultiHeadAttention",
        "positional_encoding",
        "layer_norm",
        "TransformerBlock",
        "DecoderBlock",
        "label_smoothing_loss",
        "TinyTransformerLM",
        "PatchEmbedding",
        "VisionTransformer",
    ],
    "10_generative": [
        "vae_reparameterize",
        "gaussian_kl",
        "vae_loss",
        "ddpm_schedule",
        "q_sample",
        "ddpm_loss",
        "p_sample_step",
        "ddpm_sample",
        "nt_xent_loss",
        "linear_probe_accuracy",
    ],
}


def _solution_cells(unit):
    for name in unit_notebooks(unit):
        yield name, notebook.read(REPO / "solutions" / unit / name)


@pytest.mark.parametrize("unit", UNITS)
def test_points_table_gives_each_answers_total_and_the_notebooks(unit):
    """The intro's table: one convention (an answer's visible and hidden tests
    together), every answer once, and a Total row equal to the notebook's."""
    for name, nb in _solution_cells(unit):
        points = {
            c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"]
            for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade")
        }
        totals = {
            answer: sum(points[t] for t in ids)
            for answer, ids in notebook.tests_by_answer(nb).items()
        }
        intro = next(c.source for c in nb.cells if "| Exercise | Points |" in c.source)
        listed, total = {}, None
        for names, value in re.findall(r"^\| (.+?) \| (.+?) \|$", intro, re.M):
            if names == "**Total**":
                total = int(value)
            elif "`" in names:
                for answer in re.findall(r"`([^`]+)`", names):
                    assert answer not in listed, f"{name}: {answer} listed twice"
                    listed[answer] = int(value.removesuffix(" each"))
        assert listed == totals, f"{name}'s points table"
        assert total == sum(points.values()), f"{name}'s Total row"


@pytest.mark.parametrize("unit", UNITS)
def test_answers_are_named_as_in_course_md(unit):
    assert unit in EXPECTED_ANSWERS, f"add {unit}'s answers to EXPECTED_ANSWERS"
    found = [a for _, nb in _solution_cells(unit) for a in notebook.answer_ids(nb)]
    assert found == EXPECTED_ANSWERS[unit]


@pytest.mark.parametrize("unit", UNITS)
def test_every_answer_has_visible_and_hidden_tests(unit):
    for name, nb in _solution_cells(unit):
        tests = notebook.tests_by_answer(nb)
        sources = {
            c.metadata["nbgrader"]["grade_id"]: c.source
            for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade")
        }
        for answer, ids in tests.items():
            hidden = [t for t in ids if "### BEGIN HIDDEN TESTS" in sources[t]]
            visible = [t for t in ids if t not in hidden]
            assert visible and hidden, f"{name}: {answer} has tests {ids}"
            for test_id in ids:
                doc = ast.get_docstring(ast.parse(sources[test_id])) or ""
                summary = doc.splitlines()[0] if doc else ""
                # What the student sees first: which answer, and whether hidden.
                assert summary.startswith(answer), (
                    f"{test_id} should open with a docstring that names {answer}"
                )
                assert ("(hidden)" in summary) == (test_id in hidden), (
                    f"{test_id}'s docstring should say '(hidden)' exactly when "
                    "the cell holds hidden tests"
                )


@pytest.mark.parametrize("unit", UNITS)
def test_every_answer_has_two_typical_wrong_answers(unit):
    answers = EXPECTED_ANSWERS[unit]
    counts = {a: 0 for a in answers}
    for case in wrong_answers(unit):
        counts[case.answer] += 1
    assert all(n >= 2 for n in counts.values()), counts


@pytest.mark.parametrize("unit", UNITS)
def test_demo_cells_are_not_graded_and_kernel_is_python3(unit):
    for name, nb in _solution_cells(unit):
        assert nb.metadata["kernelspec"]["name"] == "python3", name
        for cell in nb.cells:
            if notebook.is_demo(cell):
                assert "nbgrader" not in cell.metadata, cell.id


def _names(source: str) -> tuple[set[str], set[str]]:
    """(names a cell binds, names it reads), at any depth; IPython magics skipped."""
    code = "\n".join(
        line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))
    )
    bound, read = set(), set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names)
    return bound, read


def _reads_of_demo_names(cells) -> dict[str, list[str]]:
    """cell id -> the names it reads that only demo cells bind."""
    code = [c for c in cells if c.cell_type == "code"]
    made = {True: set(), False: set()}
    for cell in code:
        made[notebook.is_demo(cell)] |= _names(cell.source)[0]
    only_demos = made[True] - made[False]
    return {
        cell.id: sorted(_names(cell.source)[1] & only_demos)
        for cell in code
        if not notebook.is_demo(cell) and _names(cell.source)[1] & only_demos
    }


def test_a_cell_that_reads_a_demo_s_result_is_found():
    demo = nbformat.v4.new_code_cell("import time\nspeed = f(lambda v: v)", id="d")
    demo.metadata["tags"] = ["demo"]
    cells = [
        nbformat.v4.new_code_cell(
            "def f(g, h=1):\n    return [x for x in g(h)]", id="a"
        ),
        demo,
        nbformat.v4.new_code_cell("assert f(abs, 2) and speed > 0", id="t"),
        nbformat.v4.new_code_cell("time = 3\nprint(time)", id="u"),
    ]
    assert _reads_of_demo_names(cells) == {"t": ["speed"]}


@pytest.mark.parametrize("unit", UNITS)
def test_no_cell_reads_what_only_a_demo_cell_makes(unit):
    """Grading may skip demo cells (course.py grade does, and so do the blank and
    wrong-answer runs of this suite), so nothing else may depend on them."""
    for name, nb in _solution_cells(unit):
        assert _reads_of_demo_names(nb.cells) == {}, f"{unit}/{name}"


@pytest.mark.parametrize("unit", UNITS)
def test_test_cells_report_success_with_checks_passed(unit):
    """One helper says "all visible tests passed", not a hand-written print each."""
    for name in unit_notebooks(unit):
        nb = notebook.read(REPO / "solutions" / unit / name)
        for cell in nb.cells:
            if notebook.is_test_cell(cell):
                assert "all visible tests passed" not in cell.source, (
                    f"{unit}/{name}: {cell.metadata['nbgrader']['grade_id']} prints "
                    "its own success line; call checks.passed(name) instead"
                )


@pytest.mark.parametrize("unit", UNITS)
def test_the_setup_cell_is_read_only(unit):
    """The first code cell (imports, data) is an nbgrader read-only cell: a student
    who edits it gets the course's back at grading."""
    for name in unit_notebooks(unit):
        nb = notebook.read(REPO / "solutions" / unit / name)
        first = next(c for c in nb.cells if c.cell_type == "code")
        meta = first.metadata.get("nbgrader", {})
        assert meta.get("grade_id") == "setup" and meta.get("locked"), (unit, meta)
        assert not meta.get("grade") and not meta.get("solution"), (unit, meta)


@pytest.mark.parametrize("unit", UNITS)
def test_each_unit_asks_a_written_question_with_a_rubric(unit):
    """A written answer (nbgrader's manually graded answer): in the solution, a
    model answer and a rubric whose points add up to the cell's; in the release,
    nothing of either."""
    count = 0
    for name in unit_notebooks(unit):
        solution = notebook.read(REPO / "solutions" / unit / name)
        release = notebook.read(REPO / "assignments" / unit / name)
        blanks = {
            c.metadata["nbgrader"]["grade_id"]: c.source
            for c in release.cells
            if notebook.is_written_cell(c)
        }
        for cell in solution.cells:
            if not notebook.is_written_cell(cell):
                continue
            count += 1
            gid = cell.metadata["nbgrader"]["grade_id"]
            assert "**Model answer.**" in cell.source, gid
            rubric = re.search(
                r"\*\*Rubric \((\d+) points\)\.\*\*(.*)", cell.source, re.S
            )
            assert rubric, f"{gid}: no rubric"
            points = int(rubric.group(1))
            assert points == cell.metadata["nbgrader"]["points"], gid
            awarded = re.findall(r"(\d+) points?:", rubric.group(2))
            assert sum(map(int, awarded)) == points, f"{gid}: rubric items {awarded}"
            assert gid.startswith("written_"), gid
            assert blanks.get(gid) == "YOUR ANSWER HERE", f"{gid} in the release"
    assert count >= 1, f"{unit} has no written question"


@pytest.mark.parametrize("unit", UNITS)
def test_cells_draw_through_lib_plot_not_pyplot(unit):
    """No cell imports pyplot, the setup cell included (0.8 s in every kernel,
    graded ones too): demos draw through lib.plot, which imports matplotlib on the
    first drawing."""
    for name in unit_notebooks(unit):
        nb = notebook.read(REPO / "solutions" / unit / name)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            assert "matplotlib" not in cell.source and "plt." not in cell.source, (
                f"{unit}/{name}: cell {cell.id} uses pyplot; use lib.plot "
                "(plot.subplots, plot.show, plot.plot_curves, ...)"
            )


@pytest.mark.parametrize("unit", UNITS)
def test_the_grader_reads_cell_kinds_as_nbgrader_does(unit):
    """grading.notebook's answer and test cells are nbgrader.utils' solution and
    grade cells (read without importing nbgrader; see grading/notebook.py), on every
    cell of the solution and the release."""
    from nbgrader import utils

    for name in unit_notebooks(unit):
        for folder in ("solutions", "assignments"):
            for cell in notebook.read(REPO / folder / unit / name).cells:
                answer = bool(utils.is_solution(cell)) and not utils.is_grade(cell)
                test = bool(utils.is_grade(cell)) and not utils.is_solution(cell)
                assert notebook.is_answer_cell(cell) == answer, (folder, cell.id)
                assert notebook.is_test_cell(cell) == test, (folder, cell.id)


def _handed_out(nb) -> tuple[dict[str, str], dict]:
    """(name -> lib module) of what the setup and helper cells give students to
    use in answers (``sigmoid = rnn_layers.sigmoid``, a function imported from a
    course module), and the constants those cells bind (``OWN_LAYERS = (...)``).
    Helper functions defined there are the tests' machinery and not handed out."""
    import importlib
    import types

    modules, names = {}, {}
    for c in nb.cells:
        if c.cell_type != "code" or notebook.is_demo(c):
            continue
        if notebook.is_test_cell(c) or notebook.is_answer_cell(c):
            continue
        try:
            tree = ast.parse(c.source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "lib"
            ):
                for a in node.names:
                    obj = getattr(importlib.import_module(node.module), a.name, None)
                    if obj is None:
                        obj = importlib.import_module(f"{node.module}.{a.name}")
                    bound = a.asname or a.name
                    if isinstance(obj, types.ModuleType):
                        modules[bound] = obj.__name__
                    elif bound not in ("checks",):
                        names[bound] = node.module
            elif isinstance(node, ast.Assign) and len(node.targets) == 1:
                target, value = node.targets[0], node.value
                if not isinstance(target, ast.Name):
                    continue
                base = getattr(value, "value", None)
                if (
                    isinstance(value, ast.Attribute)
                    and isinstance(base, ast.Name)
                    and modules.get(base.id, "lib.checks") != "lib.checks"
                ):
                    names[target.id] = modules[base.id]
    return names, _constants(nb)


def _constants(nb) -> dict:
    """Tuples, lists and constants that the notebook's cells bind by name at the
    top level (``OWN_LAYERS = ("affine_forward", ...)``), in order."""
    constants: dict = {}
    for c in nb.cells:
        if c.cell_type != "code":
            continue
        try:
            tree = ast.parse(notebook.strip_markers(c.source))
        except SyntaxError:
            continue
        for node in tree.body:
            if not (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Tuple | ast.List | ast.Constant)
            ):
                continue
            try:
                code = compile(ast.Expression(node.value), "<constant>", "eval")
                constants[node.targets[0].id] = eval(code, {}, dict(constants))  # noqa: S307
            except Exception:  # noqa: BLE001 -- not a constant of names
                continue
    return constants


@pytest.mark.parametrize("unit", UNITS)
def test_no_helper_the_notebook_hands_out_is_refused_by_an_answers_check(unit):
    """Every helper a setup or helper cell gives students may be used in any
    answer: no own-implementation check refuses it (its allow= lists it)."""
    from lib import checks as checks_module
    from lib.checks import NUMPY_EXERCISE

    for name in unit_notebooks(unit):
        nb = notebook.read(REPO / "solutions" / unit / name)
        helpers, constants = _handed_out(nb)
        scope = {**constants, "NUMPY_EXERCISE": NUMPY_EXERCISE}
        refused = []
        for cell in nb.cells:
            if not notebook.is_test_cell(cell):
                continue
            tree = ast.parse(notebook.strip_markers(cell.source))
            for call in ast.walk(tree):
                if not (
                    isinstance(call, ast.Call)
                    and getattr(call.func, "attr", "") == "check_own_implementation"
                ):
                    continue
                given = {k.arg: k.value for k in call.keywords}

                def value(key, default, given=given, scope=scope):
                    if key not in given:
                        return default
                    code = compile(ast.Expression(given[key]), "<arg>", "eval")
                    return eval(code, {"checks": checks_module}, dict(scope))  # noqa: S307

                forbidden, allow = (
                    value("forbidden", NUMPY_EXERCISE),
                    value("allow", ()),
                )
                for helper, module in helpers.items():
                    blocked = any(
                        module == p or module.startswith(p + ".") for p in forbidden
                    )
                    if blocked and helper not in allow:
                        refused.append((cell.metadata["nbgrader"]["grade_id"], helper))
        assert not refused, (
            f"{unit}: these checks refuse a helper the notebook hands out: {refused}"
        )
