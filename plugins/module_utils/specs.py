# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The argument-spec options this collection's modules share, spelled once.

:func:`common_options` returns ``name``, ``wait``/``wait_timeout``, ``state`` and ``tags``/``purge_tags`` as an
argument spec wants them; a module lists its own options next to them::

    argument_spec=dict(
        domain_name=dict(type="str"),
        **common_options(wait=False, wait_timeout=600),
    )

Their documentation lives in the doc fragments (``techblogpro.wordpress_aws.attributes.state``, ``.wait``, ...
and ``amazon.aws.tags``); a module whose default differs passes its own (``wait=True``, ``wait_timeout=3600``).
"""

from __future__ import annotations

from typing import Any


def common_options(
    *,
    name: bool = True,
    state: bool = True,
    tags: bool = True,
    wait: bool | None = None,
    wait_timeout: int | None = None,
) -> dict[str, dict[str, Any]]:
    """The shared options a module takes.

    - ``name``: the resource's name, a required string;
    - ``state``: ``present`` (default) or ``absent``;
    - ``tags`` (alias ``resource_tags``; unset leaves the tags alone) and ``purge_tags`` (default true);
    - ``wait`` / ``wait_timeout``: only when the module says their default (``None`` leaves the option out).
    """
    spec: dict[str, dict[str, Any]] = {}
    if name:
        spec["name"] = dict(type="str", required=True)
    if wait is not None:
        spec["wait"] = dict(type="bool", default=wait)
    if wait_timeout is not None:
        spec["wait_timeout"] = dict(type="int", default=wait_timeout)
    if state:
        spec["state"] = dict(type="str", choices=["present", "absent"], default="present")
    if tags:
        spec["tags"] = dict(type="dict", aliases=["resource_tags"])
        spec["purge_tags"] = dict(type="bool", default=True)
    return spec


def list_of(*, default: list | None = None, **options: dict[str, Any]) -> dict[str, Any]:
    """A list option whose elements are dicts of ``options``.

    ``default`` is its default: ``None`` (unset leaves the resource's list alone) unless given (``default=[]``).
    """
    spec: dict[str, Any] = dict(type="list", elements="dict", options=options)
    if default is not None:
        spec["default"] = default
    return spec


def typed(kind: str, names: str, **settings: Any) -> dict[str, dict[str, Any]]:
    """Options of one ``kind`` ("str", "int", "bool", ...) and no default, one per space-separated name in ``names``.

    ``settings`` apply to each (``elements="str"`` for lists, ``no_log=False`` for key ids)::

        **typed("int", "allocated_storage max_allocated_storage port")
    """
    return {name: dict(type=kind, **settings) for name in names.split()}
