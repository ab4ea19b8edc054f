use crate::modules::testing::emit;

use super::{CONNECT, DESCRIBE};

const FIXTURE: &str = include_str!("fixtures/graph.yml");

#[test]
fn cluster_instances_ingress_and_iam_connect() {
    let r = emit(FIXTURE);
    assert_eq!(
        r.actions("api", "NeptuneGraph"),
        [DESCRIBE.to_vec(), CONNECT.to_vec()]
    );
    assert_eq!(r.actions("worker", "NeptuneGraph"), [CONNECT.to_vec()]);
    let neptune = r.template("neptune");
    let cluster = &neptune.resources["Graph"].properties;
    assert_eq!(cluster["IamAuthEnabled"], true);
    assert_eq!(cluster["StorageEncrypted"], true);
    assert_eq!(cluster["DBPort"], 8182);
    insta::assert_snapshot!(r.summary());
}

#[test]
fn users_properties_win() {
    let r = emit(
        "services:\n  a:\n    image: x\nx-neptune:\n  g:\n    Properties:\n      IamAuthEnabled: false\n      DBPort: 8183\n    Services:\n      a:\n        Access:\n          DBCluster: RO\n",
    );
    let cluster = &r.template("neptune").resources["G"].properties;
    assert_eq!(cluster["IamAuthEnabled"], false);
    let ingress = &r.template("ServicesNetworking").resources["AToNeptuneG"].properties;
    assert_eq!(ingress["FromPort"], 8183);
    assert_eq!(r.diagnostics(), Vec::<String>::new());
}

#[test]
fn bad_input_is_located() {
    let d = emit(
        "services:\n  a:\n    image: x\nx-neptune:\n  g:\n    Properties:\n      Engine: neptune\n      VpcSecurityGroupIds: [sg-1]\n    Settings:\n      Subnets: PublicSubnets\n    Services:\n      a:\n        Access:\n          NeptuneDB: RW\n          Graph: RO\n",
    )
    .diagnostics();
    assert!(d[0].starts_with(
        "error CX362 7:7 x-neptune g: AWS::Neptune::DBCluster has no property `Engine` (help: its properties: "
    ));
    assert_eq!(
        d[1..],
        [
            "warning CX372 8:7 x-neptune g: VpcSecurityGroupIds is ignored (help: composex sets it: the cluster's own subnet group and security group)",
            "error CX361 10:16 x-neptune g: Settings.Subnets is StorageSubnets or AppSubnets, not `PublicSubnets` (help: a data store is never placed in the public subnets)",
            "error CX364 14:22 x-neptune: no access level `RW` (help: levels: connect)",
        ]
    );
}
