# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AWS Well-Architected Tool: where a best practice of the framework is answered, and how the review's checks
become answers.

:data:`BEST_PRACTICES` maps a best-practice id of the framework (``SEC05-BP02``) to the place the Tool records it in
the ``wellarchitected`` lens: the pillar id, the question id and the choice id. The choice ids are the file names of
the framework's best-practice pages (``sec_network_protection_layered``); the question ids are the Tool's own
(``network-protection``), mostly the page names' common part spelled with dashes, but not always
(``perf_data_*`` answers ``data-management``). Sources: docs.aws.amazon.com/wellarchitected/latest/framework/ (titles
and page names) and the Tool's public integrations (question ids). The Tool may rename a choice when AWS upgrades the
lens, so :func:`plan_answer` checks every choice against the question's own list and reports the ones it lacks.

Everything here but the wrappers of the API calls is a pure function of its arguments.
"""

from __future__ import annotations

import re
from collections import namedtuple

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.paging import pages

LENS = "wellarchitected"
PILLAR_IDS = ("operationalExcellence", "security", "reliability", "performance", "costOptimization")
NOTES_MAX = 2084  # UpdateAnswer Notes
NONE_OF_THESE = "None of these"  # the title of each question's exclusive choice

Place = namedtuple("Place", "pillar question choice title")

# best practice: (pillar id, question id, choice id, title)
BEST_PRACTICES = {
    # SEC 2. How do you manage authentication for people and machines?
    "SEC02-BP03": Place("security", "identities", "sec_identities_secrets", "Store and use secrets securely"),
    # SEC 3. How do you manage permissions for people and machines?
    "SEC03-BP02": Place("security", "permissions", "sec_permissions_least_privileges", "Grant least privilege access"),
    # SEC 5. How do you protect your network resources?
    "SEC05-BP02": Place(
        "security",
        "network-protection",
        "sec_network_protection_layered",
        "Control traffic flow within your network layers",
    ),
    "SEC05-BP03": Place(
        "security", "network-protection", "sec_network_protection_inspection", "Implement inspection-based protection"
    ),
    # SEC 8. How do you protect your data at rest?
    "SEC08-BP01": Place(
        "security", "protect-data-rest", "sec_protect_data_rest_key_mgmt", "Implement secure key management"
    ),
    "SEC08-BP02": Place("security", "protect-data-rest", "sec_protect_data_rest_encrypt", "Enforce encryption at rest"),
    "SEC08-BP04": Place(
        "security", "protect-data-rest", "sec_protect_data_rest_access_control", "Enforce access control"
    ),
    # SEC 9. How do you protect your data in transit?
    "SEC09-BP02": Place(
        "security", "protect-data-transit", "sec_protect_data_transit_encrypt", "Enforce encryption in transit"
    ),
    # REL 8. How do you implement change?
    "REL08-BP05": Place(
        "reliability",
        "tracking-change-management",
        "rel_tracking_change_management_automated_changemgmt",
        "Deploy changes with automation",
    ),
    # REL 9. How do you back up data?
    "REL09-BP01": Place(
        "reliability",
        "backing-up-data",
        "rel_backing_up_data_identified_backups_data",
        "Identify and back up all data that needs to be backed up, or reproduce the data from sources",
    ),
    "REL09-BP03": Place(
        "reliability",
        "backing-up-data",
        "rel_backing_up_data_automated_backups_data",
        "Perform data backup automatically",
    ),
    # REL 10. How do you use fault isolation to protect your workload?
    "REL10-BP01": Place(
        "reliability",
        "fault-isolation",
        "rel_fault_isolation_multiaz_region_system",
        "Deploy the workload to multiple locations",
    ),
    # REL 11. How do you design your workload to withstand component failures?
    "REL11-BP01": Place(
        "reliability",
        "withstand-component-failures",
        "rel_withstand_component_failures_monitoring_health",
        "Monitor all components of the workload to detect failures",
    ),
    # PERF 2. How do you select and use compute resources in your workload?
    "PERF02-BP05": Place(
        "performance",
        "compute-hardware",
        "perf_compute_hardware_scale_compute_resources_dynamically",
        "Scale your compute resources dynamically",
    ),
    # PERF 3. How do you store, manage, and access data in your workload?
    "PERF03-BP05": Place(
        "performance",
        "data-management",
        "perf_data_access_patterns_caching",
        "Implement data access patterns that utilize caching",
    ),
    # PERF 4. How do you select and configure networking resources in your workload?
    "PERF04-BP02": Place(
        "performance",
        "networking",
        "perf_networking_evaluate_networking_features",
        "Evaluate available networking features",
    ),
    "PERF04-BP05": Place(
        "performance",
        "networking",
        "perf_networking_choose_network_protocols_improve_performance",
        "Choose network protocols to improve performance",
    ),
    # PERF 5. How do your organizational practices and culture contribute to performance efficiency in your workload?
    "PERF05-BP02": Place(
        "performance",
        "process-culture",
        "perf_process_culture_use_monitoring_solutions",
        "Use monitoring solutions to understand the areas where performance is most critical",
    ),
    # COST 1. How do you implement cloud financial management?
    "COST01-BP06": Place(
        "costOptimization",
        "cloud-financial-management",
        "cost_cloud_financial_management_proactive_process",
        "Monitor cost proactively",
    ),
    # COST 2. How do you govern usage?
    "COST02-BP05": Place("costOptimization", "govern-usage", "cost_govern_usage_controls", "Implement cost controls"),
    # COST 3. How do you monitor your cost and usage?
    "COST03-BP02": Place(
        "costOptimization",
        "monitor-usage",
        "cost_monitor_usage_org_information",
        "Add organization information to cost and usage",
    ),
    # COST 4. How do you decommission resources? (the Tool's ids keep the framework's spelling "decomissioning")
    "COST04-BP05": Place(
        "costOptimization",
        "decomissioning-resources",
        "cost_decomissioning_resources_data_retention",
        "Enforce data retention policies",
    ),
    # COST 6. How do you meet cost targets when you select resource type, size and number?
    "COST06-BP03": Place(
        "costOptimization",
        "type-size-number-resources",
        "cost_type_size_number_resources_metrics",
        "Select resource type, size, and number automatically based on metrics",
    ),
    # COST 7. How do you use pricing models to reduce cost?
    "COST07-BP01": Place(
        "costOptimization", "pricing-model", "cost_pricing_model_analysis", "Perform pricing model analysis"
    ),
    # COST 9. How do you manage demand, and supply resources?
    "COST09-BP03": Place(
        "costOptimization",
        "manage-demand-resources",
        "cost_manage_demand_resources_dynamic",
        "Supply resources dynamically",
    ),
    # COST 10. How do you evaluate new services?
    "COST10-BP01": Place(
        "costOptimization",
        "evaluate-new-services",
        "cost_evaluate_new_services_review_process",
        "Develop a workload review process",
    ),
    "COST10-BP02": Place(
        "costOptimization",
        "evaluate-new-services",
        "cost_evaluate_new_services_review_workload",
        "Review and analyze this workload regularly",
    ),
    # OPS 5. How do you reduce defects, ease remediation, and improve flow into production?
    "OPS05-BP01": Place("operationalExcellence", "dev-integ", "ops_dev_integ_version_control", "Use version control"),
    "OPS05-BP03": Place(
        "operationalExcellence", "dev-integ", "ops_dev_integ_conf_mgmt_sys", "Use configuration management systems"
    ),
    # OPS 8. How do you utilize workload observability in your organization?
    "OPS08-BP04": Place(
        "operationalExcellence",
        "workload-observability",
        "ops_workload_observability_create_alerts",
        "Create actionable alerts",
    ),
    "OPS08-BP05": Place(
        "operationalExcellence",
        "workload-observability",
        "ops_workload_observability_create_dashboards",
        "Create dashboards",
    ),
}


# ---- the checks -------------------------------------------------------------------------------------------------


def _natural(check_id: str) -> tuple:
    """``SEC-2`` before ``SEC-10``."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", check_id))


