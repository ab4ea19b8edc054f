//! Interpolation conformance: cases rewritten from compose-go's table-driven tests
//! (template/template_test.go, interpolation/interpolation_test.go) as summarised in
//! reference/compose-and-peers.md §1.2 and §1.13. Each expected value was checked against that
//! table: FOO is set to "first", BAR is set but empty, anything else is unset.

use std::collections::BTreeMap;

use composex_core::compose::interpolate::{substitute, variables, FileInterpolator, TemplateError};
use composex_core::yaml::{Map, Node, Scalar, ScalarStyle, Value};
use composex_core::{Severity, Span};

fn env() -> BTreeMap<String, String> {
    BTreeMap::from([
        ("FOO".to_string(), "first".to_string()),
        ("BAR".to_string(), String::new()),
    ])
}

#[derive(Debug)]
enum Want {
    Ok(&'static str),
    Invalid,
    Required(&'static str),
}
use Want::*;

const CASES: &[(&str, Want)] = &[
    // escapes and text that is not a template
    ("$${foo}", Ok("${foo}")),
    ("foo", Ok("foo")),
    ("$$", Ok("$")),
    ("$$$$", Ok("$$")),
    ("$$FOO", Ok("$FOO")),
    ("$$$FOO", Ok("$first")),
    ("a $ string", Ok("a $ string")),
    ("^REGEX$", Ok("^REGEX$")),
    ("$}", Ok("$}")),
    ("$", Ok("$")),
    ("$1", Ok("$1")),
    ("$é", Ok("$é")),
    ("é${FOO}é", Ok("éfirsté")),
    // invalid templates (TestInvalid)
    ("${", Invalid),
    ("${}", Invalid),
    ("${ }", Invalid),
    ("${ foo}", Invalid),
    ("${foo }", Invalid),
    ("${foo!}", Invalid),
    ("${AWS::Region}", Invalid),
    ("${FOO", Invalid),
    ("${FOO:-bar", Invalid),
    ("${FOO:x}", Invalid),
    ("${1FOO}", Invalid),
    ("ok ${missing:-a\nb}", Invalid),
    // plain forms
    ("$FOO-bar", Ok("first-bar")),
    ("$FOO.bar", Ok("first.bar")),
    ("This ${missing} var", Ok("This  var")),
    ("This ${BAR} var", Ok("This  var")),
    ("This $FOO var", Ok("This first var")),
    ("This ${FOO} var", Ok("This first var")),
    ("$foo", Ok("")),
    // defaults
    ("ok ${missing:-def}", Ok("ok def")),
    ("ok ${missing-def}", Ok("ok def")),
    ("ok ${BAR:-def}", Ok("ok def")),
    ("ok ${FOO:-def}", Ok("ok first")),
    ("ok ${BAR-def}", Ok("ok ")),
    ("ok ${FOO-def}", Ok("ok first")),
    ("ok ${BAR:-/non:-alphanumeric}", Ok("ok /non:-alphanumeric")),
    ("ok ${missing:-}", Ok("ok ")),
    // nested defaults (TestDefaultsWithNestedExpansion and friends)
    ("ok ${UNSET_VAR-$FOO}", Ok("ok first")),
    ("ok ${UNSET_VAR-${FOO}}", Ok("ok first")),
    ("ok ${UNSET_VAR-${FOO} ${FOO}}", Ok("ok first first")),
    ("ok ${BAR:-$FOO}", Ok("ok first")),
    ("ok ${BAR:-${FOO}}", Ok("ok first")),
    ("ok ${BAR:-${FOO} ${FOO}}", Ok("ok first first")),
    ("${FOO_U:-${BAR_U:-${ZOT:-qix}}}", Ok("qix")),
    ("${missing:-{\"json\":1}}", Ok("{\"json\":1}")),
    (
        "{{{ ${missing:-foo-bar-value} }}}",
        Ok("{{{ foo-bar-value }}}"),
    ),
    ("${missing:-${BAR:-x}_test_${BAR:-y}}", Ok("x_test_y")),
    ("ok ${SUBDOMAIN:-redis}.${FOO:?}", Ok("ok redis.first")),
    ("${A:-x} and ${B:-y}", Ok("x and y")),
    ("${A:-x}}", Ok("x}")),
    // lazy: the branch not taken is never interpolated, so it can neither fail nor warn
    ("${FOO:-${ }}", Ok("first")),
    ("${missing:-${ }}", Invalid),
    ("${FOO:?${missing:?inner}}", Ok("first")),
    ("${missing:+${ }}", Ok("")),
    // required (TestMandatoryVariableErrors and nested messages)
    (
        "not ok ${UNSET_VAR:?Mandatory Variable Unset}",
        Required("required variable UNSET_VAR is missing a value: Mandatory Variable Unset"),
    ),
    (
        "not ok ${BAR:?Mandatory Variable Empty}",
        Required("required variable BAR is missing a value: Mandatory Variable Empty"),
    ),
    (
        "not ok ${UNSET_VAR:?}",
        Required("required variable UNSET_VAR is missing a value"),
    ),
    (
        "not ok ${UNSET_VAR?Mandatory Variable Unset}",
        Required("required variable UNSET_VAR is missing a value: Mandatory Variable Unset"),
    ),
    (
        "not ok ${UNSET_VAR?}",
        Required("required variable UNSET_VAR is missing a value"),
    ),
    (
        "not ok ${UNSET_VAR:?Mandatory Variable ${FOO}}",
        Required("required variable UNSET_VAR is missing a value: Mandatory Variable first"),
    ),
    (
        "not ok ${UNSET_VAR?Mandatory Variable ${FOO}}",
        Required("required variable UNSET_VAR is missing a value: Mandatory Variable first"),
    ),
    ("ok ${FOO:?err}", Ok("ok first")),
    ("ok ${FOO?err}", Ok("ok first")),
    ("ok ${BAR?err}", Ok("ok ")),
    // precedence: the operator written first wins (TestPrecedence)
    (
        "${UNSET_VAR?bar-baz}",
        Required("required variable UNSET_VAR is missing a value: bar-baz"),
    ),
    ("${UNSET_VAR-myerror?msg}", Ok("myerror?msg")),
    ("${FOO?bar-baz}", Ok("first")),
    (
        "${BAR:-default_value_for_empty_var}",
        Ok("default_value_for_empty_var"),
    ),
    (
        "${UNSET_VAR-default_value_for_unset_var}",
        Ok("default_value_for_unset_var"),
    ),
    // operator choice (TestSubstitutionFunctionChoice, run as substitutions)
    (
        "${VARNAME:?val?ue}",
        Required("required variable VARNAME is missing a value: val?ue"),
    ),
    (
        "${VARNAME?val:?ue}",
        Required("required variable VARNAME is missing a value: val:?ue"),
    ),
    (
        "${VARNAME?va-lu+e:?e}",
        Required("required variable VARNAME is missing a value: va-lu+e:?e"),
    ),
    (
        "${VARNAME?va+lu-e:?e}",
        Required("required variable VARNAME is missing a value: va+lu-e:?e"),
    ),
    ("${VARNAME:-value}", Ok("value")),
    ("${VARNAME-va:-lu:?e}", Ok("va:-lu:?e")),
    ("${VARNAME-va+lu?e}", Ok("va+lu?e")),
    ("${VARNAME-va?lu+e}", Ok("va?lu+e")),
    ("${FOO:+va:?lu:-e}", Ok("va:?lu:-e")),
    ("${FOO+va:+lue}", Ok("va:+lue")),
    ("${BAR+va?lu-e}", Ok("va?lu-e")),
    ("${BAR:+va-lu?e}", Ok("")),
    // alternates: the table's last two rows
    ("${missing:+alt}", Ok("")),
    ("${BAR:+alt}", Ok("")),
    ("${FOO:+alt}", Ok("alt")),
    ("${missing+alt}", Ok("")),
    ("${BAR+alt}", Ok("alt")),
    ("${FOO+alt}", Ok("alt")),
    ("${FOO:+${BAR:-x}}", Ok("x")),
];

#[test]
fn compose_go_template_table() {
    assert!(CASES.len() >= 60, "{} cases", CASES.len());
    let env = env();
    let mut failures = Vec::new();
    for (template, want) in CASES {
        let got = substitute(template, &env);
        let ok = match (want, &got) {
            (Ok(v), Result::Ok(s)) => s.value == *v,
            (Invalid, Err(TemplateError::Invalid { .. })) => true,
            (Required(m), Err(TemplateError::Required { name, message, .. })) => {
                composex_core::compose::interpolate::required_message(name, message) == *m
            }
            _ => false,
        };
        if !ok {
            failures.push(format!("{template:?}: want {want:?}, got {got:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn unset_variables_are_reported_only_when_read() {
    let env = env();
    let unset = |t: &str| substitute(t, &env).unwrap().unset;
    assert_eq!(
        unset("This ${missing} var"),
        vec![("missing".to_string(), 5..15)]
    );
    assert_eq!(unset("a $missing b"), vec![("missing".to_string(), 2..10)]);
    assert!(unset("${missing:-x}").is_empty());
    assert!(unset("${missing-x}").is_empty());
    assert!(unset("${missing:+x}").is_empty());
    // lazy default: the unused branch does not warn (TestLazyDefaultDoesNotWarn)
    assert!(unset("${FOO:-${UNSET}}").is_empty());
    assert_eq!(
        unset("${missing:-${UNSET}}"),
        vec![("UNSET".to_string(), 11..19)]
    );
    assert_eq!(unset("$X $X").len(), 2);
    // a set but empty variable is not "unset"
    assert!(unset("${BAR}").is_empty());
}

#[test]
fn error_ranges_cover_the_template() {
    let env = env();
    let err = substitute("not ok ${UNSET_VAR:?x}", &env).unwrap_err();
    assert_eq!(err.range(), 7..22);
    let err = substitute("a ${foo!} b", &env).unwrap_err();
    assert_eq!(err.range(), 2..9);
    // an invalid template nested in a used default is located inside the default
    let err = substitute("${missing:-x ${ }}", &env).unwrap_err();
    assert_eq!(err.range(), 13..17);
    let err = substitute("x ${", &env).unwrap_err();
    assert_eq!(err.range(), 2..4);
}

#[test]
fn hostile_nesting_is_refused_without_overflow() {
    let deep = "${A:-".repeat(10_000) + &"}".repeat(10_000);
    assert!(matches!(
        substitute(&deep, &BTreeMap::new()),
        Err(TemplateError::Invalid { .. })
    ));
}

// ---- tree level ----------------------------------------------------------------------------

fn span(start: usize, end: usize) -> Span {
    Span::new(0, start, end)
}

fn scalar(text: &str, style: ScalarStyle, at: Span) -> Node {
    Node::new(
        Value::Scalar(Scalar {
            text: text.into(),
            style,
        }),
        at,
    )
}

fn map(entries: Vec<(&str, Node)>) -> Node {
    let entries = entries
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.span, v))
        .collect();
    Node::new(Value::Map(Map { entries }), span(0, 0))
}

/// A hand-built tree for this source text (spans computed from it).
fn web_tree(source: &str) -> Node {
    let at = |needle: &str| {
        let i = source.find(needle).expect("needle in source");
        span(i, i + needle.len())
    };
    let image = scalar(
        "nginx:${TAG:?tag please}",
        ScalarStyle::Plain,
        at("nginx:${TAG:?tag please}"),
    );
    let env_a = scalar(
        "$UNSET_ONE and $UNSET_ONE",
        ScalarStyle::Quoted,
        at("\"$UNSET_ONE and $UNSET_ONE\""),
    );
    let env_b = scalar("${UNSET_ONE}", ScalarStyle::Plain, at("${UNSET_ONE}"));
    let bad = scalar("${AWS::Region}", ScalarStyle::Plain, at("${AWS::Region}"));
    let port = scalar(
        "${PORT:-8080}:80",
        ScalarStyle::Quoted,
        at("'${PORT:-8080}:80'"),
    );
    map(vec![(
        "services",
        map(vec![(
            "web",
            map(vec![
                ("image", image),
                ("environment", map(vec![("A", env_a), ("$B", env_b)])),
                ("x-region", bad),
                ("ports", Node::new(Value::Seq(vec![port]), span(0, 0))),
            ]),
        )]),
    )])
}

const WEB: &str = "services:\n  web:\n    image: nginx:${TAG:?tag please}\n    environment:\n      A: \"$UNSET_ONE and $UNSET_ONE\"\n      $B: ${UNSET_ONE}\n    x-region: ${AWS::Region}\n    ports: ['${PORT:-8080}:80']\n";

#[test]
fn tree_errors_are_located_at_the_template() {
    let mut tree = web_tree(WEB);
    let env = BTreeMap::new();
    let mut diags = Vec::new();
    FileInterpolator::new(&env, WEB).interpolate(&mut tree, &mut diags);

    let required: Vec<_> = diags.iter().filter(|d| d.code == "CX201").collect();
    assert_eq!(required.len(), 1);
    assert_eq!(
        required[0].message,
        "required variable TAG is missing a value: tag please"
    );
    let s = required[0].span.unwrap();
    assert_eq!(&WEB[s.start as usize..s.end as usize], "${TAG:?tag please}");

    let invalid: Vec<_> = diags.iter().filter(|d| d.code == "CX200").collect();
    assert_eq!(invalid.len(), 1);
    assert_eq!(
        invalid[0].message,
        "invalid interpolation format for services.web.x-region: ${AWS::Region}"
    );
    assert!(
        invalid[0]
            .help
            .as_deref()
            .unwrap()
            .contains("$${AWS::Region}"),
        "{:?}",
        invalid[0].help
    );

    // one warning per variable per file, at its first use (inside the double-quoted scalar)
    let warnings: Vec<_> = diags
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].code, "CX202");
    assert_eq!(
        warnings[0].message,
        "The \"UNSET_ONE\" variable is not set. Defaulting to a blank string."
    );
    let s = warnings[0].span.unwrap();
    let first = WEB.find("$UNSET_ONE").unwrap();
    assert_eq!(
        (s.start as usize, s.end as usize),
        (first, first + "$UNSET_ONE".len())
    );

    // failing scalars are left as written; good ones substituted; keys never interpolated
    let web = tree.get("services").and_then(|s| s.get("web")).unwrap();
    assert_eq!(
        web.get("image").unwrap().as_str(),
        Some("nginx:${TAG:?tag please}")
    );
    let environment = web.get("environment").unwrap();
    assert_eq!(environment.get("A").unwrap().as_str(), Some(" and "));
    assert!(environment.get("$B").is_some());
    let port = web.get("ports").unwrap().as_seq().unwrap()[0]
        .as_scalar()
        .unwrap();
    assert_eq!(
        (port.text.as_str(), port.style),
        ("8080:80", ScalarStyle::Quoted)
    );
}

#[test]
fn invalid_template_help_is_the_escape_hint() {
    let source = "x: ${foo!}\n";
    let mut tree = map(vec![(
        "x",
        scalar("${foo!}", ScalarStyle::Plain, span(3, 10)),
    )]);
    let mut diags = Vec::new();
    FileInterpolator::new(&BTreeMap::new(), source).interpolate(&mut tree, &mut diags);
    assert_eq!(diags.len(), 1);
    assert_eq!(
        diags[0].message,
        "invalid interpolation format for x: ${foo!}"
    );
    assert_eq!(
        diags[0].help.as_deref(),
        Some("You may need to escape any $ with another $")
    );
    assert_eq!(diags[0].span, Some(span(3, 10)));
}

#[test]
fn cloudformation_sub_syntax_gets_the_double_dollar_hint() {
    let source = "r: ${!ARN}/*\n";
    let mut tree = map(vec![(
        "r",
        scalar("${!ARN}/*", ScalarStyle::Plain, span(3, 12)),
    )]);
    let mut diags = Vec::new();
    FileInterpolator::new(&BTreeMap::new(), source).interpolate(&mut tree, &mut diags);
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].span, Some(span(3, 10)));
    assert!(
        diags[0].help.as_deref().unwrap().contains("`$${!ARN}`"),
        "{:?}",
        diags[0].help
    );
}

