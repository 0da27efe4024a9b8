"""The bare-Django reference the HTTP benchmarks measure the portal against (issue #15): one
project with no app, no middleware and no template, served by the same gunicorn settings."""