def check_problems(checks: list) -> list[str]:
    """What is wrong with the checks as given (each needs an ``id``, a ``best_practice`` and a ``status``)."""
    problems = []
    for index, check in enumerate(checks):
        if not isinstance(check, dict):
            problems.append(f"checks[{index}] is not a dict")
            continue
        missing = [key for key in ("id", "best_practice", "status") if not check.get(key)]
        if missing:
            problems.append(f"checks[{index}] ({check.get('id', 'no id')}) lacks {', '.join(missing)}")
    return problems


def by_question(checks: list) -> tuple[dict, list]:
    """``({question id: [check, ...]}, unknown)``: the checks grouped by the question their best practice answers,
    in the order of :data:`PILLAR_IDS` and the questions' first appearance; ``unknown`` lists the checks whose best
    practice :data:`BEST_PRACTICES` does not hold, as ``"ID (BEST-PRACTICE)"``."""
    grouped: dict[str, list] = {}
    unknown = []
    for check in checks:
        place = BEST_PRACTICES.get(check["best_practice"])
        if place is None:
            unknown.append(f"{check['id']} ({check['best_practice']})")
            continue
        grouped.setdefault(place.question, []).append(check)
    order = {pillar: n for n, pillar in enumerate(PILLAR_IDS)}
    first = list(grouped)
    ranked = sorted(
        grouped,
        key=lambda q: (order[BEST_PRACTICES[grouped[q][0]["best_practice"]].pillar], first.index(q)),
    )
    return {question: grouped[question] for question in ranked}, unknown