#[test]
fn span_stays_on_the_scalar_when_source_differs_from_text() {
    // a double-quoted scalar with an escape: the text is not the source slice, so no narrowing
    let source = "x: \"a\\tb ${Q?}\"\n";
    let whole = span(3, source.len() - 1);
    let mut tree = map(vec![(
        "x",
        scalar("a\tb ${Q?}", ScalarStyle::Quoted, whole),
    )]);
    let mut diags = Vec::new();
    FileInterpolator::new(&BTreeMap::new(), source).interpolate(&mut tree, &mut diags);
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].span, Some(whole));
}

#[test]
fn substituted_values_are_strings_and_untouched_ones_keep_their_style() {
    let source = "a: $N\nb: 5\n";
    let env = BTreeMap::from([("N".to_string(), "5".to_string())]);
    let mut tree = map(vec![
        ("a", scalar("$N", ScalarStyle::Plain, span(3, 5))),
        ("b", scalar("5", ScalarStyle::Plain, span(9, 10))),
    ]);
    let mut diags = Vec::new();
    FileInterpolator::new(&env, source).interpolate(&mut tree, &mut diags);
    assert!(diags.is_empty());
    let a = tree.get("a").unwrap().as_scalar().unwrap();
    assert_eq!((a.text.as_str(), a.style), ("5", ScalarStyle::Quoted));
    assert_eq!(
        tree.get("b").unwrap().as_scalar().unwrap().style,
        ScalarStyle::Plain
    );
}

