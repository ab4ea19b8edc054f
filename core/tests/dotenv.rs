//! `.env` conformance: cases rewritten from compose-go's dotenv tests and fixtures
//! (dotenv/godotenv_test.go TestParsing, TestExpanding, TestLoadQuotedEnv, TestLinesToIgnore) as
//! summarised in reference/compose-and-peers.md §1.3. Expected values checked by hand against
//! the parser rules described there.

use std::collections::BTreeMap;

use composex_core::compose::dotenv::parse;

fn no_env() -> BTreeMap<String, String> {
    BTreeMap::new()
}

/// (text, key, expected value)
const LINES: &[(&str, &str, &str)] = &[
    ("FOO=bar", "FOO", "bar"),
    ("FOO =bar", "FOO", "bar"),
    ("FOO= bar", "FOO", "bar"),
    ("FOO=\"bar\"", "FOO", "bar"),
    ("FOO='bar'", "FOO", "bar"),
    ("FOO=\"escaped\\\"bar\"", "FOO", "escaped\"bar"),
    ("FOO=\"'d'\"", "FOO", "'d'"),
    ("OPTION_A: 1", "OPTION_A", "1"),
    ("OPTION_A: Foo=bar", "OPTION_A", "Foo=bar"),
    ("OPTION_A=1:B", "OPTION_A", "1:B"),
    ("export OPTION_A=2", "OPTION_A", "2"),
    ("export OPTION_B='\\n'", "OPTION_B", "\\n"),
    ("export exportFoo=2", "exportFoo", "2"),
    ("exportFOO=2", "exportFOO", "2"),
    ("export_FOO =2", "export_FOO", "2"),
    ("export.FOO= 2", "export.FOO", "2"),
    ("export\tOPTION_A=2", "OPTION_A", "2"),
    ("  export OPTION_A=2", "OPTION_A", "2"),
    ("\texport OPTION_A=2", "OPTION_A", "2"),
    ("FOO=\"bar\\nbaz\"", "FOO", "bar\nbaz"),
    ("FOO.BAR=foobar", "FOO.BAR", "foobar"),
    ("FOO=foobar=", "FOO", "foobar="),
    ("FOO=bar ", "FOO", "bar"),
    ("FOO=bar # this is foo", "FOO", "bar"),
    ("FOO=bar#baz", "FOO", "bar#baz"),
    ("FOO=\"bar#baz\" # comment", "FOO", "bar#baz"),
    ("FOO='bar#baz' # comment", "FOO", "bar#baz"),
    ("FOO=\"bar#baz#bang\" # comment", "FOO", "bar#baz#bang"),
    ("FOO=\"ba#r\"", "FOO", "ba#r"),
    ("FOO='ba#r'", "FOO", "ba#r"),
    (" KEY =value", "KEY", "value"),
    ("   KEY=value", "KEY", "value"),
    ("\tKEY=value", "KEY", "value"),
    ("KEY=value\r\n", "KEY", "value"),
    ("OPTION_I = \"echo 'asd'\"", "OPTION_I", "echo 'asd'"),
    ("OPTION_H=\"\\n\"", "OPTION_H", "\n"),
    ("OPTION_G=\"\"", "OPTION_G", ""),
    ("OPTION_C=''", "OPTION_C", ""),
    ("OPTION_F=", "OPTION_F", ""),
    ("A='Let\\'s go!'", "A", "Let's go!"),
    ("A=\"tab\\there\"", "A", "tab\there"),
    ("A=\"back\\\\slash\"", "A", "back\\slash"),
    ("A=\"keep \\q unknown\"", "A", "keep \\q unknown"),
    ("A=\"octal \\0123\"", "A", "octal S"),
    ("A=\"foo\\$BAR\"", "A", "foo$BAR"),
    ("A=\"foo\\${BAR}\"", "A", "foo${BAR}"),
    ("A=$$literal", "A", "$literal"),
    ("\u{feff}BOM=yes", "BOM", "yes"),
    ("FOO[1]=x", "FOO[1]", "x"),
    ("my-var=x", "my-var", "x"),
];

