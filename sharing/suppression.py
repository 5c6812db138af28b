"""Cell suppression for k-anonymous count tables: the primary rule, secondary suppression, and an exactness
audit that solves the published table for every suppressed cell.

A table over ``n`` fields is held as an n-dimensional array whose axis ``i`` has one position per category
of field ``i`` plus a last position, the margin (``TOTAL``) over that field. Position ``(2, TOTAL)`` is row
2's total, ``(TOTAL, TOTAL)`` the grand total. A *line* fixes every axis but one: the categories along the
free axis and their margin. Margins are counted from the data (distinct victims), never summed, so along a
multi-valued field (a victim with two types of exploitation is in two cells) the margin is smaller than the
sum of its cells; along a single-valued field it is exactly the sum.

Why the rules are what they are:

- **Primary**: a cell is published only when it holds at least ``k`` victims *beyond its largest single
  narrative* (``victims - largest narrative's victims >= k``). So whoever knows one narrative completely (its
  author, a journalist who covered the raid) still faces ``k`` other victims in that cell; it also means a cell
  needs victims from at least two narratives, and one big case cannot make a cell of its own. Zero cells are
  cells like any other (suppressed), so a suppressed cell never tells "none" from "a few".
- **Secondary**: in every line, the suppressed entries (cells and margin) are either none, or at least two;
  and when the line's margin is published, the suppressed cells must not all be zero (else the margin minus
  the published cells, 0, would pin them all to zero). Fixed by suppressing the smallest non-zero published
  cell of the line (its margin only as a last resort), repeated until no line changes. Multi-valued lines get
  the same rule although they only give the attacker inequalities (``max(cells) <= margin <= sum(cells)``):
  the additive case is the strict one, so a pattern safe for it is safe for them.
- **Audit**: two suppressed cells per line is not enough in general (two protected cycles joined by one
  suppressed cell leave that cell determined). ``determined`` solves the additive equations for the
  suppressed unknowns (per connected block: is the cell's unit vector in the row space of the equations?)
  and reports every cell that has a single solution;
  ``protect`` suppresses one more cell next to each and starts again, until the audit finds none.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components

PRIMARY, SECONDARY, HELD = "primary", "secondary", "held"
Line = tuple[Any, ...]  # an index into the table: one ``slice`` (the free axis), fixed positions elsewhere
AUDIT_BLOCK_LIMIT = 25_000_000  # equations x unknowns of one connected block solved densely (200 MB)


def primary(victims: np.ndarray, largest: np.ndarray, k: int) -> np.ndarray:
    """Cells that fail the primary rule: fewer than ``k`` victims beyond the largest single narrative."""
    return (victims - largest) < k


def _unprotected(victims: np.ndarray, suppressed: np.ndarray, axis: int) -> np.ndarray:
    """Per line along ``axis``: True where the line breaks the secondary rule (vectorised)."""
    count = suppressed.sum(axis=axis)
    total_index: list[Any] = [slice(None)] * victims.ndim
    total_index[axis] = -1
    total_suppressed = suppressed[tuple(total_index)]
    cells_index = [slice(None)] * victims.ndim
    cells_index[axis] = slice(0, -1)
    hidden_sum = np.where(suppressed, victims, 0)[tuple(cells_index)].sum(axis=axis)
    return (count == 1) | ((count >= 2) & ~total_suppressed & (hidden_sum == 0))


def _fix_line(victims: np.ndarray, suppressed: np.ndarray, line: Line) -> bool:
    """Suppress one more entry of an unprotected line: the smallest non-zero published cell, else a zero
    cell (when the margin is already hidden), else the margin. False when nothing is left to suppress."""
    values, hidden = victims[line], suppressed[line]
    cells = [(int(values[i]), i) for i in range(len(values) - 1) if not hidden[i]]
    choice = min((c for c in cells if c[0] > 0), default=None)
    if choice is None and hidden[-1]:
        choice = min(cells, default=None)
    position = choice[1] if choice is not None else (len(values) - 1 if not hidden[-1] else None)
    if position is None:
        return False
    target = list(line)
    axis = next(i for i, part in enumerate(line) if isinstance(part, slice))
    target[axis] = position
    suppressed[tuple(target)] = True
    return True


def _line_at(axis: int, rest: tuple[int, ...]) -> Line:
    """The line along ``axis`` through the fixed positions ``rest`` of the other axes."""
    index: list[Any] = [int(r) for r in rest]
    index.insert(axis, slice(None))
    return tuple(index)


def secondary(victims: np.ndarray, suppressed: np.ndarray) -> np.ndarray:
    """The line rule applied until stable; returns a new mask (the input is not changed)."""
    mask = suppressed.copy()
    changed = True
    while changed:
        changed = False
        for axis in range(victims.ndim):
            for rest in np.argwhere(_unprotected(victims, mask, axis)):
                line = _line_at(axis, tuple(rest))
                if _unprotected_line(victims[line], mask[line]):  # an earlier fix may have protected it
                    changed |= _fix_line(victims, mask, line)
    return mask


def _unprotected_line(values: np.ndarray, hidden: np.ndarray) -> bool:
    count = int(hidden.sum())
    return count == 1 or (count >= 2 and not hidden[-1] and int(values[:-1][hidden[:-1]].sum()) == 0)


def equations(victims: np.ndarray, suppressed: np.ndarray, additive: tuple[bool, ...]
              ) -> tuple[csr_matrix, np.ndarray, list[tuple[int, ...]]]:
    """The attacker's linear system over the suppressed entries: for every additive line that hides
    something, ``sum(hidden cells) - hidden margin = margin - sum(published cells)``. Returns (A as a sparse
    matrix, b, the unknowns' positions). Built per axis with array operations, not cell by cell."""
    flat_hidden = suppressed.ravel()
    unknowns = [tuple(int(i) for i in np.unravel_index(f, victims.shape)) for f in np.flatnonzero(flat_hidden)]
    column = np.full(victims.size, -1)
    column[flat_hidden] = np.arange(len(unknowns))
    flat_index = np.arange(victims.size).reshape(victims.shape)
    rows, cols, vals, rhs = [], [], [], []
    offset = 0
    for axis in range(victims.ndim):
        if not additive[axis]:
            continue
        d = victims.shape[axis]
        values = np.moveaxis(victims, axis, -1).reshape(-1, d).astype(float)
        hidden = np.moveaxis(suppressed, axis, -1).reshape(-1, d)
        index = np.moveaxis(flat_index, axis, -1).reshape(-1, d)
        sign = np.ones(d)
        sign[-1] = -1.0
        lines = np.flatnonzero(hidden.any(axis=1))
        h, v, i = hidden[lines], values[lines], index[lines]
        rhs.append(-((~h) * v * sign).sum(axis=1))
        line_of, position = np.nonzero(h)
        rows.append(line_of + offset)
        cols.append(column[i[line_of, position]])
        vals.append(sign[position])
        offset += len(lines)
    if not rows:
        return csr_matrix((0, len(unknowns))), np.zeros(0), unknowns
    matrix = csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                        shape=(offset, len(unknowns)))
    return matrix, np.concatenate(rhs), unknowns


