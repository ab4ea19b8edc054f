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
