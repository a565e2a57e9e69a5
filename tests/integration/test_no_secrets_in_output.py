"""A full converge at -vvv never prints a password, key, salt, origin-verify value or alert webhook token (read
back and searched); nor does rotate_secrets.yml -vvv, before or after; and the converge after a rotation changes
nothing."""

import json

# A chat webhook's URL is its credential.
TOKEN = "xoxb-0f1e2d3c4b5a69788796a5b4c3d2e1f0"
WEBHOOK = {"monitoring_alert_https_endpoints": [f"https://hooks.chat.example/services/T0/B0/{TOKEN}"]}


NAMES = ("techblog-local/db/app", "techblog-local/wordpress/salts", "techblog-local/cloudfront/origin-verify")
NOT_SECRET = ("username", "dbname", "engine", "host", "port", "masterarn")


def secret_values(client, stage, names=NAMES):
    values = []
    for name in names:
        secret = json.loads(client.get_secret_value(SecretId=name, VersionStage=stage)["SecretString"])
        values += [v for k, v in secret.items() if k not in NOT_SECRET]
    return values


def test_vvv_converge_prints_no_secret_value(emulator_client, playbook):
    result = playbook("site.yml", WEBHOOK, "-vvv")
    assert result.returncode == 0, result.stdout[-3000:]
    output = result.stdout + result.stderr
    client = emulator_client("secretsmanager")
    values = secret_values(client, "AWSCURRENT")
    # the application password, the eight keys and salts, and the header value the ALB rule and CloudFront hold
    assert len(values) == 10
    assert all(len(v) >= 32 for v in values)
    leaked = [v[:4] + "..." for v in values if v in output]
    assert leaked == [], f"secret values printed: {leaked}"
    sns = emulator_client("sns")
    topic = next(t["TopicArn"] for t in sns.list_topics()["Topics"] if t["TopicArn"].endswith(":techblog-local-alerts"))
    endpoints = [s["Endpoint"] for s in sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]]
    assert WEBHOOK["monitoring_alert_https_endpoints"][0] in endpoints  # subscribed, in full, inside AWS only
    assert TOKEN not in output
    # Rotating everything prints no value, old or new; the origin header and the salts change (the DB rotation
    # needs Lambda invocation, not emulated), and the converge after it changes nothing and prints none either.
    rotated = playbook("rotate_secrets.yml", {"wordpress_aws_rotate": ["db", "origin", "salts"]}, "-vvv")
    assert rotated.returncode == 0, rotated.stdout[-3000:]
    assert "not emulated locally: RotateSecret runs techblog-local-db-rotation" in rotated.stdout
    new = secret_values(client, "AWSCURRENT")
    assert new[0] == values[0] and set(new[1:]).isdisjoint(values[1:])  # password kept; 8 salts and header new
    assert secret_values(client, "AWSPREVIOUS", NAMES[1:]) == values[1:]  # the values just replaced
    assert not [v[:4] for v in [*values, *new] if v in rotated.stdout + rotated.stderr]
    again = playbook("site.yml", WEBHOOK, "-vvv")
    assert again.returncode == 0 and "changed=0" in again.stdout, again.stdout[-3000:]
    assert not [v for v in [*values, *new, TOKEN] if v in again.stdout + again.stderr]
