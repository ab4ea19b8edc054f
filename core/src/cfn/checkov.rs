//! Suppressions of checkov findings, written where checkov reads them in a CloudFormation
//! template: `Metadata.checkov.skip: [{id, comment}]` on the resource. Every suppression carries
//! its reason; an empty one is a bug of ours (the checkov gate refuses it too).

use serde_json::{json, Value};

use super::Resource;

/// Records that `check` (e.g. `CKV_AWS_158`) is not followed on `resource`, and why. A check
/// already skipped keeps its first reason.
pub fn skip(resource: &mut Resource, check: &str, reason: &str) {
    debug_assert!(!reason.trim().is_empty(), "a checkov skip needs a reason");
    let metadata = resource.metadata.get_or_insert_with(|| json!({}));
    if !metadata.is_object() {
        return;
    }
    let list = &mut metadata["checkov"]["skip"];
    if !list.is_array() {
        *list = json!([]);
    }
    if let Value::Array(items) = list {
        if !items.iter().any(|s| s["id"] == check) {
            items.push(json!({ "id": check, "comment": reason }));
        }
    }
}

/// The `(check, reason)` pairs suppressed on `resource`.
pub fn skips(resource: &Resource) -> Vec<(String, String)> {
    resource
        .metadata
        .as_ref()
        .and_then(|m| m["checkov"]["skip"].as_array())
        .map(|items| {
            items
                .iter()
                .map(|s| {
                    let text = |k: &str| s[k].as_str().unwrap_or_default().to_string();
                    (text("id"), text("comment"))
                })
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_are_written_once_with_their_reason() {
        let mut r = Resource::new("AWS::Logs::LogGroup", json!({}));
        skip(&mut r, "CKV_AWS_158", "first");
        skip(&mut r, "CKV_AWS_158", "second");
        skip(&mut r, "CKV_AWS_66", "other");
        assert_eq!(
            r.metadata,
            Some(json!({"checkov": {"skip": [
                {"id": "CKV_AWS_158", "comment": "first"},
                {"id": "CKV_AWS_66", "comment": "other"},
            ]}}))
        );
        assert_eq!(skips(&r)[1], ("CKV_AWS_66".into(), "other".into()));
    }

    #[test]
    fn other_metadata_is_kept() {
        let mut r = Resource::new("AWS::SQS::Queue", json!({}));
        r.metadata = Some(json!({"Owner": "team"}));
        skip(&mut r, "CKV_AWS_27", "why");
        assert_eq!(r.metadata.as_ref().unwrap()["Owner"], "team");
        assert_eq!(skips(&r).len(), 1);
    }
}
