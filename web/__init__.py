"""The workspace: browser pages for caseworkers, analysts, partners and administrators, served at ``/``.

Pages are server-rendered Jinja2 shells; what they show comes from the same ``/v1`` routes any API client
calls, with the session cookie standing in for the bearer key. Roles, organisation scoping and the audit
therefore hold in the browser exactly as in the API: the workspace adds no second path to the data.
"""
