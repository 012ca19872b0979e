"""The rules of the boundary between the grader's kernel and the student's process.

The tests run in the grader's kernel; the student's answers run in a sandboxed
process of their own (trusted.py, student.py). They talk over one channel
(channel.py): JSON headers plus raw array bytes, never pickle from the student.
This module is the whole contract: what each side may ask of the other, what comes
back, and when a value is computed.

Requests the grader sends to the student's process (``STUDENT_SERVES``):

=================  =========================================  =====================
request            what it does there                         what comes back
=================  =========================================  =====================
exec               run a course cell or an answer cell        its output, its error
set_globals        bind values a grader-only course cell      nothing
                   computed (pushed by value, see below)
get_global         read a name an answer cell bound           plain data or handle
substitute,        bind the grader's references in place of   nothing
substitute_source  answers a test does not grade (and back)
restore
call               call a student's function or method        plain data or handle
getattr, getitem   read an attribute or item of a handle      plain data or handle
setattr, setitem,  change a handle (a numerical gradient      nothing
delattr, delitem,  moves ``net.params['W1'][i]``)
assign
len, iter, next    sizes and iteration of a handle            plain data or handle
repr, str          text of a handle, for messages             str, bounded
enter, exit        ``with student_object:``                   plain data or handle
deepcopy           a copy of a handle, kept there             a handle
mirror_states      what the answer did to lent torch objects  tensors, flags
course_call        run one of ``COURSE_CALLS``, the course's  plain data or handle
                   own code, there (a trainer of the
                   student's network)
release            forget handles the grader dropped          nothing
=================  =========================================  =====================

Requests the student's process may send to the grader (``GRADER_SERVES``), only
while a request of the grader's is running, and only on objects the grader itself
handed over as arguments or references (a loss function to differentiate, a
reference layer):

=================  =========================================  =====================
call               call that object                           plain data or handle
getattr            a public attribute of a non-callable one   plain data or handle
len, iter, next    its size, its items                        plain data or handle
repr, str          its type's name, nothing of its contents   str
release            forget handles the student dropped         nothing
=================  =========================================  =====================

Nothing else. In particular the student's process cannot read a name of the
grader's kernel: there is no request for it. What a student's cell may read is
made in its own process (the course's imports, data and helpers run there too).
Where a course cell that needs an answer (it runs only in the grader's kernel)
computes a value that later answers read, such as ``k_to_accuracies``, the grader
*pushes* the names that cell binds, by value, right after it ran
(``push_values``): plain data, or handles to the student's own objects. Test
cells push nothing, so no test's value and none of IPython's history (``In``,
``_``, ``_i3``) is ever reachable.

**Plain data** (``channel.py`` encodes and decodes it, with the bounds below):
numbers, str and bytes, None, NumPy arrays and scalars of a bool, int, float or
complex dtype (decoded as plain ``np.ndarray``, never a subclass), torch tensors
that need no gradient, dtypes and devices, and tuples, lists and dicts of these.

**When a value is computed.** Everything that comes back is encoded by the
student's process *when the call returns*: a result is plain data by then, before
the test has computed anything from it. What is not plain data (an instance of a
student's class, a model, a tensor that needs gradients) comes back as a *handle*
carrying, computed at the same moment, its type's names (``describe``) and, for a
tensor, a detached copy of its values (its *snapshot*). On the grader's side a
handle (``proxy.Remote``) forwards only the requests in the table: calls of its
methods, whose results are again plain data or handles. Comparisons, arithmetic,
truth, hashing, ``isinstance`` and conversions to numbers or arrays never call the
student's code: they use the snapshot, or fail (a ``TypeError`` that says the
answer returned an object, not numbers). Type names are looked up only among
modules already imported in the grader's kernel (``library_class``); no module is
ever imported on the student's word.

**Bounds.** A message header is at most ``MAX_HEADER_BYTES`` of JSON and decodes
to at most ``MAX_NODES`` values (and ``MAX_BUFFERS`` arrays) nested at most
``MAX_DEPTH`` deep; text the student sends (error names, messages, type names) is
cut to ``MAX_TEXT``.
"""

