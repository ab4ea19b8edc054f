//! Fills a load balancer's authentication configs before its template is written:
//! x-cognito_userpool references (imports of a new pool's values, parameters of a looked-up
//! one), `CreateCognitoClient` app clients (made in the elbv2 stack, as ComposeX does), and a
//! literal OIDC client secret, which goes into a NoEcho parameter instead of the template.

use serde_json::{json, Value};

use super::syntax::auth::pool_reference;
use super::syntax::LoadBalancer;
use super::STACK;
use crate::cfn::{logical_id, ref_, Parameter, Resource};
use crate::compose::Project;
use crate::diagnostic::Diagnostic;
use crate::modules::cognito_userpool;
use crate::stack::Stacks;

/// An OIDC `ClientSecret` written literally: not copied anywhere, a NoEcho parameter instead
/// (warning).
pub const CLIENT_SECRET: &str = "CX631";

/// Resolves what the reader left pending in `lb`'s targets; false after an error (reported).
pub fn resolve(
    lb: &mut LoadBalancer,
    project: &Project,
    stacks: &mut Stacks,
    diagnostics: &mut Vec<Diagnostic>,
) -> bool {
    let mut ok = true;
    for listener in &mut lb.listeners {
        for target in &mut listener.targets {
            let Some(auth) = &mut target.authenticate else {
                continue;
            };
            let pending = std::mem::take(&mut auth.pending);
            let Value::Object(config) = &mut auth.config else {
                continue;
            };
            let what = format!("{} listener {} {}", lb.name, listener.port, target.name);
            if let Some(client) = pending.client {
                let pool_id = cognito_userpool::reference(
                    project,
                    stacks,
                    STACK,
                    &pool_reference(&client.pool),
                    "UserPoolId",
                    client.pool_span,
                    diagnostics,
                );
                let Some(pool_id) = pool_id else {
                    ok = false;
                    continue;
                };
                let mut props = client.properties;
                // What the load balancer's sign-in needs, and Cognito's safer settings; the
                // user's properties win.
                let oauth = props.contains_key("AllowedOAuthFlows");
                let defaults = [
                    ("GenerateSecret", json!(true)),
                    ("SupportedIdentityProviders", json!(["COGNITO"])),
                    ("PreventUserExistenceErrors", json!("ENABLED")),
                    ("EnableTokenRevocation", json!(true)),
                ];
                for (key, value) in defaults {
                    props.entry(key).or_insert(value);
                }
                if oauth {
                    props
                        .entry("AllowedOAuthFlowsUserPoolClient")
                        .or_insert(json!(true));
                }
                props.insert("UserPoolId".into(), pool_id);
                let id = stacks.stack(STACK).add_resource(
                    &format!("{what} user pool client"),
                    Resource::new("AWS::Cognito::UserPoolClient", Value::Object(props)),
                );
                config.insert("UserPoolClientId".into(), ref_(&id));
            }
            for r in &pending.references {
                let value = cognito_userpool::reference(
                    project,
                    stacks,
                    STACK,
                    &r.text,
                    r.default,
                    r.span,
                    diagnostics,
                );
                match value {
                    Some(v) => {
                        config.insert(r.key.into(), v);
                    }
                    None => {
                        // The implicit references name the same pool: one error is enough.
                        ok = false;
                        break;
                    }
                }
            }
            if let Some(span) = pending.secret {
                let name = logical_id(&format!("{what} oidc client secret"));
                let parameter = Parameter::string()
                    .secret()
                    .with_description(format!("OIDC client secret of {what}"));
                let value = stacks.stack(STACK).add_parameter(&name, parameter);
                config.insert("ClientSecret".into(), value);
                diagnostics.push(
                    Diagnostic::warning(
                        CLIENT_SECRET,
                        format!(
                            "the OIDC client secret is not copied into any template or parameter \
                             file: it is the NoEcho parameter {name}, given at deploy time"
                        ),
                        span,
                    )
                    .with_help(
                        "pass it at deploy time (--parameter-overrides), or write \
                         ClientSecret: \"{{resolve:secretsmanager:<secret>:SecretString:<key>}}\"",
                    ),
                );
            }
        }
    }
    ok
}
