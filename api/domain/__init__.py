"""Pure domain logic shared by the API and the worker: no Flask, no database."""