#[test]
fn variables_are_listed_with_defaults_and_required_flags() {
    // TestExtractVariables "multiple-values", plus required forms and nested defaults
    let s = span(0, 0);
    let tree = map(vec![
        ("foo", scalar("${bar:-foo}", ScalarStyle::Plain, s)),
        (
            "bar",
            map(vec![
                ("foo", scalar("${fruit:-banana}", ScalarStyle::Plain, s)),
                ("bar", scalar("vegetable", ScalarStyle::Plain, s)),
            ]),
        ),
        (
            "baz",
            Node::new(
                Value::Seq(vec![
                    scalar("foo", ScalarStyle::Plain, s),
                    scalar("$docker:${project:-cli}", ScalarStyle::Plain, s),
                    scalar(
                        "$toto $$escaped ${req?:foo} ${req2?x}",
                        ScalarStyle::Plain,
                        s,
                    ),
                    scalar("${outer:-${inner-deep}}", ScalarStyle::Plain, s),
                ]),
                s,
            ),
        ),
    ]);
    let got: Vec<(String, Option<String>, bool)> = variables(&tree)
        .into_iter()
        .map(|v| (v.name, v.default, v.required))
        .collect();
    let want = vec![
        ("bar", Some("foo"), false),
        ("fruit", Some("banana"), false),
        ("docker", None, false),
        ("project", Some("cli"), false),
        ("toto", None, false),
        ("req", None, true),
        ("req2", None, true),
        ("outer", Some("${inner-deep}"), false),
        ("inner", Some("deep"), false),
    ];
    let want: Vec<(String, Option<String>, bool)> = want
        .into_iter()
        .map(|(n, d, r)| (n.to_string(), d.map(str::to_string), r))
        .collect();
    assert_eq!(got, want);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Any mix of template characters: no panic, ranges inside the text, and text without a
        /// `$` comes back unchanged.
        #[test]
        fn substitution_never_panics(text in "[${}:?+\\-AB_1é \n]{0,40}") {
            let env = env();
            match substitute(&text, &env) {
                Result::Ok(done) => {
                    if !text.contains('$') {
                        prop_assert_eq!(&done.value, &text);
                    }
                    for (_, r) in done.unset {
                        prop_assert!(r.end <= text.len() && text.is_char_boundary(r.start));
                    }
                }
                Err(e) => {
                    let r = e.range();
                    prop_assert!(r.start < r.end && r.end <= text.len(), "{:?} in {:?}", r, text);
                    prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
                }
            }
        }

        /// `$$` always yields exactly one `$` and stops interpolation of what follows.
        #[test]
        fn escaped_dollar_is_literal(name in "[A-Z_][A-Z0-9_]{0,8}") {
            let text = format!("$${{{name}}} $$name");
            let done = substitute(&text, &env()).unwrap();
            prop_assert_eq!(done.value, format!("${{{name}}} $name"));
        }
    }
}

#[test]
fn the_path_of_an_invalid_template_names_keys_and_indexes() {
    let source = "x:\n  - a: ${foo!}\n";
    let item = map(vec![(
        "a",
        scalar("${foo!}", ScalarStyle::Plain, span(10, 17)),
    )]);
    let mut tree = map(vec![("x", Node::new(Value::Seq(vec![item]), span(3, 17)))]);
    let mut diags = Vec::new();
    FileInterpolator::new(&BTreeMap::new(), source).interpolate(&mut tree, &mut diags);
    assert_eq!(diags.len(), 1);
    assert_eq!(
        diags[0].message,
        "invalid interpolation format for x[0].a: ${foo!}"
    );
}
