"""Mutants of unit 02_linear's answers that compute the same thing as the solution
(grading/mutation.py); `course.py mutants 02_linear` lists them as equivalent."""

_PRINTING = (
    "changes only what train prints when verbose (which iterations, or nothing): "
    "the docstring asks for no printing, the weights and losses are the same"
)
_PLACEHOLDER = (
    "the placeholder where p = 0 (1.0 -> 1.5): those entries are replaced by 0.0 "
    "in the sum, so the value never reaches the result"
)

# A tuning answer is a choice, not a computation: a mutant that nudges one of its
# numbers is another choice, right when it still reaches the targets (the tests
# grade the trained result, never the numbers themselves).
_ANOTHER_CHOICE = (
    "a neighbouring setting (one number nudged) that still reaches both targets: "
    "another valid choice, not a bug"
)

EQUIVALENT = {
    ("svm_loss_naive", "comparison: `margin > 0`#0/0"): (
        "margin >= 0 instead of > 0 differs only at a margin of exactly 0, where "
        "the hinge has a kink and both gradients are valid subgradients; the prose "
        "fixes none, so no test may require one"
    ),
    (
        "svm_loss_vectorized",
        "arguments: `np.maximum(0.0, scores - scores[rows, y][:, None] + 1.0)`#0/0",
    ): ("np.maximum is symmetric in its two inputs: the same margins"),
    ("pca_fit", "arithmetic: `centred.T @ centred / len(X)`#0/0"): (
        "the covariance times N^2 instead of divided by N: a positive multiple of a "
        "matrix has the same eigenvectors in the same order, and pca_fit returns "
        "only the mean and the eigenvectors"
    ),
    ("pca_fit", "arithmetic: `components * np.sign(largest)[:, None]`#0/0"): (
        "dividing by a sign (+1 or -1) is multiplying by it: the same components"
    ),
    (
        "coarse_to_fine_search",
        "arguments: `max(1, int(np.ceil(keep * num_coarse)))`#0/0",
    ): ("max is symmetric in its two arguments: the same count"),
    ("kl_divergence", "constant: `1.0`#0/0"): _PLACEHOLDER,
    ("kl_divergence", "constant: `1.0`#1/0"): _PLACEHOLDER,
    **{
        ("LinearClassifier", ident): _PRINTING
        for ident in (
            "logic: `verbose and it % 100 == 0`#0/0",
            'statement: `print(f"iteration {it} / {num_iters}: loss {loss:.4f}")`#0/0',
            "comparison: `it % 100 == 0`#0/0",
            "arithmetic: `it % 100`#0/0",
            "constant: `100`#0/0",
            "constant: `100`#0/1",
            "constant: `0`#1/0",
            "constant: `0`#1/1",
        )
    },
    ("linear_hparams", "constant: `1.0`#0/0"): _ANOTHER_CHOICE,
    ("linear_hparams", "constant: `1e-3`#0/0"): _ANOTHER_CHOICE,
    ("linear_hparams", "constant: `1500`#0/1"): _ANOTHER_CHOICE,
    ("linear_hparams", "constant: `200`#0/1"): _ANOTHER_CHOICE,
}
