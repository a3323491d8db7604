import gc

import pytest

from api import records


def test_the_collector_is_paused_for_a_batch_and_turned_back_on():
    assert gc.isenabled()
    with records.collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_is_turned_back_on_after_an_error():
    with pytest.raises(RuntimeError), records.collector_paused():
        raise RuntimeError("a batch failed")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    try:
        with records.collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
