"""The socket guard the suite installs (it lives in the engine: `deepdraft self-test` uses it
too). Re-exported here so tests keep importing `netguard`."""
from engine.netguard import NetworkBlocked, attempts, install, uninstall  # noqa: F401
