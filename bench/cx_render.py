#!/usr/bin/env python3
"""Runs the `ecs-compose-x` CLI with its remote CloudFormation ValidateTemplate call switched off.

ECS ComposeX 1.1.9 sends every template it writes to `cloudformation:ValidateTemplate`; offline
(moto) that call is not what we want to time, and moto does not validate anyway. The call goes
through the module-level function `ecs_composex.common.files.validate_wrapper`, looked up at call
time, so replacing that one name turns it off and leaves everything else as shipped.
Usage: the same arguments as `ecs-compose-x` (e.g. `render -n test -f a.yml -d out`).
"""
import sys

import ecs_composex.common.files as files
from ecs_composex.cli import main


def _no_remote_validation(session, body=None, url=None):
    """Stands in for the ValidateTemplate API call: accepts every template."""
    return None


files.validate_wrapper = _no_remote_validation

if __name__ == "__main__":
    sys.argv[0] = "ecs-compose-x"
    sys.exit(main())
