"""Deploy test: an example's pipeline (the seed, the plain compose web app, the cache and streams, an ALB with several target groups, FireLens) against a local AWS emulator (moto on 127.0.0.1).

For each layout: render with the real `composex` CLI, `aws cloudformation package` (nested), create-stack with the
rendered root parameter file, wait, then read back through the service APIs what the compose file asked for: the
queues and the DLQ redrive policy, the ECS services and their task definitions' images, the task roles' policy
actions, the log group retention, the target groups (each forwarded to by a listener or rule, each with
the ECS services x-elbv2 registers into it), the named volumes (EFS file systems mounted by the tasks), the Kinesis
streams, SSM parameters and ElastiCache caches with what their linked services get. The single layout then goes through the CI step: `composex set-image`, render
again, update-stack, and the new task definition revision must carry the new image. Finally delete-stack.
A negative run deploys a template broken on purpose (a dangling Ref) and must be refused for that Ref
(the reason is read: a CLI crash or an emulator error does not pass).

moto is a wiring test, not a fidelity test: what it cannot check is said where the check would be (NOT CHECKED lines).
Usage: run.py --composex BIN --venv DIR --example DIR [--layout nested|single|both] [--broken]
"""

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REGION = "eu-west-1"
# What CloudFormation (and moto) says about the broken template: a Ref to an undeclared name.
BROKEN_REASON = "Unresolved resource dependencies [NoSuchParameter]"
FAILURES: list[str] = []
PASSED = 0
# `--param K=V` for every render: the ARNs of the secrets created for file secrets.
PARAMS: list[str] = []
# A file secret's parameter, as the root template describes it.
SECRET_PARAMETER = re.compile(r"^ARN of the Secrets Manager secret holding secret (\S+) \(mounted as a file\)$")


def check(label: str, actual, expected) -> None:
    global PASSED
    if actual == expected:
        PASSED += 1
        print(f"ok   {label}")
    else:
        FAILURES.append(label)
        print(f"FAIL {label}: got {actual!r}, want {expected!r}")


