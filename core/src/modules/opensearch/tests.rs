use crate::modules::testing::emit;

use super::{DESCRIBE, HTTP_RO, HTTP_RW};

const FIXTURE: &str = include_str!("fixtures/search.yml");

#[test]
fn domain_in_the_vpc_with_secure_defaults_and_links() {
    let r = emit(FIXTURE);
    assert_eq!(r.actions("api", "OpensearchSearch"), [HTTP_RO.to_vec()]);
    assert_eq!(
        r.actions("indexer", "OpensearchSearch"),
        [HTTP_RW.to_vec(), DESCRIBE.to_vec()]
    );
    let domain = &r.template("opensearch").resources["Search"].properties;
    assert_eq!(domain["EncryptionAtRestOptions"]["Enabled"], true);
    assert_eq!(domain["NodeToNodeEncryptionOptions"]["Enabled"], true);
    assert_eq!(domain["DomainEndpointOptions"]["EnforceHTTPS"], true);
    // Zone aware over two zones: two subnets.
    assert_eq!(
        domain["VPCOptions"]["SubnetIds"].as_array().map(Vec::len),
        Some(2)
    );
    insta::assert_snapshot!(r.summary());
}

#[test]
fn users_properties_win() {
    let r = emit(
        "x-opensearch:\n  d:\n    Properties:\n      DomainEndpointOptions:\n        TLSSecurityPolicy: Policy-Min-TLS-1-2-PFS-2023-10\n      EBSOptions: {EBSEnabled: true, VolumeSize: 50, VolumeType: gp3}\n      VPCOptions:\n        SubnetIds: [subnet-0123456789abcdef0]\n        SecurityGroupIds: [sg-0123456789abcdef0]\n",
    );
    let domain = &r.template("opensearch").resources["D"].properties;
    assert_eq!(
        domain["DomainEndpointOptions"]["TLSSecurityPolicy"],
        "Policy-Min-TLS-1-2-PFS-2023-10"
    );
    assert_eq!(domain["DomainEndpointOptions"]["EnforceHTTPS"], true);
    assert_eq!(domain["EBSOptions"]["VolumeSize"], 50);
    assert_eq!(
        domain["VPCOptions"]["SubnetIds"],
        serde_json::json!(["subnet-0123456789abcdef0"])
    );
    assert_eq!(
        domain["VPCOptions"]["SecurityGroupIds"][0],
        "sg-0123456789abcdef0"
    );
    assert_eq!(
        domain["VPCOptions"]["SecurityGroupIds"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    assert_eq!(r.diagnostics(), Vec::<String>::new());
}

#[test]
fn incompatible_settings_are_located() {
    let d = emit(
        "x-opensearch:\n  a:\n    MacroParameters:\n      CreateMasterUserRole: true\n      GenerateMasterUserSecret: true\n  b:\n    Properties:\n      ClusterConfig:\n        InstanceType: r6gd.large.search\n      EBSOptions:\n        EBSEnabled: true\n  c:\n    Properties:\n      EngineVersion: OpenSearch_0.1\n      ClusterConfig:\n        InstanceType: m6g.large.search\n  e:\n    Properties:\n      ClusterConfig:\n        InstanceType: m3.medium.search\n",
    )
    .diagnostics();
    assert_eq!(
        d,
        [
            "error CX620 5:33 x-opensearch a: a domain has one master user: CreateMasterUserRole and GenerateMasterUserSecret cannot both be true (help: keep CreateMasterUserRole (IAM) or GenerateMasterUserSecret (internal user database))",
            "error CX620 11:21 x-opensearch b: EBSOptions.EBSEnabled is true, but r6gd.large.search keeps data on its own disks and takes no EBS volume (help: remove EBSOptions (or choose an instance type without local storage))",
            "error CX620 14:22 x-opensearch c: EngineVersion OpenSearch_0.1 is not supported by m6g.large.search: m6g needs OpenSearch_1.0 or later (help: choose a newer EngineVersion or another instance type)",
            "warning CX621 20:23 x-opensearch e: this instance type cannot encrypt data at rest, so the domain is left unencrypted (help: choose a current instance type (m6g, r6g, c6g, ...) to get encryption at rest by default)",
        ]
    );
}

#[test]
fn engine_versions_compare_by_number() {
    use super::rules::engine_version;
    assert_eq!(
        engine_version("OpenSearch_2.11"),
        Some(("OpenSearch", (2, 11)))
    );
    assert!(
        engine_version("OpenSearch_2.11").unwrap().1 > engine_version("OpenSearch_2.9").unwrap().1
    );
    assert_eq!(engine_version("Solr_1.0"), None);
    assert_eq!(engine_version("OpenSearch_2"), None);
}

#[test]
fn use_is_refused_at_its_key() {
    let d = emit("x-opensearch:\n  d:\n    Use: arn:aws:es:eu-west-1:123456789012:domain/logs\n")
        .diagnostics();
    assert_eq!(
        d,
        ["error CX361 3:5 x-opensearch d: Use is not supported (help: name the existing domain with Lookup: {Arn: arn:aws:es:<region>:<account>:domain/<name>})"]
    );
}
