"""moto server with the few CloudFormation gaps closed that our templates run into.

moto 5.2.5 is a wiring test for CloudFormation: it parses templates, resolves intrinsics and creates the
main resource types. It lacks a handful of things our output relies on; each patch below fills one gap
and says which. Run as: python moto_shim.py -H 127.0.0.1 -p PORT
"""

import sys
from typing import Any

import moto.cloudformation.parsing as cfn_parsing
from moto.cloudformation.exceptions import UnformattedGetAttTemplateException, ValidationError
from moto.cloudformation.models import Stack
from moto.core.common_models import CloudFormationModel
from moto.ecs.models import TaskDefinition
from moto.efs.models import AccessPoint as EfsAccessPoint
from moto.efs.models import FileSystem as EfsFileSystem
from moto.elasticache.models import elasticache_backends
from moto.elbv2.models import FakeLoadBalancer, elbv2_backends
from moto.kinesis.models import Stream as KinesisStream
from moto.kinesis.models import kinesis_backends
from moto.servicediscovery.models import servicediscovery_backends


def _nested_stack_output(self: Stack, attribute: str) -> Any:
    """`Fn::GetAtt [Nested, Outputs.X]`: moto's Stack has no get_cfn_attribute (HTTP 500 without)."""
    for output in self.output_map.values():
        if output and attribute == "Outputs." + output.key:
            return output.value
    raise UnformattedGetAttTemplateException()


Stack.get_cfn_attribute = _nested_stack_output


_clean_json = cfn_parsing.clean_json


def _clean_json_resolving_getazs_argument(resource_json: Any, resources_map: Any) -> Any:
    """`Fn::GetAZs: {Ref: AWS::Region}`: moto uses the argument unresolved as a region name.
    `Ref` to an undeclared name: moto fails with a KeyError (HTTP 500); CloudFormation refuses the
    template with a ValidationError naming it, which is what we raise."""
    if isinstance(resource_json, dict) and isinstance(resource_json.get("Fn::GetAZs"), dict):
        resource_json = {"Fn::GetAZs": _clean_json(resource_json["Fn::GetAZs"], resources_map)}
    try:
        return _clean_json(resource_json, resources_map)
    except KeyError as e:
        name = resource_json.get("Ref") if isinstance(resource_json, dict) else None
        if name is None or e.args[:1] != (name,):
            raise
        raise ValidationError(message=f"Template format error: Unresolved resource dependencies [{name}] "
                                      "in the Resources block of the template") from None


cfn_parsing.clean_json = _clean_json_resolving_getazs_argument


def _camel(key: str) -> str:
    return key[:1].lower() + key[1:]


def _camel_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {_camel(k): _camel_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_camel_keys(v) for v in value]
    return value


_task_definition_update = TaskDefinition.update_from_cloudformation_json.__func__


def _task_definition_update_camel(cls, original_resource, new_resource_name, cloudformation_json, account_id,
                                  region_name):
    """Updates pass PascalCase container definitions where create remaps them: the new revision would
    lose its image, environment and log configuration. (moto calls this with keyword arguments.)"""
    props = cloudformation_json["Properties"]
    props["ContainerDefinitions"] = _camel_keys(props.get("ContainerDefinitions", []))
    return _task_definition_update(cls, original_resource=original_resource, new_resource_name=new_resource_name,
                                   cloudformation_json=cloudformation_json, account_id=account_id,
                                   region_name=region_name)


TaskDefinition.update_from_cloudformation_json = classmethod(_task_definition_update_camel)


class PrivateDnsNamespace(CloudFormationModel):
    """AWS::ServiceDiscovery::PrivateDnsNamespace on top of moto's servicediscovery backend."""

    # moto's model metaclass reads the service name from the module path.
    __module__ = "moto.servicediscovery.cfn"

    def __init__(self, namespace: Any):
        self.namespace = namespace

    @staticmethod
    def cloudformation_name_type() -> str:
        return "Name"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ServiceDiscovery::PrivateDnsNamespace"

    @property
    def physical_resource_id(self) -> str:
        return self.namespace.id

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr in ("Id", "Arn", "HostedZoneId")

    def get_cfn_attribute(self, attr: str) -> Any:
        if attr == "Id":
            return self.namespace.id
        if attr == "Arn":
            return self.namespace.arn
        if attr == "HostedZoneId":
            return self.namespace.dns_properties.get("HostedZoneId", "")
        raise UnformattedGetAttTemplateException()

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        props = cloudformation_json["Properties"]
        backend = servicediscovery_backends[account_id][region_name]
        backend.create_private_dns_namespace(
            name=props["Name"],
            creator_request_id=resource_name,
            description=props.get("Description", ""),
            vpc=props["Vpc"],
            tags=props.get("Tags", []),
            properties=props.get("Properties", {}),
        )
        namespace = next(ns for ns in backend.namespaces.values() if ns.name == props["Name"])
        return cls(namespace)

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name):
        backend = servicediscovery_backends[account_id][region_name]
        for ns_id, ns in list(backend.namespaces.items()):
            if ns.creator_request_id == resource_name:
                backend.namespaces.pop(ns_id)


