"""ecr_pull_through_cache_rule against botocore's Stubber (the emulator answers 500 to the pull-through cache API:
reported "not emulated locally")."""

from __future__ import annotations

from ansible_collections.techblogpro.wordpress_aws.plugins.modules import ecr_pull_through_cache_rule as module

PREFIX = "s-public"
RULE = {
    "ecrRepositoryPrefix": PREFIX,
    "upstreamRegistryUrl": "public.ecr.aws",
    "upstreamRegistry": "ecr-public",
    "registryId": "123456789012",
}
REPO = f"{PREFIX}/docker/library/wordpress"


def _describe(stub, rules):
    if rules:
        stub.add_response(
            "describe_pull_through_cache_rules", {"pullThroughCacheRules": rules}, {"ecrRepositoryPrefixes": [PREFIX]}
        )
    else:
        stub.add_client_error(
            "describe_pull_through_cache_rules",
            "PullThroughCacheRuleNotFoundException",
            "none",
            400,
            expected_params={"ecrRepositoryPrefixes": [PREFIX]},
        )


def _create(stub, upstream="public.ecr.aws", registry="ecr-public"):
    stub.add_response(
        "create_pull_through_cache_rule",
        {**RULE, "upstreamRegistryUrl": upstream, "upstreamRegistry": registry},
        {"ecrRepositoryPrefix": PREFIX, "upstreamRegistryUrl": upstream, "upstreamRegistry": registry},
    )


def test_the_rule_is_created_once_then_kept(stubbed, run_module):
    stub = stubbed("ecr")
    _describe(stub, [])
    _create(stub)
    created = run_module(module, {"ecr_repository_prefix": PREFIX})
    assert created["changed"] is True and created["changes"] == ["created"]
    assert created["pull_through_cache_rule"]["upstream_registry_url"] == "public.ecr.aws"
    assert created["pull_through_cache_rule"]["registry_id"] == "123456789012"
    _describe(stub, [RULE])
    again = run_module(module, {"ecr_repository_prefix": PREFIX})
    assert again["changed"] is False and again["changes"] == []
    stub.assert_no_pending_responses()


def test_check_mode_plans_the_rule_and_writes_nothing(stubbed, run_module):
    stub = stubbed("ecr")
    _describe(stub, [])
    result = run_module(module, {"ecr_repository_prefix": PREFIX}, check_mode=True)
    assert result["changed"] is True
    assert result["diff"]["after"]["ecr_repository_prefix"] == PREFIX
    stub.assert_no_pending_responses()


def test_a_lost_create_answer_finds_the_rule_instead_of_failing(stubbed, run_module):
    """The retry after a lost answer meets PullThroughCacheRuleAlreadyExists: the rule it made is the answer."""
    stub = stubbed("ecr")
    _describe(stub, [])
    stub.add_client_error("create_pull_through_cache_rule", "PullThroughCacheRuleAlreadyExistsException", "exists", 400)
    _describe(stub, [RULE])
    result = run_module(module, {"ecr_repository_prefix": PREFIX})
    assert result["changed"] is True and "failed" not in result
    assert result["pull_through_cache_rule"]["ecr_repository_prefix"] == PREFIX
    stub.assert_no_pending_responses()


def test_another_upstream_replaces_the_rule(stubbed, run_module):
    stub = stubbed("ecr")
    _describe(stub, [{**RULE, "upstreamRegistryUrl": "quay.io", "upstreamRegistry": "quay"}])
    stub.add_response("delete_pull_through_cache_rule", {}, {"ecrRepositoryPrefix": PREFIX})
    _create(stub)
    result = run_module(module, {"ecr_repository_prefix": PREFIX})
    assert result["changes"] == ["upstream_registry_url quay.io -> public.ecr.aws (rule replaced)"]
    stub.assert_no_pending_responses()


def test_absent_deletes_the_rule_and_purges_the_cached_repositories(stubbed, run_module):
    stub = stubbed("ecr")
    _describe(stub, [RULE])
    stub.add_response(
        "describe_repositories",
        {"repositories": [{"repositoryName": REPO}, {"repositoryName": "other/wordpress"}]},
        {},
    )
    stub.add_response("delete_pull_through_cache_rule", {}, {"ecrRepositoryPrefix": PREFIX})
    stub.add_response("delete_repository", {}, {"repositoryName": REPO, "force": True})
    args = {"ecr_repository_prefix": PREFIX, "purge_cached_repositories": True, "state": "absent"}
    result = run_module(module, args)
    assert result["changes"] == ["deleted", f"deleted cached repository {REPO}"]
    assert result["pull_through_cache_rule"] == {}
    # an interrupted teardown: the rule is gone, nothing left -> no change
    _describe(stub, [])
    stub.add_response("describe_repositories", {"repositories": []}, {})
    assert run_module(module, args)["changed"] is False
    stub.assert_no_pending_responses()


def test_check_mode_absent_writes_nothing(stubbed, run_module):
    stub = stubbed("ecr")
    _describe(stub, [RULE])
    stub.add_response("describe_repositories", {"repositories": [{"repositoryName": REPO}]}, {})
    args = {"ecr_repository_prefix": PREFIX, "purge_cached_repositories": True, "state": "absent"}
    result = run_module(module, args, check_mode=True)
    assert result["changed"] is True and len(result["changes"]) == 2
    stub.assert_no_pending_responses()


def test_purge_deletes_only_repositories_under_the_prefix_and_slash(stubbed, run_module):
    """``s-publicity/app`` starts with the prefix's letters but is another prefix's repository: it stays."""
    stub = stubbed("ecr")
    _describe(stub, [])
    listed = [{"repositoryName": name} for name in (REPO, "s-publicity/app", PREFIX)]
    stub.add_response("describe_repositories", {"repositories": listed}, {})
    stub.add_response("delete_repository", {}, {"repositoryName": REPO, "force": True})
    args = {"ecr_repository_prefix": PREFIX, "purge_cached_repositories": True, "state": "absent"}
    result = run_module(module, args)
    assert result["changes"] == [f"deleted cached repository {REPO}"]
    assert result["cached_repositories"] == [REPO]
    stub.assert_no_pending_responses()


def test_bad_prefix_is_refused_naming_the_option(run_module):
    result = run_module(module, {"ecr_repository_prefix": "Bad_Prefix!"})
    assert result["failed"] is True and "ecr_repository_prefix 'Bad_Prefix!' must be" in result["msg"]
