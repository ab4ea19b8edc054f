//! Authentication in front of a listener target: `AuthenticateCognitoConfig` (values written,
//! or x-cognito_userpool references), `CreateCognitoClient` (an app client of an
//! x-cognito_userpool pool, made in the elbv2 stack) and `AuthenticateOidcConfig`. What needs
//! other stacks is left in [`Pending`] for `elbv2::cognito::resolve`.

use super::*;

/// A key an authentication config does not have: left out (warning).
pub const UNKNOWN_AUTH_KEY: &str = "CX630";
/// A plain HTTP listener with certificates and an authenticating target becomes HTTPS (warning).
pub const HTTPS_UPGRADE: &str = "CX632";
pub use crate::modules::cognito_userpool::POOL_VALUE;

/// What `elbv2::cognito::resolve` fills into an authentication config.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Pending {
    /// Config keys whose value is a user pool's (`x-cognito_userpool::<pool>[::<value>]`).
    pub references: Vec<PoolReference>,
    /// `CreateCognitoClient`: the app client to make; its id fills `UserPoolClientId`.
    pub client: Option<ClientRequest>,
    /// Span of an OIDC `ClientSecret` written literally: it goes into a NoEcho parameter.
    pub secret: Option<Span>,
}

/// A config key filled from a user pool.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolReference {
    /// The config key (`UserPoolArn`, `UserPoolDomain`).
    pub key: &'static str,
    /// The reference as written (or made from the pool's name).
    pub text: String,
    /// The pool value a reference without `::<value>` stands for (`Arn`, `Domain`).
    pub default: &'static str,
    /// Where it is written.
    pub span: Span,
}

/// `CreateCognitoClient`.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientRequest {
    /// `UserPoolId`: the pool, by name or reference.
    pub pool: String,
    /// Span of `UserPoolId`.
    pub pool_span: Span,
    /// The other `AWS::Cognito::UserPoolClient` properties, checked against its schema.
    pub properties: Map<String, Value>,
}

const COGNITO_KEYS: [&str; 8] = [
    "UserPoolArn",
    "UserPoolClientId",
    "UserPoolDomain",
    "AuthenticationRequestExtraParams",
    "OnUnauthenticatedRequest",
    "Scope",
    "SessionCookieName",
    "SessionTimeout",
];

const OIDC_KEYS: [&str; 12] = [
    "Issuer",
    "AuthorizationEndpoint",
    "TokenEndpoint",
    "UserInfoEndpoint",
    "ClientId",
    "ClientSecret",
    "AuthenticationRequestExtraParams",
    "OnUnauthenticatedRequest",
    "Scope",
    "SessionCookieName",
    "SessionTimeout",
    "UseExistingClientSecret",
];

fn is_pool_reference(text: &str) -> bool {
    text.starts_with("x-cognito_userpool::") || text.starts_with("x-cognito::")
}

