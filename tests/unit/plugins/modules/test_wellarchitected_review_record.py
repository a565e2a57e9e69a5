"""wellarchitected_review_record against botocore's Stubber: the emulator lacks the Well-Architected Tool (500)."""

from __future__ import annotations

import pytest
from botocore.stub import ANY

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import wellarchitected as wa
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import wellarchitected_review_record as mod

WID = "0123456789abcdef0123456789abcdef"
ARN = f"arn:aws:wellarchitected:eu-west-3:123456789012:workload/{WID}"
LAYERED, INSPECTION = "sec_network_protection_layered", "sec_network_protection_inspection"
LAYERS, NONE = "sec_network_protection_create_layers", "sec_network_protection_no"
ENCRYPT, MULTI_AZ = "sec_protect_data_rest_encrypt", "rel_fault_isolation_multiaz_region_system"
CHOICES = {
    "network-protection": [LAYERS, LAYERED, INSPECTION, "sec_network_protection_auto_protect", NONE],
    "protect-data-rest": ["sec_protect_data_rest_key_mgmt", ENCRYPT, "sec_protect_data_rest_no"],
    "fault-isolation": [MULTI_AZ, "rel_fault_isolation_use_bulkhead", "rel_fault_isolation_no"],
}
PILLAR = {"network-protection": "security", "protect-data-rest": "security", "fault-isolation": "reliability"}


def check(cid, bp, status, title):
    # As well_architected_review returns them: the extra keys are ignored.
    return {"id": cid, "best_practice": bp, "status": status, "title": title, "pillar": "x", "severity": "high"}


def checks(waf="fail"):
    return [
        check("SEC-01", "SEC05-BP02", "pass", "DB not publicly accessible"),
        check("SEC-11", "SEC05-BP03", waf, "WAF on the distribution"),
        check("SEC-02", "SEC08-BP02", "pass", "DB storage encrypted"),
        check("REL-01", "REL10-BP01", "not_emulated", "DB Multi-AZ"),
    ]


def notes(waf="fail"):
    return {
        "network-protection": "SEC-01 pass (SEC05-BP02) DB not publicly accessible\n"
        f"SEC-11 {waf} (SEC05-BP03) WAF on the distribution",
        "protect-data-rest": "SEC-02 pass (SEC08-BP02) DB storage encrypted",
        "fault-isolation": "REL-01 not_emulated (REL10-BP01) DB Multi-AZ",
    }


TAGS = {"wordpress_aws:stack": "s"}
ARGS = {
    "workload_name": "s-site",
    "description": "WordPress stack s-site",
    "environment": "PRODUCTION",
    "aws_regions": ["eu-west-3"],
    "review_owner": "ops@example.com",
    "tags": TAGS,
    "checks": checks(),
    "milestone_name": "release 1",
}
CONVERGED = {"network-protection": [LAYERED], "protect-data-rest": [ENCRYPT], "fault-isolation": []}


def workload(**changes):
    found = {
        "WorkloadId": WID,
        "WorkloadArn": ARN,
        "WorkloadName": "s-site",
        "Description": "WordPress stack s-site",
        "Environment": "PRODUCTION",
        "AwsRegions": ["eu-west-3"],
        "ReviewOwner": "ops@example.com",
        "Lenses": ["wellarchitected"],
        "Tags": dict(TAGS),
    }
    return {**found, **changes}


def answer(question, selected=(), text=None):
    found = {
        "QuestionId": question,
        "PillarId": PILLAR[question],
        "QuestionTitle": question,
        "Choices": [{"ChoiceId": c, "Title": "None of these" if c.endswith("_no") else c} for c in CHOICES[question]],
        "SelectedChoices": list(selected),
    }
    if text is not None:
        found["Notes"] = text
    return {"WorkloadId": WID, "LensAlias": "wellarchitected", "Answer": found}


def by_name():
    return {"WorkloadNamePrefix": "s-site"}


def on(question):
    return {"WorkloadId": WID, "LensAlias": "wellarchitected", "QuestionId": question}


def summary():
    return {"WorkloadSummaries": [{"WorkloadId": WID, "WorkloadArn": ARN, "WorkloadName": "s-site"}]}


def found(stub, existing=None):
    """ListWorkloads (a prefix match: another workload is ignored) and GetWorkload of the exact name."""
    other = {"WorkloadId": "f" * 32, "WorkloadName": "s-site-old"}
    stub.add_response("list_workloads", {"WorkloadSummaries": [other, *summary()["WorkloadSummaries"]]}, by_name())
    stub.add_response("get_workload", {"Workload": existing or workload()}, {"WorkloadId": WID})


