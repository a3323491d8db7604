"""Tests for worker.push."""
