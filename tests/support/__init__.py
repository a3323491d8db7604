"""Test doubles that behave like the real services: a push service on 127.0.0.1."""