def answers(stub, current, writes=None):
    """GetAnswer of each question the checks answer, with ``current`` ({question: (selected, notes)}), each followed
    by the UpdateAnswer of ``writes`` ({question: (selected, notes)}) when it has one."""
    for question in ("network-protection", "protect-data-rest", "fault-isolation"):
        selected, text = current.get(question, ((), None))
        stub.add_response("get_answer", answer(question, selected, text), on(question))
        if question in (writes or {}):
            selected, text = writes[question]
            params = {**on(question), "SelectedChoices": selected, "Notes": text}
            stub.add_response("update_answer", {"WorkloadId": WID, "LensAlias": "wellarchitected"}, params)


def milestones(stub, *summaries):
    stub.add_response(
        "list_milestones", {"WorkloadId": WID, "MilestoneSummaries": list(summaries)}, {"WorkloadId": WID}
    )


def converged_answers(waf="fail"):
    return {question: (CONVERGED[question], notes(waf)[question]) for question in CONVERGED}


@pytest.fixture
def stub(stubbed):
    return stubbed("wellarchitected")


def test_creates_the_workload_answers_its_questions_and_saves_the_milestone(stub, run_module):
    stub.add_response("list_workloads", {"WorkloadSummaries": []}, by_name())
    created = {
        "WorkloadName": "s-site",
        "Description": "WordPress stack s-site",
        "Environment": "PRODUCTION",
        "ReviewOwner": "ops@example.com",
        "Lenses": ["wellarchitected"],
        "AwsRegions": ["eu-west-3"],
        "Tags": TAGS,
        "ClientRequestToken": ANY,
    }
    stub.add_response("create_workload", {"WorkloadId": WID, "WorkloadArn": ARN}, created)
    answers(stub, {}, {question: (CONVERGED[question], notes()[question]) for question in CONVERGED})
    milestones(stub)
    stub.add_response(
        "create_milestone",
        {"WorkloadId": WID, "MilestoneNumber": 1},
        {"WorkloadId": WID, "MilestoneName": "release 1", "ClientRequestToken": ANY},
    )
    result = run_module(mod, ARGS)
    assert result.get("failed") is not True, result
    assert result["changes"] == [
        "created workload s-site",
        f"updated answer network-protection: selected {LAYERED}; notes",
        f"updated answer protect-data-rest: selected {ENCRYPT}; notes",
        "updated answer fault-isolation: notes",
        "saved milestone release 1",
    ]
    assert result["changed"] is True
    assert (result["workload_id"], result["workload_arn"], result["milestone_number"]) == (WID, ARN, 1)
    assert result["questions_updated"] == ["network-protection", "protect-data-rest", "fault-isolation"]
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"]["answers"] == CONVERGED
    assert result["workload"]["tags"] == TAGS


def test_a_second_run_changes_nothing(stub, run_module):
    found(stub)
    answers(stub, converged_answers())
    milestones(stub, {"MilestoneNumber": 1, "MilestoneName": "release 1"})
    result = run_module(mod, ARGS)
    assert result["changed"] is False and result["changes"] == [], result
    assert result["questions_updated"] == [] and result["milestone_number"] == 1
    assert result["diff"]["before"] == result["diff"]["after"]


def test_a_check_that_now_passes_selects_its_choice(stub, run_module):
    found(stub)
    answers(
        stub, converged_answers(), {"network-protection": ([INSPECTION, LAYERED], notes("pass")["network-protection"])}
    )
    result = run_module(mod, {**ARGS, "checks": checks(waf="pass"), "milestone_name": None})
    assert result["changes"] == [f"updated answer network-protection: selected {INSPECTION}; notes"]
    assert result["questions_updated"] == ["network-protection"] and result["milestone_number"] is None
    assert result["diff"]["before"]["answers"]["network-protection"] == [LAYERED]
    assert result["diff"]["after"]["answers"]["network-protection"] == [INSPECTION, LAYERED]


def test_a_failed_check_unselects_its_choice_and_keeps_the_others(stub, run_module):
    found(stub)
    current = converged_answers()
    current["network-protection"] = ([LAYERS, LAYERED, INSPECTION], notes()["network-protection"])
    answers(
        stub,
        current,
        {"network-protection": ([LAYERS], notes()["network-protection"].replace("SEC-01 pass", "SEC-01 fail"))},
    )
    failing = checks()
    failing[0]["status"] = "fail"
    result = run_module(mod, {**ARGS, "checks": failing, "milestone_name": None})
    assert result["changes"] == [f"updated answer network-protection: unselected {INSPECTION}, {LAYERED}; notes"]


