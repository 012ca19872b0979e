"""Typical wrong answers for unit 07_pytorch; each must lose points in its own tests
only (see wrong_answer.WrongAnswer)."""

from wrong_answer import WrongAnswer

# The functional network and the modules call the student's flatten.
# The convnets' tests swap the course's flatten in, so no answer depends on
# another's correctness.
# design_hparams is graded by training design_model: a broken network costs
# design_hparams its points too.
DEPENDS_ON: dict[str, set[str]] = {"design_hparams": {"design_model"}}

CASES = [
    WrongAnswer(
        "cutmix_batch",
        "boxes never reach the first row or column",
        replace=[
            ("max(cy - cut_h // 2, 0)", "max(cy - cut_h // 2, 1)"),
            ("max(cx - cut_w // 2, 0)", "max(cx - cut_w // 2, 1)"),
        ],
        says="Hint: centre the box on ANY pixel, and cut it at the border.",
    ),
    WrongAnswer(
        "cutmix_batch",
        "weights the labels by 1 - lam, not by the area pasted",
        replace=[
            ("pasted = (bottom - top) * (right - left) / (H * W)", "pasted = 1 - lam")
        ],
        says="Hint: weight the partner's label by the area actually pasted",
    ),
    WrongAnswer(
        "cutmix_batch",
        "a new box for every example",
        replace=[
            (
                "    x_mixed = x.clone()\n"
                "    x_mixed[:, :, top:bottom, left:right] = x[partner, :, top:bottom, "
                "left:right]\n",
                "    x_mixed = x.clone()\n"
                "    for i in range(N):\n"
                "        cy = int(torch.randint(H, (1,), generator=generator))\n"
                "        cx = int(torch.randint(W, (1,), generator=generator))\n"
                "        top = max(cy - cut_h // 2, 0)\n"
                "        bottom = min(cy + cut_h // 2, H)\n"
                "        left = max(cx - cut_w // 2, 0)\n"
                "        right = min(cx + cut_w // 2, W)\n"
                "        x_mixed[i, :, top:bottom, left:right] = x[partner[i], :, "
                "top:bottom, left:right]\n",
            )
        ],
        says="Hint: draw ONE box for the whole batch",
    ),
    WrongAnswer(
        "cutmix_batch",
        "one-hot labels: the pasted area is not in y_soft",
        replace=[
            (
                "return x_mixed, (1 - pasted) * one_hot + pasted * one_hot[partner]",
                "return x_mixed, one_hot",
            )
        ],
        says="Hint: mix the labels by the pasted area a",
    ),
    WrongAnswer(
        "flatten",
        "view() fails on tensors that are not contiguous",
        replace=[("return x.reshape(x.shape[0], -1)", "return x.view(x.shape[0], -1)")],
        says="RuntimeError: view size is not compatible",
    ),
    WrongAnswer(
        "flatten",
        "flattens the batch axis too",
        replace=[("return x.reshape(x.shape[0], -1)", "return x.reshape(-1)")],
        says="Hint: keep the first (batch) axis, merge all the others.",
    ),
    WrongAnswer(
        "three_layer_convnet",
        "no padding",
        replace=[
            (
                "F.conv2d(x, conv_w1, conv_b1, padding=2)",
                "F.conv2d(x, conv_w1, conv_b1)",
            ),
            (
                "F.conv2d(x, conv_w2, conv_b2, padding=1)",
                "F.conv2d(x, conv_w2, conv_b2)",
            ),
        ],
        says="Hint: pad the 5x5 conv by 2 and the 3x3 conv by 1 so H and W",
    ),
    WrongAnswer(
        "three_layer_convnet",
        "forgets the second ReLU",
        replace=[
            (
                "x = F.relu(F.conv2d(x, conv_w2, conv_b2, padding=1))",
                "x = F.conv2d(x, conv_w2, conv_b2, padding=1)",
            )
        ],
        says="Hint: conv 5x5 pad 2, ReLU, conv 3x3 pad 1, ReLU, flatten, @ fc_w",
    ),
    WrongAnswer(
        "ThreeLayerConvNet",
        "default initialisation, biases not zeroed",
        replace=[
            (
                "        for conv_layer in (self.conv1, self.conv2):\n"
                "            nn.init.kaiming_normal_(conv_layer.weight)\n"
                "            nn.init.zeros_(conv_layer.bias)\n",
                "",
            )
        ],
        says="CheckFailed: ThreeLayerConvNet's convolutions:",
    ),
    WrongAnswer(
        "ThreeLayerConvNet",
        "ReLU on the scores",
        replace=[("return self.fc(flatten(x))", "return F.relu(self.fc(flatten(x)))")],
        says="CheckFailed: ThreeLayerConvNet against the functional network:",
    ),
    WrongAnswer(
        "LectureCNN",
        "forgets the second pooling layer",
        replace=[
            (
                "nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),",
                "nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),",
            ),
            (
                "nn.Linear(32 * (image_size // 4) ** 2, 128)",
                "nn.Linear(32 * (image_size // 2) ** 2, 128)",
            ),
        ],
        says="Hint: conv 3x3 -> 16, pool, conv 3x3 -> 32, pool, 2048 -> 128 ->",
    ),
    WrongAnswer(
        "LectureCNN",
        "no ReLU between the fully connected layers",
        replace=[
            (
                "nn.Linear(32 * (image_size // 4) ** 2, 128), nn.ReLU(),",
                "nn.Linear(32 * (image_size // 4) ** 2, 128),",
            )
        ],
        says="CheckFailed: LectureCNN(2, 12, 4) against the layers applied in order:",
    ),
    WrongAnswer(
        "train_model",
        "never zeroes the gradients",
        replace=[("            optimizer.zero_grad()\n", "")],
        says="Hint: zero the gradients before every backward pass, and average",
    ),
    WrongAnswer(
        "train_model",
        "returns the last batch's loss, not the epoch mean",
        replace=[("losses.append(total / batches)", "losses.append(loss.item())")],
        says="Hint: zero the gradients before every backward pass, and average",
    ),
    WrongAnswer(
        "train_model",
        "leaves the model in evaluation mode",
        replace=[("        model.train()\n", "")],
        says="Hint: the model arrived in evaluation mode and stayed there: call",
    ),
    WrongAnswer(
        "check_accuracy",
        "a model left in train mode at evaluation",
        replace=[("    model.eval()\n", "")],
        says="Hint: call model.eval() first: dropout must be off when you",
    ),
    WrongAnswer(
        "check_accuracy",
        "averages per-batch accuracies",
        source="def check_accuracy(model, loader, device):\n"
        "    model.eval()\n"
        "    accuracies = []\n"
        "    with torch.no_grad():\n"
        "        for x, y in loader:\n"
        "            predictions = model(x.to(device)).argmax(dim=1)\n"
        "            accuracies.append((predictions == y.to(device)).double().mean()"
        ".item())\n"
        "    return float(np.mean(accuracies))\n",
        says="Hint: count correct examples over all batches",
    ),
    WrongAnswer(
        "check_accuracy",
        "records gradients while evaluating",
        source="def check_accuracy(model, loader, device):\n"
        "    model.eval()\n"
        "    correct = total = 0\n"
        "    for x, y in loader:\n"
        "        scores = model(x.to(device))\n"
        "        scores.sum().backward()\n"
        "        correct += (scores.argmax(dim=1) == y.to(device)).sum().item()\n"
        "        total += len(y)\n"
        "    return correct / total\n",
        says="Hint: evaluate under torch.no_grad().",
    ),
    WrongAnswer(
        "compute_saliency_maps",
        "the gradient of the loss instead of the score",
        replace=[
            (
                "total = scores.gather(1, y.view(-1, 1)).sum()",
                "total = F.cross_entropy(scores, y)",
            )
        ],
        says="Hint: the gradient of the correct class's SCORE (not the loss),",
    ),
    WrongAnswer(
        "compute_saliency_maps",
        "signed gradient, no absolute value",
        replace=[("return grad.abs().amax(dim=1)", "return grad.amax(dim=1)")],
        says="Hint: the gradient of the correct class's SCORE (not the loss),",
    ),
    WrongAnswer(
        "compute_saliency_maps",
        "keeps dropout on",
        replace=[("    model.eval()\n", "")],
        says="Hint: the model was left in training mode, so dropout changed the",
    ),
    WrongAnswer(
        "ThreeLayerConvNet",
        "keeps PyTorch's default initialisation",
        replace=[("            nn.init.kaiming_normal_(conv_layer.weight)\n", "")],
        says="Hint: initialise each conv's weights with nn.init.kaiming_normal_",
    ),
    WrongAnswer(
        "confusion_matrix",
        "rows are the predicted classes",
        replace=[
            (
                "np.add.at(counts, (np.asarray(y_true), np.asarray(y_pred)), 1)",
                "np.add.at(counts, (np.asarray(y_pred), np.asarray(y_true)), 1)",
            )
        ],
        says="Hint: rows are the TRUE classes, columns the predicted ones.",
    ),
    WrongAnswer(
        "confusion_matrix",
        "fancy-index += counts a repeated pair once",
        replace=[
            (
                "np.add.at(counts, (np.asarray(y_true), np.asarray(y_pred)), 1)",
                "counts[np.asarray(y_true), np.asarray(y_pred)] += 1",
            )
        ],
        says="Hint: count every example: class 2 predicted as 2 happens twice",
    ),
    WrongAnswer(
        "precision_recall_f1",
        "precision and recall swapped",
        replace=[
            (
                "predicted, actual = counts.sum(axis=0), counts.sum(axis=1)",
                "predicted, actual = counts.sum(axis=1), counts.sum(axis=0)",
            )
        ],
        says="Hint: precision divides by the number PREDICTED as the class",
    ),
    WrongAnswer(
        "precision_recall_f1",
        "F1 as the arithmetic mean",
        replace=[
            (
                "f1 = np.divide(2 * precision * recall, both,",
                "f1 = np.divide(both / 2, np.ones(num_classes),",
            )
        ],
        says="Hint: F1 is the HARMONIC mean 2PR / (P + R), not (P + R) / 2.",
    ),
    WrongAnswer(
        "precision_recall_f1",
        "divides by zero for absent classes",
        source="def precision_recall_f1(y_true, y_pred, num_classes):\n"
        "    counts = confusion_matrix(y_true, y_pred, num_classes)\n"
        "    hits = np.diag(counts).astype(np.float64)\n"
        "    precision = hits / counts.sum(axis=0)\n"
        "    recall = hits / counts.sum(axis=1)\n"
        "    return precision, recall, 2 * precision * recall / (precision + recall)\n",
        says="Hint: where a denominator is 0 the value is 0, not nan",
    ),
    WrongAnswer(
        "confusion_matrix",
        "sizes the matrix from the labels it sees",
        replace=[
            (
                "counts = np.zeros((num_classes, num_classes), dtype=np.int64)",
                "size = int(max(np.max(y_true), np.max(y_pred))) + 1\n"
                "    counts = np.zeros((size, size), dtype=np.int64)",
            )
        ],
        says="Hint: a (num_classes, num_classes) matrix, whatever labels occur.",
    ),
    WrongAnswer(
        "mixup_batch",
        "one lam per example",
        replace=[
            (
                "lam = torch.distributions.Beta(alpha, alpha).sample().item()",
                "lam = torch.distributions.Beta(alpha, alpha).sample((len(x),))\n"
                "    lam = lam.to(x.device).reshape(-1, *[1] * (x.dim() - 1))",
            ),
            (
                "lam * one_hot + (1 - lam) * one_hot[partner])",
                "lam.reshape(-1, 1) * one_hot\n"
                "            + (1 - lam.reshape(-1, 1)) * one_hot[partner])",
            ),
        ],
        says="Hint: draw ONE lam for the whole batch, not one per example.",
    ),
    WrongAnswer(
        "mixup_batch",
        "leaves the labels one-hot",
        replace=[
            (
                "lam * one_hot + (1 - lam) * one_hot[partner])",
                "one_hot)",
            )
        ],
        says="Hint: mix the labels with the same lam and partners as the images",
    ),
    WrongAnswer(
        "mixup_batch",
        "lam uniform on [0, 1]",
        replace=[
            (
                "lam = torch.distributions.Beta(alpha, alpha).sample().item()",
                "lam = torch.rand(1).item()",
            )
        ],
        says="Hint: torch.distributions.Beta(alpha, alpha).sample()",
    ),
    WrongAnswer(
        "mixup_batch",
        "draws a second lam for the labels",
        replace=[
            (
                "lam * one_hot + (1 - lam) * one_hot[partner])",
                "(lam := torch.distributions.Beta(alpha, alpha).sample().item())"
                " * one_hot + (1 - lam) * one_hot[partner])",
            )
        ],
        says="Hint: blend the images with the SAME lam and the SAME partners",
    ),
    WrongAnswer(
        "soft_cross_entropy",
        "sums over the batch",
        replace=[
            (
                "return -(y_soft * F.log_softmax(logits, dim=1)).sum(dim=1).mean()",
                "return -(y_soft * F.log_softmax(logits, dim=1)).sum()",
            )
        ],
        says="then the MEAN over the batch.",
    ),
    WrongAnswer(
        "soft_cross_entropy",
        "the log of a softmax",
        replace=[
            (
                "F.log_softmax(logits, dim=1)",
                "torch.log(torch.softmax(logits, dim=1))",
            )
        ],
        says="Hint: log(softmax(.)) underflows to log(0) = -inf for large logits",
    ),
    WrongAnswer(
        "soft_cross_entropy",
        "keeps only the most likely label",
        replace=[
            (
                "return -(y_soft * F.log_softmax(logits, dim=1)).sum(dim=1).mean()",
                "return F.cross_entropy(logits, y_soft.argmax(dim=1))",
            )
        ],
        says="Hint: weigh every class's log-probability by its y_soft",
    ),
    WrongAnswer(
        "mixup_batch",
        "a fixed alpha of 0.4",
        replace=[
            (
                "lam = torch.distributions.Beta(alpha, alpha).sample().item()",
                "lam = torch.distributions.Beta(0.4, 0.4).sample().item()",
            )
        ],
        says="Hint: Beta(alpha, alpha), with the alpha given.",
    ),
    WrongAnswer(
        "design_model",
        "no flatten before the fully connected layers",
        replace=[("nn.Flatten(), nn.Dropout(0.25)", "nn.Dropout(0.25)")],
        says="building it and running it on two images raised",
    ),
    WrongAnswer(
        "design_model",
        "the fully connected layer sized for 28 x 28 images only",
        replace=[
            ("nn.Linear(32 * (image_size // 4) ** 2, 64)", "nn.Linear(32 * 7 * 7, 64)")
        ],
        says="Hint: size the layers from in_channels and image_size",
    ),
    WrongAnswer(
        "design_model",
        "the first convolution takes 1 channel whatever in_channels is",
        replace=[
            (
                "nn.Conv2d(in_channels, 16, 3, padding=1)",
                "nn.Conv2d(1, 16, 3, padding=1)",
            )
        ],
        says="Hint: size the layers from in_channels and image_size",
    ),
    WrongAnswer(
        "design_model",
        "channels too wide for the budget",
        replace=[
            (
                "nn.Conv2d(in_channels, 16, 3, padding=1), nn.BatchNorm2d(16)",
                "nn.Conv2d(in_channels, 128, 3, padding=1), nn.BatchNorm2d(128)",
            ),
            ("nn.Conv2d(16, 32, 3, padding=1)", "nn.Conv2d(128, 32, 3, padding=1)"),
        ],
        says="the budget is 5,000,000",
    ),
    WrongAnswer(
        "design_hparams",
        "one epoch of plain SGD at lr 0.01",
        replace=[
            (
                '"optimizer": "adamw", "lr": 2e-3, "weight_decay": 0.05',
                '"optimizer": "sgd", "lr": 0.01, "weight_decay": 0.0',
            ),
            ('"epochs": 8', '"epochs": 1'),
        ],
        says="Hint: it underfits",
    ),
    WrongAnswer(
        "design_hparams",
        "more epochs than the budget",
        replace=[('"epochs": 8', '"epochs": 20')],
        says="is outside [1, 10]",
    ),
    WrongAnswer(
        "design_hparams",
        "Adam at lr 1.0: training collapses",
        replace=[
            ('"optimizer": "adamw", "lr": 2e-3', '"optimizer": "adam", "lr": 1.0')
        ],
        says="Hint: it barely learned",
    ),
    WrongAnswer(
        "design_hparams",
        "three epochs: partial credit only",
        replace=[('"epochs": 8', '"epochs": 3')],
        says="below the full-credit target 0.95",
    ),
    WrongAnswer(
        "design_hparams",
        "the optimiser named as its torch class",
        replace=[('"optimizer": "adamw"', '"optimizer": "AdamW"')],
        says="must be one of ['sgd', 'adam', 'adamw']",
    ),
]


# (hidden test, the hint's first words) -> why no typical wrong answer shows it.
HINTS_NO_CASE_REACHES = {
    ("test_soft_cross_entropy_hidden", "the mean over the batch of the"): (
        "it restates the visible test's rule (a mean over the batch of the "
        "per-example sums), whose one-hot check catches a sum or a per-class mean "
        "first."
    ),
    ("test_check_accuracy_hidden", "count examples, not batches."): (
        "the visible test's batches of 16, 16 and 8 already catch the mean of "
        "per-batch accuracies (the case 'averages per-batch accuracies'), with a "
        "hint that says so."
    ),
}
