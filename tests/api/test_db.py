import threading

import pytest

from api import db


@pytest.fixture
def embedded():
    db.connect("", "partwise_test_db")
    yield
    db.connect("", "partwise_test_db")


def _can_take_the_store_from_another_thread(timeout: float = 2.0) -> bool:
    took = threading.Event()

    def other():
        with db.store_lock():
            took.set()

    thread = threading.Thread(target=other, daemon=True)
    thread.start()
    return took.wait(timeout)


def test_a_thread_that_lets_go_of_the_store_lets_others_in_and_takes_it_back(embedded):
    with db.store_lock(), db.store_lock():  # held twice, as a request inside a unit of work
        with db.store_released():
            assert _can_take_the_store_from_another_thread()
        assert not _can_take_the_store_from_another_thread(timeout=0.2)
    assert _can_take_the_store_from_another_thread()


def test_letting_go_without_holding_the_store_is_harmless(embedded):
    with db.store_released():
        assert _can_take_the_store_from_another_thread()
