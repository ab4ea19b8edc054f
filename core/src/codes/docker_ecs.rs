//! CX680-CX687: the keys of Docker's ECS integration (`x-aws-*`) and its CloudFormation overlay.

use super::short::{ERROR, ERROR_OR_WARNING, WARNING};
use super::{CodeInfo, Example};

pub(super) const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "CX680",
        severities: ERROR,
        title: "x-aws key that composex does another way",
        explanation: "Docker's ECS integration (`docker compose up` in an ecs context, retired in \
2023) read a few `x-aws-*` keys whose effect composex gives another way. Such a key is refused at \
the key, and the help names the equivalent. `x-aws-keys` on a secret made Docker's sidecar \
container write each key of a JSON secret to its own file under `/run/secrets/<secret>/`; \
composex runs no sidecar and gives each key to the containers as an environment variable with \
the secret's `x-secrets.JsonKeys`.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    secrets: [db]
secrets:
  db:
    name: arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf
    external: true
    x-aws-keys: ["*"]
"#,
            fixed: r#"services:
  app:
    image: nginx
    secrets: [db]
secrets:
  db:
    x-secrets:
      Name: arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf
      JsonKeys:
        - SecretKey: username
          VarName: DB_USER
        - SecretKey: password
          VarName: DB_PASSWORD
