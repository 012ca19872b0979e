"""The network explorers work without a browser: activations at initialisation and
loss-landscape slices of a trained network."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from lib import explorers, layers, networks  # noqa: E402
from lib.explorers import initialisation, network_landscape  # noqa: E402


def test_activations_vanish_with_small_weights_and_explode_when_scaled_up():
    small = explorers.activations("small", "tanh", num_inputs=200, width=200)
    he = explorers.activations("he", "relu", num_inputs=200, width=200)
    big = explorers.activations("he", "relu", 2.0, num_inputs=200, width=200)
    assert len(small) == 10
    assert small[-1].std() < 1e-5 < 0.5 < he[-1].std() < 2 < 100 < big[-1].std()


def test_choose_init_prefers_a_working_student_function():
    def mine(fan_in, fan_out, method, rng):
        return np.zeros((fan_in, fan_out))

    def unfinished(fan_in, fan_out, method, rng):
        raise NotImplementedError

    assert initialisation.choose_init({"init_weights": mine}) == (mine, "yours")
    chosen = initialisation.choose_init({"init_weights": unfinished})
    assert chosen == (networks.init_weights, "reference")


def test_plot_activation_histograms_has_one_panel_per_layer_and_names_the_source():
    fig = explorers.plot_activation_histograms("xavier", "relu", num_layers=4)
    assert len(fig.axes) == 5
    assert "reference" in fig._suptitle.get_text()
    plt.close(fig)


def _trained_net():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 5))
    y = (X[:, 0] > 0).astype(int)
    net = networks.FullyConnectedNet([8], input_dim=5, num_classes=2, weight_scale=0.3)
    for _ in range(200):
        _, grads = net.loss(X, y)
        for key in net.params:
            net.params[key] -= 0.5 * grads[key]
    return net, X, y


def test_filter_normalised_directions_match_each_column_norm():
    net, _, _ = _trained_net()
    d = network_landscape.random_direction(net.params, np.random.default_rng(1))
    for key, value in net.params.items():
        if value.ndim == 1:
            assert not d[key].any()
        else:
            assert np.allclose(
                np.linalg.norm(d[key], axis=0), np.linalg.norm(value, axis=0)
            )


def test_slices_have_the_trained_minimum_at_the_centre_and_restore_params():
    net, X, y = _trained_net()
    saved = {k: v.copy() for k, v in net.params.items()}
    rng = np.random.default_rng(2)
    d1, d2 = (network_landscape.random_direction(net.params, rng) for _ in range(2))
    alphas = np.linspace(-1, 1, 5)
    line = network_landscape.slice_1d(net, X, y, d1, alphas)
    grid = network_landscape.slice_2d(net, X, y, d1, d2, alphas, alphas)
    centre = network_landscape.data_loss(net, X, y)
    assert line.shape == (5,) and grid.shape == (5, 5)
    assert np.isclose(line[2], centre) and np.isclose(grid[2, 2], centre)
    assert line.argmin() == 2 and grid.argmin() == 12
    assert all(np.array_equal(saved[k], v) for k, v in net.params.items())


def test_network_landscape_plot_and_widget_redraw():
    from lib.explorers import render_png

    net, X, y = _trained_net()
    ax = explorers.plot_network_landscape(net, X, y, kind="1d", resolution=7)
    assert "1D loss slice" in ax.get_title()
    plt.close(ax.figure)
    box = explorers.interact_network_landscape(net, X, y)
    output = box.output
    before = output.outputs[0]["data"]["image/png"]
    box.controls["span"].value = 2.0
    after = output.outputs[0]["data"]["image/png"]
    assert before != after
    assert "explorer-network-landscape" in box._dom_classes
    assert render_png(plt.figure())


def test_more_relus_fit_every_target_better_and_a_jump_worst():
    from lib.explorers import approximation

    for target in approximation.TARGETS:
        errors = [approximation.fit(target, n)[2] for n in (2, 8, 32, 128)]
        assert all(a > b for a, b in zip(errors, errors[1:], strict=False)), target
    # Four times the units: smooth targets about 16 times less error (error ~
    # 1/width^2), the jump only about 2 times (error ~ 1/sqrt(width)).
    sine = approximation.fit("sine", 32)[2] / approximation.fit("sine", 128)[2]
    step = approximation.fit("step", 32)[2] / approximation.fit("step", 128)[2]
    assert 12 < sine < 20 and 1.5 < step < 2.7, (sine, step)
    values, pieces, _, _ = approximation.fit("bump", 6, kinks="random", seed=3)
    assert pieces.shape == (6, approximation.GRID.size)
    assert np.allclose(pieces.sum(axis=0) + (values - pieces.sum(axis=0))[0], values)


def test_approximation_plot_and_widget_redraw():
    fig = explorers.plot_approximation("step", width=16)
    assert fig.axes[0].get_title().startswith("step: RMS error")
    plt.close(fig)
    box = explorers.interact_approximation()
    output = box.output
    before = output.outputs[0]["data"]["image/png"]
    box.controls["width"].value = 64
    assert output.outputs[0]["data"]["image/png"] != before
    assert "explorer-approximation" in box._dom_classes


def test_a_chain_slice_is_computed_a_row_at_a_time_and_equals_the_loop():
    """The batched slice of an affine-ReLU chain gives the loop's losses; a model
    whose loss disagrees with the chain is sliced by the loop, through its loss."""
    net, X, y = _trained_net()
    deep = networks.FullyConnectedNet([6, 4], input_dim=5, num_classes=2, seed=1)
    rng = np.random.default_rng(2)
    for model in (net, deep):
        d1 = network_landscape.random_direction(model.params, rng)
        d2 = network_landscape.random_direction(model.params, rng)
        alphas, betas = np.linspace(-1, 1, 5), np.linspace(-0.5, 0.5, 3)
        fast = network_landscape.slice_2d(model, X, y, d1, d2, alphas, betas)
        slow = network_landscape._looped(model, X, y, d1, d2, alphas, betas)
        assert np.allclose(fast, slow, rtol=1e-10), np.abs(fast - slow).max()

    class Doubled:  # same params, but its scores are twice the chain's
        params = net.params

        def loss(self, X):
            return 2 * net.loss(X)

    d1 = network_landscape.random_direction(net.params, rng)
    line = network_landscape.slice_1d(Doubled(), X, y, d1, alphas)
    with network_landscape._moved(net, [(alphas[0], d1)]):
        expected = float(layers.softmax_loss(2 * net.loss(X), y)[0])
    assert np.isclose(line[0], expected)
