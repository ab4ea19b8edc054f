//! CX630-CX639: x-cognito_userpool, and authentication on x-elbv2 listeners.

use super::short::{ERROR, WARNING};
use super::{CodeInfo, Example};

pub(super) const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "CX630",
        severities: WARNING,
        title: "Key an authentication config does not have",
        explanation: "`AuthenticateCognitoConfig` and `AuthenticateOidcConfig` under an x-elbv2 listener target are \
the CloudFormation listener action configs. A key they do not have (a typo, a stray quote) is left \
out of the template with this warning, at the key, as ECS ComposeX drops it silently; the action \
then uses AWS's default for what the key meant to set.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  front:
    Properties: {Type: application}
    Listeners:
      443:
        Protocol: HTTPS
        Certificates: [{CertificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"}]
        Targets:
          - name: app:app
            access: /
            AuthenticateOidcConfig: {Issuer: "https://idp.example.com", AuthorizationEndpoint: "https://idp.example.com/auth", TokenEndpoint: "https://idp.example.com/token", UserInfoEndpoint: "https://idp.example.com/userinfo", ClientId: app, ClientSecret: "{{resolve:secretsmanager:oidc:SecretString:secret}}", SessionTimout: 3600}
    Services:
      app:app: {port: 80, protocol: HTTP, healthcheck: "80:HTTP:/:200"}
"#,
            fixed: r#"services:
  app:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  front:
    Properties: {Type: application}
    Listeners:
      443:
        Protocol: HTTPS
        Certificates: [{CertificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"}]
        Targets:
          - name: app:app
            access: /
            AuthenticateOidcConfig: {Issuer: "https://idp.example.com", AuthorizationEndpoint: "https://idp.example.com/auth", TokenEndpoint: "https://idp.example.com/token", UserInfoEndpoint: "https://idp.example.com/userinfo", ClientId: app, ClientSecret: "{{resolve:secretsmanager:oidc:SecretString:secret}}", SessionTimeout: 3600}
    Services:
      app:app: {port: 80, protocol: HTTP, healthcheck: "80:HTTP:/:200"}
"#,
        },
    },
    CodeInfo {
        code: "CX631",
        severities: WARNING,
        title: "OIDC client secret written in the compose file",
        explanation: "An `AuthenticateOidcConfig` `ClientSecret` written as a literal is never copied into a template \
or a parameter file: the listener rule reads it from a `NoEcho` stack parameter (named in the \
message), which you pass at deploy time. Write a Secrets Manager dynamic reference \
(`\"{{resolve:secretsmanager:<secret>:SecretString:<key>}}\"`) instead and CloudFormation reads the \
secret itself at deploy time; nothing is left to pass.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  front:
    Properties: {Type: application}
    Listeners:
      443:
        Protocol: HTTPS
        Certificates: [{CertificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"}]
        Targets:
          - name: app:app
            access: /
            AuthenticateOidcConfig: {Issuer: "https://idp.example.com", AuthorizationEndpoint: "https://idp.example.com/auth", TokenEndpoint: "https://idp.example.com/token", UserInfoEndpoint: "https://idp.example.com/userinfo", ClientId: app, ClientSecret: s3cr3t-written-here}
    Services:
      app:app: {port: 80, protocol: HTTP, healthcheck: "80:HTTP:/:200"}
"#,
            fixed: r#"services:
  app:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  front:
    Properties: {Type: application}
    Listeners:
      443:
        Protocol: HTTPS
        Certificates: [{CertificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"}]
        Targets:
          - name: app:app
            access: /
            AuthenticateOidcConfig: {Issuer: "https://idp.example.com", AuthorizationEndpoint: "https://idp.example.com/auth", TokenEndpoint: "https://idp.example.com/token", UserInfoEndpoint: "https://idp.example.com/userinfo", ClientId: app, ClientSecret: "{{resolve:secretsmanager:oidc:SecretString:secret}}"}
    Services:
      app:app: {port: 80, protocol: HTTP, healthcheck: "80:HTTP:/:200"}
"#,
        },
    },
    CodeInfo {
        code: "CX632",
        severities: WARNING,
        title: "HTTP listener with certificates becomes HTTPS for authentication",
        explanation: "Load balancers authenticate users (Cognito or OIDC) on HTTPS listeners only. A listener written \
`Protocol: HTTP` that has `Certificates` and a target that authenticates becomes HTTPS, as ECS \
ComposeX makes it, with this warning at `Protocol`. Write `Protocol: HTTPS` to say so. Without \
certificates the listener cannot become HTTPS and authentication on it is an error (CX353).",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  front:
    Properties: {Type: application}
    Listeners:
      443:
        Protocol: HTTP
        Certificates: [{CertificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"}]
        Targets:
          - name: app:app
            access: /
            AuthenticateCognitoConfig: {UserPoolArn: "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEfGhI", UserPoolClientId: 1example23456789abcdefghij, UserPoolDomain: sign-in}
    Services:
      app:app: {port: 80, protocol: HTTP, healthcheck: "80:HTTP:/:200"}
"#,
            fixed: r#"services:
  app:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  front:
    Properties: {Type: application}
    Listeners:
      443:
        Protocol: HTTPS
        Certificates: [{CertificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"}]
        Targets:
          - name: app:app
            access: /
            AuthenticateCognitoConfig: {UserPoolArn: "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEfGhI", UserPoolClientId: 1example23456789abcdefghij, UserPoolDomain: sign-in}
    Services:
      app:app: {port: 80, protocol: HTTP, healthcheck: "80:HTTP:/:200"}
"#,
        },
    },
    CodeInfo {
        code: "CX633",
        severities: ERROR,
        title: "Cognito value that cannot come from where it is written",
        explanation: "In an x-elbv2 `AuthenticateCognitoConfig`, `UserPoolArn` and `UserPoolDomain` may name an \
x-cognito_userpool pool (`x-cognito_userpool::<pool>`, or ComposeX's `x-cognito::<pool>`); a \
reference to another module is an error, and so is `UserPoolClientId` naming a pool: an app \
client id is written as it is, or made by `CreateCognitoClient`. `CreateCognitoClient` beside an \
`AuthenticateOidcConfig` is an error too: a Cognito app client is of no use to an OIDC provider. \
When `UserPoolDomain` is not written it is the pool's domain: a new pool without \
`Settings: {Domain: <prefix>}` has none, which is an error at the pool reference.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  front:
    Properties: {Type: application}
    Listeners:
      443:
        Protocol: HTTPS
        Certificates: [{CertificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"}]
        Targets:
          - name: app:app
            access: /
            AuthenticateCognitoConfig: {UserPoolArn: "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEfGhI", UserPoolClientId: x-cognito_userpool::staff, UserPoolDomain: sign-in}
    Services:
      app:app: {port: 80, protocol: HTTP, healthcheck: "80:HTTP:/:200"}
x-cognito_userpool:
  staff:
    Lookup: {Arn: "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEfGhI"}
"#,
            fixed: r#"services:
  app:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  front:
    Properties: {Type: application}
    Listeners:
      443:
        Protocol: HTTPS
        Certificates: [{CertificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"}]
        Targets:
          - name: app:app
            access: /
            AuthenticateCognitoConfig: {UserPoolArn: "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEfGhI", UserPoolClientId: 1example23456789abcdefghij, UserPoolDomain: sign-in}
    Services:
      app:app: {port: 80, protocol: HTTP, healthcheck: "80:HTTP:/:200"}
x-cognito_userpool:
  staff:
    Lookup: {Arn: "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEfGhI"}
"#,
        },
    },
];
