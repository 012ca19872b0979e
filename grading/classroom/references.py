"""The course library as the student's process sees it: without the references of
the answers being graded.

``lib`` holds a reference version of most answers (the tests compare against them,
and later units build on them). In the sandbox, ``lib`` is a copy in which the
references of the unit being graded are stubs that raise, so an answer that hands
its work to them, by any route (an import spelled at run time, a module reached
through another object's attributes), gets nothing back to score with. The tests,
on the grader's side, keep the real library.

A reference stays where the unit's own solution calls it from an answer cell:
06's ``ThreeLayerConvNet`` is written with ``lib.conv``'s fast layers, so they stay,
and the source check (``check_own_implementation``) is what keeps them out of
``conv_forward_naive`` (a report on the grader's side, not a sandbox guarantee).
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

LIB = Path(__file__).resolve().parents[2] / "lib"

# unit -> (lib module, name) of every reference that computes one of its answers,
# under the answer's own name or another one.
REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "01_knn": (
        ("knn", "pairwise_l2"),
        ("knn", "pairwise_l1"),
        ("knn", "vote"),
        ("knn", "cross_validate"),
    ),
    "02_linear": (
        ("linear", "svm_loss"),
        ("linear", "softmax_loss"),
        ("layers", "svm_loss"),
        ("layers", "softmax_loss"),
        ("oracles", "torch_svm_loss"),
        ("oracles", "torch_softmax_loss"),
    ),
    "03_optimization": tuple(
        ("optim", name)
        for name in (
            "sgd",
            "sgd_momentum",
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
        )
    ),
    "04_backprop": (
        *(
            ("layers", name)
            for name in (
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
                "softmax_loss",
                "svm_loss",
                "bce_with_logits_loss",
            )
        ),
        ("networks", "init_weights"),
        ("networks", "FullyConnectedNet"),
    ),
    "05_regularization": (
        *(
            ("normalization", name)
            for name in (
                "batchnorm_forward",
                "batchnorm_backward",
                "layernorm_forward",
                "layernorm_backward",
                "dropout_forward",
                "dropout_backward",
            )
        ),
        ("networks", "FullyConnectedNet"),
    ),
    "06_cnn": (("oracles", "measured_receptive_field"),),
    "08_rnn": (
        *(
            ("rnn_layers", name)
            for name in (
                "rnn_step_forward",
                "rnn_step_backward",
                "rnn_forward",
                "rnn_backward",
                "word_embedding_forward",
                "word_embedding_backward",
                "lstm_step_forward",
                "lstm_step_backward",
                "lstm_forward",
                "lstm_backward",
                "gru_step_forward",
                "clip_grad_norm",
            )
        ),
        ("char_rnn", "CharRNN"),
        ("oracles", "torch_recurrent"),
    ),
    "09_attention": tuple(
        ("attention", name)
        for name in (
            "scaled_dot_product_attention",
            "causal_mask",
            "MultiHeadAttention",
            "positional_encoding",
            "TransformerBlock",
            "TinyTransformerLM",
        )
    ),
}


def _message(module: str, name: str, unit: str) -> str:
    return (
        f"lib.{module}.{name} is the course's reference for an answer of {unit}: "
        "it is not available while that unit is graded. Write the answer yourself."
    )


def _stub(node: ast.stmt, module: str, unit: str) -> ast.stmt:
    """A definition of the same name that raises when used."""
    name = node.name if hasattr(node, "name") else node.targets[0].id
    message = _message(module, name, unit)
    if isinstance(node, ast.ClassDef):
        source = (
            f"class {name}:\n"
            f"    def __init__(self, *args, **kwargs):\n"
            f"        raise NotImplementedError({message!r})\n"
        )
    else:
        source = (
            f"def {name}(*args, **kwargs):\n"
            f"    raise NotImplementedError({message!r})\n"
        )
    return ast.parse(source).body[0]


def _defines(node: ast.stmt) -> str | None:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return node.name
    if (
        isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
    ):
        return node.targets[0].id
    return None


def strip_source(source: str, module: str, names: set[str], unit: str) -> str:
    """``source`` with the top-level definitions of ``names`` replaced by stubs."""
    tree = ast.parse(source)
    body = []
    for node in tree.body:
        name = _defines(node)
        body.append(_stub(node, module, unit) if name in names else node)
    tree.body = body
    return ast.unparse(ast.fix_missing_locations(tree))


def stripped_lib(folder: Path, unit: str) -> Path:
    """A copy of ``lib`` in ``folder`` without ``unit``'s references; its path.

    Raises ``ValueError`` when a listed reference is missing from ``lib`` (the
    table above has gone stale: a renamed reference would otherwise stay)."""
    target = folder / "lib"
    shutil.copytree(LIB, target, ignore=shutil.ignore_patterns("__pycache__"))
    by_module: dict[str, set[str]] = {}
    for module, name in REFERENCES.get(unit, ()):
        by_module.setdefault(module, set()).add(name)
    for module, names in by_module.items():
        path = target / f"{module}.py"
        source = path.read_text()
        found = {_defines(n) for n in ast.parse(source).body if _defines(n) is not None}
        if not names <= found:
            raise ValueError(
                f"grading/classroom/references.py lists lib.{module}."
                f"{sorted(names - found)} for {unit}, which lib does not define"
            )
        path.write_text(strip_source(source, module, names, unit))
    for path in target.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    target.chmod(0o755)
    return target
