"""Piecewise-linear scales: how a number becomes a 0-100 score."""

from __future__ import annotations

from collections.abc import Callable, Sequence


def interpolate(points: Sequence[tuple[float, float]], x: float) -> float:
    """The score of `x` on a scale of (value, score) points, flat beyond both ends."""
    if x <= points[0][0]:
        return float(points[0][1])
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        if x <= x1:
            return float(y0 + (y1 - y0) * (x - x0) / (x1 - x0))
    return float(points[-1][1])


def compile_scale(points: Sequence[tuple[float, float]]) -> Callable[[float], float]:
    """`interpolate` on one scale, its segments laid out once.

    Scoring calls it for every number answer and several checks of every answer set;
    the arithmetic is the same, so are the floats.
    """
    first_x, first_y = points[0][0], float(points[0][1])
    last_y = float(points[-1][1])
    segments = tuple((x0, y0, x1, y1) for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False))

    def score(x: float) -> float:
        if x <= first_x:
            return first_y
        for x0, y0, x1, y1 in segments:
            if x <= x1:
                return float(y0 + (y1 - y0) * (x - x0) / (x1 - x0))
        return last_y

    return score
