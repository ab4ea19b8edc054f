use serde_json::json;

use super::*;
use crate::modules::elbv2::tests::{render_all, template_of};
use crate::modules::testing::emit;
use crate::Layout;

const FIXTURE: &str = include_str!("fixtures/user_pools.yml");
const POOL_ARN: &str = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEfGhI";

#[test]
fn new_pool_gets_secure_defaults_a_domain_and_env_vars() {
    let r = emit(FIXTURE);
    assert!(r.error_codes().is_empty(), "{:?}", r.diagnostics());
    let cognito = r.template("cognito");
    let pool = &cognito.resources["Staff"];
    assert_eq!(pool.type_, "AWS::Cognito::UserPool");
    assert_eq!(pool.properties["UserPoolName"], "staff");
    assert_eq!(
        pool.properties["AdminCreateUserConfig"],
        json!({"AllowAdminCreateUserOnly": true})
    );
    assert_eq!(
        pool.properties["Policies"]["PasswordPolicy"]["MinimumLength"],
        14
    );
    assert_eq!(pool.properties["DeletionProtection"], "ACTIVE");
    let domain = &cognito.resources["StaffDomain"];
    assert_eq!(domain.type_, "AWS::Cognito::UserPoolDomain");
    assert_eq!(
        serde_json::Value::Object(domain.properties.clone()),
        json!({"Domain": "example-staff-sign-in", "UserPoolId": {"Ref": "Staff"}})
    );
    insta::assert_snapshot!(r.summary());
}

#[test]
fn users_properties_win_over_the_defaults() {
    let text = "services:\n  app:\n    image: nginx\nx-cognito_userpool:\n  pool:\n    Properties:\n      AdminCreateUserConfig: {AllowAdminCreateUserOnly: false}\n      DeletionProtection: INACTIVE\n";
    let r = emit(text);
    assert!(r.error_codes().is_empty(), "{:?}", r.diagnostics());
    let pool = &r.template("cognito").resources["Pool"];
    assert_eq!(
        pool.properties["AdminCreateUserConfig"],
        json!({"AllowAdminCreateUserOnly": false})
    );
    assert_eq!(pool.properties["DeletionProtection"], "INACTIVE");
    // The defaults the user did not override stay.
    assert!(pool.properties.get("Policies").is_some());
}

#[test]
fn a_looked_up_pools_values_follow_from_its_arn() {
    let values = lookup_values(Some(POOL_ARN), None);
    assert_eq!(
        values,
        vec![
            ("UserPoolId", "eu-west-1_AbCdEfGhI".to_string()),
            ("Arn", POOL_ARN.to_string()),
            (
                "ProviderURL",
                "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEfGhI".to_string()
            ),
            (
                "ProviderName",
                "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEfGhI".to_string()
            ),
        ]
    );
    assert_eq!(
        lookup_values(None, Some("eu-west-1_X")),
        vec![("UserPoolId", "eu-west-1_X".to_string())]
    );
    let text = format!("services:\n  app:\n    image: nginx\nx-cognito_userpool:\n  users:\n    Lookup: {{Arn: \"{POOL_ARN}\"}}\n    Services:\n      app:\n        ReturnValues: {{ProviderURL: ISSUER}}\n");
    let r = emit(&text);
    assert!(r.diagnostics().is_empty(), "{:?}", r.diagnostics());
    assert!(r.stacks.get("cognito").is_none(), "nothing is created");
    assert_eq!(
        r.stacks.known_values["CognitoUsersProviderURL"],
        "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEfGhI"
    );
    assert_eq!(
        r.stacks.known_values["CognitoUsersUserPoolId"],
        "eu-west-1_AbCdEfGhI"
    );
}

#[test]
fn access_levels_and_bad_domains_are_located_errors() {
    let text = "services:\n  app:\n    image: nginx\nx-cognito_userpool:\n  pool:\n    Settings: {Domain: My_Domain}\n    Services:\n      app: {Access: RW}\n";
    let r = emit(text);
    let shown = r.diagnostics();
    assert_eq!(r.error_codes(), vec![INVALID, UNKNOWN_ACCESS], "{shown:?}");
    assert!(shown[0].contains(" 6:24 "), "{shown:?}");
    assert!(shown[1].contains(" 8:21 "), "{shown:?}");
}

/// The listener rule of the fixture's admin target, rendered through the whole pipeline.
fn admin_rule(output: &crate::Output) -> serde_json::Value {
    let elbv2 = template_of(output, "elbv2.yaml");
    elbv2["Resources"]["PublicAlbListener443Rule1"]["Properties"]["Actions"][0].clone()
}

#[test]
fn create_cognito_client_makes_the_client_and_fills_the_action() {
    let output = render_all(FIXTURE, Layout::Nested);
    let errors: Vec<_> = output.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(
        admin_rule(&output),
        json!({
            "Type": "authenticate-cognito",
            "Order": 1,
            "AuthenticateCognitoConfig": {
                "Scope": "openid email",
                "OnUnauthenticatedRequest": "authenticate",
                "UserPoolArn": {"Ref": "CognitoStaffArn"},
                "UserPoolDomain": {"Ref": "CognitoStaffDomain"},
                "UserPoolClientId": {"Ref": "PublicAlbListener443AdminAdminUserPoolClient"},
            },
        })
    );
    let elbv2 = template_of(&output, "elbv2.yaml");
    let client = &elbv2["Resources"]["PublicAlbListener443AdminAdminUserPoolClient"];
    assert_eq!(client["Type"], "AWS::Cognito::UserPoolClient");
    let props = &client["Properties"];
    assert_eq!(
        props["UserPoolId"],
        json!({"Ref": "CognitoStaffUserPoolId"})
    );
    assert_eq!(props["GenerateSecret"], true);
    assert_eq!(props["AllowedOAuthFlowsUserPoolClient"], true);
    assert_eq!(props["AllowedOAuthScopes"], json!(["openid", "email"]));
    // The root wires the pool stack's outputs into the elbv2 stack.
    let root = template_of(&output, "test.yaml");
    assert_eq!(
        root["Resources"]["Elbv2"]["Properties"]["Parameters"]["CognitoStaffDomain"],
        json!({"Fn::GetAtt": ["Cognito", "Outputs.CognitoStaffDomain"]})
    );
}

