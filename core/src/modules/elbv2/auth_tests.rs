//! Authentication in front of a listener rule: `AuthenticateCognitoConfig` (values written as
//! they are) and `AuthenticateOidcConfig`, on HTTPS listeners only.

use serde_json::json;

use super::codes::*;
use super::tests::{at, errors, file, lay, render};
use super::*;
use crate::Layout;

const FIXTURE: &str = include_str!("fixtures/cognito_auth.yml");

#[test]
fn cognito_authenticates_then_forwards() {
    let (stacks, _, diagnostics) = render(FIXTURE);
    // Only the notes that the public listener is the user's choice (CX540).
    assert!(
        diagnostics
            .iter()
            .all(|d| d.code == crate::stack::posture::USER_CHOICE),
        "{diagnostics:#?}"
    );
    let laid = lay(&stacks, Layout::Nested);
    let t = &file(&laid, STACK).template;
    let rule = &t.resources["PublicAlbListener443Rule1"].properties;
    assert_eq!(
        rule["Actions"],
        json!([
            {
                "Type": "authenticate-cognito",
                "Order": 1,
                "AuthenticateCognitoConfig": {
                    "UserPoolArn": "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEfGhI",
                    "UserPoolClientId": "1example23456789abcdefghij",
                    "UserPoolDomain": "my-app-auth",
                    "OnUnauthenticatedRequest": "authenticate",
                    "SessionTimeout": 3600,
                },
            },
            { "Type": "forward", "Order": 2, "TargetGroupArn": { "Ref": "PublicAlbTgAdminAdmin8080" } },
        ])
    );
    assert_eq!(
        rule["Conditions"][0]["PathPatternConfig"]["Values"],
        json!(["/admin", "/admin/*"])
    );
    // The catch-all target stays the listener's plain forward.
    let listener = &t.resources["PublicAlbListener443"].properties;
    assert_eq!(listener["DefaultActions"][0]["Type"], "forward");
}

#[test]
fn bad_authentication_gives_located_errors() {
    let cases: &[(&str, &str, &str, &str, &str)] = &[
        (
            "on a plain HTTP listener without certificates",
            "- Port: 443\n        Protocol: HTTPS\n        Certificates:\n          - CertificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555",
            "- Port: 443\n        Protocol: HTTP",
            PROTOCOL,
            "name: admin:admin",
        ),
        (
            "a reference to an undefined x-cognito_userpool pool",
            "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEfGhI",
            "x-cognito_userpool::pool",
            crate::modules::BAD_REFERENCE,
            "x-cognito_userpool::pool",
        ),
        (
            "a client id from a pool",
            "UserPoolClientId: 1example23456789abcdefghij",
            "UserPoolClientId: x-cognito_userpool::pool",
            crate::modules::elbv2::syntax::auth::POOL_VALUE,
            "x-cognito_userpool::pool",
        ),
        (
            "a misspelt key (left out with a warning; the required key is then missing)",
            "UserPoolDomain: my-app-auth",
            "UserPoolDomian: my-app-auth",
            SHAPE,
            "UserPoolArn",
        ),
        (
            "CreateCognitoClient of an undefined pool",
            "            AuthenticateCognitoConfig:",
            "            CreateCognitoClient: {UserPoolId: pool}\n            AuthenticateCognitoConfig:",
            crate::modules::BAD_REFERENCE,
            "pool",
        ),
        (
            "OIDC and Cognito on one target",
            "            AuthenticateCognitoConfig:",
            "            AuthenticateOidcConfig: {Issuer: \"https://idp.example.com\"}\n            AuthenticateCognitoConfig:",
            SHAPE,
            "AuthenticateCognitoConfig",
        ),
    ];
    for (what, from, to, code, located) in cases {
        assert!(FIXTURE.contains(from), "{what}");
        let text = FIXTURE.replacen(from, to, 1);
        let (_, _, diagnostics) = render(&text);
        let found = errors(&diagnostics);
        assert!(!found.is_empty(), "{what}: no error");
        assert_eq!(found[0].code, *code, "{what}: {found:#?}");
        // The misspelt key also leaves UserPoolDomain missing: that is said too.
        assert!(found.len() <= 2, "{what}: {found:#?}");
        let shown = at(&text, found[0]);
        assert!(shown.starts_with(located), "{what}: at `{shown}`");
    }
}

const COGNITO_CONFIG: &str = "            AuthenticateCognitoConfig:
              UserPoolArn: arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEfGhI
              UserPoolClientId: 1example23456789abcdefghij
              UserPoolDomain: my-app-auth
              OnUnauthenticatedRequest: authenticate
              SessionTimeout: 3600