class DiscoveryService(CloudFormationModel):
    """AWS::ServiceDiscovery::Service on top of moto's servicediscovery backend."""

    __module__ = "moto.servicediscovery.cfn"

    def __init__(self, service: Any):
        self.service = service

    @staticmethod
    def cloudformation_name_type() -> str:
        return "Name"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ServiceDiscovery::Service"

    @property
    def physical_resource_id(self) -> str:
        return self.service.id

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr in ("Id", "Arn", "Name")

    def get_cfn_attribute(self, attr: str) -> Any:
        if attr == "Id":
            return self.service.id
        if attr == "Arn":
            return self.service.arn
        if attr == "Name":
            return self.service.name
        raise UnformattedGetAttTemplateException()

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        props = cloudformation_json["Properties"]
        backend = servicediscovery_backends[account_id][region_name]
        dns_config = props.get("DnsConfig", {})
        service = backend.create_service(
            name=props.get("Name", resource_name),
            namespace_id=props.get("NamespaceId") or dns_config.get("NamespaceId"),
            creator_request_id=resource_name,
            description=props.get("Description", ""),
            dns_config=dns_config,
            health_check_config=props.get("HealthCheckConfig", {}),
            health_check_custom_config=props.get("HealthCheckCustomConfig", {}),
            tags=props.get("Tags", []),
            service_type=props.get("Type", "DNS_HTTP"),
        )
        return cls(service)

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name):
        backend = servicediscovery_backends[account_id][region_name]
        for service_id, service in list(backend.services.items()):
            if service.creator_request_id == resource_name:
                backend.services.pop(service_id)



def _efs_attribute(arn_field: str):
    """`Fn::GetAtt [X, Arn]` on EFS file systems and access points: moto's models have no
    get_cfn_attribute (HTTP 500 without)."""

    def get(self, attribute: str) -> Any:
        if attribute == "Arn":
            return getattr(self, arn_field)
        raise UnformattedGetAttTemplateException()

    return get


EfsFileSystem.get_cfn_attribute = _efs_attribute("file_system_arn")
EfsAccessPoint.get_cfn_attribute = _efs_attribute("access_point_arn")
# `Ref` to an access point is its id; moto's model gives none.
EfsAccessPoint.physical_resource_id = property(lambda self: self.access_point_id)

_task_definition_create = TaskDefinition.create_from_cloudformation_json.__func__


def _task_definition_create_efs(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    """moto camel-cases `EFSVolumeConfiguration` / `FilesystemId` to keys the ECS API does not have
    (`eFSVolumeConfiguration`, `filesystemId`), so describe-task-definition drops the EFS volume."""
    for volume in cloudformation_json.get("Properties", {}).get("Volumes") or []:
        conf = volume.pop("EFSVolumeConfiguration", None)
        if conf is not None:
            if "FilesystemId" in conf:
                conf["FileSystemId"] = conf.pop("FilesystemId")
            volume["EfsVolumeConfiguration"] = conf
    return _task_definition_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)


TaskDefinition.create_from_cloudformation_json = classmethod(_task_definition_create_efs)


