use super::LEVELS;
use crate::modules::testing::emit;

fn level(name: &str) -> Vec<&'static str> {
    LEVELS
        .iter()
        .find(|(l, _)| *l == name)
        .map(|(_, a)| a.to_vec())
        .unwrap_or_default()
}

#[test]
fn access_levels_are_explicit_action_lists() {
    assert_eq!(
        level("EncryptDecrypt"),
        [
            "kms:CreateGrant",
            "kms:Decrypt",
            "kms:DescribeKey",
            "kms:Encrypt",
            "kms:GenerateDataKey",
            "kms:GenerateDataKeyWithoutPlaintext",
            "kms:ReEncryptFrom",
            "kms:ReEncryptTo"
        ]
    );
    assert_eq!(
        level("EncryptOnly"),
        [
            "kms:Encrypt",
            "kms:GenerateDataKey",
            "kms:GenerateDataKeyWithoutPlaintext",
            "kms:ReEncryptFrom",
            "kms:ReEncryptTo"
        ]
    );
    assert_eq!(level("DecryptOnly"), ["kms:Decrypt"]);
    assert_eq!(level("SQS"), ["kms:Decrypt", "kms:GenerateDataKey"]);
    assert_eq!(LEVELS.len(), 4);
}

#[test]
fn keys_aliases_and_encrypted_queue_links() {
    let r = emit(include_str!("fixtures/keys.yml"));
    assert!(r.error_codes().is_empty(), "{:?}", r.diagnostics());
    let kms = r.template("kms");
    let data = &kms.resources["Data"];
    assert_eq!(data.properties["EnableKeyRotation"], true);
    assert_eq!(data.deletion_policy.as_deref(), Some("Retain"));
    // Rotation is for symmetric keys only.
    assert!(!kms.resources["Signing"]
        .properties
        .contains_key("EnableKeyRotation"));
    assert_eq!(
        kms.resources["DataAlias"].properties["AliasName"],
        "alias/data-key"
    );
    // The queue is encrypted with the key: the sender needs data keys (and Decrypt, per SQS's
    // guide), the consumer Decrypt.
    assert_eq!(
        r.actions("app01", "SqsJobs"),
        [
            vec!["sqs:SendMessage"],
            vec!["kms:Decrypt", "kms:GenerateDataKey"]
        ]
    );
    assert_eq!(r.actions("app02", "SqsJobs")[1], ["kms:Decrypt"]);
    insta::assert_snapshot!(r.summary());
}

#[test]
fn reference_to_an_undefined_key_is_located() {
    let text = "services:\n  app:\n    image: nginx\nx-kms:\n  keyA: {}\nx-sqs:\n  q:\n    Properties:\n      KmsMasterKeyId: x-kms::keyB\n";
    let r = emit(text);
    assert_eq!(r.diagnostics(), ["error CX363 9:23 `x-kms::keyB`: x-kms has no resource `keyB` (help: did you mean `keyA`?)"]);
}

#[test]
fn aws_managed_alias_is_refused() {
    let text = "services:\n  app:\n    image: nginx\nx-kms:\n  k:\n    Settings:\n      Alias: alias/aws/mine\n";
    let r = emit(text);
    assert_eq!(r.error_codes(), ["CX373"]);
}
