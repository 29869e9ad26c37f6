"""What the python-cloudflare suites share: Debian's python3-cloudflare 2.11.1 imported only once
the process is isolated from the developer's own settings (isolate_from_user_settings), and Wire,
which records what the client sent and got back. Import it before anything else of the suite:

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from python_cloudflare import CloudFlare, CloudFlareAPIError, Emulator, Wire  # noqa: E402
"""
import sys
from unittest import mock
from urllib.parse import urlsplit

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree

from emulator_process import Emulator, eventually, isolate_from_user_settings  # noqa: E402

isolate_from_user_settings()

import CloudFlare  # noqa: E402
import requests  # noqa: E402  (what python-cloudflare sends its requests with)
from CloudFlare.exceptions import CloudFlareAPIError  # noqa: E402

__all__ = ["CloudFlare", "CloudFlareAPIError", "Emulator", "Wire", "eventually", "requests"]


class Wire:
    """Records what python-cloudflare sent and what came back: (method, path, status, headers).

    The client hands back only `result` (or raises with the error's code and message), so the
    HTTP status and headers are read where requests sends: requests.Session.send, wrapped inside
    the `with`.
    """

    def __init__(self):
        self.exchanges = []

    def __enter__(self):
        send = requests.Session.send

        def recording_send(session, prepared, **kwargs):
            response = send(session, prepared, **kwargs)
            self.exchanges.append((prepared.method, urlsplit(prepared.url).path, response.status_code,
                                   response.headers))
            return response

        self._patch = mock.patch.object(requests.Session, "send", recording_send)
        self._patch.start()
        return self

    def __exit__(self, *exc):
        self._patch.stop()