def _load_balancer_create_typed(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    """moto creates every `AWS::ElasticLoadBalancingV2::LoadBalancer` as an application load
    balancer, ignoring `Type`, and then refuses a network load balancer's TCP listener."""
    properties = cloudformation_json["Properties"]
    return elbv2_backends[account_id][region_name].create_load_balancer(
        resource_name,
        properties.get("SecurityGroups"),
        properties.get("Subnets"),
        scheme=properties.get("Scheme", "internet-facing"),
        loadbalancer_type=properties.get("Type", "application"),
    )


FakeLoadBalancer.create_from_cloudformation_json = classmethod(_load_balancer_create_typed)


# Types moto's CloudFormation does not have (x-opensearch, x-neptune). Each gets a stand-in that
# creates nothing and answers every `Fn::GetAtt` with a made-up value, so the rest of the stack
# (Refs, exports, imports, IAM, security groups) is still created and checked; run.py prints
# NOT CHECKED for each of them.
STAND_IN_TYPES = (
    "AWS::OpenSearchService::Domain",
    "AWS::Neptune::DBCluster",
    "AWS::Neptune::DBInstance",
    "AWS::Neptune::DBSubnetGroup",
    "AWS::Neptune::DBClusterParameterGroup",
)


def _stand_in(type_: str) -> type:
    service = type_.split("::")[1].lower()

    def __init__(self, name: str) -> None:
        self.name = name

    def get_cfn_attribute(self, attr: str) -> Any:
        if attr in ("Port", "DBPort"):
            return "8182"
        return f"{self.name.lower()}-{attr.lower()}.stand-in"

    def create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        return cls(resource_name)

    def delete(cls, resource_name, cloudformation_json, account_id, region_name):
        return None

    return type(
        type_.replace("::", ""),
        (CloudFormationModel,),
        {
            "__module__": f"moto.{service}.stand_in",
            "__doc__": f"{type_}: not in moto; creates nothing.",
            "__init__": __init__,
            "cloudformation_name_type": staticmethod(lambda: "Name"),
            "cloudformation_type": staticmethod(lambda: type_),
            "physical_resource_id": property(lambda self: self.name.lower()),
            "has_cfn_attr": classmethod(lambda cls, attr: True),
            "get_cfn_attribute": get_cfn_attribute,
            "create_from_cloudformation_json": classmethod(create),
            "delete_from_cloudformation_json": classmethod(delete),
        },
    )


STAND_INS = [_stand_in(t) for t in STAND_IN_TYPES]
_stream_create = KinesisStream.create_from_cloudformation_json.__func__


def _stream_create_encrypted(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    """moto's `AWS::Kinesis::Stream` drops `StreamEncryption`: the stream would read unencrypted."""
    stream = _stream_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
    encryption = cloudformation_json.get("Properties", {}).get("StreamEncryption")
    if encryption:
        kinesis_backends[account_id][region_name].start_stream_encryption(
            stream_arn=None, stream_name=stream.stream_name,
            encryption_type=encryption.get("EncryptionType", "KMS"), key_id=encryption.get("KeyId"))
    return stream


KinesisStream.create_from_cloudformation_json = classmethod(_stream_create_encrypted)


def _cache_id(resource_name: str) -> str:
    """An ElastiCache id as CloudFormation makes one: lower case, at most 40 characters."""
    return resource_name.lower()[:40]


def _snake(key: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in key).lstrip("_")


class CacheSubnetGroup(CloudFormationModel):
    """AWS::ElastiCache::SubnetGroup on top of moto's elasticache backend (moto's CloudFormation has
    no ElastiCache types)."""

    __module__ = "moto.elasticache.cfn"

    def __init__(self, name: str):
        self.name = name

    @staticmethod
    def cloudformation_name_type() -> str:
        return "CacheSubnetGroupName"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ElastiCache::SubnetGroup"

    @property
    def physical_resource_id(self) -> str:
        return self.name

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        props = cloudformation_json["Properties"]
        name = props.get("CacheSubnetGroupName") or _cache_id(resource_name)
        elasticache_backends[account_id][region_name].create_cache_subnet_group(
            cache_subnet_group_name=name, cache_subnet_group_description=props["Description"],
            subnet_ids=props["SubnetIds"], tags=props.get("Tags"))
        return cls(name)


class CacheReplicationGroup(CloudFormationModel):
    """AWS::ElastiCache::ReplicationGroup on top of moto's elasticache backend."""

    __module__ = "moto.elasticache.cfn"

    ATTRIBUTES = ("PrimaryEndPoint.Address", "PrimaryEndPoint.Port", "ReadEndPoint.Addresses", "ReadEndPoint.Ports")

    def __init__(self, group: Any):
        self.group = group

    @staticmethod
    def cloudformation_name_type() -> str:
        return "ReplicationGroupId"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ElastiCache::ReplicationGroup"

    @property
    def physical_resource_id(self) -> str:
        return self.group.replication_group_id

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr in cls.ATTRIBUTES

    def get_cfn_attribute(self, attr: str) -> Any:
        node_group = self.group.node_groups[0]
        if attr == "PrimaryEndPoint.Address":
            return node_group["primary_endpoint_address"]
        if attr == "PrimaryEndPoint.Port":
            return str(self.group.port)
        if attr == "ReadEndPoint.Addresses":
            return node_group["reader_endpoint_address"]
        if attr == "ReadEndPoint.Ports":
            return str(self.group.port)
        raise UnformattedGetAttTemplateException()

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        props = cloudformation_json["Properties"]
        args = {name: None for name in (
            "global_replication_group_id", "primary_cluster_id", "automatic_failover_enabled", "multi_az_enabled",
            "num_cache_clusters", "preferred_cache_cluster_azs", "num_node_groups", "replicas_per_node_group",
            "node_group_configuration", "cache_node_type", "engine", "engine_version", "cache_parameter_group_name",
            "cache_subnet_group_name", "cache_security_group_names", "security_group_ids", "tags", "snapshot_arns",
            "snapshot_name", "preferred_maintenance_window", "port", "notification_topic_arn",
            "auto_minor_version_upgrade", "snapshot_retention_limit", "snapshot_window", "auth_token",
            "transit_encryption_enabled", "at_rest_encryption_enabled", "kms_key_id", "user_group_ids",
            "log_delivery_configurations", "data_tiering_enabled", "network_type", "ip_discovery",
            "transit_encryption_mode", "cluster_mode", "serverless_cache_snapshot_name")}
        for key, value in props.items():
            if _snake(key) in args:
                args[_snake(key)] = value
        args["num_cache_clusters"] = int(args["num_cache_clusters"]) if args["num_cache_clusters"] else None
        group = elasticache_backends[account_id][region_name].create_replication_group(
            replication_group_id=props.get("ReplicationGroupId") or _cache_id(resource_name),
            replication_group_description=props["ReplicationGroupDescription"], **args)
        return cls(group)


class CacheCluster(CloudFormationModel):
    """AWS::ElastiCache::CacheCluster on top of moto's elasticache backend."""

    __module__ = "moto.elasticache.cfn"

    ATTRIBUTES = ("RedisEndpoint.Address", "RedisEndpoint.Port", "ConfigurationEndpoint.Address",
                  "ConfigurationEndpoint.Port")

    def __init__(self, cluster: Any):
        self.cluster = cluster

    @staticmethod
    def cloudformation_name_type() -> str:
        return "ClusterName"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ElastiCache::CacheCluster"

    @property
    def physical_resource_id(self) -> str:
        return self.cluster.cache_cluster_id

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr in cls.ATTRIBUTES

    def get_cfn_attribute(self, attr: str) -> Any:
        if attr.endswith(".Address"):
            return f"{self.cluster.cache_cluster_id}.cache.amazonaws.com"
        if attr.endswith(".Port"):
            return str(self.cluster.port)
        raise UnformattedGetAttTemplateException()

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        props = cloudformation_json["Properties"]
        args = {name: None for name in (
            "replication_group_id", "az_mode", "preferred_availability_zone", "num_cache_nodes", "cache_node_type",
            "engine", "engine_version", "cache_parameter_group_name", "cache_subnet_group_name",
            "transit_encryption_enabled", "network_type", "ip_discovery", "snapshot_name",
            "preferred_maintenance_window", "port", "notification_topic_arn", "auto_minor_version_upgrade",
            "snapshot_retention_limit", "snapshot_window", "auth_token", "outpost_mode", "preferred_outpost_arn",
            "preferred_availability_zones", "cache_security_group_names", "security_group_ids", "tags",
            "snapshot_arns", "preferred_outpost_arns", "log_delivery_configurations", "cache_node_ids_to_remove",
            "cache_node_ids_to_reboot")}
        for key, value in props.items():
            key = "security_group_ids" if key == "VpcSecurityGroupIds" else _snake(key)
            if key in args:
                args[key] = value
        args["num_cache_nodes"] = int(args["num_cache_nodes"]) if args["num_cache_nodes"] else None
        cluster = elasticache_backends[account_id][region_name].create_cache_cluster(
            cache_cluster_id=props.get("ClusterName") or _cache_id(resource_name), **args)
        return cls(cluster)


if __name__ == "__main__":
    from moto.server import main

    sys.exit(main())
