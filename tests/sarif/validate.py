"""Validates `report-lsp check --format sarif` against the SARIF 2.1.0 schema.

Usage: python3 tests/sarif/validate.py REPORT_LSP_BIN
Run by editors/ci.sh with `jsonschema` from PyPI. The schema is the OASIS SARIF 2.1.0
(rtm.5) JSON schema, vendored in tests/fixtures/sarif-schema-2.1.0.json (taken from the npm
package @microsoft/jest-sarif 1.0.0-beta.0, lib/schemas/sarif-2.1.0-rtm.5.json).
"""

import json
import os
import subprocess
import sys
import tempfile

import jsonschema

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCHEMA = os.path.join(ROOT, "tests", "fixtures", "sarif-schema-2.1.0.json")

# Inputs that exercise every part of the output: findings with fixes, duplicates with related
# locations in another file, a conflicting figure, a non-ASCII path, an unreadable input.
CASES = [
    ["tests/fixtures/numbering-skip.txt", "tests/fixtures/mixed-findings.txt"],
    ["--lang", "en", "tests/fixtures/corpus"],
    ["tests/fixtures/numbering-skip.txt", "no-such-file.txt"],
]


def main():
    bin_path = os.path.abspath(sys.argv[1])
    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    validator_cls = jsonschema.validators.validator_for(schema)
    validator_cls.check_schema(schema)
    # Every known format, not only draft 4's: the schema checks URIs as `uri-reference`.
    checker = jsonschema.FormatChecker()
    assert "uri-reference" in checker.checkers, "install rfc3986-validator"
    validator = validator_cls(schema, format_checker=checker)
    with tempfile.TemporaryDirectory() as tmp:
        chinese = os.path.join(tmp, "北京 报告.txt")
        with open(chinese, "w", encoding="utf-8") as f:
            f.write("测试报告\n\n一、甲\n正文。\n三、丙\n正文。\n")
        cases = CASES + [[chinese]]
        failed = 0
        for args in cases:
            run = subprocess.run(
                [bin_path, "check", "--format", "sarif", "--fail-on", "never", *args],
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
            name = " ".join(args)
            try:
                log = json.loads(run.stdout)
            except json.JSONDecodeError as e:
                print(f"FAIL: {name}: not JSON ({e}); stderr: {run.stderr}")
                failed += 1
                continue
            errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
            results = log["runs"][0]["results"]
            if errors:
                failed += 1
                print(f"FAIL: {name}: {len(errors)} schema error(s)")
                for e in errors[:10]:
                    print(f"    at {'/'.join(map(str, e.path))}: {e.message[:300]}")
            elif not results:
                failed += 1
                print(f"FAIL: {name}: no results")
            else:
                print(f"PASS: {name} ({len(results)} results, exit {run.returncode})")
    print(f"{len(cases) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