"#,
        },
    },
    CodeInfo {
        code: "CX681",
        severities: ERROR,
        title: "x-aws-vpc is not a VPC id, or is given with x-vpc",
        explanation: "`x-aws-vpc` (Docker's ECS integration) deploys into an existing VPC: its \
value is the VPC's id (`vpc-...`). composex makes the same root parameters as \
`x-vpc: {Lookup: ...}`: `VpcId` is filled from the key, the subnet groups the project uses \
(`AppSubnets`, `PublicSubnets`, ...) are left to fill at deploy time with a warning (CX338), since \
composex does not call AWS to list them. Something else than a VPC id is an error, and so is \
`x-aws-vpc` next to `x-vpc` (both choose the VPC).",
        example: Example::Compose {
            bad: r#"x-aws-vpc: my-vpc
services:
  app:
    image: nginx
"#,
            fixed: r#"x-aws-vpc: vpc-0123456789abcdef0
services:
  app:
    image: nginx
"#,
        },
    },
    CodeInfo {
        code: "CX682",
        severities: ERROR_OR_WARNING,
        title: "x-aws-loadbalancer cannot be used as written",
        explanation: "`x-aws-loadbalancer` (Docker's ECS integration) puts the published ports \
on an existing load balancer instead of a new one: composex makes the listeners and target \
groups, and takes the load balancer's ARN and its security group as root parameters. The value \
must be the ARN of an application or network load balancer: composex does not call AWS, so a \
name cannot be looked up. An application load balancer needs every published port to be HTTP. \
With `x-elbv2` it is an error (both describe the load balancer). It is a warning when no port is \
published or the project's load balancer is turned off (the key does nothing), and when the \
security group parameter is left to fill at deploy time.",
        example: Example::Compose {
            bad: r#"x-aws-loadbalancer: shop-lb
services:
  app:
    image: nginx
    ports: ["80:80"]
"#,
            fixed: r#"# composex render --param ExistingLoadBalancerSecurityGroupId=sg-0123456789abcdef0
x-aws-loadbalancer: arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/shop-lb/0123456789abcdef
services:
  app:
    image: nginx
    ports: ["80:80"]
"#,
        },
    },
    CodeInfo {
        code: "CX683",
        severities: ERROR,
        title: "x-aws-protocol or x-aws-certificate on a port is malformed",
        explanation: "Docker's ECS integration read two keys on a long-form port. \
`x-aws-protocol: http` (or `https`) marks the port as HTTP, as `app_protocol: http` does, so \
the project's load balancer is an application load balancer; `tcp` and `udp` are accepted too. \
`x-aws-certificate` is the ARN of an ACM certificate: the listener terminates TLS with it \
(HTTPS on an application load balancer, TLS on a network one) under a TLS 1.2+ policy. Another \
protocol, or a certificate that is not an ACM ARN, is an error; to create a certificate describe \
the load balancer with `x-elbv2` and `x-acm`.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    ports:
      - target: 80
        published: 443
        x-aws-certificate: my-certificate
"#,
            fixed: r#"services:
  app:
    image: nginx
    ports:
      - target: 80
        published: 443
        x-aws-certificate: arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0
"#,
        },
    },
    CodeInfo {
        code: "CX684",
        severities: ERROR,
        title: "x-aws-securitygroup is not a security group id",
        explanation: "`x-aws-securitygroup` on a top-level network (Docker's ECS integration) \
makes the network an existing security group: every task on the network joins it, and the \
tasks with ports let it in on those ports. composex does not change the group itself. The value \
is the group's id (`sg-...`), written into the parameter files; anything else is an error.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    networks: [backend]
networks:
  backend:
    x-aws-securitygroup: database-clients
"#,
            fixed: r#"services:
  app:
    image: nginx
    networks: [backend]
networks:
  backend:
    x-aws-securitygroup: sg-0123456789abcdef0
"#,
        },
    },
    CodeInfo {
        code: "CX685",
        severities: ERROR,
        title: "x-aws-cloudformation cannot be merged as written",
        explanation: "`x-aws-cloudformation` is a CloudFormation fragment merged into the \
generated templates (Docker's ECS integration had it; composex merges it in both layouts). It \
takes `Resources` (keys `Type`, `Properties`, `DependsOn`, `Condition`, `DeletionPolicy`, \
`UpdateReplacePolicy`, `Metadata`), `Outputs` (`Value`, `Description`, `Export`, `Condition`), \
`Conditions`, `Mappings`, `Metadata` and `Description`. Mappings merge key by key, lists and \
values replace, `null` removes a key (JSON Merge Patch). This code is given for a section it does \
not take (stack parameters are filled with `--param` or in the parameter files), a value of the \
wrong shape, a `Type` that changes a resource's type, and, in the nested layout, a `Ref` or \
`Fn::GetAtt` to a resource of another nested stack.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
x-aws-cloudformation:
  Parameters:
    AppImageUrl:
      Default: nginx:1.27
"#,
            fixed: r#"# composex render --param AppImageUrl=nginx:1.27
services:
  app:
    image: nginx
"#,
        },
    },
    CodeInfo {
        code: "CX686",
        severities: ERROR,
        title: "x-aws-cloudformation names a resource or output the templates do not have",
        explanation: "The overlay names resources by their logical ids in the single layout \
(`composex render --single`): `AppService`, `AppTaskDefinition`, ... In the nested layout it \
finds the stack that holds each one, so one overlay serves both layouts. A name that matches no \
resource, and gives no `Type` to add a new one, is an error at the name, with the closest real id \
when there is one. Outputs are the root template's; a new one needs a `Value`.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
x-aws-cloudformation:
  Resources:
    AppServce:
      Properties:
        HealthCheckGracePeriodSeconds: 60
"#,
            fixed: r#"services:
  app:
    image: nginx
x-aws-cloudformation:
  Resources:
    AppService:
      Properties:
        HealthCheckGracePeriodSeconds: 60
"#,
        },
    },
    CodeInfo {
        code: "CX687",
        severities: WARNING,
        title: "x-aws key unknown where it is written",
        explanation: "Docker's ECS integration read `x-aws-*` keys at a few places: \
`x-aws-protocol` and `x-aws-certificate` on a long-form port, `x-aws-securitygroup` on a \
network, `x-aws-keys` on a secret, `x-aws-autoscaling` under `deploy`, `x-aws-min_percent` and \
`x-aws-max_percent` under `deploy.update_config`. Another `x-aws-*` key at one of these places \
(often a misspelling) does nothing: it is ignored with this warning, and the help names the \
closest key that is read there.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    ports:
      - target: 8080
        published: 80
        x-aws-protcol: http
"#,
            fixed: r#"services:
  app:
    image: nginx
    ports:
      - target: 8080
        published: 80
        x-aws-protocol: http
"#,
        },
    },
];
