"""Tests for webpush."""