def test_check_mode_writes_nothing_and_predicts_a_creation(stub, run_module):
    stub.add_response("list_workloads", {"WorkloadSummaries": []}, by_name())
    result = run_module(mod, ARGS, check_mode=True)
    assert result["changed"] is True
    assert result["changes"][0] == "created workload s-site" and result["changes"][-1] == "saved milestone release 1"
    assert result["questions_updated"] == ["network-protection", "protect-data-rest", "fault-isolation"]
    assert (result["workload_id"], result["milestone_number"]) == ("", None)
    assert result["diff"]["after"]["answers"] == CONVERGED


def test_check_mode_reads_an_existing_workload_and_writes_nothing(stub, run_module):
    found(stub, workload(Description="old text", Tags={}))
    answers(stub, {})
    milestones(stub)
    result = run_module(mod, ARGS, check_mode=True)
    assert result["changes"][:2] == ["updated workload s-site: Description", "tags"]
    assert result["changes"][-1] == "saved milestone release 1"
    assert result["questions_updated"] == ["network-protection", "protect-data-rest", "fault-isolation"]
    assert result["workload"]["description"] == "WordPress stack s-site" and result["workload"]["tags"] == TAGS


def test_an_existing_milestone_name_is_not_saved_twice(stub, run_module):
    found(stub)
    answers(
        stub, converged_answers(), {"network-protection": ([INSPECTION, LAYERED], notes("pass")["network-protection"])}
    )
    milestones(
        stub, {"MilestoneNumber": 3, "MilestoneName": "release 0"}, {"MilestoneNumber": 4, "MilestoneName": "release 1"}
    )
    result = run_module(mod, {**ARGS, "checks": checks(waf="pass")})
    assert result["changed"] is True and result["milestone_number"] == 4
    assert not any("milestone" in change for change in result["changes"])


def test_workload_attributes_and_tags_are_updated_when_they_differ(stub, run_module):
    found(stub, workload(Environment="PREPRODUCTION", AwsRegions=["us-east-1"], Tags={"old": "x"}))
    update = {"WorkloadId": WID, "Environment": "PRODUCTION", "AwsRegions": ["eu-west-3"]}
    stub.add_response("update_workload", {"Workload": workload(Tags={"old": "x"})}, update)
    stub.add_response("untag_resource", {}, {"WorkloadArn": ARN, "TagKeys": ["old"]})
    stub.add_response("tag_resource", {}, {"WorkloadArn": ARN, "Tags": TAGS})
    answers(stub, converged_answers())
    result = run_module(mod, {**ARGS, "milestone_name": None})
    assert result["changes"] == ["updated workload s-site: AwsRegions, Environment", "tags"]
    assert result["diff"]["before"]["environment"] == "PREPRODUCTION" and result["workload"]["tags"] == TAGS


def test_unset_options_leave_the_workload_alone(stub, run_module):
    found(stub, workload(Description="set by hand", AwsRegions=["us-east-1"], Tags={"by": "hand"}))
    answers(stub, converged_answers())
    args = {"workload_name": "s-site", "review_owner": "ops@example.com", "checks": checks()}
    result = run_module(mod, args)
    assert result["changed"] is False, result


def test_selecting_a_choice_drops_none_of_these(stub, run_module):
    found(stub)
    current = converged_answers()
    current["network-protection"] = ([NONE], notes()["network-protection"])
    answers(stub, current, {"network-protection": ([LAYERED], notes()["network-protection"])})
    result = run_module(mod, {**ARGS, "milestone_name": None})
    assert result["changes"] == [f"updated answer network-protection: selected {LAYERED}; unselected {NONE}"]


def test_unknown_best_practices_are_ignored_with_a_warning(stub, run_module):
    found(stub)
    answers(stub, converged_answers())
    extra = [check("XYZ-01", "XYZ01-BP01", "pass", "not in the lens"), check("OLD-02", "SEC99-BP09", "fail", "gone")]
    result = run_module(mod, {**ARGS, "checks": checks() + extra, "milestone_name": None})
    assert result["changed"] is False, result
    assert any("XYZ-01 (XYZ01-BP01), OLD-02 (SEC99-BP09)" in w for w in result.get("warnings", [])), result


