//! x-cognito_userpool: Cognito user pools (`AWS::Cognito::UserPool`), new or looked up, that
//! x-elbv2 listeners authenticate against (`AuthenticateCognitoConfig`, `CreateCognitoClient`:
//! [`crate::modules::elbv2::cognito`] resolves the references through [`reference`]).
//!
//! A new pool gets, unless its `Properties` say otherwise: sign-up by administrators only, a
//! strong password policy, deletion protection, and `DeletionPolicy: Retain` (a pool holds the
//! users' accounts). `Settings.Domain` (or `MacroParameters.Domain`) gives it a hosted-UI
//! domain prefix (`AWS::Cognito::UserPoolDomain`), which the load balancer's sign-in uses. A
//! looked-up pool's values are stack parameters (no AWS call is made). ComposeX gives the pool no
//! IAM access levels: linked services get its values as env vars only.

use serde_json::{json, Value};

use super::common::{arn_region_account, arn_resource, export_name, Catalog, Ctx, Entry, Grant};
use super::Links;
use super::{ModuleDef, ReturnValue, Statement, INVALID, UNKNOWN_ACCESS};
use crate::cfn::{ref_, Resource};
use crate::compose::Project;
use crate::diagnostic::{Diagnostic, Span};
use crate::stack::Stacks;
use crate::yaml::Node;

/// A Cognito value that cannot come from where it is written: an app client id from a pool
/// reference, a reference to another module, `CreateCognitoClient` beside OIDC, the domain of a
/// new pool that has none.
pub const POOL_VALUE: &str = "CX633";

/// The x-cognito_userpool module.
pub const MODULE: ModuleDef = ModuleDef {
    scaling: None,
    default_env: true,
    key: "x-cognito_userpool",
    stack: "cognito",
    resource_type: "AWS::Cognito::UserPool",
    return_values: &[
        ReturnValue {
            name: "UserPoolId",
            attribute: None,
        },
        ReturnValue {
            name: "Arn",
            attribute: Some("Arn"),
        },
        ReturnValue {
            name: "ProviderName",
            attribute: Some("ProviderName"),
        },
        ReturnValue {
            name: "ProviderURL",
            attribute: Some("ProviderURL"),
        },
    ],
    settings: &["Domain"],
    levels: &[],
    lookup_values,
    grants: no_grants,
    emit,
    access,
};

/// The pool's hosted-UI domain prefix: not a value of `AWS::Cognito::UserPool`, so not one of
/// the module's return values; x-elbv2 reads it for `UserPoolDomain`.
pub const DOMAIN: ReturnValue = ReturnValue {
    name: "Domain",
    attribute: None,
};

fn no_grants(_: &mut Ctx, _: &Entry) -> Vec<Grant> {
    Vec::new()
}

/// Every value but the domain follows from the pool's ARN
/// (`arn:aws:cognito-idp:<region>:<account>:userpool/<id>`); `Identifier` is the pool id.
fn lookup_values(arn: Option<&str>, identifier: Option<&str>) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let id = arn
        .and_then(arn_resource)
        .and_then(|r| r.strip_prefix("userpool/"))
        .or(identifier);
    if let Some(id) = id {
        out.push(("UserPoolId", id.to_string()));
    }
    if let Some(arn) = arn {
        out.push(("Arn", arn.to_string()));
    }
    if let (Some(id), Some((_, region, _))) = (id, arn.and_then(arn_region_account)) {
        let name = format!("cognito-idp.{region}.amazonaws.com/{id}");
        out.push(("ProviderURL", format!("https://{name}")));
        out.push(("ProviderName", name));
    }
    out
}

fn emit(ctx: &mut Ctx, entry: &Entry) {
    let mut props = ctx.properties(entry);
    props
        .entry("AdminCreateUserConfig")
        .or_insert_with(|| json!({"AllowAdminCreateUserOnly": true}));
    props.entry("Policies").or_insert_with(|| {
        json!({"PasswordPolicy": {
            "MinimumLength": 14,
            "RequireLowercase": true,
            "RequireUppercase": true,
            "RequireNumbers": true,
            "RequireSymbols": true,
            "TemporaryPasswordValidityDays": 3,
        }})
    });
    props
        .entry("DeletionProtection")
        .or_insert_with(|| json!("ACTIVE"));
    let mut resource = Resource::new(MODULE.resource_type, Value::Object(props));
    if entry.deletion_policy.is_none() {
        resource = resource.with_policies("Retain");
    }
    ctx.add_main_resource(entry, resource);
    if let Some(domain) = entry.setting("Domain") {
        add_domain(ctx, entry, domain);
    }
}

