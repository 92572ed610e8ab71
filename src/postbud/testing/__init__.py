"""``pytest-postbud``: Postbud for an integrator's tests (fixtures in ``postbud.testing.plugin``).

Outside pytest, ``serving(data_dir)`` starts a server and ``PostbudSandbox(running)`` drives it.
"""

from __future__ import annotations

from postbud.testing.pdf import sample_pdf, sample_pdf_base64
from postbud.testing.sandbox import PostbudError, PostbudSandbox
from postbud.testing.server import RunningPostbud, SandboxCredentials, serving

__all__ = [
    "PostbudError",
    "PostbudSandbox",
    "RunningPostbud",
    "SandboxCredentials",
    "sample_pdf",
    "sample_pdf_base64",
    "serving",
]