#[test]
fn single_lines() {
    let mut failures = Vec::new();
    for (text, key, want) in LINES {
        let got = parse(text, 0, &no_env());
        if got.vars.get(*key).map(String::as_str) != Some(*want) || !got.diagnostics.is_empty() {
            failures.push(format!(
                "{text:?}: want {key}={want:?}, got {:?} {:?}",
                got.vars, got.diagnostics
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn quoted_values_span_lines() {
    let text = "OPTION_J='first line\nsecond line'\nOPTION_L=\"line 1\nline 2\"\nOPTION_M=\"this is \\\"quoted\\\"\nmore\"\nOPTION_Z=last value\n";
    let got = parse(text, 0, &no_env());
    assert!(got.diagnostics.is_empty(), "{:?}", got.diagnostics);
    assert_eq!(got.vars["OPTION_J"], "first line\nsecond line");
    assert_eq!(got.vars["OPTION_L"], "line 1\nline 2");
    assert_eq!(got.vars["OPTION_M"], "this is \"quoted\"\nmore");
    assert_eq!(got.vars["OPTION_Z"], "last value");
    assert_eq!(got.vars.len(), 4);
}

#[test]
fn blank_and_comment_lines_define_nothing() {
    for text in [
        "\n",
        "\r\n",
        "\t\t ",
        "# Comment",
        "\t # comment",
        "# a\n\n  # b\n",
    ] {
        let got = parse(text, 0, &no_env());
        assert!(
            got.vars.is_empty() && got.diagnostics.is_empty(),
            "{text:?}: {got:?}"
        );
    }
}

#[test]
fn expansion_uses_environment_then_earlier_entries() {
    // TestSubstitutions / TestExpanding
    let text = "OPTION_A=1\nOPTION_B=${OPTION_A}\nOPTION_C=$OPTION_B\nOPTION_D=${OPTION_A}${OPTION_B}\nOPTION_E=${OPTION_NOT_DEFINED}\n\
                Q=\"quote $OPTION_A\"\nS='quote $OPTION_A'\nT=\"foo\\${OPTION_A} ${OPTION_A}\"\nDEF=${NOPE:-fallback}\n";
    let got = parse(text, 0, &no_env());
    let want = [
        ("OPTION_A", "1"),
        ("OPTION_B", "1"),
        ("OPTION_C", "1"),
        ("OPTION_D", "11"),
        ("OPTION_E", ""),
        ("Q", "quote 1"),
        ("S", "quote $OPTION_A"),
        ("T", "foo${OPTION_A} 1"),
        ("DEF", "fallback"),
    ];
    for (k, v) in want {
        assert_eq!(got.vars.get(k).map(String::as_str), Some(v), "{k}");
    }
    // the one unset variable warns, at OPTION_E's value
    assert_eq!(got.diagnostics.len(), 1, "{:?}", got.diagnostics);
    assert_eq!(got.diagnostics[0].code, "CX202");
    let s = got.diagnostics[0].span.unwrap();
    assert_eq!(
        &text[s.start as usize..s.end as usize],
        "${OPTION_NOT_DEFINED}"
    );

    // the environment wins over an earlier entry of the file (TestSubstitutionsWithEnvFilePrecedence)
    let env = BTreeMap::from([("OPTION_A".to_string(), "from-env".to_string())]);
    let got = parse("OPTION_A=1\nOPTION_B=${OPTION_A}\n", 0, &env);
    assert_eq!(got.vars["OPTION_A"], "1");
    assert_eq!(got.vars["OPTION_B"], "from-env");
}

#[test]
fn bare_keys_inherit_from_the_environment() {
    let env = BTreeMap::from([("VAR_FROM_ENV".to_string(), "SOME_VALUE".to_string())]);
    let got = parse("VAR_FROM_ENV\nfoo=bar\nNOT_IN_ENV\nLAST", 0, &env);
    assert!(got.diagnostics.is_empty(), "{:?}", got.diagnostics);
    let want = BTreeMap::from([
        ("VAR_FROM_ENV".to_string(), "SOME_VALUE".to_string()),
        ("foo".to_string(), "bar".to_string()),
    ]);
    assert_eq!(got.vars, want);
}

#[test]
fn later_lines_win() {
    let got = parse("A=1\nA=2\n", 0, &no_env());
    assert_eq!(got.vars["A"], "2");
}

#[test]
fn errors_are_located_and_parsing_continues_after_a_bad_name() {
    let text = "GOOD=1\nlol$wut\nAFTER=2\n";
    let got = parse(text, 3, &no_env());
    assert_eq!(got.diagnostics.len(), 1, "{:?}", got.diagnostics);
    let d = &got.diagnostics[0];
    assert_eq!(
        (d.code, d.message.as_str()),
        ("CX295", "unexpected character '$' in variable name")
    );
    let s = d.span.unwrap();
    assert_eq!((s.file, &text[s.start as usize..s.end as usize]), (3, "$"));
    assert_eq!(got.vars.get("AFTER").map(String::as_str), Some("2"));

    let got = parse("MY KEY=1\n", 0, &no_env());
    assert_eq!(got.diagnostics[0].message, "key cannot contain a space");

    let text = "A=1\nB=\"never closed\nC=3\n";
    let got = parse(text, 0, &no_env());
    assert_eq!(got.diagnostics.len(), 1);
    let d = &got.diagnostics[0];
    assert_eq!(
        (d.code, d.message.as_str()),
        ("CX296", "unterminated quoted value")
    );
    let s = d.span.unwrap();
    assert_eq!(&text[s.start as usize..s.end as usize], "\"never closed");
    assert_eq!(got.vars.get("A").map(String::as_str), Some("1"));

    let got = parse("A=${REQ:?needed}\n", 0, &no_env());
    assert_eq!(
        got.diagnostics[0].message,
        "required variable REQ is missing a value: needed"
    );
}

#[test]
fn hostile_input_does_not_panic() {
    for text in [
        "\"",
        "'",
        "=",
        "A=\"\\",
        "A=\"\\0",
        "A=\"\\01",
        "é=1",
        "A=\u{feff}",
        "export",
        "export ",
        "\u{feff}",
        "A:\"x",
    ] {
        let _ = parse(text, 0, &no_env());
    }
}
