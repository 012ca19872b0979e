"""Torch objects of the tests, lent to the student's process by value.

A test of a PyTorch answer builds torch objects and hands them to the answer: a
model to train with its optimiser and data loader, a model to evaluate, an input
whose gradient it then reads. They cannot stay on the grader's side as handles
(the answer's torch code needs real modules and tensors), and they cannot cross as
plain data. So they travel the way the course's own objects may: by value, pickled
by the grader and unpickled by the student's process. Never the other way: the
grader decodes no pickle.

All the objects of one message are pickled together, so an optimiser still holds
the parameters of the model it came with. The grader keeps a weak reference to
each object it lent. After every call into the student's process it reads back
what the answer did to the copies, as plain data (parameters, buffers, gradients,
training flags, a generator's state), and writes that into its own objects:
``model.training``, ``p.grad``, the trained weights and the draws left in a
generator that a test reads are what the answer left them as. A later call lends
the object again, as the grader's side has it then.

The grader's torch state goes along with each of its requests:

- whether autograd is on, so an answer called under a test's
  ``with torch.no_grad():`` runs without gradients, as in one kernel;
- the CPU random state, whenever the grader's has changed since it last sent it
  (a test's ``torch.manual_seed``), so an answer draws the dropout masks it would
  draw in one kernel. The student's state never comes back: the tests' random
  inputs are the grader's own.
"""

from __future__ import annotations

import contextlib
import io
import pickle
import sys
import weakref

import numpy as np

from grading.classroom import channel


def _torch():
    return sys.modules.get("torch")


def lendable(value) -> bool:
    """Torch objects of a test that an answer needs as real objects."""
    torch = _torch()
    if torch is None:
        return False
    if isinstance(value, torch.Tensor):
        return bool(value.requires_grad)
    data = torch.utils.data
    kinds = (
        torch.nn.Module,
        torch.optim.Optimizer,
        data.DataLoader,
        data.Dataset,
        torch.Generator,
    )
    return isinstance(value, kinds)


class LendingFailed(Exception):
    """A test handed the answer an object that cannot be lent (a course bug)."""


