#!/usr/bin/env python3
"""Generates core/src/schema/table.rs from the CloudFormation resource provider schemas that the
pinned cfn-lint package ships (`make schemas`). Keeps only what validation, the JSON Schema and
the playground need: property names, types, required, enums, cheap patterns, KMS key formats,
ranges and lengths, nested definitions, deprecated and legacy properties, a one-line doc.

Usage: schemas.py <cfnlint/data/schemas dir> <output.rs>
"""
import json
import re
import sys

# Every resource type a ComposeX module lets users write Properties for (today's modules and the
# ones ComposeX has that composex does not render yet), the load balancer family and the ECS
# task definition and service (x-keys pass properties through to them).
TYPES = [
    "AWS::APS::Workspace",
    "AWS::CertificateManager::Certificate",
    "AWS::CloudWatch::Alarm",
    "AWS::CloudWatch::CompositeAlarm",
    "AWS::CloudWatch::Dashboard",
    "AWS::CodeGuruProfiler::ProfilingGroup",
    "AWS::Cognito::UserPool",
    "AWS::Cognito::UserPoolClient",
    "AWS::DocDB::DBCluster",
    "AWS::DocDB::DBInstance",
    "AWS::DynamoDB::Table",
    "AWS::EC2::VPC",
    "AWS::ECS::Cluster",
    "AWS::ECS::Service",
    "AWS::ECS::TaskDefinition",
    "AWS::EFS::FileSystem",
    "AWS::ElastiCache::CacheCluster",
    "AWS::ElastiCache::ReplicationGroup",
    "AWS::ElasticLoadBalancingV2::Listener",
    "AWS::ElasticLoadBalancingV2::ListenerRule",
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "AWS::ElasticLoadBalancingV2::TargetGroup",
    "AWS::Events::Rule",
    "AWS::KMS::Key",
    "AWS::Kinesis::Stream",
    "AWS::KinesisFirehose::DeliveryStream",
    "AWS::Logs::LogGroup",
    "AWS::Neptune::DBCluster",
    "AWS::Neptune::DBInstance",
    "AWS::OpenSearchService::Domain",
    "AWS::RDS::DBCluster",
    "AWS::RDS::DBInstance",
    "AWS::Route53::HostedZone",
    "AWS::S3::Bucket",
    "AWS::SNS::Subscription",
    "AWS::SNS::Topic",
    "AWS::SQS::Queue",
    "AWS::SSM::Parameter",
    "AWS::ServiceDiscovery::PrivateDnsNamespace",
    "AWS::WAFv2::WebACL",
]

# Instance classes and node types CloudFormation's services offer, from cfn-lint's regional data
# (its pricing-derived extension schemas): (type, property path, extension file, keyed by
# Engine). The table keeps the union over every region, so a name no region offers is certain
# to be refused wherever the stack deploys.
CLASS_RULES = [
    ("AWS::DocDB::DBInstance", "DBInstanceClass", "aws_docdb_dbinstance/dbinstanceclass_enum.json", False),
    ("AWS::ElastiCache::CacheCluster", "CacheNodeType", "aws_elasticache_cachecluster/cachenodetype_enum.json", False),
    ("AWS::Neptune::DBInstance", "DBInstanceClass", "aws_neptune_dbinstance/dbinstanceclass_enum.json", False),
    ("AWS::OpenSearchService::Domain", "ClusterConfig.InstanceType", "aws_opensearchservice_domain/clusterconfig_instancetype_enum.json", False),
    ("AWS::RDS::DBCluster", "DBClusterInstanceClass", "aws_rds_dbcluster/dbclusterinstanceclass_enum.json", True),
    ("AWS::RDS::DBInstance", "DBInstanceClass", "aws_rds_dbinstance/dbinstanceclass_enum.json", True),
]

KINDS = {"string": 1, "integer": 2, "number": 4, "boolean": 8, "object": 16, "array": 32}
FORMATS = {"AWS::KMS::Key.Arn": 1, "AWS::KMS::Key.Id": 2, "AWS::KMS::Alias.AliasName": 4}
NONE = 0xFFFF
DOC_LEN = 160

# A pattern the core's small matcher runs: anchored, atoms are literals, `.`, classes and
# \d \w \s \S, quantifiers ? * + {m} {m,n}; no groups, alternation or Unicode classes.
ESCAPE = r"\\[dwsSDW.\-_/:@#+=,$*?()\[\]{}|^]"
CLASS = r"\[\^?(?:\\[dwsS.\-_/:@#+=,$*]|[^\]\\])+\]"
ATOM = rf"(?:{ESCAPE}|{CLASS}|\.|[A-Za-z0-9 _\-:/@#=,%!~<>'\"&;])"
QUANT = r"(?:\?|\*|\+|\{\d+\}|\{\d+,\d*\})?"
SIMPLE = re.compile(rf"\^(?:{ATOM}{QUANT})+\$")


