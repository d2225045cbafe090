#!/usr/bin/env python3
"""Validates SARIF logs written by `galley check --format sarif` against the SARIF 2.1.0 schema.

Usage: validate_sarif.py SCHEMA LOG...   (exit 1 when a log is invalid or has no results)
Needs the `jsonschema` package (.ci/run installs it in a venv)."""
import json
import sys

import jsonschema


def main() -> int:
    schema_path, logs = sys.argv[1], sys.argv[2:]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    failed = False
    for path in logs:
        with open(path, encoding="utf-8") as f:
            log = json.load(f)
        errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
        for e in errors[:20]:
            print(f"{path}: {'/'.join(map(str, e.absolute_path))}: {e.message[:300]}")
        results = log["runs"][0]["results"] if not errors else []
        if not errors and not results:
            print(f"{path}: valid but has no results (the seeds have findings)")
        failed = failed or bool(errors) or not results
        if not errors and results:
            print(f"{path}: valid SARIF 2.1.0, {len(results)} results ({validator_class.__name__})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
