use serde_json::json;

use crate::modules::testing::emit;

#[test]
fn caches_encryption_ingress_and_links() {
    let r = emit(include_str!("fixtures/caches.yml"));
    assert!(r.error_codes().is_empty(), "{:?}", r.diagnostics());
    let t = r.template("elasticache");
    // Redis from MacroParameters: an encrypted one-node replication group.
    let sessions = &t.resources["Sessions"];
    assert_eq!(sessions.type_, "AWS::ElastiCache::ReplicationGroup");
    assert_eq!(sessions.properties["NumCacheClusters"], json!(1));
    assert_eq!(sessions.properties["AtRestEncryptionEnabled"], json!(true));
    assert_eq!(sessions.properties["TransitEncryptionEnabled"], json!(true));
    assert_eq!(
        sessions.properties["CacheParameterGroupName"],
        json!({"Ref": "SessionsParameterGroup"})
    );
    // Memcached 1.6.22 from Properties: a CacheCluster, encrypted in transit.
    let fragments = &t.resources["Fragments"];
    assert_eq!(fragments.type_, "AWS::ElastiCache::CacheCluster");
    assert_eq!(
        fragments.properties["TransitEncryptionEnabled"],
        json!(true)
    );
    assert_eq!(
        fragments.properties["VpcSecurityGroupIds"],
        json!([{"Fn::GetAtt": ["FragmentsSecurityGroup", "GroupId"]}])
    );
    // Each linked family is admitted on the engine port, and only there.
    let net = r.template("ServicesNetworking");
    let rule = &net.resources["WebToElasticacheSessions"].properties;
    assert_eq!(
        (rule["FromPort"].clone(), rule["ToPort"].clone()),
        (json!(6379), json!(6379))
    );
    let rule = &net.resources["WorkerToElasticacheFragments"].properties;
    assert_eq!(rule["FromPort"], json!(11211));
    // The looked-up cache's group and port are parameters.
    let rule = &net.resources["WorkerToElasticacheLegacy"].properties;
    assert_eq!(rule["GroupId"], json!({"Ref": "ElasticacheLegacyGroupId"}));
    assert_eq!(rule["FromPort"], json!({"Ref": "ElasticacheLegacyPort"}));
    assert_eq!(
        r.actions("worker", "ElasticacheLegacy"),
        [[
            "elasticache:DescribeCacheClusters",
            "elasticache:DescribeReplicationGroups"
        ]]
    );
    insta::assert_snapshot!(r.summary());
}

#[test]
fn the_kind_follows_the_properties() {
    let cluster = "services:\n  app:\n    image: nginx\nx-elasticache:\n  c:\n    Properties:\n      Engine: redis\n      CacheNodeType: cache.t3.micro\n      NumCacheNodes: 1\n";
    let r = emit(cluster);
    assert_eq!(
        r.template("elasticache").resources["C"].type_,
        "AWS::ElastiCache::CacheCluster"
    );
    // A Redis CacheCluster cannot be encrypted: made, with a warning at its engine.
    assert_eq!(
        r.diagnostics(),
        ["warning CX601 7:15 x-elasticache c: a Redis CacheCluster cannot be encrypted at rest or in transit (help: write ReplicationGroup properties (ReplicationGroupDescription, NumCacheClusters: 1), or MacroParameters only: composex then makes an encrypted one-node replication group)"]
    );
    let group = cluster.replace("      NumCacheNodes: 1\n", "      NumCacheClusters: 2\n      ReplicationGroupDescription: two nodes\n      AtRestEncryptionEnabled: false\n");
    let r = emit(&group);
    assert!(r.diagnostics().is_empty(), "{:?}", r.diagnostics());
    let c = &r.template("elasticache").resources["C"];
    assert_eq!(c.type_, "AWS::ElastiCache::ReplicationGroup");
    // The user's setting wins.
    assert_eq!(c.properties["AtRestEncryptionEnabled"], json!(false));
    assert_eq!(c.properties["TransitEncryptionEnabled"], json!(true));
}

#[test]
fn mistakes_are_located() {
    let text = "services:\n  app:\n    image: nginx\nx-elasticache:\n  mixed:\n    Properties:\n      Engine: redis\n      NumCacheNodes: 1\n      ReplicationGroupDescription: both\n  typo:\n    Properties:\n      Engine: redis\n      CacheNodeTyp: cache.t3.micro\n  engine:\n    MacroParameters:\n      Engine: mongo\n      EngineVersion: \"7\"\n  short:\n    MacroParameters:\n      Engine: redis\n  old:\n    Properties:\n      Engine: memcached\n      EngineVersion: 1.6.6\n      CacheNodeType: cache.t3.micro\n      NumCacheNodes: 1\n      CacheSubnetGroupName: mine\n    Services:\n      app:\n        access: RW\n        ReturnValues:\n          RedisEndpoint.Address: REDIS\n";
    let r = emit(text);
    insta::assert_snapshot!(r.diagnostics().join("\n"));
}

#[test]
fn readme_examples_render() {
    crate::modules::testing::assert_readme_examples_render(include_str!("README.md"));
}

#[test]
fn a_reference_to_a_value_the_kind_lacks_is_located() {
    let text = "services:\n  app:\n    image: nginx\nx-elasticache:\n  frag:\n    Properties:\n      Engine: memcached\n      CacheNodeType: cache.t3.micro\n      NumCacheNodes: 1\n    Services:\n      app: {}\nx-ssm_parameter:\n  p:\n    Properties:\n      Value: x-elasticache::frag::RedisEndpoint.Address\n  q:\n    Properties:\n      Value: x-elasticache::frag::ConfigurationEndpoint.Address\n";
    let r = emit(text);
    assert_eq!(
        r.diagnostics(),
        ["error CX365 15:14 `x-elasticache::frag::RedisEndpoint.Address`: a Memcached cluster offers no value `RedisEndpoint.Address` (help: it offers: ClusterName, Address, Port, GroupId, Arn, ConfigurationEndpoint.Address, ConfigurationEndpoint.Port)"]
    );
}