impl Reader<'_> {
    /// Reads the authentication of target `map` into `target`; false after an error.
    pub(super) fn authentication(&mut self, map: &crate::yaml::Map, target: &mut Target) -> bool {
        let oidc = map.get("AuthenticateOidcConfig");
        let cognito = map.get("AuthenticateCognitoConfig");
        let client = map.get("CreateCognitoClient");
        if let (Some(_), Some(config)) = (oidc, cognito) {
            self.error(
                SHAPE,
                "a target takes one authentication: OIDC or Cognito",
                map.key_span("AuthenticateCognitoConfig")
                    .unwrap_or(config.span),
            );
            return false;
        }
        if let (Some(_), Some(node)) = (oidc, client) {
            self.error(
                POOL_VALUE,
                "`CreateCognitoClient` makes a Cognito app client: it cannot go with AuthenticateOidcConfig",
                map.key_span("CreateCognitoClient").unwrap_or(node.span),
            )
            .help = Some("use AuthenticateCognitoConfig, or leave CreateCognitoClient out".into());
            return false;
        }
        if let Some(node) = oidc {
            let Some((config, secret)) = self.oidc_config(node) else {
                return false;
            };
            target.authenticate = Some(Authenticate {
                action: "authenticate-oidc",
                key: "AuthenticateOidcConfig",
                config: Value::Object(config),
                pending: Pending {
                    secret,
                    ..Pending::default()
                },
            });
            return true;
        }
        let request = match client {
            Some(node) => match self.client_request(node) {
                Some(request) => Some(request),
                None => return false,
            },
            None => None,
        };
        if cognito.is_none() && request.is_none() {
            return true;
        }
        let Some((config, pending)) = self.cognito_config(cognito, request) else {
            return false;
        };
        target.authenticate = Some(Authenticate {
            action: "authenticate-cognito",
            key: "AuthenticateCognitoConfig",
            config: Value::Object(config),
            pending,
        });
        true
    }

    /// The keys of `node` (a config named `what`) that `known` lists, as JSON; the others are
    /// warned about and left out. None when it is not a mapping.
    fn auth_keys<'n>(
        &mut self,
        node: &'n Node,
        what: &str,
        known: &[&str],
    ) -> Option<(&'n crate::yaml::Map, Map<String, Value>)> {
        let map = self.auth_map(node, what)?;
        let mut out = Map::new();
        for (key, span, value) in &map.entries {
            if known.contains(&key.as_str()) {
                out.insert(key.clone(), to_json(value));
            } else {
                let d = Diagnostic::warning(
                    UNKNOWN_AUTH_KEY,
                    format!("{what} has no key `{key}`: it is left out"),
                    *span,
                );
                self.push(with_suggestion(d, key, known, Some("its keys")));
            }
        }
        Some((map, out))
    }

    /// `node` as a mapping; anything else, an empty value too, is an error (an empty config
    /// would otherwise drop its target without a word).
    fn auth_map<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n crate::yaml::Map> {
        if node.is_null() {
            self.error(SHAPE, format!("{what} is empty"), node.span)
                .help = Some(format!("write the keys of {what}, or leave it out"));
            return None;
        }
        self.expect_map(node, what)
    }

    fn require(
        &mut self,
        config: &Map<String, Value>,
        keys: &[&str],
        what: &str,
        span: Span,
    ) -> bool {
        let mut ok = true;
        for key in keys {
            if !config.contains_key(*key) {
                self.error(SHAPE, format!("{what} needs `{key}`"), span);
                ok = false;
            }
        }
        ok
    }

    /// `AuthenticateOidcConfig`: its config and the span of a literal `ClientSecret` (a Secrets
    /// Manager dynamic reference is kept as written).
    fn oidc_config(&mut self, node: &Node) -> Option<(Map<String, Value>, Option<Span>)> {
        const WHAT: &str = "AuthenticateOidcConfig";
        let (map, mut config) = self.auth_keys(node, WHAT, &OIDC_KEYS)?;
        let mut required = OIDC_KEYS[..5].to_vec();
        if !config.contains_key("UseExistingClientSecret") {
            required.push("ClientSecret");
        }
        if !self.require(&config, &required, WHAT, node.span) {
            return None;
        }
        let secret = map.get("ClientSecret").filter(|value| {
            !value
                .scalar_text()
                .is_some_and(|t| t.starts_with("{{resolve:secretsmanager:"))
        });
        if secret.is_some() {
            config.remove("ClientSecret");
        }
        Some((config, secret.map(|s| s.span)))
    }

    /// `CreateCognitoClient`: `UserPoolId` names the pool; the rest are the client's properties.
    fn client_request(&mut self, node: &Node) -> Option<ClientRequest> {
        let map = self.auth_map(node, "CreateCognitoClient")?;
        let Some(pool) = map.get("UserPoolId") else {
            self.error(
                SHAPE,
                "CreateCognitoClient needs `UserPoolId`: the name of an x-cognito_userpool pool",
                node.span,
            );
            return None;
        };
        let mut checked = map.clone();
        checked.entries.retain(|(k, _, _)| k != "UserPoolId");
        let check = crate::schema::Check {
            what: "CreateCognitoClient",
            type_name: "AWS::Cognito::UserPoolClient",
            supplied: &["UserPoolId"],
            deep: true,
            unknown: true,
        };
        let mut found = Vec::new();
        let known = crate::schema::check(check, &checked, node.span, &mut found);
        let failed = found.iter().any(Diagnostic::is_error);
        for d in found {
            self.push(d);
        }
        if failed {
            return None;
        }
        let properties = checked
            .entries
            .iter()
            .filter(|(k, _, _)| {
                known
                    .as_ref()
                    .is_none_or(|known| known.contains(&k.as_str()))
            })
            .map(|(k, _, v)| (k.clone(), to_json(v)))
            .collect();
        Some(ClientRequest {
            pool: str_of(pool).unwrap_or_default(),
            pool_span: pool.span,
            properties,
        })
    }

    /// `AuthenticateCognitoConfig` (or ComposeX's default one when only `CreateCognitoClient` is
    /// written): what is written, and what comes from the pool and the client.
    fn cognito_config(
        &mut self,
        node: Option<&Node>,
        client: Option<ClientRequest>,
    ) -> Option<(Map<String, Value>, Pending)> {
        const WHAT: &str = "AuthenticateCognitoConfig";
        let (mut config, map) = match node {
            Some(node) => {
                let (map, config) = self.auth_keys(node, WHAT, &COGNITO_KEYS)?;
                (config, Some(map))
            }
            None => {
                let mut config = Map::new();
                config.insert("OnUnauthenticatedRequest".into(), "authenticate".into());
                config.insert("Scope".into(), "openid email profile".into());
                (config, None)
            }
        };
        let mut pending = Pending::default();
        let mut ok = true;
        for (key, default) in [
            ("UserPoolArn", "Arn"),
            ("UserPoolDomain", "Domain"),
            ("UserPoolClientId", ""),
        ] {
            let Some(value) = map.and_then(|m| m.get(key)) else {
                continue;
            };
            let Some(text) = value.scalar_text().filter(|t| t.starts_with("x-")) else {
                continue;
            };
            if default.is_empty() || !is_pool_reference(text) {
                let help = if default.is_empty() {
                    "write the app client's id, or let `CreateCognitoClient` make the client"
                } else {
                    "write the value, or x-cognito_userpool::<pool>"
                };
                self.error(
                    POOL_VALUE,
                    format!("`{key}` cannot be `{text}`"),
                    value.span,
                )
                .help = Some(help.into());
                ok = false;
                continue;
            }
            config.remove(key);
            pending.references.push(PoolReference {
                key,
                text: text.to_string(),
                default,
                span: value.span,
            });
        }
        if !ok {
            return None;
        }
        // The pool the missing values come from: the client's, else the one UserPoolArn names.
        let pool = match &client {
            Some(c) => Some((pool_reference(&c.pool), c.pool_span)),
            None => pending
                .references
                .iter()
                .find(|r| r.key == "UserPoolArn")
                .and_then(|r| pool_of(&r.text).map(|p| (p, r.span))),
        };
        if let Some((pool, span)) = pool {
            for (key, default) in [("UserPoolArn", "Arn"), ("UserPoolDomain", "Domain")] {
                let written =
                    config.contains_key(key) || pending.references.iter().any(|r| r.key == key);
                if !written {
                    pending.references.push(PoolReference {
                        key,
                        text: pool.clone(),
                        default,
                        span,
                    });
                }
            }
        }
        let filled: Vec<&str> = pending.references.iter().map(|r| r.key).collect();
        let missing: Vec<&str> = COGNITO_KEYS[..3]
            .iter()
            .copied()
            .filter(|k| !filled.contains(k))
            .filter(|k| client.is_none() || *k != "UserPoolClientId")
            .collect();
        let span = node.map_or(Span::default(), |n| n.span);
        if !self.require(&config, &missing, WHAT, span) {
            return None;
        }
        pending.client = client;
        Some((config, pending))
    }

    /// ComposeX upgrades a plain HTTP listener with certificates to HTTPS; composex does so only
    /// when a target authenticates (AWS authenticates on HTTPS listeners only), and says so.
    pub(super) fn upgrade_for_authentication(
        &mut self,
        protocol: String,
        protocol_node: Option<&Node>,
        certificates: &[Certificate],
        targets: &[Target],
    ) -> String {
        if protocol != "HTTP" || certificates.is_empty() {
            return protocol;
        }
        let Some(target) = targets.iter().find(|t| t.authenticate.is_some()) else {
            return protocol;
        };
        let d = Diagnostic::warning(
            HTTPS_UPGRADE,
            "this HTTP listener becomes HTTPS: it has certificates and a target that authenticates",
            protocol_node.map_or(target.span, |n| n.span),
        )
        .with_label(target.name_span, "authenticates (on HTTPS listeners only)")
        .with_help("write `Protocol: HTTPS`");
        self.push(d);
        "HTTPS".into()
    }
}

/// `x-cognito_userpool::<pool>` for a pool named by name or by reference.
pub fn pool_reference(pool: &str) -> String {
    match pool_of(pool) {
        Some(reference) => reference,
        None => format!("x-cognito_userpool::{pool}"),
    }
}

/// `x-cognito_userpool::<pool>` of a reference to that pool (or to one of its values).
fn pool_of(reference: &str) -> Option<String> {
    let parts: Vec<&str> = reference.split("::").collect();
    match parts.as_slice() {
        ["x-cognito_userpool" | "x-cognito", pool] | ["x-cognito_userpool", pool, _] => {
            Some(format!("x-cognito_userpool::{pool}"))
        }
        _ => None,
    }
}
