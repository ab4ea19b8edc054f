use crate::modules::testing::emit;

use super::RO;

const FIXTURE: &str = include_str!("fixtures/catalog.yml");

#[test]
fn cluster_instances_secret_and_links() {
    assert_eq!(RO, ["rds:DescribeDBClusters", "rds:ListTagsForResource"]);
    let r = emit(FIXTURE);
    assert_eq!(r.actions("api", "DocdbCatalog"), [RO.to_vec()]);
    insta::assert_snapshot!(r.summary());
}

#[test]
fn bad_input_is_located() {
    let d = emit(
        "x-docdb:\n  a:\n    Properties:\n      Engine: docdb\n      StorageEncrypted: false\n",
    )
    .diagnostics();
    assert_eq!(
        d,
        [
            "error CX362 4:7 x-docdb a: AWS::DocDB::DBCluster has no property `Engine`",
            "error CX361 5:25 x-docdb a: storage is always encrypted (help: remove StorageEncrypted: false (set KmsKeyId to use your own key))",
        ]
    );
}