def determined(victims: np.ndarray, suppressed: np.ndarray, additive: tuple[bool, ...]) -> list[tuple[int, ...]]:
    """Suppressed positions whose value the published entries fix exactly (an empty list is the aim)."""
    matrix, _, unknowns = equations(victims, suppressed, additive)
    if not unknowns or matrix.shape[0] == 0:
        return []
    # unknowns sharing an equation are one block; each block is solved on its own
    n, m = len(unknowns), matrix.shape[0]
    coo = matrix.tocoo()
    link = coo_matrix((np.ones(coo.nnz), (coo.col, coo.row + n)), shape=(n + m, n + m))
    _, label = connected_components(link, directed=False)
    found: list[tuple[int, ...]] = []
    for block in np.unique(label[:n]):
        members = np.flatnonzero(label[:n] == block)
        equations_of = np.flatnonzero(label[n:] == block)
        if len(equations_of) == 0 or len(members) * len(equations_of) > AUDIT_BLOCK_LIMIT:
            continue  # nothing to solve, or too big to solve densely: the line rule stands alone (documented)
        sub = matrix[equations_of][:, members].toarray()
        # x_j is fixed iff the unit vector e_j lies in the row space of the block's equations, i.e. its
        # projection on an orthonormal basis of that space (the right singular vectors) has length one
        _, singular, vt = np.linalg.svd(sub, full_matrices=False)
        rank = int((singular > singular.max() * max(sub.shape) * 1e-12).sum()) if singular.size else 0
        reach = (vt[:rank] ** 2).sum(axis=0)
        found += [unknowns[members[i]] for i in np.flatnonzero(reach > 1 - 1e-8)]
    return found


def protect(victims: np.ndarray, must: np.ndarray, additive: tuple[bool, ...]) -> np.ndarray:
    """Secondary suppression until the line rule holds and the audit finds no determined cell."""
    mask = secondary(victims, must)
    while pinned := determined(victims, mask, additive):
        before = int(mask.sum())
        for point in pinned:
            for axis in range(victims.ndim):
                if not additive[axis]:
                    continue
                line: list[Any] = list(point)
                line[axis] = slice(None)
                if _fix_line_any(victims, mask, tuple(line)):
                    break
        if int(mask.sum()) == before:  # nothing left to hide: everything in reach is already suppressed
            break
        mask = secondary(victims, mask)
    return mask


def _fix_line_any(victims: np.ndarray, suppressed: np.ndarray, line: Line) -> bool:
    """One more suppressed entry on this line, whatever its state (used by the audit)."""
    if suppressed[line].all():
        return False
    return _fix_line(victims, suppressed, line)
