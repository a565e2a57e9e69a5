#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: well_architected_review
short_description: Review the live stack against the five Well-Architected pillars, WordPress-specific
version_added: 0.9.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes.info, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.boto3]
description:
  - Reads the live resources of a stack (found by their derived names and the C(wordpress_aws:stack) tag) and
    judges them against checks of the security, reliability, performance efficiency, cost optimization and
    operational excellence pillars. Every check has an id, a pillar, a severity, a rationale, a remediation and
    the AWS Well-Architected best-practice id it maps to; the catalogue is in the collection's
    C(docs/well-architected.md).
  - A check is C(pass), C(fail), C(not_applicable) (the environment does not ask for it; the detail says why),
    C(not_emulated) (the target lacks the feature it needs, O(target_lacks)) or C(unanswered) (a read it needs
    failed; the detail holds the error). Only C(pass) counts as passed in the scores.
  - Read only; it returns the report (checks, scores per pillar, Markdown and HTML text) and writes no file.
options:
  stack_name:
    description: The stack name (the value of the C(wordpress_aws:stack) tag).
    type: str
    required: true
  environment:
    description:
      - The stack's environment. V(production) and V(staging) raise the severity of Multi-AZ and backup
        retention and ask for deletion protection and Database Insights advanced mode; V(production) needs no
        business-hours schedule.
    type: str
    required: true
  tags:
    description: The tags every resource of the stack carries (C(wordpress_aws_tags)), for the tags check.
    type: dict
    default: {}
  edge_region:
    description: The region of CloudFront's web ACL, certificates, budget and edge alarms.
    type: str
    default: us-east-1
  target_lacks:
    description: Features the target does not implement (C(wordpress_aws_target_lacks)); their checks are
      reported V(not_emulated) without a call.
    type: list
    elements: str
    default: []
  origin_verify_header:
    description: The header CloudFront adds and the ALB's rule requires.
    type: str
    default: X-Origin-Verify
  regional_acl:
    description: Whether the stack asks for a web ACL on the ALB (C(cloudfront_waf_regional_acl)).
    type: bool
    default: false
  allow_extended_support:
    description: Accept a DB engine past RDS standard support (billed Extended Support).
    type: bool
    default: false
  drift:
    description: The result of M(techblogpro.wordpress_aws.stack_drift) (its C(count) and C(drifts)); unset - the
      drift check is not applicable.
    type: dict
  skip_checks:
    description: Check ids to leave out of the report.
    type: list
    elements: str
    default: []
  fail_on:
    description: The lowest severity whose failed checks are listed in RV(failing) (V(none) - never).
    type: str
    choices: [high, medium, low, none]
    default: high
  today:
    description: The date support windows are judged on (ISO C(YYYY-MM-DD)); unset - today.
    type: str
"""

EXAMPLES = r"""
- name: Review the stack
  techblogpro.wordpress_aws.well_architected_review:
    stack_name: techblog-prod
    environment: production
    tags: "{{ wordpress_aws_tags }}"
    target_lacks: "{{ wordpress_aws_target_lacks }}"
  register: review

- name: Show the scores
  ansible.builtin.debug:
    msg: "{{ review.score_lines }}"
"""

RETURN = r"""
checks:
  description: Every check with its verdict, in catalogue order.
  returned: always
  type: list
  elements: dict
  contains:
    id: {description: The check id., type: str, sample: SEC-01}
    pillar: {description: Its pillar., type: str, sample: security}
    severity: {description: "high, medium or low (for this environment).", type: str, sample: high}
    best_practice: {description: The Well-Architected best-practice id., type: str, sample: SEC05-BP02}
    title: {description: What it checks., type: str, sample: DB not publicly accessible}
    rationale: {description: Why it matters., type: str, sample: "..."}
    remediation: {description: How to repair it., type: str, sample: "..."}
    status: {description: "pass, fail, not_applicable, not_emulated or unanswered.", type: str, sample: pass}
    detail: {description: What was found., type: raw, sample: PubliclyAccessible is false}
scores:
  description: Per pillar, the counts per status, the checks and the score (per cent of the applicable checks passed).
  returned: always
  type: dict
  sample: {"security": {"pass": 16, "fail": 1, "not_emulated": 1, "score": 88.9}}