def one_line(text):
    """The first sentence of a description, without links or markup."""
    if not text:
        return ""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"https?://\S+", "", text)
    text = text.replace("``", "").replace("*", "").replace("\\", "")
    text = " ".join(text.split())
    m = re.match(r"(.+?[.!?])(\s|$)", text)
    if m:
        text = m.group(1)
    if len(text) > DOC_LEN:
        text = text[: DOC_LEN - 3].rsplit(" ", 1)[0] + "..."
    return text


class Table:
    def __init__(self):
        self.types = []  # tuples
        self.type_ids = {}
        self.shapes = []  # list of (props, open, values) filled after allocation
        self.shape_ids = {}

    def ty(self, t):
        if t not in self.type_ids:
            self.type_ids[t] = len(self.types)
            self.types.append(t)
        return self.type_ids[t]


def resolve(schema, node):
    seen = 0
    while isinstance(node, dict) and "$ref" in node and seen < 20:
        ref = node["$ref"]
        if not ref.startswith("#/definitions/"):
            return {}
        extra = {k: v for k, v in node.items() if k not in ("$ref",)}
        node = dict(schema["definitions"][ref.split("/")[-1]], **{k: v for k, v in extra.items() if k == "description"})
        seen += 1
    return node


def is_object_schema(node):
    return "properties" in node or "patternProperties" in node or node.get("type") == "object"


def kinds_of(node):
    t = node.get("type")
    if t is None:
        return 0
    if isinstance(t, str):
        t = [t]
    bits = 0
    for k in t:
        bits |= KINDS.get(k, 0)
    if bits & KINDS["object"] and "properties" not in node:
        pass
    return bits


def type_of(table, schema, tname, node, ref_name=None):
    """The index of the Ty for `node`."""
    raw = node
    ref_name = None
    if "$ref" in raw:
        ref_name = raw["$ref"].split("/")[-1]
    node = resolve(schema, raw)
    alts = node.get("anyOf") or node.get("oneOf")
    formats = 0
    kinds = kinds_of(node)
    shape = NONE
    items = NONE
    fmts = [a.get("format") for a in alts or []]
    if fmts and all(f in FORMATS for f in fmts):
        formats = sum(FORMATS[f] for f in fmts)
        kinds = KINDS["string"]
    elif alts and "type" not in node and "properties" not in node:
        # alternatives of different shapes: only the union of their kinds is checked
        bits = 0
        for a in alts:
            a = resolve(schema, a)
            k = kinds_of(a)
            if k == 0 and is_object_schema(a):
                k = KINDS["object"]
            if k == 0:
                bits = 0
                break
            bits |= k
        return table.ty((bits, NONE, NONE, (), "", 0, None, None, None, None))
    elif node.get("format") in FORMATS:
        formats = FORMATS[node["format"]]
    if is_object_schema(node) and ("properties" in node or "patternProperties" in node or isinstance(node.get("additionalProperties"), dict)):
        kinds |= KINDS["object"]
        key = (tname, ref_name) if ref_name else None
        shape = shape_of(table, schema, tname, node, key)
    elif kinds == 0 and is_object_schema(node):
        kinds = KINDS["object"]
    if "items" in node and isinstance(node["items"], dict):
        kinds |= KINDS["array"] if kinds else 0
        items = type_of(table, schema, tname, node["items"])
    values = tuple(str(v).lower() if isinstance(v, bool) else str(v) for v in node.get("enum", ()))
    pattern = node.get("pattern", "")
    if not (isinstance(pattern, str) and SIMPLE.fullmatch(pattern)):
        pattern = ""
    lo = node.get("minimum")
    hi = node.get("maximum")
    lmin = node.get("minLength", node.get("minItems"))
    lmax = node.get("maxLength", node.get("maxItems"))
    return table.ty((kinds, shape, items, values, pattern, formats, lo, hi, lmin, lmax))


def shape_of(table, schema, tname, node, key):
    if key is not None and key in table.shape_ids:
        return table.shape_ids[key]
    idx = len(table.shapes)
    table.shapes.append(None)
    if key is not None:
        table.shape_ids[key] = idx
    required = set(node.get("required", []))
    def top_level(key):
        # "/properties/Arn" (not "/properties/Endpoint/Port": a nested read-only value)
        return {p.split("/")[2] for p in schema.get(key, []) if p.count("/") == 2} if node is schema else set()

    deprecated = top_level("deprecatedProperties")
    read_only = top_level("readOnlyProperties")
    props = []
    for name, sub in sorted(node.get("properties", {}).items()):
        if name in read_only:
            continue
        desc = resolve(schema, sub).get("description") or sub.get("description", "")
        status = 0
        if name in deprecated:
            status = 1
        elif desc.lstrip().startswith("This is a legacy property"):
            status = 2
        props.append((name, type_of(table, schema, tname, sub), name in required, status, one_line(desc)))
    values = NONE
    extra = node.get("additionalProperties", True)
    patterned = list(node.get("patternProperties", {}).values())
    if patterned:
        values = type_of(table, schema, tname, patterned[0])
    elif isinstance(extra, dict):
        values = type_of(table, schema, tname, extra)
    open_ = extra is not False or bool(patterned)
    table.shapes[idx] = (props, open_, values)
    return idx


