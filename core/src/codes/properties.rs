//! CX500-CX529: x-resource `Properties` checked against the CloudFormation resource schemas.

use super::short::{ERROR, WARNING};
use super::{CodeInfo, Example};

pub(super) const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "CX500",
        severities: ERROR,
        title: "property value of the wrong kind",
        explanation:
            "A value under an x-resource's `Properties` is not of the kind the CloudFormation \
resource schema gives the property: a word where a number goes, a scalar where a list or a mapping \
goes. CloudFormation converts scalars the way it converts them itself: a quoted number is a \
number, a number is a string, `\"true\"` is a boolean; intrinsic functions (`Ref`, `Fn::*`) and \
`x-<module>::<name>` references stand for any value.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
x-sqs:
  jobs:
    Properties:
      DelaySeconds: soon
"#,
            fixed: r#"services:
  app:
    image: nginx
x-sqs:
  jobs:
    Properties:
      DelaySeconds: 30
"#,
        },
    },
    CodeInfo {
        code: "CX501",
        severities: ERROR,
        title: "property value is not one of the allowed values",
        explanation: "The CloudFormation resource schema lists the values the property takes and \
this is not one of them (values are compared as written, case included). The help lists the \
allowed values, the closest first.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
x-dynamodb:
  table:
    Properties:
      BillingMode: PAY_PER_REQUESTS
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      KeySchema:
        - AttributeName: id
          KeyType: HASH
"#,
            fixed: r#"services:
  app:
    image: nginx
x-dynamodb:
  table:
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      KeySchema:
        - AttributeName: id
          KeyType: HASH
"#,
        },
    },
    CodeInfo {
        code: "CX502",
        severities: ERROR,
        title: "required property missing",
        explanation: "The CloudFormation resource schema requires this property, at the top of \
`Properties` or in a nested object (each entry of `AttributeDefinitions` needs `AttributeName` \
and `AttributeType`). Properties composex writes itself are not asked for.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
x-dynamodb:
  table:
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: id
      KeySchema:
        - AttributeName: id
          KeyType: HASH
"#,
            fixed: r#"services:
  app:
    image: nginx
x-dynamodb:
  table:
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      KeySchema:
        - AttributeName: id
          KeyType: HASH
"#,
        },
    },
    CodeInfo {
        code: "CX503",
        severities: ERROR,
        title: "property value does not have the required form",
        explanation: "The value does not match the form the CloudFormation resource schema gives \
the property: a KMS key must be a key ARN, a key id or an alias (`alias/aws/s3`, not `aws/s3`), \
and simple patterns of names and identifiers are checked as CloudFormation checks them.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
x-s3:
  bucket:
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
              KMSMasterKeyID: aws/s3
"#,
            fixed: r#"services:
  app:
    image: nginx
x-s3:
  bucket:
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
              KMSMasterKeyID: alias/aws/s3
"#,
        },
    },
    CodeInfo {
        code: "CX504",
        severities: ERROR,
        title: "property value out of range",
        explanation: "A number outside the range the CloudFormation resource schema allows, or a \
string or list shorter or longer than it allows.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
x-sqs:
  jobs:
    Properties:
      DelaySeconds: 1000
"#,
            fixed: r#"services:
  app:
    image: nginx
x-sqs:
  jobs:
    Properties:
      DelaySeconds: 900
"#,
        },
    },
    CodeInfo {
        code: "CX505",
        severities: WARNING,
        title: "deprecated or legacy property",
        explanation: "The CloudFormation resource schema marks the property deprecated, or its \
documentation calls it a legacy property (an S3 bucket's `AccessControl`: ACLs are disabled on new \
buckets, a bucket policy says who may do what). It still deploys today.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
x-s3:
  bucket:
    Properties:
      AccessControl: Private
"#,
            fixed: r#"services:
  app:
    image: nginx
x-s3:
  bucket:
    Properties:
      VersioningConfiguration:
        Status: Enabled
"#,
        },
    },
    CodeInfo {
        code: "CX506",
        severities: ERROR,
        title: "instance class or node type offered in no region",
        explanation: "The `DBInstanceClass` of an RDS, DocumentDB or Neptune instance (for RDS: \
of its engine; the instances of an Aurora cluster take the cluster's), the `DBClusterInstanceClass` \
of a Multi-AZ DB cluster, an ElastiCache cluster's `CacheNodeType` or an OpenSearch domain's \
`ClusterConfig.InstanceType` is none the service offers in any AWS region, so the stack would \
fail when the resource is created. The list is the union over every region of the pinned \
cfn-lint's data; whether your region has the class is left to cfn-lint. The help lists the \
closest names offered.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
x-rds:
  db:
    MacroParameters:
      Engine: aurora-postgresql
      EngineVersion: "14.6"
      Instances:
        - DBInstanceClass: db.m5a.large
"#,
            fixed: r#"services:
  app:
    image: nginx
x-rds:
  db:
    MacroParameters:
      Engine: aurora-postgresql
      EngineVersion: "14.6"
      Instances:
        - DBInstanceClass: db.r6g.large
"#,
        },
    },
];
