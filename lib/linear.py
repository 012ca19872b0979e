"""Reference linear-classifier losses (for tests and later units; graded answers may
not call them).

Shapes: N examples, D features, C classes. Scores are ``X @ W`` with X (N, D) and
W (D, C). Data losses are averaged over the batch; L2 regularisation adds
``reg * sum(W * W)`` (gradient ``2 * reg * W``).
"""

from __future__ import annotations

import numpy as np


def svm_loss(W: np.ndarray, X: np.ndarray, y: np.ndarray, reg: float):
    """Multiclass SVM (hinge) loss with margin 1, and its gradient dW (D, C)."""
    N = len(X)
    scores = X @ W
    correct = scores[np.arange(N), y][:, None]
    margins = np.maximum(0.0, scores - correct + 1.0)
    margins[np.arange(N), y] = 0.0
    loss = margins.sum() / N + reg * np.sum(W * W)
    # Each positive margin pushes its class up and the correct class down.
    weights = (margins > 0).astype(X.dtype)
    weights[np.arange(N), y] = -weights.sum(axis=1)
    return loss, X.T @ weights / N + 2 * reg * W


def softmax_loss(W: np.ndarray, X: np.ndarray, y: np.ndarray, reg: float):
    """Softmax cross-entropy loss (stable for large scores), and its gradient dW."""
    N = len(X)
    scores = X @ W
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(N), y].mean() + reg * np.sum(W * W)
    dscores = np.exp(log_probs)
    dscores[np.arange(N), y] -= 1.0
    return loss, X.T @ dscores / N + 2 * reg * W
