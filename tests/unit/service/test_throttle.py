"""The failed-authentication throttle on its own, with an injected clock."""

from __future__ import annotations

import pytest

from indexing.errors import TooManyFailedAttempts
from service import throttle as throttle_module
from service.throttle import FailedAuthThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_an_address_is_refused_after_its_limit_until_the_oldest_failure_expires() -> None:
    clock = Clock()
    throttle = FailedAuthThrottle(limit=3, window_s=60, clock=clock)
    for step in range(3):
        throttle.check("10.0.0.7")
        throttle.failed("10.0.0.7")
        clock.now += 10 if step < 2 else 0.5
    with pytest.raises(TooManyFailedAttempts) as refused:
        throttle.check("10.0.0.7")
    # failures at 1000, 1010, 1020; now 1020.5: the first leaves the window at 1060.
    assert refused.value.retry_after == 40
    assert refused.value.status == 429 and refused.value.code == "too_many_failed_attempts"
    assert refused.value.detail == (
        "Demasiados intentos con claves no válidas desde esta dirección. Espere 40 s antes de volver a intentarlo."
    )
    throttle.check("10.0.0.8")  # another address is not affected
    clock.now = 1059.9
    with pytest.raises(TooManyFailedAttempts) as still:
        throttle.check("10.0.0.7")
    assert still.value.retry_after == 1
    clock.now = 1060.0
    throttle.check("10.0.0.7")  # one failure left the window: one more try
    throttle.failed("10.0.0.7")
    with pytest.raises(TooManyFailedAttempts):
        throttle.check("10.0.0.7")


def test_failures_expire_and_their_addresses_are_forgotten() -> None:
    clock = Clock()
    throttle = FailedAuthThrottle(limit=2, window_s=30, clock=clock)
    throttle.failed("a")
    throttle.failed("b")
    assert throttle.tracked() == 2
    clock.now += 30
    assert throttle.tracked() == 0
    throttle.failed("a")
    throttle.check("a")
    assert throttle.tracked() == 1


def test_the_tracked_addresses_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(throttle_module, "MAX_TRACKED", 3)
    clock = Clock()
    throttle = FailedAuthThrottle(limit=1, window_s=100, clock=clock)
    for address in ("a", "b", "c"):
        throttle.failed(address)
        clock.now += 1
    throttle.failed("d")  # "a" has the oldest failure: it goes
    assert throttle.tracked() == 3
    throttle.check("a")
    for address in ("b", "c", "d"):
        with pytest.raises(TooManyFailedAttempts):
            throttle.check(address)
