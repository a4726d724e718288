"""Calendar helpers for the demo generator: seasonal day weights and order timestamps.

Times are handled as integer minutes since the profile's first day, which keeps every
draw vectorised; :func:`to_datetime` turns them into timestamps at the end.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from playbook.demo.spec import DemoProfile, Window

MINUTES_PER_DAY = 1440


def days(profile: DemoProfile) -> pd.DatetimeIndex:
    """Return every calendar day from the profile's start to its end, inclusive."""
    return pd.date_range(profile.start, profile.end, freq="D")


def window_factor(grid: pd.DatetimeIndex, windows: tuple[Window, ...]) -> np.ndarray:
    """Return, per day of ``grid``, the product of the factors of the windows covering it."""
    factor = np.ones(len(grid))
    for w in windows:
        start = pd.Timestamp(w.start)
        inside = (grid >= start) & (grid < start + pd.Timedelta(days=w.days))
        factor = np.where(inside, factor * w.factor, factor)
    return factor


def day_weights(profile: DemoProfile) -> np.ndarray:
    """Return the relative order volume of each day: trend x week x year x holidays."""
    grid = days(profile)
    years = np.arange(len(grid)) / 365.0
    w = (
        np.exp(profile.growth * years)
        * np.asarray(profile.weekday)[grid.day_of_week]
        * np.asarray(profile.months)[grid.month - 1]
        * window_factor(grid, profile.volume_windows)
    )
    return w / w.sum()


def sample_minutes(profile: DemoProfile, rng: np.random.Generator, n: int) -> np.ndarray:
    """Draw ``n`` sorted order times (minutes since the start) with the profile's seasonality."""
    p_day = day_weights(profile)
    day = rng.choice(len(p_day), size=n, p=p_day)
    hours = np.asarray(profile.hours, dtype=float)
    hour = rng.choice(24, size=n, p=hours / hours.sum())
    minute = rng.integers(0, 60, size=n)
    return np.sort(day * MINUTES_PER_DAY + hour * 60 + minute)


def last_minute(profile: DemoProfile) -> int:
    """Return the last minute of the data (23:59 on the profile's end day)."""
    return len(days(profile)) * MINUTES_PER_DAY - 1


def to_datetime(profile: DemoProfile, minutes: np.ndarray) -> pd.Series:
    """Turn minutes since the start into timestamps."""
    start = np.datetime64(profile.start, "m")
    return pd.Series(start + np.asarray(minutes, dtype="int64").astype("timedelta64[m]"))


def in_windows(
    profile: DemoProfile, minutes: np.ndarray, windows: tuple[Window, ...]
) -> np.ndarray:
    """Tell, per time, whether it falls in one of ``windows``."""
    flag = window_factor(days(profile), tuple(Window(w.start, w.days, 2.0) for w in windows))
    return flag[np.asarray(minutes) // MINUTES_PER_DAY] > 1.0


def ids(prefix: str, n: int, width: int, start: int = 1) -> np.ndarray:
    """Return ``n`` zero-padded identifiers such as ``O0000001``."""
    numbers = pd.Series(np.arange(start, start + n)).astype(str).str.zfill(width)
    return (prefix + numbers).to_numpy(dtype=object)