failed_checks:
  description: The ids of the failed checks.
  returned: always
  type: list
  elements: str
  sample: [SEC-16]
failing:
  description: The ids of the failed checks of severity O(fail_on) or above (what should fail a pipeline).
  returned: always
  type: list
  elements: str
  sample: [SEC-01]
failed_lines:
  description: One line per failed check, high severity first.
  returned: always
  type: list
  elements: str
  sample: ["FAIL SEC-01 (high, SEC05-BP02) DB not publicly accessible: PubliclyAccessible is true"]
score_lines:
  description: One line per pillar.
  returned: always
  type: list
  elements: str
  sample: ["Security: 89 % (16 passed, 1 failed, 1 not answered, 0 n/a)"]
markdown:
  description: The report as Markdown.
  returned: always
  type: str
html:
  description: The report as one self-contained HTML page.
  returned: always
  type: str
"""

import datetime

try:
    from botocore.exceptions import BotoCoreError
    from botocore.exceptions import ClientError
except ImportError:  # AnsibleAWSModule reports the missing SDK
    pass

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import cloudfront_api
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import drift as drift_utils
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import efs
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import review
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.describe import or_none
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.names import names as stack_names
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.stack import STACK_TAG_KEY

CLOUDFRONT_ORIGIN_FACING = "com.amazonaws.global.cloudfront.origin-facing"
NOT_FOUND = (
    "NotFoundException",
    "DBInstanceNotFound",
    "DBInstanceNotFoundFault",
    "ResourceNotFoundException",
    "LoadBalancerNotFound",
    "TargetGroupNotFound",
    "WAFNonexistentItemException",
    "SubscriptionNotFound",
    "SubscriptionNotFoundFault",
    "NoSuchEntity",
)


def _or_none(call, **params):
    """``call(**params)``, or None when AWS answers that the resource does not exist (from a retried function)."""
    return or_none(call, list(NOT_FOUND), **params)


@AWSRetry.jittered_backoff()
def _pages(client, operation, key, **params):
    return client.get_paginator(operation).paginate(**params).build_full_result().get(key, [])


class Gather:
    """Reads the facts of the review, one step at a time; a step that fails marks its facts unanswerable."""

    def __init__(self, module, ctx):
        self.module, self.ctx, self.names = module, ctx, ctx["names"]
        self.facts, self.errors, self.clients = {"_errors": {}}, {}, {}
        self.facts["_errors"] = self.errors

    def client(self, service, edge=False):
        region = self.ctx["edge_region"] if edge else self.ctx["region"]
        if (service, region) not in self.clients:
            self.clients[(service, region)] = aws_client(self.module, service, region)
        return self.clients[(service, region)]

    def step(self, keys, function, after=(), feature=None):
        """Run ``function`` (returning one value per key) unless a fact it needs is unanswerable."""
        if feature and feature in self.ctx["target_lacks"]:
            return
        blocked = [key for key in after if key in self.errors]
        if blocked:
            for key in keys:
                self.errors[key] = f"needs {blocked[0]}, which could not be read"
            return
        try:
            values = function()
        except (BotoCoreError, ClientError) as err:
            message = str(err).split("\n", 1)[0][:300]
            for key in keys:
                self.errors[key] = message
            return
        if len(keys) == 1:
            values = (values,)
        self.facts.update({key: values[index] for index, key in enumerate(keys)})

    # ---- identity and encryption -------------------------------------------------------------------------------

    @AWSRetry.jittered_backoff()
    def _key(self, alias, edge):
        found = _or_none(self.client("kms", edge).describe_key, KeyId=alias)
        return found["KeyMetadata"]["Arn"] if found else None

    @AWSRetry.jittered_backoff()
    def _rotation(self):
        out = {}
        for arn, edge in ((self.facts.get("stack_key"), False), (self.facts.get("edge_key"), True)):
            if arn and (edge is False or arn != self.facts.get("stack_key")):
                status = self.client("kms", edge).get_key_rotation_status(KeyId=arn.rsplit("/", 1)[-1])
                out[arn] = bool(status.get("KeyRotationEnabled"))
        return out

    @AWSRetry.jittered_backoff()
    def _secrets(self):
        client = self.client("secretsmanager")
        prefix = f"{self.names['stack']}/"
        found = [s for s in _pages(client, "list_secrets", "SecretList") if s["Name"].startswith(prefix)]
        master = ((self.facts.get("db") or {}).get("MasterUserSecret") or {}).get("SecretArn")
        if master:
            described = _or_none(client.describe_secret, SecretId=master)
            if described:
                found.append(described)
        return found

    # ---- data and storage -------------------------------------------------------------------------------------

    @AWSRetry.jittered_backoff()
    def _db(self):
        found = _or_none(self.client("rds").describe_db_instances, DBInstanceIdentifier=self.names["db_instance"])
        return (found or {}).get("DBInstances", [None])[0]

    @AWSRetry.jittered_backoff()
    def _efs(self):
        client = self.client("efs")
        found = efs.find_file_system(client, self.names["uploads"])
        if not found:
            return None, None
        targets = client.describe_mount_targets(FileSystemId=found["FileSystemId"])["MountTargets"]
        return found, sorted({t.get("AvailabilityZoneName") or t.get("SubnetId") for t in targets})

    @AWSRetry.jittered_backoff()
    def _log_groups(self):
        wanted = [
            (False, self.names["log_group_prefix"]),
            (False, f"/aws/lambda/{self.names['lambda_prefix']}"),
            (False, self.names["waf_log_group_prefix"]),
            (True, self.names["waf_log_group_prefix"]),
        ]
        found = {}
        for edge, prefix in wanted:
            region = self.ctx["edge_region"] if edge else self.ctx["region"]
            for group in _pages(
                self.client("logs", edge), "describe_log_groups", "logGroups", logGroupNamePrefix=prefix
            ):
                found[(region, group["logGroupName"])] = {**group, "region": region}
        return [found[key] for key in sorted(found)]

    @AWSRetry.jittered_backoff()
    def _topics(self):
        out = []
        for edge, name in ((False, self.names["alert_topic"]), (True, self.names["edge_alert_topic"])):
            client = self.client("sns", edge)
            for topic in _pages(client, "list_topics", "Topics"):
                if topic["TopicArn"].rsplit(":", 1)[-1] == name:
                    attributes = client.get_topic_attributes(TopicArn=topic["TopicArn"])["Attributes"]
                    region = self.ctx["edge_region"] if edge else self.ctx["region"]
                    out.append({"name": name, "region": region, "KmsMasterKeyId": attributes.get("KmsMasterKeyId")})
        return out

    @AWSRetry.jittered_backoff()
    def _backup(self):
        client = self.client("backup")
        # DescribeBackupVault answers AccessDeniedException for a vault that does not exist (as our backup_vault knows).
        missing = ["ResourceNotFoundException", "AccessDeniedException"]
        vault = or_none(client.describe_backup_vault, missing, BackupVaultName=self.names["backup_vault"])
        plans = [
            p
            for p in _pages(client, "list_backup_plans", "BackupPlansList")
            if p["BackupPlanName"] == self.names["backup_plan"]
        ]
        plan = client.get_backup_plan(BackupPlanId=plans[0]["BackupPlanId"]) if plans else None
        return vault, ({**plan["BackupPlan"], "BackupPlanId": plan["BackupPlanId"]} if plan else None)

    @AWSRetry.jittered_backoff()
    def _selections(self):
        plan = self.facts.get("backup_plan")
        if not plan:
            return []
        client = self.client("backup")
        listed = _pages(client, "list_backup_selections", "BackupSelectionsList", BackupPlanId=plan["BackupPlanId"])
        return [
            client.get_backup_selection(BackupPlanId=plan["BackupPlanId"], SelectionId=s["SelectionId"])[
                "BackupSelection"
            ]
            for s in listed
        ]

    # ---- application ------------------------------------------------------------------------------------------

    @AWSRetry.jittered_backoff()
    def _service(self):
        client = self.client("ecs")
        found = client.describe_services(cluster=self.names["cluster"], services=[self.names["service"]])
        services = [s for s in found.get("services", []) if s.get("status") == "ACTIVE"]
        if not services:
            return None, None, None
        service = services[0]
        subnets = service.get("networkConfiguration", {}).get("awsvpcConfiguration", {}).get("subnets", [])
        described = self.client("ec2").describe_subnets(SubnetIds=subnets)["Subnets"] if subnets else []
        task_definition = client.describe_task_definition(taskDefinition=service["taskDefinition"])
        return service, sorted({s["AvailabilityZone"] for s in described}), task_definition["taskDefinition"]

    @AWSRetry.jittered_backoff()
    def _running_tasks(self):
        client = self.client("ecs")
        arns = _pages(
            client, "list_tasks", "taskArns", cluster=self.names["cluster"], serviceName=self.names["service"]
        )
        if not arns:
            return []
        tasks = client.describe_tasks(cluster=self.names["cluster"], tasks=arns[:100])["tasks"]
        return [t.get("availabilityZone") for t in tasks]

    @AWSRetry.jittered_backoff()
    def _alb(self):
        client = self.client("elbv2")
        found = _or_none(client.describe_load_balancers, Names=[self.names["alb"]])
        if not found:
            return None, None, [], {}
        alb = found["LoadBalancers"][0]
        raw = client.describe_load_balancer_attributes(LoadBalancerArn=alb["LoadBalancerArn"])
        attributes = {a["Key"]: a["Value"] for a in raw["Attributes"]}
        listeners = _pages(client, "describe_listeners", "Listeners", LoadBalancerArn=alb["LoadBalancerArn"])
        rules = {
            listener["ListenerArn"]: client.describe_rules(ListenerArn=listener["ListenerArn"])["Rules"]
            for listener in listeners
        }
        return alb, attributes, listeners, rules

    @AWSRetry.jittered_backoff()
    def _target_group(self):
        found = _or_none(self.client("elbv2").describe_target_groups, Names=[self.names["target_group"]])
        return found["TargetGroups"][0] if found else None

    @AWSRetry.jittered_backoff()
    def _alb_web_acl(self):
        alb = self.facts.get("alb")
        if not alb:
            return None
        found = _or_none(self.client("wafv2").get_web_acl_for_resource, ResourceArn=alb["LoadBalancerArn"])
        return (found or {}).get("WebACL")

    @AWSRetry.jittered_backoff()
    def _network(self):
        ec2 = self.client("ec2")
        vpc_id = drift_utils.stack_vpc_id(ec2, STACK_TAG_KEY, self.names["stack"])
        groups = None
        if vpc_id:
            groups = _pages(
                ec2, "describe_security_groups", "SecurityGroups", Filters=[{"Name": "vpc-id", "Values": [vpc_id]}]
            )
        lists = ec2.describe_managed_prefix_lists(
            Filters=[{"Name": "prefix-list-name", "Values": [CLOUDFRONT_ORIGIN_FACING]}]
        )["PrefixLists"]
        return groups, (lists[0]["PrefixListId"] if lists else None)

    @AWSRetry.jittered_backoff()
    def _iam_roles(self):
        client = self.client("iam")
        out = []
        for role in _pages(client, "list_roles", "Roles", PathPrefix=self.names["iam_path"]):
            name = role["RoleName"]
            policies = {}
            for policy in _pages(client, "list_role_policies", "PolicyNames", RoleName=name):
                policies[policy] = client.get_role_policy(RoleName=name, PolicyName=policy)["PolicyDocument"]
            managed = []
            for attached in _pages(client, "list_attached_role_policies", "AttachedPolicies", RoleName=name):
                arn = attached["PolicyArn"]
                managed.append(arn)
                if ":aws:policy/" in arn:
                    continue
                version = client.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
                document = client.get_policy_version(PolicyArn=arn, VersionId=version)
                policies[attached["PolicyName"]] = document["PolicyVersion"]["Document"]
            out.append({"RoleName": name, "policies": policies, "managed_policies": managed})
        return out

    # ---- edge -------------------------------------------------------------------------------------------------

    @AWSRetry.jittered_backoff()
    def _distribution(self):
        found = cloudfront_api.find_distribution(self.client("cloudfront", edge=True), self.names["caller_reference"])
        if not found:
            return None, None
        config = found["DistributionConfig"]
        acl_arn = config.get("WebACLId") or ""
        acl = None
        if acl_arn.startswith("arn:"):
            name, acl_id = acl_arn.split("/")[-2:]
            got = _or_none(self.client("wafv2", edge=True).get_web_acl, Name=name, Scope="CLOUDFRONT", Id=acl_id)
            acl = (got or {}).get("WebACL")
        return config, acl

    # ---- monitoring and cost ----------------------------------------------------------------------------------

    @AWSRetry.jittered_backoff()
    def _alarms(self):
        out = []
        for edge in (False, True):
            client = self.client("cloudwatch", edge)
            out += _pages(client, "describe_alarms", "MetricAlarms", AlarmNamePrefix=self.names["alarm_prefix"])
        return out

    @AWSRetry.jittered_backoff()
    def _composites(self):
        out = []
        for edge in (False, True):
            client = self.client("cloudwatch", edge)
            out += _pages(
                client,
                "describe_alarms",
                "CompositeAlarms",
                AlarmNamePrefix=self.names["alarm_prefix"],
                AlarmTypes=["CompositeAlarm"],
            )
        return out

    @AWSRetry.jittered_backoff()
    def _dashboards(self):
        found = _pages(
            self.client("cloudwatch"),
            "list_dashboards",
            "DashboardEntries",
            DashboardNamePrefix=self.names["dashboard"],
        )
        return [d["DashboardName"] for d in found]

    @AWSRetry.jittered_backoff()
    def _budget(self):
        account = self.client("sts").get_caller_identity()["Account"]
        client = self.client("budgets", edge=True)
        found = _or_none(client.describe_budget, AccountId=account, BudgetName=self.names["budget"])
        if not found:
            return None
        notifications = client.describe_notifications_for_budget(
            AccountId=account, BudgetName=self.names["budget"]
        ).get("Notifications", [])
        return {**found["Budget"], "notifications": len(notifications)}

    @AWSRetry.jittered_backoff()
    def _anomaly_monitors(self):
        client = self.client("ce", edge=True)
        monitors, token = [], None
        while True:
            page = client.get_anomaly_monitors(**({"NextPageToken": token} if token else {}))
            monitors += page.get("AnomalyMonitors", [])
            token = page.get("NextPageToken")
            if not token:
                break
        return [m for m in monitors if m.get("MonitorName") == self.names["anomaly_monitor"]]

    @AWSRetry.jittered_backoff()
    def _schedules(self):
        client = self.client("scheduler")
        out = []
        for prefix in (self.names["schedule_prefix"], self.names["db_schedule_prefix"]):
            out += _pages(client, "list_schedules", "Schedules", NamePrefix=prefix)
        return out

    @AWSRetry.jittered_backoff()
    def _scaling(self):
        client = self.client("application-autoscaling")
        resource = f"service/{self.names['cluster']}/{self.names['service']}"
        targets = _pages(
            client, "describe_scalable_targets", "ScalableTargets", ServiceNamespace="ecs", ResourceIds=[resource]
        )
        policies = _pages(
            client, "describe_scaling_policies", "ScalingPolicies", ServiceNamespace="ecs", ResourceId=resource
        )
        return (targets[0] if targets else None), policies

    @AWSRetry.jittered_backoff()
    def _events(self):
        subscription = _or_none(
            self.client("rds").describe_event_subscriptions, SubscriptionName=self.names["db_events"]
        )
        rule = _or_none(self.client("events").describe_rule, Name=self.names["deploy_rule"])
        return (subscription or {}).get("EventSubscriptionsList", [None])[0], rule

    def _client_in(self, service, region):
        return self.client(service, edge=region != self.ctx["region"])

    @AWSRetry.jittered_backoff()
    def _tags(self):
        regions = [self.ctx["region"]] + [r for r in [self.ctx["edge_region"]] if r != self.ctx["region"]]
        return drift_utils.stack_tag_drifts(self._client_in, self.names["stack"], regions, self.module.params["tags"])

    def run(self):
        s = self.step
        s(("stack_key",), lambda: self._key(self.names["kms_alias"], False))
        s(("edge_key",), lambda: self._key(self.names["edge_kms_alias"], True) or self.facts.get("stack_key"))
        s(("key_rotation",), self._rotation, after=("stack_key", "edge_key"))
        s(("db",), self._db)
        s(("secrets",), self._secrets, after=("db",))
        s(("efs", "efs_mount_azs"), self._efs)
        s(("log_groups",), self._log_groups)
        s(("topics",), self._topics)
        s(("backup_vault", "backup_plan"), self._backup)
        s(("backup_selections",), self._selections, after=("backup_plan",), feature="backup_selection")
        s(("service", "service_azs", "task_definition"), self._service)
        s(("running_task_azs",), self._running_tasks, feature="ecs_tasks")
        s(("alb", "alb_attributes", "listeners", "listener_rules"), self._alb)
        s(("target_group",), self._target_group)
        s(("alb_web_acl",), self._alb_web_acl, after=("alb",))
        s(("security_groups", "cloudfront_prefix_list"), self._network)
        s(("iam_roles",), self._iam_roles)
        s(("distribution", "edge_web_acl"), self._distribution)
        s(("alarms",), self._alarms)
        s(("composite_alarms",), self._composites, feature="composite_alarms")
        s(("dashboards",), self._dashboards)
        s(("budget",), self._budget)
        s(("anomaly_monitors",), self._anomaly_monitors, feature="cost_anomaly")
        s(("schedules",), self._schedules)
        s(("scalable_target", "scaling_policies"), self._scaling)
        s(("db_event_subscription", "deploy_rule"), self._events)
        s(("tag_drifts", "tagged_count"), self._tags)
        self.facts["drift"] = self.module.params["drift"]
        return self.facts


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            stack_name=dict(type="str", required=True),
            environment=dict(type="str", required=True),
            tags=dict(type="dict", default={}),
            edge_region=dict(type="str", default="us-east-1"),
            target_lacks=dict(type="list", elements="str", default=[]),
            origin_verify_header=dict(type="str", default="X-Origin-Verify"),
            regional_acl=dict(type="bool", default=False),
            allow_extended_support=dict(type="bool", default=False),
            drift=dict(type="dict"),
            skip_checks=dict(type="list", elements="str", default=[]),
            fail_on=dict(type="str", choices=["high", "medium", "low", "none"], default="high"),
            today=dict(type="str"),
        ),
        supports_check_mode=True,
    )
    p = module.params
    unknown = sorted(set(p["skip_checks"]) - set(review.CHECK_IDS))
    if unknown:
        module.fail_json(msg=f"skip_checks: unknown check ids {unknown}; the checks are {', '.join(review.CHECK_IDS)}")
    today = p["today"] or datetime.date.today().isoformat()
    try:
        datetime.date.fromisoformat(today)
    except ValueError:
        module.fail_json(msg=f"today must be an ISO date (YYYY-MM-DD), not {today!r}")
    if not module.region:
        module.fail_json(msg="a region is required (region or AWS_REGION)")
    ctx = {
        "environment": p["environment"],
        "region": module.region,
        "edge_region": p["edge_region"],
        "names": stack_names(p["stack_name"]),
        "target_lacks": p["target_lacks"],
        "origin_header": p["origin_verify_header"],
        "regional_acl": p["regional_acl"],
        "allow_extended_support": p["allow_extended_support"],
        "today": today,
    }
    facts = Gather(module, ctx).run()
    checks = review.evaluate(facts, ctx, p["skip_checks"])
    report = {
        "stack": p["stack_name"],
        "environment": p["environment"],
        "region": module.region,
        "edge_region": p["edge_region"],
        "generated": today,
        "checks": checks,
        "scores": review.scores(checks),
    }
    module.exit_json(
        changed=False,
        checks=checks,
        scores=report["scores"],
        failed_checks=[c["id"] for c in checks if c["status"] == "fail"],
        failing=[c["id"] for c in review.failing(checks, p["fail_on"])],
        failed_lines=review.failed_lines(checks),
        score_lines=review.score_lines(report),
        markdown=review.markdown(report),
        html=review.html_report(report),
    )


if __name__ == "__main__":
    main()
