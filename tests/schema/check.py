"""Validates compose files against composex's JSON Schema with a real JSON Schema validator
(the `jsonschema` package, a dependency of the pinned cfn-lint in target/venv).

Usage: check.py SCHEMA.json LIST.json
LIST.json: {"valid": [paths], "invalid": [[name, yaml text], ...]}. Meta-validates the schema
(draft 2020-12), then prints one line per failure: every `valid` file must pass, every
`invalid` text must fail. Exit 1 on any failure.
"""
import json
import sys

import jsonschema
import yaml


def main():
    schema = json.load(open(sys.argv[1]))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    todo = json.load(open(sys.argv[2]))
    failures = 0
    for path in todo["valid"]:
        docs = [d for d in yaml.safe_load_all(open(path)) if d is not None]
        for doc in docs:
            errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
            for e in errors[:3]:
                failures += 1
                where = "/".join(str(p) for p in e.absolute_path)
                print(f"FAIL valid {path}: {where}: {e.message[:300]}")
    for name, text in todo["invalid"]:
        if validator.is_valid(yaml.safe_load(text)):
            failures += 1
            print(f"FAIL invalid {name}: accepted")
    print(f"json schema: meta-valid; {len(todo['valid'])} files valid, {len(todo['invalid'])} misspellings refused, {failures} failures")
    sys.exit(1 if failures else 0)


main()