def not_checked(what: str, why: str) -> None:
    print(f"NOT CHECKED {what}: {why}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Moto:
    """moto (with our shim) on 127.0.0.1, stopped on exit."""

    def __init__(self, venv: Path, work: Path):
        self.port = free_port()
        # "localhost", not 127.0.0.1: moto reads a nested TemplateURL path-style only for localhost.
        self.endpoint = f"http://localhost:{self.port}"
        self.log = open(work / "moto.log", "w")
        self.proc = subprocess.Popen(
            [str(venv / "bin/python"), str(HERE / "moto_shim.py"), "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.2)
        raise SystemExit(f"moto did not start; see {work / 'moto.log'}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


class Env:
    def __init__(self, args, work: Path, moto: Moto):
        self.composex = args.composex
        self.venv = Path(args.venv)
        self.work = work
        self.moto = moto
        self.env = dict(os.environ)
        self.env.update(
            AWS_DEFAULT_REGION=REGION,
            AWS_ACCESS_KEY_ID="testing",
            AWS_SECRET_ACCESS_KEY="testing",
            AWS_ENDPOINT_URL=moto.endpoint,  # `cloudformation package` takes its S3 endpoint from here
            AWS_MAX_ATTEMPTS="1",  # botocore would retry moto's 500s and create stacks twice
        )
        import boto3  # from the venv (moto depends on it)

        self.session = boto3.session.Session(region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing")

    def client(self, name: str):
        return self.session.client(name, endpoint_url=self.moto.endpoint)

    def run(self, *cmd, cwd=None, ok=True) -> subprocess.CompletedProcess:
        p = subprocess.run(cmd, cwd=cwd, env=self.env, capture_output=True, text=True)
        if ok and p.returncode != 0:
            raise SystemExit(f"command failed ({p.returncode}): {' '.join(map(str, cmd))}\n{p.stdout}\n{p.stderr}")
        return p

    def aws(self, *args, ok=True) -> subprocess.CompletedProcess:
        return self.run(str(self.venv / "bin/aws"), "--endpoint-url", self.moto.endpoint, *args, ok=ok)


def load_yaml(text: str):
    import yaml  # from the venv (cfn-lint depends on it)

    return yaml.safe_load(text)


def render(env: Env, compose: list[Path], out: Path, name: str, single: bool) -> None:
    cmd = [env.composex, "render", "-n", name, "-d", str(out)]
    for f in compose:
        cmd += ["-f", str(f)]
    if single:
        cmd.append("--single")
    for param in PARAMS:
        cmd += ["--param", param]
    env.run(*cmd)


def create_file_secrets(env: Env, compose: dict, example: Path, out: Path, name: str) -> dict[str, str]:
    """A file secret is read from a Secrets Manager secret the user creates from the file (composex never
    puts its value in a template): create each one in the emulator and pass its ARN. Returns name -> value."""
    root = load_yaml((out / f"{name}.yaml").read_text())
    values = {}
    for parameter, definition in (root.get("Parameters") or {}).items():
        match = SECRET_PARAMETER.match(definition.get("Description", ""))
        if not match:
            continue
        secret = match.group(1)
        path = (compose.get("secrets") or {}).get(secret, {}).get("file")
        value = (example / path).read_text() if path else f"value-of-{secret}"
        arn = env.client("secretsmanager").create_secret(Name=f"{name}/{secret}", SecretString=value)["ARN"]
        PARAMS.append(f"{parameter}={arn}")
        values[secret] = value
    return values


def check_files(env: Env, compose: dict, out: Path, secrets: dict[str, str], example: Path, label: str) -> None:
    """Configs and file secrets: the init container reads them (SSM, Secrets Manager) and the services mount
    its volumes read-only, after it completes; a secret's value is in no rendered file."""
    for secret, value in secrets.items():
        leaked = [p.name for p in out.iterdir() if value in p.read_text()]
        check(f"{label}: the value of secret {secret} is in no rendered file", leaked, [])
    ssm = env.client("ssm")
    names = [p["Name"] for p in ssm.describe_parameters()["Parameters"]]
    for config, definition in (compose.get("configs") or {}).items():
        if definition.get("external"):
            continue
        found = [n for n in names if n.endswith(f"/configs/{config}")]
        check(f"{label}: config {config} is one SSM parameter", len(found), 1)
        if found:
            value = ssm.get_parameter(Name=found[0])["Parameter"]["Value"]
            wanted = (example / definition["file"]).read_text() if "file" in definition else definition.get("content")
            check(f"{label}: SSM parameter of config {config} holds its contents", value, wanted)
    ecs = env.client("ecs")
    arns = {p.split("=", 1)[1] for p in PARAMS}
    for arn in ecs.list_task_definitions()["taskDefinitionArns"]:
        td = ecs.describe_task_definition(taskDefinition=arn)["taskDefinition"]
        containers = {c["name"]: c for c in td["containerDefinitions"]}
        init = containers.get("composex-files")
        if init is None:
            continue
        check(f"{label}: the init container is not essential", init.get("essential"), False)
        read_from = [s["valueFrom"] for s in init.get("secrets", [])]
        check(f"{label}: the init container reads the secrets created for the file secrets",
              sorted(a for a in read_from if a in arns), sorted(arns))
        # The FireLens router's configuration file is written from SSM like a config.
        firelens_file = 1 if (containers.get("log_router") or {}).get("mountPoints") else 0
        check(f"{label}: the init container reads the configs from SSM",
              sum(":ssm:" in a for a in read_from), firelens_file + sum("file" in c or "content" in c
                                                                        for c in (compose.get("configs") or {}).values()))
        for name, svc in (compose.get("services") or {}).items():
            if not (svc.get("configs") or svc.get("secrets")):
                continue
            c = containers[name]
            waits = [(d["containerName"], d["condition"]) for d in c.get("dependsOn", [])]
            check(f"{label}: {name} waits for the init container to complete", ("composex-files", "COMPLETE") in waits,
                  True)
            mounts = {m["containerPath"]: m.get("readOnly") for m in c.get("mountPoints", [])}
            for entry in (svc.get("configs") or []) + (svc.get("secrets") or []):
                target = entry["target"] if entry["target"].startswith("/") else f"/run/secrets/{entry['target']}"
                directory = target.rsplit("/", 1)[0]
                check(f"{label}: {name} mounts {directory} read-only for {target}", mounts.get(directory), True)
    not_checked("the files' contents, modes and owners in a running task", "moto runs no container")


def wait_stack(env: Env, stack: str, timeout: float = 120.0) -> str:
    cfn = env.client("cloudformation")
    deadline = time.time() + timeout
    status = "?"
    while time.time() < deadline:
        status = cfn.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"]
        if not status.endswith("IN_PROGRESS"):
            return status
        time.sleep(0.5)
    return status


def create_stack(env: Env, out: Path, name: str, single: bool, stack: str) -> tuple[str, str]:
    """Creates the stack; returns its final status and, when it did not create, why."""
    root = out / f"{name}.yaml"
    body = root
    if not single:
        env.aws("s3", "mb", f"s3://{stack}-templates")
        body = env.work / f"{stack}.packaged.yaml"
        env.aws("cloudformation", "package", "--template-file", str(root), "--s3-bucket", f"{stack}-templates",
                "--output-template-file", str(body))
    # moto takes any size; CloudFormation takes at most 51,200 bytes in the request itself.
    check(f"{stack}: the template sent with --template-body fits CloudFormation's 51,200 bytes",
          body.stat().st_size <= 51_200, True)
    args = ["cloudformation", "create-stack", "--stack-name", stack, "--template-body", f"file://{body}",
            "--capabilities", "CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"]
    params = out / f"{name}.params.json"
    if params.exists():
        args += ["--parameters", f"file://{params}"]
    p = env.aws(*args, ok=False)
    if p.returncode != 0:
        return "CREATE_REJECTED", p.stderr.strip()
    status = wait_stack(env, stack)
    return status, "" if status == "CREATE_COMPLETE" else failure_reason(env, stack)


def failure_reason(env: Env, stack: str) -> str:
    """Why a stack did not create: its status reason and those of its failed resources."""
    cfn = env.client("cloudformation")
    reasons = [cfn.describe_stacks(StackName=stack)["Stacks"][0].get("StackStatusReason") or ""]
    for event in cfn.describe_stack_events(StackName=stack)["StackEvents"]:
        if event.get("ResourceStatus", "").endswith("FAILED"):
            reasons.append(f"{event.get('LogicalResourceId')}: {event.get('ResourceStatusReason', '')}")
    return "; ".join(r for r in reasons if r)


def all_templates(out: Path) -> list[dict]:
    return [load_yaml(p.read_text()) for p in sorted(out.glob("*.yaml"))]


def declared(templates: list[dict], type_: str) -> list[tuple[str, dict]]:
    return [(lid, r) for t in templates for lid, r in (t.get("Resources") or {}).items() if r.get("Type") == type_]


def check_deployment(env: Env, compose: dict, out: Path, label: str) -> None:
    templates = all_templates(out)
    services = compose.get("services", {})

    # SQS: every queue of x-sqs exists; redrive policies point at the DLQ's ARN.
    sqs = env.client("sqs")
    urls = sqs.list_queues().get("QueueUrls", [])
    check(f"{label}: SQS queues", len(urls), len(declared(templates, "AWS::SQS::Queue")))
    arns = {}
    redrives = {}
    for url in urls:
        attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        arns[url] = attrs["QueueArn"]
        if "RedrivePolicy" in attrs:
            redrives[url] = json.loads(attrs["RedrivePolicy"])
    expected_redrives = sum(1 for q in (compose.get("x-sqs") or {}).values()
                            if ((q or {}).get("Properties") or {}).get("RedrivePolicy"))
    check(f"{label}: queues with a dead-letter queue", len(redrives), expected_redrives)
    for url, policy in redrives.items():
        target = policy["deadLetterTargetArn"]
        target_url = next((u for u, a in arns.items() if a == target), None)
        check(f"{label}: redrive target of {url.rsplit('/', 1)[-1]} is one of our queues", target_url is not None, True)
        check(f"{label}: the dead-letter queue has no redrive of its own", target_url in redrives, False)
    wanted_counts = sorted(int(q["Properties"]["RedrivePolicy"]["maxReceiveCount"])
                           for q in (compose.get("x-sqs") or {}).values()
                           if ((q or {}).get("Properties") or {}).get("RedrivePolicy"))
    check(f"{label}: maxReceiveCount as written", sorted(int(p["maxReceiveCount"]) for p in redrives.values()),
          wanted_counts)

    # ECS: one service per family, images as in the compose file.
    ecs = env.client("ecs")
    service_count = 0
    images = {}
    for cluster in ecs.list_clusters()["clusterArns"]:
        service_count += len(ecs.list_services(cluster=cluster)["serviceArns"])
    firelens_drivers = {}
    routers = 0
    for arn in ecs.list_task_definitions()["taskDefinitionArns"]:
        td = ecs.describe_task_definition(taskDefinition=arn)["taskDefinition"]
        for c in td["containerDefinitions"]:
            images[c.get("name")] = c.get("image")
            if c.get("firelensConfiguration"):
                routers += 1
            driver = (c.get("logConfiguration") or {}).get("logDriver")
            if driver == "awsfirelens":
                firelens_drivers[c.get("name")] = (c.get("logConfiguration") or {}).get("options") or {}
    written_routers = sum(1 for _, r in declared(templates, "AWS::ECS::TaskDefinition")
                          for c in r["Properties"]["ContainerDefinitions"] if c.get("FirelensConfiguration"))
    if written_routers:
        # FireLens: the router deployed with its FirelensConfiguration, the services on awsfirelens,
        # and a stream named by reference resolved to the deployed stream's name.
        check(f"{label}: FireLens log routers deployed", routers, written_routers)
        for name, svc in services.items():
            if ((svc.get("logging") or {}).get("driver")) == "awsfirelens" or (svc.get("x-logging") or {}).get("FireLens"):
                check(f"{label}: {name} logs through FireLens", name in firelens_drivers, True)
        streams = env.client("kinesis").list_streams()["StreamNames"]
        for name, options in firelens_drivers.items():
            if "stream" in options:
                check(f"{label}: {name}'s FireLens stream is a deployed stream", options["stream"] in streams, True)
        not_checked("fluent-bit delivering records", "moto runs no container")
    check(f"{label}: ECS services", service_count, len(declared(templates, "AWS::ECS::Service")))
    for name, svc in services.items():
        check(f"{label}: image of {name}", images.get(name), svc.get("image"))
    not_checked("task definition cpu/memory, Fargate compatibility, networkMode",
                "moto stores task definitions as bridge/EC2 without cpu or roles")

    # IAM: every policy statement we wrote is on the role, with the same actions.
    iam = env.client("iam")
    written = sorted(
        sorted(a if isinstance(a, list) else [a])
        for _, r in declared(templates, "AWS::IAM::Role")
        for p in (r.get("Properties", {}).get("Policies") or [])
        for s in p["PolicyDocument"]["Statement"]
        for a in [s["Action"]]
    )
    deployed = []
    for role in iam.list_roles()["Roles"]:
        for policy_name in iam.list_role_policies(RoleName=role["RoleName"])["PolicyNames"]:
            doc = iam.get_role_policy(RoleName=role["RoleName"], PolicyName=policy_name)["PolicyDocument"]
            doc = policy_document(doc)
            for s in doc["Statement"]:
                deployed.append(sorted(s["Action"] if isinstance(s["Action"], list) else [s["Action"]]))
    check(f"{label}: inline IAM policy statements deployed as written", sorted(deployed), written)
    for actions in deployed:
        check(f"{label}: no wildcard action in {actions}", any(a == "*" for a in actions), False)
    if compose.get("x-sqs"):
        check(f"{label}: some task role may send to the queue", any("sqs:SendMessage" in a for a in deployed), True)

    # EC2: each compose network's group reaches the families on it, on their ports only.
    ec2 = env.client("ec2")
    deployed_groups = ec2.describe_security_groups()["SecurityGroups"]
    description_of = {g["GroupId"]: g.get("Description", "") for g in deployed_groups}
    network_prefix = "tasks on the compose network "
    written_rules, deployed_rules = [], []
    for t in templates:
        resources = t.get("Resources", {})
        for rule in resources.values():
            props = rule.get("Properties", {})
            if rule["Type"] != "AWS::EC2::SecurityGroupIngress" or \
                    not props.get("Description", "").startswith("from the compose network "):
                continue
            target = props["GroupId"]["Fn::GetAtt"][0]
            family_group = resources[target]["Properties"]["GroupDescription"]
            network = props["Description"].removeprefix("from the compose network ")
            written_rules.append((family_group, network, props["IpProtocol"], props["FromPort"]))
    for g in deployed_groups:
        for perm in g.get("IpPermissions", []):
            for pair in perm.get("UserIdGroupPairs", []):
                source = description_of.get(pair.get("GroupId"), "")
                if source.startswith(network_prefix):
                    deployed_rules.append((g.get("Description", ""), source.removeprefix(network_prefix),
                                           perm.get("IpProtocol"), perm.get("FromPort")))
    check(f"{label}: ingress from the compose networks' groups as written", sorted(deployed_rules),
          sorted(written_rules))
    families = {((s.get("deploy") or {}).get("labels") or {}).get("ecs.task.family", n)
                if isinstance((s.get("deploy") or {}).get("labels"), dict) else n for n, s in services.items()}
    if len(families) > 1:
        check(f"{label}: some family is reached through a compose network's group", len(written_rules) > 0, True)

    # EFS: each named volume a service mounts is an encrypted file system with mount targets, and
    # the task definitions of the services mounting it name that file system.
    external = {n for n, v in (compose.get("volumes") or {}).items() if (v or {}).get("external")}
    mounted = {}
    for name, svc in services.items():
        for v in svc.get("volumes") or []:
            if isinstance(v, dict) and v.get("type") == "volume" and v.get("source") and v["source"] not in external:
                mounted.setdefault(v["source"], []).append(name)
    if mounted:
        efs = env.client("efs")
        by_volume = {}
        for fs in efs.describe_file_systems()["FileSystems"]:
            for tag in fs.get("Tags", []):
                if tag["Key"] == "com.docker.compose.volume":
                    by_volume[tag["Value"]] = fs
        efs_volumes = {}
        for arn in ecs.list_task_definitions()["taskDefinitionArns"]:
            td = ecs.describe_task_definition(taskDefinition=arn)["taskDefinition"]
            for vol in td.get("volumes", []):
                # moto camel-cases the CloudFormation keys its own way (`eFSVolumeConfiguration`).
                conf = next((v for k, v in vol.items() if k.lower() == "efsvolumeconfiguration"), {})
                fs_id = next((v for k, v in conf.items() if k.lower() == "filesystemid"), None)
                for c in td["containerDefinitions"]:
                    efs_volumes.setdefault(c.get("name"), set()).add(fs_id)
        for volume, users in sorted(mounted.items()):
            fs = by_volume.get(volume)
            check(f"{label}: volume {volume} is an EFS file system", fs is not None, True)
            if fs is None:
                continue
            check(f"{label}: volume {volume} is encrypted", fs.get("Encrypted"), True)
            targets = efs.describe_mount_targets(FileSystemId=fs["FileSystemId"])["MountTargets"]
            check(f"{label}: volume {volume} has a mount target per app subnet", len(targets), 2)
            for user in users:
                check(f"{label}: {user}'s task definition mounts volume {volume}",
                      fs["FileSystemId"] in efs_volumes.get(user, set()), True)
        not_checked("TLS and IAM authorization of the EFS mounts", "moto does not mount anything")

    check_load_balancers(env, compose, templates, label)
    check_streams_caches_parameters(env, compose, templates, label)

    # x-resource security groups (databases, domains): each admits, on its port, exactly the
    # families written.
    written_module_rules = sorted(
        (p["Description"].split(" to ", 1)[1], p["FromPort"])
        for t in templates for r in (t.get("Resources") or {}).values()
        if r.get("Type") == "AWS::EC2::SecurityGroupIngress"
        for p in [r.get("Properties", {})] if " to x-" in str(p.get("Description", ""))
    )
    deployed_module_rules = sorted(
        (g["Description"].split(":", 1)[0], perm.get("FromPort"))
        for g in deployed_groups if g.get("Description", "").startswith("x-")
        for perm in g.get("IpPermissions", []) for _ in perm.get("UserIdGroupPairs", [])
    )
    check(f"{label}: x-resource security groups admit the linked families on their port",
          deployed_module_rules, written_module_rules)

    # Types moto's CloudFormation lacks: the shim stands in for them (the stacks around them are
    # created and checked); the resources themselves are not.
    for type_ in ("AWS::OpenSearchService::Domain", "AWS::Neptune::DBCluster", "AWS::Neptune::DBInstance"):
        found = declared(templates, type_)
        if found:
            not_checked(f"{type_} ({len(found)} declared)",
                        "moto's CloudFormation has no such type; a stand-in let the stacks around it deploy")

    # Logs: each log group's retention as written.
    logs = env.client("logs")
    groups = {g["logGroupName"]: g.get("retentionInDays") for g in logs.describe_log_groups()["logGroups"]}
    wanted = sorted(r["Properties"].get("RetentionInDays") for _, r in declared(templates, "AWS::Logs::LogGroup"))
    check(f"{label}: log group retentions", sorted(groups.values()), wanted)


def env_of(env: Env, container: str) -> dict:
    """The environment of `container` in its latest task definition."""
    ecs = env.client("ecs")
    found = {}
    for arn in ecs.list_task_definitions()["taskDefinitionArns"]:
        td = ecs.describe_task_definition(taskDefinition=arn)["taskDefinition"]
        for c in td["containerDefinitions"]:
            if c.get("name") == container:
                found = {e["name"]: e["value"] for e in c.get("environment", [])}
    return found


def check_streams_caches_parameters(env: Env, compose: dict, templates: list[dict], label: str) -> None:
    """x-kinesis streams, x-ssm_parameter values and x-elasticache caches as written, and what the
    linked services get (env vars, the cache's one ingress rule per linked family)."""
    streams = declared(templates, "AWS::Kinesis::Stream")
    if streams:
        kinesis = env.client("kinesis")
        names = kinesis.list_streams()["StreamNames"]
        check(f"{label}: Kinesis streams", len(names), len(streams))
        for name in names:
            summary = kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
            check(f"{label}: stream {name} is encrypted with the AWS managed key",
                  (summary.get("EncryptionType"), summary.get("KeyId")), ("KMS", "alias/aws/kinesis"))
            check(f"{label}: stream {name} has one shard", summary.get("OpenShardCount"), 1)
        wanted = sorted(int((s.get("Properties") or {}).get("RetentionPeriodHours", 24))
                        for s in (compose.get("x-kinesis") or {}).values())
        deployed = sorted(kinesis.describe_stream_summary(StreamName=n)["StreamDescriptionSummary"]
                          ["RetentionPeriodHours"] for n in names)
        check(f"{label}: stream retention as written", deployed, wanted)
        not_checked("StreamModeDetails (on-demand streams)", "moto's CloudFormation makes every stream provisioned")
        for name, svc in compose.get("services", {}).items():
            linked = [s for s in (compose.get("x-kinesis") or {}) if name in ((compose["x-kinesis"][s] or {})
                                                                              .get("Services") or {})]
            for stream in linked:
                var = stream.upper().replace("-", "_")
                check(f"{label}: {name} gets {var} (the stream's name)", env_of(env, name).get(var) in names, True)

    parameters = declared(templates, "AWS::SSM::Parameter")
    if parameters:
        ssm = env.client("ssm")
        for _, p in parameters:
            props = p["Properties"]
            if not isinstance(props.get("Name"), str):
                # A config's parameter (named after its stack): check_files reads it back.
                continue
            got = ssm.get_parameter(Name=props["Name"])["Parameter"]
            check(f"{label}: SSM parameter {props['Name']} as written", (got["Type"], got["Value"]),
                  (props["Type"], props["Value"]))

    groups = declared(templates, "AWS::ElastiCache::ReplicationGroup")
    clusters = declared(templates, "AWS::ElastiCache::CacheCluster")
    if not (groups or clusters):
        return
    not_checked("ElastiCache nodes, endpoints and TLS", "moto's CloudFormation has no ElastiCache: our shim stores "
                "the replication groups and clusters in moto's ElastiCache backend, which runs nothing")
    elasticache = env.client("elasticache")
    deployed_groups = elasticache.describe_replication_groups()["ReplicationGroups"]
    check(f"{label}: ElastiCache replication groups", len(deployed_groups), len(groups))
    for g in deployed_groups:
        check(f"{label}: cache {g['ReplicationGroupId']} is encrypted at rest and in transit",
              (g.get("AtRestEncryptionEnabled"), g.get("TransitEncryptionEnabled")), (True, True))
    # Each cache's security group admits the linked families' groups on the engine port, nothing else.
    ec2 = env.client("ec2")
    all_groups = ec2.describe_security_groups()["SecurityGroups"]
    description_of = {g["GroupId"]: g.get("Description", "") for g in all_groups}
    for name, cache in (compose.get("x-elasticache") or {}).items():
        linked = sorted(f"{s} tasks" for s in ((cache or {}).get("Services") or {}))
        group = next((g for g in all_groups if g.get("Description") == f"x-elasticache {name}: cache access"), None)
        check(f"{label}: cache {name} has its security group", group is not None, True)
        if group is None:
            continue
        rules = sorted((p.get("IpProtocol"), p.get("FromPort"), p.get("ToPort"), description_of.get(pair["GroupId"]))
                       for p in group.get("IpPermissions", []) for pair in p.get("UserIdGroupPairs", []))
        check(f"{label}: cache {name} admits exactly its linked services on 6379", rules,
              [("tcp", 6379, 6379, family) for family in linked])
        cidr_rules = [p for p in group.get("IpPermissions", []) if p.get("IpRanges")]
        check(f"{label}: cache {name} admits no address range", cidr_rules, [])
        for service in (cache or {}).get("Services") or {}:
            var = name.upper().replace("-", "_")
            got = env_of(env, service)
            endpoint = next((g["NodeGroups"][0]["PrimaryEndpoint"] for g in deployed_groups
                             if g["ReplicationGroupId"] == got.get(var)), None)
            check(f"{label}: {service} gets {var}_HOST and {var}_PORT, the cache's primary endpoint",
                  (got.get(f"{var}_HOST"), got.get(f"{var}_PORT")),
                  (endpoint["Address"], str(endpoint["Port"])) if endpoint else ("?", "?"))


def published_ports(compose: dict) -> list[tuple[int, str]]:
    """(listener port, protocol) of every `ports:` entry (the merged file writes the long form)."""
    ports = []
    for svc in (compose.get("services") or {}).values():
        for p in svc.get("ports") or []:
            published = str(p.get("published") or "")
            port = int(published) if published.isdigit() else int(p["target"])
            ports.append((port, p.get("protocol", "tcp")))
    return sorted(set(ports))


def check_load_balancers(env: Env, compose: dict, templates: list[dict], label: str) -> None:
    """Every load balancer written exists; without x-elbv2 the project's one listens on each published port."""
    elbv2 = env.client("elbv2")
    lbs = elbv2.describe_load_balancers()["LoadBalancers"]
    check(f"{label}: load balancers", len(lbs), len(declared(templates, "AWS::ElasticLoadBalancingV2::LoadBalancer")))
    check_target_groups(env, compose, templates, label)
    if compose.get("x-elbv2") is not None or not published_ports(compose):
        return
    check(f"{label}: one load balancer for the project's published ports", len(lbs), 1)
    if not lbs:
        return
    listeners = elbv2.describe_listeners(LoadBalancerArn=lbs[0]["LoadBalancerArn"])["Listeners"]
    check(f"{label}: a listener per published port", sorted(l["Port"] for l in listeners),
          [port for port, _ in published_ports(compose)])
    groups = elbv2.describe_target_groups()["TargetGroups"]
    check(f"{label}: each listener forwards to a target group of ours",
          all(any(a.get("TargetGroupArn") in {g["TargetGroupArn"] for g in groups} for a in l["DefaultActions"])
              for l in listeners), True)
    cfn = env.client("cloudformation")
    outputs = {o["OutputKey"]: o.get("OutputValue") for s in cfn.describe_stacks()["Stacks"]
               if "ParentId" not in s for o in s.get("Outputs", [])}
    check(f"{label}: the root stack outputs the load balancer's DNS name",
          outputs.get("LoadBalancerDnsName") == lbs[0]["DNSName"], True)


def listener_targets(lb: dict) -> set[str]:
    """The target names the listeners of one x-elbv2 load balancer use (mapping or list form)."""
    listeners = lb.get("Listeners") or []
    listeners = listeners.values() if isinstance(listeners, dict) else listeners
    return {t["name"] for listener in listeners for t in (listener or {}).get("Targets") or []}


def registrations(compose: dict) -> list[tuple[str, int]]:
    """(container, port) of every registration x-elbv2 asks for: a `Services` entry a listener
    uses registers its container once; a `TargetGroups` entry registers each of its services."""
    wanted = []
    for lb in (compose.get("x-elbv2") or {}).values():
        used = listener_targets(lb or {})
        for key, entry in ((lb or {}).get("Services") or {}).items():
            if key in used:
                parts = key.split(":")
                wanted.append((parts[1] if len(parts) > 1 else parts[0], int(entry["port"])))
        for key, group in ((lb or {}).get("TargetGroups") or {}).items():
            if key in used:
                wanted += [(m["Name"].split(":")[-1], int(m["Port"])) for m in group["Services"]]
    return sorted(wanted)


def check_target_groups(env: Env, compose: dict, templates: list[dict], label: str) -> None:
    """Every target group written exists, a listener or one of its rules forwards to it, and the
    ECS services register into each group x-elbv2 lists them in (none is left unattached)."""
    elbv2 = env.client("elbv2")
    groups = {g["TargetGroupArn"] for g in elbv2.describe_target_groups()["TargetGroups"]}
    check(f"{label}: target groups", len(groups), len(declared(templates, "AWS::ElasticLoadBalancingV2::TargetGroup")))
    forwarded = set()
    rule_count = 0
    for lb in elbv2.describe_load_balancers()["LoadBalancers"]:
        for listener in elbv2.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"]:
            actions = list(listener.get("DefaultActions", []))
            for rule in elbv2.describe_rules(ListenerArn=listener["ListenerArn"])["Rules"]:
                if not rule.get("IsDefault"):
                    rule_count += 1
                actions += rule.get("Actions", [])
            forwarded |= {a["TargetGroupArn"] for a in actions if a.get("TargetGroupArn")}
    check(f"{label}: listener rules", rule_count, len(declared(templates, "AWS::ElasticLoadBalancingV2::ListenerRule")))
    check(f"{label}: every target group is forwarded to by a listener or rule", sorted(groups - forwarded), [])
    # moto drops an ECS service's LoadBalancers when CloudFormation creates it, so the registrations
    # are read from the templates, each TargetGroupArn resolved through what CloudFormation
    # deployed (the nested stack's parameter value, or the target group's physical id).
    not_checked("ECS services' loadBalancers as the ECS API reports them", "moto ignores LoadBalancers from CloudFormation")
    cfn = env.client("cloudformation")
    resolved = {}
    for stack in cfn.describe_stacks()["Stacks"]:
        resolved.update({p["ParameterKey"]: p.get("ParameterValue") for p in stack.get("Parameters", [])})
        for r in cfn.describe_stack_resources(StackName=stack["StackId"])["StackResources"]:
            if r.get("LogicalResourceId"):  # moto lists some resources without one
                resolved.setdefault(r["LogicalResourceId"], r.get("PhysicalResourceId"))
    registered = []
    for _, svc in declared(templates, "AWS::ECS::Service"):
        for entry in svc.get("Properties", {}).get("LoadBalancers") or []:
            ref = (entry.get("TargetGroupArn") or {}).get("Ref")
            registered.append((entry["ContainerName"], int(entry["ContainerPort"]), resolved.get(ref)))
    if compose.get("x-elbv2") is not None:
        check(f"{label}: ECS services register as x-elbv2 says (container, port)",
              sorted((c, p) for c, p, _ in registered), registrations(compose))
    check(f"{label}: each registration names a deployed target group",
          [r for r in registered if r[2] not in groups], [])
    check(f"{label}: every target group has ECS services registered",
          sorted(groups - {arn for _, _, arn in registered}), [])


def policy_document(doc) -> dict:
    """IAM returns policy documents URL-encoded JSON; moto sometimes hands back a Python repr."""
    if isinstance(doc, dict):
        return doc
    import ast
    from urllib.parse import unquote

    text = unquote(doc)
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return ast.literal_eval(text)


def delete_stack(env: Env, stack: str, label: str) -> None:
    cfn = env.client("cloudformation")
    try:
        cfn.delete_stack(StackName=stack)
    except Exception as e:  # botocore ClientError
        # moto deletes a flat stack's resources out of dependency order: the VPC goes before its NAT
        # gateway and route tables and moto refuses. Real CloudFormation orders the deletes.
        if "DependencyViolation" in str(e) and "vpc" in str(e):
            not_checked(f"{label}: stack delete", f"moto deletes the VPC before its dependants ({e})")
            return
        raise
    deadline = time.time() + 120
    status = "?"
    while time.time() < deadline:
        summaries = [s for s in cfn.list_stacks()["StackSummaries"] if s["StackName"] == stack]
        status = summaries[-1]["StackStatus"] if summaries else "GONE"
        if not status.endswith("IN_PROGRESS"):
            break
        time.sleep(0.5)
    check(f"{label}: stack after delete", status, "DELETE_COMPLETE")
    not_checked("full cleanup after delete", "moto leaves ECS, NAT, EIP and the VPC behind")


def run_layout(args, layout: str) -> None:
    single = layout == "single"
    work = Path(tempfile.mkdtemp(prefix=f"composex-deploy-{layout}-"))
    try:
        moto = Moto(Path(args.venv), work)
        try:
            env = Env(args, work, moto)
            example = work / "example"
            shutil.copytree(args.example, example)
            compose_files = [example / f for f in args.files]
            merged = env.run(env.composex, "merge", *sum((["-f", str(f)] for f in compose_files), [])).stdout
            compose = load_yaml(merged)
            out = work / "out"
            name = Path(args.example).name
            render(env, compose_files, out, name, single)
            secrets = create_file_secrets(env, compose, example, out, name)
            if secrets:
                render(env, compose_files, out, name, single)
            if args.broken:
                root = out / f"{name}.yaml"
                text = root.read_text()
                # A dangling Ref: a resource property pointing at a parameter nobody declared.
                text = text.replace("Resources:\n", "Resources:\n  BrokenOnPurpose:\n    Type: AWS::SQS::Queue\n"
                                    "    Properties:\n      QueueName:\n        Ref: NoSuchParameter\n", 1)
                root.write_text(text)
                status, reason = create_stack(env, out, name, single, "broken")
                print(f"     {layout}: broken template: {status}: {reason}")
                check(f"{layout}: a broken template does not deploy", status in ("CREATE_REJECTED", "CREATE_FAILED",
                                                                                  "ROLLBACK_COMPLETE"), True)
                # For the dangling Ref, not for any failure (a CLI crash, an emulator error).
                check(f"{layout}: it is refused for the dangling Ref", BROKEN_REASON in reason, True)
                return
            status, reason = create_stack(env, out, name, single, f"{name}-{layout}")
            check(f"{layout}: create-stack", status, "CREATE_COMPLETE")
            if status != "CREATE_COMPLETE":
                print(reason)
                print((work / "moto.log").read_text()[-3000:])
                return
            check_deployment(env, compose, out, layout)
            check_files(env, compose, out, secrets, example, layout)
            if single:
                update_image(env, compose_files, out, name, f"{name}-{layout}", compose)
            delete_stack(env, f"{name}-{layout}", layout)
        finally:
            moto.stop()
    finally:
        if os.environ.get("KEEP_DEPLOY_DIR"):
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def update_image(env: Env, compose_files: list[Path], out: Path, name: str, stack: str, compose: dict) -> None:
    """The CI step: a new image is pushed, set-image edits the compose file, CD renders and updates."""
    service = next(iter(compose["services"]))
    new_image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/" + service + ":after-ci-build"
    env.run(env.composex, "set-image", f"{service}={new_image}", *sum((["-f", str(f)] for f in compose_files), []))
    render(env, compose_files, out, name, True)
    params = out / f"{name}.params.json"
    args = ["cloudformation", "update-stack", "--stack-name", stack, "--template-body", f"file://{out / (name + '.yaml')}",
            "--capabilities", "CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"]
    if params.exists():
        args += ["--parameters", f"file://{params}"]
    env.aws(*args)
    check("single: update-stack", wait_stack(env, stack), "UPDATE_COMPLETE")
    ecs = env.client("ecs")
    images = []
    for arn in ecs.list_task_definitions()["taskDefinitionArns"]:
        td = ecs.describe_task_definition(taskDefinition=arn)["taskDefinition"]
        images += [c.get("image") for c in td["containerDefinitions"] if c.get("name") == service]
    check(f"single: a task definition revision of {service} runs the new image", new_image in images, True)
    not_checked("the ECS service moved to the new revision", "moto does not propagate a changed Ref to the service")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--composex", required=True)
    parser.add_argument("--venv", required=True)
    parser.add_argument("--example", required=True)
    parser.add_argument("--files", nargs="+", default=["docker-compose.yml"])
    parser.add_argument("--layout", choices=["nested", "single", "both"], default="both")
    parser.add_argument("--broken", action="store_true")
    args = parser.parse_args()
    layouts = ["nested", "single"] if args.layout == "both" else [args.layout]
    for layout in layouts:
        PARAMS.clear()
        run_layout(args, layout)
    print(f"{PASSED} passed, {len(FAILURES)} failed")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
