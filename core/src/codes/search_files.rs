//! CX620-CX639: x-opensearch, x-neptune and x-efs.

use super::short::{ERROR, ERROR_OR_WARNING, WARNING};
use super::{CodeInfo, Example};

pub(super) const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "CX620",
        severities: ERROR,
        title: "OpenSearch domain settings that AWS refuses together",
        explanation: "An x-opensearch domain combines settings OpenSearch Service rejects when the stack \
is deployed: an `EngineVersion` older than its instance family supports (Graviton m6g, r6g, c6g \
need OpenSearch 1.0 or Elasticsearch 7.9), EBS storage on instances with local disks (r6gd, i3), \
encryption at rest or fine-grained access control on old instance types (m3, r3, t2, t3), Graviton \
and x86 node types in one domain, a master IAM role and a generated master user at once \
(`CreateMasterUserRole` and `GenerateMasterUserSecret`), fine-grained access control with \
encryption or HTTPS turned off, or `AUDIT_LOGS` without fine-grained access control. The error is \
at the setting to change.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
x-opensearch:
  search:
    Properties:
      ClusterConfig:
        InstanceType: r6gd.large.search
      EBSOptions:
        EBSEnabled: true
        VolumeSize: 10
"#,
            fixed: r#"services:
  app:
    image: nginx
x-opensearch:
  search:
    Properties:
      ClusterConfig:
        InstanceType: r6gd.large.search
"#,
        },
    },
    CodeInfo {
        code: "CX621",
        severities: WARNING,
        title: "OpenSearch instance type that cannot encrypt at rest",
        explanation: "composex encrypts every OpenSearch domain at rest unless its instance type cannot: the \
previous-generation m3, r3, t2 and t3 instances do not support encryption at rest, so the domain \
is rendered without it and this warning says so. Choose a current instance type (m6g, r6g, c6g, \
...) to get the encrypted default.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
x-opensearch:
  search:
    Properties:
      ClusterConfig:
        InstanceType: t3.small.search
"#,
            fixed: r#"services:
  app:
    image: nginx
x-opensearch:
  search:
    Properties:
      ClusterConfig:
        InstanceType: m6g.large.search
"#,
        },
    },
    CodeInfo {
        code: "CX622",
        severities: ERROR_OR_WARNING,
        title: "x-efs setting of a volume is malformed or ignored",
        explanation: "`x-efs` under a named volume takes `Properties` (AWS::EFS::FileSystem properties), \
`MacroParameters` (`EnforceIamAuth: true|false`, `RootDirectoryCreateMode: \"0775\"`), `Settings` \
(`Subnets: AppSubnets|StorageSubnets`) and `Lookup` (`Identifier: fs-...` or `Arn`). An unknown key or \
property, or a value of the wrong kind, is an error at it. A setting that has no effect is a \
warning: `Properties` or `EnforceIamAuth` with `Lookup` (composex does not change a file system \
it did not create), `RootDirectoryCreateMode` without a root directory to create.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    volumes: [data:/data]
volumes:
  data:
    x-efs:
      MacroParameters:
        EnforceIamAuth: yes-please
"#,
            fixed: r#"services:
  app:
    image: nginx
    volumes: [data:/data]
volumes:
  data:
    x-efs:
      MacroParameters:
        EnforceIamAuth: true
"#,
        },
    },
];
