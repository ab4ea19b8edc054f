//! CX600-CX619: x-elasticache, x-kinesis, x-kinesis_firehose, x-ssm_parameter.

use super::short::{ERROR, WARNING};
use super::{CodeInfo, Example};

pub(super) const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "CX600",
        severities: ERROR,
        title: "x-elasticache settings that make no cluster",
        explanation: "An x-elasticache cache is a CacheCluster when all its `Properties` are a \
CacheCluster's, else a ReplicationGroup when all are a ReplicationGroup's (ComposeX decides so \
too); properties of both kinds mixed make neither. Without `Properties`, `MacroParameters` must \
give `Engine` and `EngineVersion`. The engine is `redis`, `valkey` or `memcached`, and a \
replication group runs Redis or Valkey only.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
x-elasticache:
  cache:
    MacroParameters:
      Engine: mongo
      EngineVersion: "7.0"
    Services:
      app: {}
"#,
            fixed: r#"services:
  app:
    image: nginx
x-elasticache:
  cache:
    MacroParameters:
      Engine: redis
      EngineVersion: "7.1"
    Services:
      app: {}
"#,
        },
    },
    CodeInfo {
        code: "CX601",
        severities: WARNING,
        title: "ElastiCache cluster without encryption",
        explanation: "composex encrypts caches where the engine can: replication groups at rest \
and in transit, Memcached clusters in transit from version 1.6.12. A Redis CacheCluster (written \
with CacheCluster properties such as `NumCacheNodes`) cannot be encrypted, and Memcached before \
1.6.12 has no in-transit encryption: the cache is made, with this warning. Write ReplicationGroup \
properties (or `MacroParameters` only: composex then makes an encrypted one-node replication \
group), or a newer Memcached.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
x-elasticache:
  cache:
    Properties:
      Engine: memcached
      EngineVersion: 1.6.6
      CacheNodeType: cache.t3.small
      NumCacheNodes: 1
    Services:
      app: {}
"#,
            fixed: r#"services:
  app:
    image: nginx
x-elasticache:
  cache:
    Properties:
      Engine: memcached
      EngineVersion: 1.6.22
      CacheNodeType: cache.t3.small
      NumCacheNodes: 1
    Services:
      app: {}
"#,
        },
    },
    CodeInfo {
        code: "CX602",
        severities: ERROR,
        title: "SSM parameter value that cannot be made",
        explanation: "An x-ssm_parameter needs a value: `Properties.Value`, or the text of the \
file `MacroParameters.FromFile` names (relative to the first compose file's directory; ComposeX \
read it relative to the working directory; a file that is not there is CX260). With `ValidateJson` or `ValidateYaml` the text must \
parse (`IgnoreInvalidJson` / `IgnoreInvalidYaml` store it as it is); the error points at the \
line of the file that does not. CloudFormation cannot create a `SecureString`, and a Standard \
parameter holds 4 KB (Advanced: 8 KB).",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
x-ssm_parameter:
  settings:
    MacroParameters:
      FromFile: settings.json
      ValidateJson: true
    Services:
      app:
        Access: RO
# other file: settings.json
{"page_size": 20,}
"#,
            fixed: r#"services:
  app:
    image: nginx
x-ssm_parameter:
  settings:
    MacroParameters:
      FromFile: settings.json
      ValidateJson: true
    Services:
      app:
        Access: RO
# other file: settings.json
{"page_size": 20}
"#,
        },
    },
];
