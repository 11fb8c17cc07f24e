"""CLI command modules. Each registers its commands on ``_app.app``; logic lives in the library."""