def verdicts(checks: list) -> dict[str, bool | None]:
    """Per choice id: True (select it), False (unselect it) or None (leave it as it is).

    A best practice is met when its checks pass: one ``fail`` unselects it, else one ``pass`` selects it; the other
    statuses (``unanswered``, ``not_emulated``, ``not_applicable``) say nothing about it.
    """
    found: dict[str, bool | None] = {}
    for check in checks:
        choice = BEST_PRACTICES[check["best_practice"]].choice
        status = check["status"]
        if status == "fail":
            found[choice] = False
        elif status == "pass" and found.get(choice) is not False:
            found[choice] = True
        else:
            found.setdefault(choice, None)
    return found


def notes(checks: list) -> str:
    """The answer's notes: one line per check, ``ID status (BEST-PRACTICE) title``, in check-id order, at most
    :data:`NOTES_MAX` characters (the lines that do not fit are counted on a last line)."""
    lines = [
        f"{c['id']} {c['status']} ({c['best_practice']})" + (f" {c['title']}" if c.get("title") else "")
        for c in sorted(checks, key=lambda c: _natural(str(c["id"])))
    ]
    text = "\n".join(lines)
    if len(text) <= NOTES_MAX:
        return text
    kept: list[str] = []
    for line in lines:
        rest = len(lines) - len(kept) - 1
        if len("\n".join([*kept, line, f"... and {rest} more checks"])) > NOTES_MAX:
            break
        kept.append(line)
    return "\n".join([*kept, f"... and {len(lines) - len(kept)} more checks"])


def plan_answer(answer: dict | None, checks: list) -> dict:
    """The answer the checks ask for, from the current one (``None``: a workload not created yet, nothing selected).

    Returns ``before`` and ``after`` (the selected choice ids, sorted), ``notes``, ``changed`` and ``missing`` (the
    mapped choice ids the question does not offer; they are left out). Selecting a choice drops the question's
    "None of these" choice, which excludes every other.
    """
    answer = answer or {}
    before = sorted(answer.get("SelectedChoices") or [])
    offered = {c["ChoiceId"]: c.get("Title", "") for c in answer.get("Choices") or []}
    wanted = verdicts(checks)
    missing = sorted(choice for choice in wanted if offered and choice not in offered)
    after = set(before)
    for choice, selected in wanted.items():
        if choice in missing or selected is None:
            continue
        if selected:
            after.add(choice)
        else:
            after.discard(choice)
    if any(wanted.get(choice) for choice in after):
        after -= {choice for choice, title in offered.items() if title == NONE_OF_THESE}
    text = notes(checks)
    after_list = sorted(after)
    changed = after_list != before or text != (answer.get("Notes") or "")
    return {"before": before, "after": after_list, "notes": text, "changed": changed, "missing": missing}


