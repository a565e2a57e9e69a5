# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ids the alarms and the dashboard need, found in the stack's inventory by the stack's own names."""

from __future__ import annotations

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.names import names


def resource_ids(resources: list[dict], stack: str) -> dict:
    """The ids the alarms and the dashboard need, from the stack's inventory (stack_inventory's resources).

    Only the stack's own names count (``<stack>-alb``, ``<stack>-wordpress``, ``<stack>-db``...): a resource of
    another tool that carries the stack tag does not get our alarms. Missing tiers give empty values.
    """
    n = names(stack)
    ids = {
        "alb": "",
        "target_group": "",
        "cluster": "",
        "service": "",
        "db_instance": "",
        "db_replica": "",
        "efs_id": "",
        "distribution_id": "",
        "web_acl": "",
        "functions": [],
        "log_group": "",
        "service_arn": "",
        "topic_arn": "",
    }
    for r in resources or []:
        kind, rid = f"{r.get('service')}:{r.get('resource_type')}", str(r.get("id", ""))
        if kind == "elasticloadbalancing:loadbalancer" and rid.startswith(f"app/{n['alb']}/"):
            ids["alb"] = rid
        elif kind == "elasticloadbalancing:targetgroup" and rid.startswith(f"{n['target_group']}/"):
            ids["target_group"] = f"targetgroup/{rid}"
        elif kind == "ecs:service" and rid == f"{n['cluster']}/{n['service']}":
            ids["cluster"], ids["service"] = rid.split("/", 1)
            ids["service_arn"] = r.get("arn", "")
        elif kind == "rds:db" and rid in (n["db_instance"], n["db_replica"]):
            ids["db_replica" if rid == n["db_replica"] else "db_instance"] = rid
        elif kind == "elasticfilesystem:file-system" and (r.get("tags") or {}).get("Name") == n["uploads"]:
            ids["efs_id"] = rid
        elif kind == "cloudfront:distribution":
            ids["distribution_id"] = rid
        elif kind == "wafv2:webacl" and rid == f"global/{n['edge_acl']}":
            ids["web_acl"] = n["edge_acl"]
        elif kind == "lambda:function" and rid.startswith(n["lambda_prefix"]):
            ids["functions"].append(rid.split(":", 1)[0])
        elif kind == "logs:log-group" and rid == n["app_log_group"]:
            ids["log_group"] = rid
        elif kind == "sns:topic" and rid == n["alert_topic"] and r.get("region") != n["global_region"]:
            ids["topic_arn"] = r.get("arn", "")
    ids["functions"] = sorted(set(ids["functions"]))
    return ids
