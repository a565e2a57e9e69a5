#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: wellarchitected_review_record
short_description: Record a Well-Architected review of the stack in the AWS Well-Architected Tool
version_added: 0.9.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.tags,
   amazon.aws.boto3]
description:
  - Finds the Well-Architected Tool workload named O(workload_name) (an exact name), creates it when it does not
    exist, or updates its description, environment, Regions and review owner when they differ from the options
    given; an option left unset leaves that attribute alone. Lenses of O(lenses) the workload lacks are associated,
    none is removed.
  - Answers, in the C(wellarchitected) lens, every question that at least one of O(checks) maps to. The choice of
    a best practice is selected when its checks pass and unselected when one of them fails; checks with another
    status (C(unanswered), C(not_emulated), C(not_applicable)) leave the choice as it is. The other choices of the
    question (set by hand in the console) are kept, except V(None of these) when a choice is selected.
  - The notes of each answered question list its checks, one line each (C(SEC-01 pass (SEC05-BP02) title)), at
    most 2084 characters; the module owns these notes and replaces what they held.
  - An answer is written only when its selected choices or its notes differ, so a second run reports no change.
  - Checks whose best practice has no known place in the lens are ignored with a warning that lists them. A
    mapped choice the question does not offer (the lens was upgraded and renamed it) is left out with a warning.
  - With O(milestone_name), a milestone of that name is saved after the answers unless the workload has one of
    that name already.
  - The local emulator does not implement the Well-Architected Tool; the roles report this recording as not
    emulated locally.