# ---- the workload -----------------------------------------------------------------------------------------------


def workload_differences(wanted: dict, workload: dict) -> dict:
    """The UpdateWorkload parameters that differ; ``wanted`` holds only the set options (None leaves one alone)."""
    update = {}
    for key in ("Description", "Environment", "ReviewOwner"):
        if wanted.get(key) is not None and wanted[key] != workload.get(key):
            update[key] = wanted[key]
    if wanted.get("AwsRegions") is not None and sorted(wanted["AwsRegions"]) != sorted(
        workload.get("AwsRegions") or []
    ):
        update["AwsRegions"] = list(wanted["AwsRegions"])
    return update


def workload_view(workload: dict | None, answers: dict | None = None) -> dict:
    """The returned workload, with the selected choices of the questions the checks answer (``{}`` when absent)."""
    if not workload:
        return {}
    return {
        "workload_id": workload.get("WorkloadId", ""),
        "workload_arn": workload.get("WorkloadArn", ""),
        "workload_name": workload.get("WorkloadName", ""),
        "description": workload.get("Description", ""),
        "environment": workload.get("Environment", ""),
        "aws_regions": sorted(workload.get("AwsRegions") or []),
        "review_owner": workload.get("ReviewOwner", ""),
        "lenses": list(workload.get("Lenses") or []),
        "tags": dict(workload.get("Tags") or {}),
        "answers": dict(answers or {}),
    }


# ---- the calls (each retried; none sees the module) -------------------------------------------------------------


@AWSRetry.jittered_backoff()
def find_workload(client, name: str) -> dict | None:
    """The workload named exactly ``name`` (GetWorkload's description), or None."""
    found = pages(client.list_workloads, "WorkloadSummaries", WorkloadNamePrefix=name)
    summary = next((w for w in found if w.get("WorkloadName") == name), None)
    if summary is None:
        return None
    return client.get_workload(WorkloadId=summary["WorkloadId"])["Workload"]


@AWSRetry.jittered_backoff()
def create_workload(client, params: dict, token: str) -> dict:
    """CreateWorkload with a token made before the first attempt, so every retry is the same request; returns the
    new ``WorkloadId`` and ``WorkloadArn``."""
    made = client.create_workload(ClientRequestToken=token, **params)
    return {"WorkloadId": made["WorkloadId"], "WorkloadArn": made["WorkloadArn"]}


@AWSRetry.jittered_backoff()
def update_workload(client, workload_id: str, update: dict) -> dict:
    return client.update_workload(WorkloadId=workload_id, **update)["Workload"]


@AWSRetry.jittered_backoff()
def associate_lenses(client, workload_id: str, lenses: list) -> None:
    client.associate_lenses(WorkloadId=workload_id, LensAliases=list(lenses))


@AWSRetry.jittered_backoff()
def set_tags(client, arn: str, to_set: dict, to_remove: list) -> None:
    if to_remove:
        client.untag_resource(WorkloadArn=arn, TagKeys=list(to_remove))
    if to_set:
        client.tag_resource(WorkloadArn=arn, Tags=dict(to_set))


@AWSRetry.jittered_backoff()
def get_answer(client, workload_id: str, question: str) -> dict:
    return client.get_answer(WorkloadId=workload_id, LensAlias=LENS, QuestionId=question)["Answer"]


@AWSRetry.jittered_backoff()
def update_answer(client, workload_id: str, question: str, selected: list, text: str) -> None:
    client.update_answer(
        WorkloadId=workload_id, LensAlias=LENS, QuestionId=question, SelectedChoices=list(selected), Notes=text
    )


@AWSRetry.jittered_backoff()
def find_milestone(client, workload_id: str, name: str) -> dict | None:
    found = pages(client.list_milestones, "MilestoneSummaries", WorkloadId=workload_id)
    return next((m for m in found if m.get("MilestoneName") == name), None)


@AWSRetry.jittered_backoff()
def create_milestone(client, workload_id: str, name: str, token: str) -> int:
    return client.create_milestone(WorkloadId=workload_id, MilestoneName=name, ClientRequestToken=token)[
        "MilestoneNumber"
    ]