def class_rules(root):
    """[(type, path, engine, sorted class names)], engine "" when the rule is not per engine."""
    rules = []
    for tname, path, file, by_engine in CLASS_RULES:
        regions = json.load(open(f"{root}/extensions/{file}"))
        prop = path.split(".")[-1]
        per = {}
        for region in sorted(regions):
            schema = regions[region]
            if not isinstance(schema, dict):
                continue  # the file's description
            if by_engine:
                for branch in schema.get("allOf", []):
                    engine = branch["if"]["properties"]["Engine"]["const"].lower()
                    per.setdefault(engine, set()).update(branch["then"]["properties"][prop]["enum"])
            else:
                per.setdefault("", set()).update(schema.get("enum", []))
        for engine in sorted(per):
            rules.append((tname, path, engine, sorted(per[engine])))
    return rules


def rust_str(s):
    return json.dumps(s, ensure_ascii=False)


def opt(v, kind):
    if v is None:
        return "None"
    return f"Some({float(v)!r})" if kind == "f" else f"Some({int(v)})"


def main():
    root, out = sys.argv[1], sys.argv[2]
    providers = json.load(open(f"{root}/providers/us-east-1.json"))
    table = Table()
    resources = []
    for tname in TYPES:
        schema = json.load(open(f"{root}/resources/{providers[tname]}.json"))
        shape = shape_of(table, schema, tname, schema, None)
        resources.append((tname, shape, one_line(schema.get("description", ""))))
    lines = [
        "// @generated by `make schemas` (scripts/schemas.py) from the CloudFormation resource",
        "// provider schemas of the pinned cfn-lint package. Do not edit by hand.",
        "",
        "use super::model::{ClassRule, Prop, Resource, Shape, Ty, NONE};",
        "",
        "/// The resource types whose Properties are checked, by name.",
        "pub static RESOURCES: &[Resource] = &[",
    ]
    for tname, shape, doc in resources:
        lines.append(f"    Resource {{ name: {rust_str(tname)}, shape: {shape}, doc: {rust_str(doc)} }},")
    lines += ["];", "", "/// Object shapes (resource Properties and nested definitions).", "pub static SHAPES: &[Shape] = &["]
    for props, open_, values in table.shapes:
        ps = ", ".join(
            f"Prop {{ name: {rust_str(n)}, ty: {t}, required: {str(r).lower()}, status: {s}, doc: {rust_str(d)} }}"
            for n, t, r, s, d in props
        )
        v = "NONE" if values == NONE else values
        lines.append(f"    Shape {{ open: {str(open_).lower()}, values: {v}, props: &[{ps}] }},")
    lines += ["];", "", "/// Value types.", "pub static TYPES: &[Ty] = &["]
    for kinds, shape, items, values, pattern, formats, lo, hi, lmin, lmax in table.types:
        vs = ", ".join(rust_str(v) for v in values)
        lines.append(
            f"    Ty {{ kinds: {kinds}, shape: {'NONE' if shape == NONE else shape}, items: {'NONE' if items == NONE else items}, "
            f"values: &[{vs}], pattern: {rust_str(pattern)}, formats: {formats}, "
            f"min: {opt(lo, 'f')}, max: {opt(hi, 'f')}, min_len: {opt(lmin, 'i')}, max_len: {opt(lmax, 'i')} }},"
        )
    lines += ["];", ""]
    rules = class_rules(root)
    names = sorted({n for _, _, _, classes in rules for n in classes})
    index = {n: i for i, n in enumerate(names)}
    lines += [
        "/// Every instance class or node type of [`CLASS_RULES`], sorted.",
        "pub static CLASS_NAMES: &[&str] = &[",
    ]
    lines += [f"    {rust_str(n)}," for n in names]
    lines += [
        "];",
        "",
        "/// The classes each resource type (per engine) offers in some region.",
        "pub static CLASS_RULES: &[ClassRule] = &[",
    ]
    for tname, path, engine, classes in rules:
        ids = ", ".join(str(index[n]) for n in classes)
        lines.append(
            f"    ClassRule {{ type_name: {rust_str(tname)}, path: {rust_str(path)}, engine: {rust_str(engine)}, classes: &[{ids}] }},"
        )
    lines += ["];", ""]
    open(out, "w").write("\n".join(lines))


if __name__ == "__main__":
    main()