from __future__ import annotations

import sys

# What the student's process serves to the grader (every request it may get).
STUDENT_SERVES = frozenset(
    [
        "exec",
        "set_globals",
        "get_global",
        "substitute",
        "substitute_source",
        "restore",
        "call",
        "getattr",
        "getitem",
        "setattr",
        "setitem",
        "delattr",
        "delitem",
        "assign",
        "len",
        "iter",
        "next",
        "repr",
        "str",
        "enter",
        "exit",
        "deepcopy",
        "mirror_states",
        "course_call",
        "release",
    ]
)
# The course functions ``course_call`` may run in the student's process: code of
# the course that must run beside the student's (it trains the student's network
# there), whose result the grader only counts (lib.design, lib.tuning).
COURSE_CALLS = frozenset(["lib.design.train_and_predict", "lib.design.describe_model"])
# What the grader serves to the student's process (see the module's table).
GRADER_SERVES = frozenset(
    ["call", "getattr", "len", "iter", "next", "repr", "str", "release"]
)

MAX_HEADER_BYTES = 8 * 2**20  # JSON of one message
MAX_NODES = 1_000_000  # values decoded from one message
MAX_DEPTH = 64
MAX_BUFFERS = 100_000  # arrays in one message
MAX_TEXT = 2000  # characters of any name or message the student sends
MAX_MRO = 16  # classes described per handle

# Modules whose classes a handle may be shown as, for isinstance() in a test.
CLASS_MODULES = ("builtins", "numpy", "torch", "collections")


def text(value, limit: int = MAX_TEXT) -> str:
    """Student text, as a bounded str."""
    return str(value)[:limit]


def describe(value) -> list:
    """The student's side, when a handle is made: [(module, qualname), ...] of the
    object's classes. Computed here and now: the grader never asks again."""
    try:
        mro = type(value).__mro__
    except Exception:  # noqa: BLE001 -- a class that hides its MRO: no names
        return []
    names = []
    for cls in mro[:MAX_MRO]:
        module = getattr(cls, "__module__", "")
        qualname = getattr(cls, "__qualname__", "")
        if isinstance(module, str) and isinstance(qualname, str):
            names.append([module[:200], qualname[:200]])
    return names


def snapshot(value):
    """The student's side: a tensor's values, detached, as they are now (None for
    anything else). Sent with the tensor's handle."""
    torch = sys.modules.get("torch")
    if torch is None or not isinstance(value, torch.Tensor):
        return None
    try:
        copy = torch.Tensor.detach(value).clone()
    except Exception:  # noqa: BLE001 -- no values to give: no snapshot
        return None
    return copy if type(copy) is torch.Tensor else None


def library_class(module: str, qualname: str):
    """The class ``module.qualname`` if that module is already imported here and
    belongs to ``CLASS_MODULES``; else None. Nothing is imported."""
    if not isinstance(module, str) or not isinstance(qualname, str):
        return None
    if module.split(".")[0] not in CLASS_MODULES or "<" in qualname:
        return None
    obj = sys.modules.get(module)
    if obj is None:
        return None
    for part in qualname.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj if isinstance(obj, type) else None


def push_values(namespace: dict, names, is_handle) -> dict:
    """The grader's side: ``name -> value`` for each of ``names`` in
    ``namespace`` that may be pushed to the student: plain data through and
    through, or handles to the student's own objects (``is_handle``). Private
    names (``_x``) and everything else are left out."""
    from grading.classroom import channel

    def refuse(obj):
        raise TypeError("not plain data")

    values = {}
    for name in names:
        if name.startswith("_") or name not in namespace:
            continue
        value = namespace[name]
        encoder = channel.Encoder(
            keep=refuse, ref=lambda obj: 0 if is_handle(obj) else None
        )
        try:
            encoder.encode(value)
        except (TypeError, channel.ChannelError):
            continue
        values[name] = value
    return values