";

/// The fixture with an OIDC provider in front of /admin, its client secret written as `secret`.
fn oidc(secret: &str, extra: &str) -> String {
    assert!(FIXTURE.contains(COGNITO_CONFIG));
    let config = format!(
        "            AuthenticateOidcConfig:
              Issuer: https://idp.example.com
              AuthorizationEndpoint: https://idp.example.com/authorize
              TokenEndpoint: https://idp.example.com/token
              UserInfoEndpoint: https://idp.example.com/userinfo
              ClientId: composex-admin
              ClientSecret: {secret}
{extra}"
    );
    FIXTURE.replacen(COGNITO_CONFIG, &config, 1)
}

fn oidc_action(output: &crate::Output) -> serde_json::Value {
    let elbv2 = super::tests::template_of(output, "elbv2.yaml");
    elbv2["Resources"]["PublicAlbListener443Rule1"]["Properties"]["Actions"][0].clone()
}

#[test]
fn a_literal_oidc_client_secret_is_never_written_out() {
    let text = oidc("s3cr3t-0f-the-1dp", "");
    let output = super::tests::render_all(&text, Layout::Nested);
    assert!(!output.files.is_empty(), "{:#?}", output.diagnostics);
    for file in &output.files {
        assert!(!file.text.contains("s3cr3t-0f-the-1dp"), "{}", file.path);
    }
    let warned: Vec<_> = output
        .diagnostics
        .iter()
        .filter(|d| d.code == super::cognito::CLIENT_SECRET)
        .collect();
    assert_eq!(warned.len(), 1, "{:#?}", output.diagnostics);
    assert_eq!(at(&text, warned[0]), "s3cr3t-0f-the-1dp");
    let parameter = "PublicAlbListener443AdminAdminOidcClientSecret";
    assert_eq!(
        oidc_action(&output)["AuthenticateOidcConfig"]["ClientSecret"],
        json!({ "Ref": parameter })
    );
    let elbv2 = super::tests::template_of(&output, "elbv2.yaml");
    assert_eq!(elbv2["Parameters"][parameter]["NoEcho"], true);
    let root = super::tests::template_of(&output, "test.yaml");
    assert_eq!(root["Parameters"][parameter]["NoEcho"], true);
}

#[test]
fn a_secrets_manager_reference_is_kept_and_unknown_keys_are_left_out() {
    let reference = "{{resolve:secretsmanager:idp-client:SecretString:secret}}";
    let text = oidc(
        &format!("\"{reference}\""),
        "              Scope: openid\n              SessionTimout: 60\n",
    );
    let output = super::tests::render_all(&text, Layout::Nested);
    let config = &oidc_action(&output)["AuthenticateOidcConfig"];
    assert_eq!(config["ClientSecret"], reference);
    assert_eq!(config["Scope"], "openid");
    assert!(config.get("SessionTimout").is_none());
    let notes: Vec<_> = output
        .diagnostics
        .iter()
        .filter(|d| d.code != crate::stack::posture::USER_CHOICE)
        .collect();
    assert_eq!(notes.len(), 1, "{notes:#?}");
    assert_eq!(notes[0].code, syntax::auth::UNKNOWN_AUTH_KEY);
    assert!(!notes[0].is_error());
    assert_eq!(at(&text, notes[0]), "SessionTimout");
    assert_eq!(
        notes[0].help.as_deref(),
        Some("did you mean `SessionTimeout`?")
    );
}

#[test]
fn an_http_listener_with_certificates_becomes_https_when_a_target_authenticates() {
    let text = FIXTURE.replacen(
        "- Port: 443\n        Protocol: HTTPS",
        "- Port: 443\n        Protocol: HTTP",
        1,
    );
    let output = super::tests::render_all(&text, Layout::Nested);
    let upgraded: Vec<_> = output
        .diagnostics
        .iter()
        .filter(|d| d.code == syntax::auth::HTTPS_UPGRADE)
        .collect();
    assert_eq!(upgraded.len(), 1, "{:#?}", output.diagnostics);
    assert_eq!(at(&text, upgraded[0]), "HTTP");
    let elbv2 = super::tests::template_of(&output, "elbv2.yaml");
    let listener = &elbv2["Resources"]["PublicAlbListener443"]["Properties"];
    assert_eq!(listener["Protocol"], "HTTPS");
    assert!(listener["Certificates"].is_array());
}
