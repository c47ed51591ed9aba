"""The environment the suite runs in, set before pytest-django imports the settings (loaded with
`-p tests.environment`, pyproject.toml).

The settings are those of a production installation (DEBUG defaults to false, issue 19), so the tests see what
the bureau's server does; only what a server gets from its environment file is given here: a test-only secret
key, plain HTTP (the test client speaks no TLS) and the loopback host names. DEBUG is set off explicitly, so
that a developer's exported DEBUG=true does not change what the tests check. Subprocesses the tests start
(manage.py, the cluster) inherit these values.
"""

import os

os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-any-server-0123456789abcdef")
os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
