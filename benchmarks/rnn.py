"""Unit 08_rnn: the solution's CharRNN (LSTM and vanilla RNN) trained on the census
first names with the notebook's settings for at most 60 s of CPU time each, against
the bigram baseline on the same validation split."""

from __future__ import annotations

from benchmarks.training import solution_namespace
from grading import notebook
from grading.layout import ROOT as REPO
from lib import char_rnn, rnn_layers, sequence, text

BUDGET_S = 60.0


def rows() -> list[tuple[str, float, str]]:
    # Every answer of the notebook: CharRNN calls the layers, the layers call the
    # steps, and the training clips with the solution's clip_grad_norm.
    answers = notebook.answer_ids(
        notebook.read(REPO / "solutions" / "08_rnn" / "rnn.ipynb")
    )
    ns = solution_namespace(
        "08_rnn",
        "rnn.ipynb",
        answers,
        sequence=sequence,
        sigmoid=rnn_layers.sigmoid,
    )
    vocab, ids, _ = text.name_splits("first", val_fraction=0.1, seed=0)
    bigram = text.bigram_nll(ids["train"], ids["val"], vocab.size, alpha=0.1)
    found = [("08: bigram validation loss (nats/char)", bigram, "")]
    for cell in ("lstm", "rnn"):
        model = ns["CharRNN"](
            vocab.size, wordvec_dim=32, hidden_dim=128, cell_type=cell
        )
        history = char_rnn.train(
            model,
            ids["train"],
            ids["val"],
            epochs=30,
            batch_size=64,
            learning_rate=5e-3,
            max_norm=1.0,
            clip=ns["clip_grad_norm"],
            time_limit=BUDGET_S,
        )
        best = min(history["val_loss"])
        found += [
            (f"08: CharRNN {cell}, validation loss (nats/char)", best, ""),
            (f"08: CharRNN {cell}, bigram minus its loss", bigram - best, ">= 0.15"),
            (
                f"08: CharRNN {cell}, training seconds ({len(history['val_loss'])} "
                "epochs)",
                history["seconds"],
                f"<= {BUDGET_S:.0f}",
            ),
        ]
    return found
