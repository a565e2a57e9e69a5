"""tagging: one tag_changes(desired, actual, purge_tags), tags_of for every spelling, set_tags per service."""

from __future__ import annotations

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import tagging


def test_tag_changes_leaves_tags_alone_when_none_are_desired():
    assert tagging.tag_changes(None, {"a": "1"}, True) == ({}, [])


def test_tag_changes_sets_what_differs_and_purges_only_when_asked():
    assert tagging.tag_changes({"a": "2", "b": "1"}, {"a": "1", "c": "x"}, True) == ({"a": "2", "b": "1"}, ["c"])
    assert tagging.tag_changes({"a": "1"}, {"a": "1", "c": "x"}, False) == ({}, [])


def test_tags_of_reads_dicts_and_both_spellings_of_tag_lists():
    assert tagging.tags_of({"Tags": [{"Key": "a", "Value": "1"}]}) == {"a": "1"}
    assert tagging.tags_of({"tags": [{"key": "a", "value": "1"}]}, "tags") == {"a": "1"}
    assert tagging.tags_of({"TagList": {"a": "1"}}, "TagList") == {"a": "1"}
    assert tagging.tags_of(None) == {}


def test_set_tags_removes_then_adds_with_the_services_own_call(aws):
    sns = aws("sns")
    arn = sns.create_topic(Name="t", Tags=[{"Key": "old", "Value": "x"}])["TopicArn"]
    tagging.set_tags(sns, arn, {"new": "y"}, ["old"])
    assert tagging.tags_of(sns.list_tags_for_resource(ResourceArn=arn)) == {"new": "y"}
