"""HTTP pieces every JSON API of Postbud shares (the platform API and the JSON dialects).

An outer-layer package like the dialects: it may import the domain, never storage or services, and
no dialect's wire names live here.
"""