options:
  workload_name:
    description: The workload's name (3 to 100 characters), matched exactly.
    type: str
    required: true
  description:
    description:
      - The workload's description (3 to 250 characters).
      - Unset leaves it alone; a new workload gets C(Well-Architected review of <workload_name>).
    type: str
  environment:
    description: The workload's environment. Required to create the workload; unset leaves it alone.
    type: str
    choices: [PRODUCTION, PREPRODUCTION]
  aws_regions:
    description: The workload's AWS Regions. Unset leaves them alone; a new workload gets the module's Region.
    type: list
    elements: str
  review_owner:
    description: The review owner (3 to 255 characters), a person, group or role, for example an email address.
    type: str
    required: true
  lenses:
    description:
      - The lenses of the workload (aliases or ARNs). Must include V(wellarchitected), where the answers go.
      - Used on creation; on an existing workload the missing ones are associated.
    type: list
    elements: str
    default: [wellarchitected]
  checks:
    description:
      - The checks M(techblogpro.wordpress_aws.well_architected_review) returns, as its
        RV(techblogpro.wordpress_aws.well_architected_review#module:checks); each needs C(id),
        C(best_practice) and C(status), C(title) goes into the notes, other keys are ignored.
    type: list
    elements: dict
    default: []
  milestone_name:
    description: Save a milestone of this name (3 to 100 characters) after the answers, unless one exists already.
    type: str
"""

EXAMPLES = r"""
- name: Review the stack
  techblogpro.wordpress_aws.well_architected_review:
    stack_name: techblog-prod
    environment: production
  register: review

- name: Record the review in the Well-Architected Tool, with a milestone per release
  techblogpro.wordpress_aws.wellarchitected_review_record:
    workload_name: techblog-prod
    description: WordPress on ECS Fargate, RDS MySQL and CloudFront
    environment: PRODUCTION
    aws_regions: [eu-west-3, us-east-1]
    review_owner: platform@example.com
    checks: "{{ review.checks }}"
    milestone_name: "release {{ release_version }}"
    tags:
      wordpress_aws:stack: techblog-prod

- name: Update only the answers of an existing workload (description, environment and Regions left alone)
  techblogpro.wordpress_aws.wellarchitected_review_record:
    workload_name: techblog-prod
    review_owner: platform@example.com
    checks: "{{ review.checks }}"
"""

RETURN = r"""
changes:
  description: What was created, updated or answered (or would be in check mode), as sentences.
  returned: always
  type: list
  elements: str
  sample:
    - created workload techblog-prod
    - "updated answer network-protection: selected sec_network_protection_layered; notes"
    - saved milestone release 1.4.0
workload:
  description: The workload, with the selected choices of the questions the checks answer.
  returned: always
  type: dict
  contains:
    workload_id:
      description: The workload id (empty in check mode before creation).
      type: str
      sample: 0123456789abcdef0123456789abcdef
    workload_arn:
      description: The workload ARN (empty in check mode before creation).
      type: str
      sample: arn:aws:wellarchitected:eu-west-3:123456789012:workload/0123456789abcdef0123456789abcdef
    workload_name:
      description: The workload name.
      type: str
      sample: techblog-prod
    description:
      description: The description.
      type: str
      sample: WordPress on ECS Fargate, RDS MySQL and CloudFront
    environment:
      description: V(PRODUCTION) or V(PREPRODUCTION).
      type: str
      sample: PRODUCTION
    aws_regions:
      description: The AWS Regions.
      type: list
      elements: str
      sample: [eu-west-3, us-east-1]
    review_owner:
      description: The review owner.
      type: str
      sample: platform@example.com
    lenses:
      description: The lenses.
      type: list
      elements: str
      sample: [wellarchitected]
    tags:
      description: The tags.
      type: dict
      sample: {"wordpress_aws:stack": "techblog-prod"}
    answers:
      description: Per question id of the C(wellarchitected) lens, the selected choice ids.
      type: dict
      sample: {"network-protection": ["sec_network_protection_layered"]}
workload_id:
  description: The workload id, as RV(workload.workload_id).
  returned: always
  type: str
  sample: 0123456789abcdef0123456789abcdef
workload_arn:
  description: The workload ARN, as RV(workload.workload_arn).
  returned: always
  type: str
  sample: arn:aws:wellarchitected:eu-west-3:123456789012:workload/0123456789abcdef0123456789abcdef
questions_updated:
  description: The question ids whose answer was written (or would be in check mode).
  returned: always
  type: list
  elements: str
  sample: [network-protection, protect-data-rest]
milestone_number:
  description: The number of the milestone named O(milestone_name), saved now or before; null without
    O(milestone_name) or in check mode before it is saved.
  returned: always
  type: int
  sample: 3
"""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import wellarchitected as wa
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.adopt import request_token
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tagging import tag_changes

LENGTHS = {"workload_name": (3, 100), "description": (3, 250), "review_owner": (3, 255), "milestone_name": (3, 100)}


def option_problems(p):
    problems = [
        f"{name} must have {low} to {high} characters"
        for name, (low, high) in LENGTHS.items()
        if p[name] is not None and not low <= len(p[name]) <= high
    ]
    if wa.LENS not in p["lenses"]:
        problems.append(f"lenses must include {wa.LENS} (the answers go there)")
    return problems + wa.check_problems(p["checks"])


def create_params(p, region):
    regions = p["aws_regions"] if p["aws_regions"] is not None else [region] if region else []
    params = {
        "WorkloadName": p["workload_name"],
        "Description": p["description"] or f"Well-Architected review of {p['workload_name']}",
        "Environment": p["environment"],
        "ReviewOwner": p["review_owner"],
        "Lenses": list(p["lenses"]),
    }
    if regions:
        params["AwsRegions"] = list(regions)
    if p["tags"]:
        params["Tags"] = dict(p["tags"])
    return params


def converge_workload(module, client, workload, changes):
    """Bring an existing workload's attributes, lenses and tags in line; returns it as it is (or would be)."""
    p, name = module.params, module.params["workload_name"]
    wanted = {
        "Description": p["description"],
        "Environment": p["environment"],
        "ReviewOwner": p["review_owner"],
        "AwsRegions": p["aws_regions"],
    }
    update = wa.workload_differences(wanted, workload)
    if update:
        changes.append(f"updated workload {name}: {', '.join(sorted(update))}")
        workload = {**workload, **update}
        if not module.check_mode:
            workload = wa.update_workload(client, workload["WorkloadId"], update)
    missing = [lens for lens in p["lenses"] if lens not in (workload.get("Lenses") or [])]
    if missing:
        changes.append(f"associated lenses {', '.join(missing)}")
        if not module.check_mode:
            wa.associate_lenses(client, workload["WorkloadId"], missing)
    to_set, to_remove = tag_changes(p["tags"], workload.get("Tags"), p["purge_tags"])
    if to_set or to_remove:
        changes.append("tags")
        if not module.check_mode:
            wa.set_tags(client, workload["WorkloadArn"], to_set, to_remove)
        tags = {k: v for k, v in (workload.get("Tags") or {}).items() if k not in to_remove}
        workload = {**workload, "Tags": {**tags, **to_set}}
    return {**workload, "Lenses": [*(workload.get("Lenses") or []), *missing]}


def read_answer(module, client, workload_id, question, checks):
    """The current answer; False when the lens has no such question (a warning says so)."""
    try:
        return wa.get_answer(client, workload_id, question)
    except is_boto3_error_code(["ResourceNotFoundException", "ValidationException"]) as err:
        ids = ", ".join(c["id"] for c in checks)
        module.warn(f"question {question} of lens {wa.LENS} not answered ({ids}): {err}")
        return False


def answer_change(question, plan, notes_changed):
    parts = []
    added = [c for c in plan["after"] if c not in plan["before"]]
    removed = [c for c in plan["before"] if c not in plan["after"]]
    if added:
        parts.append(f"selected {', '.join(added)}")
    if removed:
        parts.append(f"unselected {', '.join(removed)}")
    if notes_changed:
        parts.append("notes")
    return f"updated answer {question}: {'; '.join(parts)}"


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            workload_name=dict(type="str", required=True),
            description=dict(type="str"),
            environment=dict(type="str", choices=["PRODUCTION", "PREPRODUCTION"]),
            aws_regions=dict(type="list", elements="str"),
            review_owner=dict(type="str", required=True),
            lenses=dict(type="list", elements="str", default=[wa.LENS]),
            checks=dict(type="list", elements="dict", default=[]),
            milestone_name=dict(type="str"),
            **common_options(name=False, state=False),
        ),
        supports_check_mode=True,
    )
    p, name = module.params, module.params["workload_name"]
    problems = option_problems(p)
    if problems:
        module.fail_json(msg="; ".join(problems))
    questions, unknown = wa.by_question(p["checks"])
    if unknown:
        module.warn(f"ignored the checks whose best practice has no answer in lens {wa.LENS}: {', '.join(unknown)}")
    client = aws_client(module, "wellarchitected")
    changes = []
    answers_before = {}
    answers_after = {}
    updated = []
    milestone_number = None
    with aws_errors(module, f"record the review in the Well-Architected workload {name}"):
        found = wa.find_workload(client, name)
        if found is None:
            if not p["environment"]:
                module.fail_json(msg=f"environment is required to create the workload {name}")
            params = create_params(p, module.region)
            changes.append(f"created workload {name}")
            made = {"WorkloadId": "", "WorkloadArn": ""}
            if not module.check_mode:
                made = wa.create_workload(client, params, request_token())
            workload = {**params, **made}
        else:
            workload = converge_workload(module, client, found, changes)
        # Nothing to read before the workload exists, nor in a lens that check mode did not associate.
        readable = bool(workload["WorkloadId"]) and (
            not module.check_mode or wa.LENS in ((found or {}).get("Lenses") or [])
        )
        for question, checks in questions.items():
            answer = read_answer(module, client, workload["WorkloadId"], question, checks) if readable else None
            if answer is False:
                continue
            plan = wa.plan_answer(answer, checks)
            if plan["missing"]:
                module.warn(f"question {question} does not offer {', '.join(plan['missing'])}; left out")
            answers_before[question], answers_after[question] = plan["before"], plan["after"]
            if plan["changed"]:
                updated.append(question)
                changes.append(answer_change(question, plan, plan["notes"] != ((answer or {}).get("Notes") or "")))
                if not module.check_mode:
                    wa.update_answer(client, workload["WorkloadId"], question, plan["after"], plan["notes"])
        if p["milestone_name"]:
            milestone = (
                wa.find_milestone(client, workload["WorkloadId"], p["milestone_name"])
                if workload["WorkloadId"]
                else None
            )
            if milestone:
                milestone_number = milestone["MilestoneNumber"]
            else:
                changes.append(f"saved milestone {p['milestone_name']}")
                if not module.check_mode:
                    milestone_number = wa.create_milestone(
                        client, workload["WorkloadId"], p["milestone_name"], request_token()
                    )
    before = wa.workload_view(found, answers_before) if found else {}
    exit_result(
        module,
        "workload",
        before,
        wa.workload_view(workload, answers_after),
        changes,
        workload_id=workload["WorkloadId"],
        workload_arn=workload["WorkloadArn"],
        questions_updated=updated,
        milestone_number=milestone_number,
    )


if __name__ == "__main__":
    main()