def test_a_choice_the_question_no_longer_offers_is_left_out_with_a_warning(stub, run_module):
    found(stub)
    renamed = answer("network-protection", [LAYERED], notes("pass")["network-protection"])
    renamed["Answer"]["Choices"] = [c for c in renamed["Answer"]["Choices"] if c["ChoiceId"] != INSPECTION]
    stub.add_response("get_answer", renamed, on("network-protection"))
    for question in ("protect-data-rest", "fault-isolation"):
        stub.add_response("get_answer", answer(question, *converged_answers()[question]), on(question))
    result = run_module(mod, {**ARGS, "checks": checks(waf="pass"), "milestone_name": None})
    assert result["changed"] is False, result
    assert any(f"does not offer {INSPECTION}" in w for w in result.get("warnings", [])), result


def test_a_question_the_lens_lacks_is_skipped_with_a_warning(stub, run_module):
    found(stub)
    stub.add_client_error(
        "get_answer", "ResourceNotFoundException", "no such question", 404, expected_params=on("network-protection")
    )
    for question in ("protect-data-rest", "fault-isolation"):
        stub.add_response("get_answer", answer(question, *converged_answers()[question]), on(question))
    result = run_module(mod, {**ARGS, "milestone_name": None})
    assert result["changed"] is False and "network-protection" not in result["workload"]["answers"], result
    assert any("question network-protection" in w and "SEC-01, SEC-11" in w for w in result.get("warnings", []))


def test_aws_errors_are_reported_with_the_workload_name(stub, run_module):
    stub.add_client_error("list_workloads", "AccessDeniedException", "not allowed", 403, expected_params=by_name())
    result = run_module(mod, ARGS)
    assert result["failed"] and result["msg"].startswith(
        "Unable to record the review in the Well-Architected workload s-site"
    )


def test_creating_needs_an_environment(stub, run_module):
    stub.add_response("list_workloads", {"WorkloadSummaries": []}, by_name())
    result = run_module(mod, {k: v for k, v in ARGS.items() if k != "environment"})
    assert result["failed"] and result["msg"] == "environment is required to create the workload s-site"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"workload_name": "ab"}, "workload_name must have 3 to 100 characters"),
        ({"lenses": ["serverless"]}, "lenses must include wellarchitected"),
        ({"checks": [{"id": "SEC-01", "status": "pass"}]}, "checks[0] (SEC-01) lacks best_practice"),
    ],
)
def test_bad_input_fails_before_any_call(run_module, args, message):
    result = run_module(mod, {**ARGS, **args})
    assert result["failed"] and message in result["msg"]


def test_notes_stay_within_the_limit_of_the_tool():
    many = [check(f"SEC-{n}", "SEC05-BP02", "pass", "a title of some length " * 2) for n in range(1, 200)]
    text = wa.notes(many)
    assert len(text) <= wa.NOTES_MAX
    assert text.startswith("SEC-1 pass") and text.splitlines()[1].startswith("SEC-2 pass")  # SEC-2 before SEC-10
    assert text.splitlines()[-1].startswith("... and ") and text.endswith(" more checks")


def test_every_best_practice_of_the_review_has_a_place_in_the_lens():
    from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import review

    used = {c["best_practice"] for c in review.CHECKS}
    assert used <= set(wa.BEST_PRACTICES), sorted(used - set(wa.BEST_PRACTICES))
    assert {place.pillar for place in wa.BEST_PRACTICES.values()} <= set(wa.PILLAR_IDS)


def test_a_workload_without_the_lens_gets_it_associated_before_the_answers(stub, run_module):
    found(stub, workload(Lenses=["serverless"]))
    stub.add_response("associate_lenses", {}, {"WorkloadId": WID, "LensAliases": ["wellarchitected"]})
    answers(stub, converged_answers())
    result = run_module(mod, {**ARGS, "milestone_name": None})
    assert result["changes"] == ["associated lenses wellarchitected"]
    assert result["workload"]["lenses"] == ["serverless", "wellarchitected"]


def test_check_mode_reads_no_answer_of_a_lens_it_would_associate(stub, run_module):
    found(stub, workload(Lenses=["serverless"]))
    result = run_module(mod, {**ARGS, "milestone_name": None}, check_mode=True)
    assert result["changes"][0] == "associated lenses wellarchitected"
    assert result["questions_updated"] == ["network-protection", "protect-data-rest", "fault-isolation"]
