"""Piecewise-linear scales: how a number becomes a 0-100 score."""

from __future__ import annotations

from collections.abc import Sequence


def interpolate(points: Sequence[tuple[float, float]], x: float) -> float:
    """The score of `x` on a scale of (value, score) points, flat beyond both ends."""
    if x <= points[0][0]:
        return float(points[0][1])
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        if x <= x1:
            return float(y0 + (y1 - y0) * (x - x0) / (x1 - x0))
    return float(points[-1][1])