/// `Settings.Domain`: the pool's hosted-UI domain (a prefix under `auth.<region>.amazoncognito.com`),
/// exported for x-elbv2's `UserPoolDomain`.
fn add_domain(ctx: &mut Ctx, entry: &Entry, node: &Node) {
    let prefix = node.as_str().unwrap_or_default();
    let valid = !prefix.is_empty()
        && prefix.len() <= 63
        && !prefix.starts_with('-')
        && !prefix.ends_with('-')
        && prefix
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !["aws", "amazon", "cognito"]
            .iter()
            .any(|word| prefix.contains(word));
    if !valid {
        ctx.diags.push(
            Diagnostic::error(
                INVALID,
                format!(
                    "x-cognito_userpool {}: `{}` is not a user pool domain prefix",
                    entry.name,
                    node.scalar_text().unwrap_or_default()
                ),
                node.span,
            )
            .with_help(
                "1-63 lower-case letters, digits and `-` (not first or last), without aws, \
                 amazon or cognito",
            ),
        );
        return;
    }
    let id = format!("{}Domain", entry.id);
    let stack = ctx.stacks.stack(MODULE.stack);
    stack.add_resource(
        &id,
        Resource::new(
            "AWS::Cognito::UserPoolDomain",
            json!({"Domain": prefix, "UserPoolId": ref_(&entry.id)}),
        ),
    );
    let export = export_name(&MODULE, entry, &DOMAIN);
    let what = format!("x-cognito_userpool {}: Domain", entry.name);
    stack.export(&export, ref_(&id), "String", &what);
}

fn access(ctx: &mut Ctx, entry: &Entry, _family: &str, access: &Node) -> Option<Vec<Statement>> {
    ctx.diags.push(
        Diagnostic::error(
            UNKNOWN_ACCESS,
            format!(
                "x-cognito_userpool {}: user pools have no access levels",
                entry.name
            ),
            access.span,
        )
        .with_help(
            "leave `Access` out: linked services get the pool's values as env vars \
             (UserPoolId, and any of ReturnValues: Arn, ProviderName, ProviderURL)",
        ),
    );
    None
}

/// Resolves `reference`, one of `x-cognito_userpool::<pool>`, `x-cognito_userpool::<pool>::<value>`
/// or ComposeX's `x-cognito::<pool>`, written at `span`, to a value seen from stack `consumer`.
/// `default` is the value a reference without `::<value>` stands for (`Arn` for `UserPoolArn`).
/// `Domain` is the pool's `Settings.Domain` (a new pool without one is refused) or a parameter
/// of a looked-up pool. Errors (unknown pool with did-you-mean, unknown value) are reported at
/// `span`; None then.
pub fn reference(
    project: &Project,
    stacks: &mut Stacks,
    consumer: &str,
    reference: &str,
    default: &str,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) -> Option<Value> {
    let parts: Vec<&str> = reference.split("::").collect();
    let (pool, value) = match parts.as_slice() {
        ["x-cognito_userpool" | "x-cognito", pool] => (*pool, default),
        ["x-cognito_userpool", pool, value] => (*pool, *value),
        _ => {
            diags.push(
                Diagnostic::error(
                    super::BAD_REFERENCE,
                    format!("`{reference}` is not a user pool reference"),
                    span,
                )
                .with_help(
                    "write x-cognito_userpool::<pool> or x-cognito_userpool::<pool>::<value>",
                ),
            );
            return None;
        }
    };
    let mut ignored = Vec::new();
    let catalog = Catalog::read(project, &[&MODULE], &mut ignored);
    let mut links = Links::default();
    let mut ctx = Ctx::new(project, &catalog, stacks, &mut links, diags);
    let entry = ctx.find(&MODULE, pool, span, reference)?.clone();
    if value != DOMAIN.name {
        let text = format!("x-cognito_userpool::{pool}::{value}");
        return ctx.reference(consumer, &text, span);
    }
    if entry.lookup.is_some() {
        let value = ctx.value(consumer, &entry, &DOMAIN);
        // A looked-up pool's `Settings.Domain` fills the parameter (no AWS call tells it).
        if let Some(domain) = entry.setting("Domain").and_then(Node::as_str) {
            let name = export_name(&MODULE, &entry, &DOMAIN);
            ctx.stacks.known_values.insert(name, domain.to_string());
        }
        return Some(value);
    }
    if entry.setting("Domain").is_none() {
        ctx.diags.push(
            Diagnostic::error(
                POOL_VALUE,
                format!(
                    "`{reference}`: user pool `{pool}` has no domain for the load balancer's sign-in"
                ),
                span,
            )
            .with_label(entry.span, "defined here")
            .with_help(
                "give the pool `Settings: {Domain: <prefix>}`, or write `UserPoolDomain` yourself",
            ),
        );
        return None;
    }
    let export = export_name(&MODULE, &entry, &DOMAIN);
    Some(ctx.stacks.stack(consumer).import(&export))
}

#[cfg(test)]
mod tests;