class Lender:
    """The grader's side: lends objects, reads back what became of them."""

    def __init__(self, is_remote, number_of):
        # is_remote(obj) / number_of(obj): a handle of the student's side, its number
        self.is_remote, self.number_of = is_remote, number_of
        self.lent: dict[int, weakref.ref] = {}  # number -> the grader's object
        self.by_object: dict[int, int] = {}  # id(object) -> its latest number
        self.released: list[int] = []
        self.bundle: list = []
        self.next_number = 1
        self.rng_sent: bytes | None = None

    # ---------------------------------------------------------- sending
    def lend(self, value):
        """Encoder hook: a lent object's place in this message's bundle."""
        if not lendable(value):
            return None
        for i, held in enumerate(self.bundle):
            if held is value:
                return ["m", i]
        self.bundle.append(value)
        return ["m", len(self.bundle) - 1]

    def wrap(self, tree, buffers: list):
        """The message's tree, with its bundle of lent objects if it has one."""
        if not self.bundle:
            return tree
        bundle, self.bundle = self.bundle, []
        data = io.BytesIO()
        pickler = pickle.Pickler(data, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.persistent_id = self._persistent_id
        try:
            pickler.dump(bundle)
        except (pickle.PicklingError, TypeError, AttributeError) as error:
            names = ", ".join(type(v).__name__ for v in bundle)
            raise LendingFailed(
                f"the test hands the answer objects ({names}) that cannot be sent "
                f"to the student's process: {error}"
            ) from None
        numbers = []
        for value in bundle:
            number, self.next_number = self.next_number, self.next_number + 1
            old = self.by_object.get(id(value))
            if old is not None and old in self.lent:  # the latest copy counts
                del self.lent[old]
                self.released.append(old)
            self.lent[number] = weakref.ref(value, self._died(number))
            self.by_object[id(value)] = number
            numbers.append(number)
        buffers.append(data.getvalue())
        return ["M", len(buffers) - 1, numbers, tree]

    def _persistent_id(self, obj):
        if self.is_remote(obj):  # the student's own object, inside a lent one
            return ("r", self.number_of(obj))
        return None

    def _died(self, number):
        def forget(_ref):
            if self.lent.pop(number, None) is not None:
                self.released.append(number)

        return forget

    def context(self, buffers: list) -> dict | None:
        """What goes with a request: autograd on or off, the random state if it
        changed, and the copies the student's side may drop."""
        torch = _torch()
        context: dict = {}
        if self.released:
            context["release"], self.released = self.released, []
        if torch is not None:
            context["grad"] = bool(torch.is_grad_enabled())
            state = torch.get_rng_state().numpy().tobytes()
            if state != self.rng_sent:
                self.rng_sent = state
                buffers.append(state)
                context["rng"] = len(buffers) - 1
        return context or None

    # -------------------------------------------------------- receiving
    def decode(self, decoder, tag, args, depth):
        if tag == "w":  # one of our lent objects, given back
            ref = self.lent.get(int(args[0]))
            value = ref() if ref is not None else None
            if value is None:
                raise channel.ChannelError("a lent object that no longer exists")
            return value
        raise channel.ChannelError(f"value tag {tag!r} is not accepted here")

    def sync(self, request) -> None:
        """Read back the state of every copy still lent, and apply it."""
        live = [(n, ref()) for n, ref in self.lent.items()]
        live = [(n, obj) for n, obj in live if obj is not None]
        if not live:
            return
        states = request("mirror_states", [n for n, _ in live])
        if not isinstance(states, list) or len(states) != len(live):
            return
        for (_, obj), state in zip(live, states, strict=True):
            apply_state(obj, state)


# ------------------------------------------------------------ the states
def state_of(obj) -> list:
    """The student's side: what became of a lent object, as plain data."""
    torch = _torch()
    if torch is not None and isinstance(obj, torch.Tensor):
        grad = obj.grad
        return ["tensor", obj.detach(), None if grad is None else grad.detach()]
    if torch is not None and isinstance(obj, torch.nn.Module):
        values = [[k, v.detach()] for k, v in obj.state_dict(keep_vars=True).items()]
        grads = [
            [k, None if p.grad is None else p.grad.detach()]
            for k, p in obj.named_parameters()
        ]
        return ["module", values, grads, [m.training for m in obj.modules()]]
    if torch is not None and isinstance(obj, torch.Generator):
        return ["generator", obj.get_state()]
    return ["other"]


def _fits(target, value) -> bool:
    torch = _torch()
    return (
        isinstance(value, torch.Tensor)
        and tuple(value.shape) == tuple(target.shape)
        and value.dtype == target.dtype
    )


def _set_values(target, value) -> None:
    torch = _torch()
    if _fits(target, value):
        value = value.to(target.device)
        if not torch.equal(target.detach(), value):
            with torch.no_grad():
                target.copy_(value)


def _set_grad(target, grad) -> None:
    if grad is None:
        target.grad = None
    elif _fits(target, grad):
        target.grad = grad.to(target.device)


def apply_state(obj, state) -> None:
    """The grader's side: make ``obj`` what the answer left its copy as. Values
    that do not fit (another shape or dtype, not a tensor) are ignored."""
    torch = _torch()
    if not isinstance(state, list) or not state:
        return
    kind = state[0]
    if kind == "tensor" and len(state) == 3 and isinstance(obj, torch.Tensor):
        _set_values(obj, state[1])
        _set_grad(obj, state[2])
    elif kind == "module" and len(state) == 4 and isinstance(obj, torch.nn.Module):
        values, grads, flags = state[1:]
        own = obj.state_dict(keep_vars=True)
        for name, value in _pairs(values):
            if name in own:
                _set_values(own[name], value)
        params = dict(obj.named_parameters())
        for name, grad in _pairs(grads):
            if name in params:
                _set_grad(params[name], grad)
        modules = list(obj.modules())
        if isinstance(flags, list) and len(flags) == len(modules):
            for module, flag in zip(modules, flags, strict=True):
                module.training = bool(flag)
    elif (
        kind == "generator"
        and len(state) == 2
        and isinstance(obj, torch.Generator)
        and _fits(obj.get_state(), state[1])
    ):
        # The draws the answer made: a later draw of the test's continues there.
        # A state this generator cannot take is ignored.
        with contextlib.suppress(RuntimeError):
            obj.set_state(state[1])


def _pairs(items):
    if not isinstance(items, list):
        return []
    return [tuple(p) for p in items if isinstance(p, list | tuple) and len(p) == 2]


# ------------------------------------------------------- the student's side
class Borrower:
    """The student's side: unpickles what the grader lends, keeps it, reports on
    it, and applies the grader's torch state around each request."""

    def __init__(self, namespace: dict, local):
        self.namespace, self.local = namespace, local
        self.copies: dict[int, object] = {}  # number -> the copy here
        self.numbers: dict[int, int] = {}  # id(copy) -> number
        self.bundle: list = []

    def decode(self, decoder, tag, args, depth):
        if tag == "M":
            index, numbers, tree = args
            unpickler = _Unpickler(io.BytesIO(decoder._buffer(index)), self)
            bundle = unpickler.load()
            if not isinstance(numbers, list) or len(numbers) != len(bundle):
                raise channel.ChannelError("a bundle that does not match its numbers")
            for number, value in zip(numbers, bundle, strict=True):
                self.copies[int(number)] = value
                self.numbers[id(value)] = int(number)
            saved, self.bundle = self.bundle, bundle
            try:
                return decoder.decode(tree, depth + 1)
            finally:
                self.bundle = saved
        if tag == "m":
            return self.bundle[int(args[0])]
        raise channel.ChannelError(f"value tag {tag!r} is not accepted here")

    def wrap(self, tree, buffers: list):
        """Nothing is lent from this side: the tree as it is."""
        return tree

    def lend(self, value):
        """Encoder hook: a copy goes back as the grader's own object."""
        number = self.numbers.get(id(value))
        if number is not None and self.copies.get(number) is value:
            return ["w", number]
        return None

    def states(self, numbers) -> list:
        return [state_of(self.copies.get(int(n))) for n in numbers]

    @contextlib.contextmanager
    def applied(self, context, buffers):
        """Run a request with the grader's autograd mode and random state."""
        if not isinstance(context, dict):
            yield
            return
        for number in context.get("release", ()):
            copy = self.copies.pop(int(number), None)
            if copy is not None:
                self.numbers.pop(id(copy), None)
        torch = _torch()
        if torch is None or "grad" not in context:
            yield
            return
        if "rng" in context:
            state = np.frombuffer(buffers[int(context["rng"])], dtype=np.uint8)
            torch.set_rng_state(torch.from_numpy(state.copy()))
        with torch.set_grad_enabled(bool(context["grad"])):
            yield


class _Unpickler(pickle.Unpickler):
    """The grader's objects; classes of the notebook itself come from the
    student's namespace, where the same course cells ran."""

    def __init__(self, file, borrower: Borrower):
        super().__init__(file)
        self.borrower = borrower

    def find_class(self, module, name):
        if module == "__main__" and name in self.borrower.namespace:
            return self.borrower.namespace[name]
        return super().find_class(module, name)

    def persistent_load(self, pid):
        kind, number = pid
        return self.borrower.local(int(number))
