"""Tests for the worker."""
