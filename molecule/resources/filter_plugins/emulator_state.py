"""Test helper: the emulator's state as resource counts per model, for "wrote nothing" assertions."""

# Models the emulator fills on its own the first time a service is called in a region (defaults, not writes).
LAZY_DEFAULTS = {"iam.AccountSummary", "s3.FakeGrantee", "events.EventBus", "ec2.ManagedPrefixList"}


def emulator_state(data):
    """{"service.Model": count} of every non-empty model in moto's /moto-api/data.json, lazy defaults left out."""
    state = {}
    for service, models in (data or {}).items():
        for model, items in models.items():
            key = f"{service}.{model}"
            if items and key not in LAZY_DEFAULTS:
                state[key] = len(items)
    return state


class FilterModule:
    def filters(self):
        return {"emulator_state": emulator_state}
