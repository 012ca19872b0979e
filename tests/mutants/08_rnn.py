"""Mutants of unit 08_rnn's answers that compute the same thing as the solution
(grading/mutation.py); `course.py mutants 08_rnn` lists them as equivalent."""

_PROMOTION = "NumPy's type promotion is symmetric: the same dtype in any order"
_LAST_STEP = (
    "D read from the last step's cache (cache[-1][0]) instead of the first's: "
    "every step's x has the same D columns"
)

EQUIVALENT = {
    ("conv1d_forward", "arguments: `np.result_type(x, w)`#0/0"): _PROMOTION,
    ("rnn_forward", "arguments: `np.result_type(x, h0, Wx)`#0/0"): _PROMOTION,
    ("lstm_forward", "arguments: `np.result_type(x, h0, Wx)`#0/0"): _PROMOTION,
    ("gru_forward", "arguments: `np.result_type(x, h0, Wx)`#0/0"): _PROMOTION,
    ("rnn_backward", "constant: `0`#2/1"): _LAST_STEP,
    ("lstm_backward", "constant: `0`#2/1"): _LAST_STEP,
    ("gru_backward", "constant: `0`#2/1"): _LAST_STEP,
    ("clip_grad_norm", "arguments: `min(1.0, max_norm / (total_norm + 1e-6))`#0/0"): (
        "min is symmetric in its two arguments: the same scale"
    ),
}