#[test]
fn composex_reference_form_and_a_looked_up_pool_give_parameters() {
    let from = "            CreateCognitoClient:\n              UserPoolId: staff\n              AllowedOAuthFlows: [code]\n              AllowedOAuthScopes: [openid, email]\n              CallbackURLs:\n                - https://admin.example.com/oauth2/idpresponse\n            AuthenticateCognitoConfig:\n";
    assert!(FIXTURE.contains(from));
    let text = FIXTURE
        .replacen(
            from,
            "            AuthenticateCognitoConfig:\n              UserPoolArn: x-cognito::users\n              UserPoolClientId: 1example23456789abcdefghij\n",
            1,
        )
        .replacen(
            "x-cognito_userpool:\n",
            &format!("x-cognito_userpool:\n  users:\n    Lookup: {{Arn: \"{POOL_ARN}\"}}\n"),
            1,
        );
    let output = render_all(&text, Layout::Nested);
    let shown: Vec<_> = output
        .diagnostics
        .iter()
        .filter(|d| d.severity != crate::Severity::Info)
        .map(|d| (d.code, d.message.clone()))
        .collect();
    // The looked-up pool's domain is a parameter nobody filled: a warning, at its Lookup.
    assert_eq!(shown.len(), 1, "{shown:#?}");
    assert_eq!(shown[0].0, crate::modules::LOOKUP_PARAMETER);
    assert!(shown[0].1.contains("CognitoUsersDomain"), "{shown:?}");
    let config = &admin_rule(&output)["AuthenticateCognitoConfig"];
    assert_eq!(config["UserPoolArn"], json!({"Ref": "CognitoUsersArn"}));
    assert_eq!(
        config["UserPoolDomain"],
        json!({"Ref": "CognitoUsersDomain"})
    );
    let params = output
        .files
        .iter()
        .find(|f| f.path == "test.params.json")
        .expect("root parameters");
    assert!(params.text.contains(POOL_ARN), "{}", params.text);
}

#[test]
fn bad_pool_references_are_located_with_a_suggestion() {
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "UserPoolId: staff",
            "UserPoolId: staf",
            "CX363",
            "did you mean `staff`?",
        ),
        (
            "Scope: openid email\n",
            "Scope: openid email\n              UserPoolArn: x-cognito_userpool::staff::Bogus\n",
            "CX365",
            "values offered: UserPoolId, Arn",
        ),
        (
            "    Settings:\n      Domain: example-staff-sign-in\n",
            "",
            "CX633",
            "Settings: {Domain: <prefix>}",
        ),
    ];
    for (from, to, code, help) in cases {
        assert!(FIXTURE.contains(from), "{from}");
        let text = FIXTURE.replacen(from, to, 1);
        let output = render_all(&text, Layout::Nested);
        assert!(output.files.is_empty(), "{to}: no partial output");
        let errors: Vec<_> = output.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert_eq!(errors.len(), 1, "{to}: {errors:#?}");
        assert_eq!(errors[0].code, *code, "{to}");
        assert!(
            errors[0].help.as_deref().is_some_and(|h| h.contains(help)),
            "{errors:#?}"
        );
        let span = errors[0].span.expect("located");
        let at = &text[span.start as usize..span.end as usize];
        assert!(
            at.starts_with("staf") || at.starts_with("x-cognito_userpool::staff"),
            "{to}: at `{at}`"
        );
    }
}

#[test]
fn a_looked_up_pools_domain_setting_fills_its_parameter_and_empty_configs_are_errors() {
    let from = "    Properties:\n      UserPoolName: staff\n";
    assert!(FIXTURE.contains(from));
    let text = FIXTURE.replacen(from, &format!("    Lookup: {{Arn: \"{POOL_ARN}\"}}\n"), 1);
    let output = render_all(&text, Layout::Nested);
    let shown: Vec<_> = output
        .diagnostics
        .iter()
        .filter(|d| d.severity != crate::Severity::Info)
        .collect();
    assert!(shown.is_empty(), "{shown:#?}");
    let params = output
        .files
        .iter()
        .find(|f| f.path == "test.params.json")
        .expect("root parameters");
    assert!(
        params.text.contains("\"example-staff-sign-in\""),
        "{}",
        params.text
    );
    let empty = FIXTURE.replacen(
        "            AuthenticateCognitoConfig:\n              Scope: openid email\n              OnUnauthenticatedRequest: authenticate\n",
        "            AuthenticateCognitoConfig:\n",
        1,
    );
    assert_ne!(empty, FIXTURE);
    let output = render_all(&empty, Layout::Nested);
    let errors: Vec<_> = output.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].message, "AuthenticateCognitoConfig is empty");
}
