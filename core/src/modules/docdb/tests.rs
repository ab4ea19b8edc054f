use crate::modules::testing::emit;

use super::RO;

const FIXTURE: &str = "services:
  api:
    image: x
x-docdb:
  catalog:
    MacroParameters:
      DBClusterParameterGroup:
        Family: docdb5.0
        Parameters:
          tls: enabled
      Instances:
        - DBInstanceClass: db.r6g.large
          DBAllocatedStorage: 50
    Properties:
      EngineVersion: 5.0.0
      MasterUserPassword: secret
    Services:
      api:
        Access:
          DBCluster: RO
        SecretsMappings:
          Mappings:
            - SecretKey: host
              VarName: DB_HOST
";

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
