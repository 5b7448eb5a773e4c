//! The four catalogs agree with each other and with the generated keys: same message ids in
//! the same files, same variables, no syntax errors; plus plurals and language detection.

use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast;
use hotline_i18n::{Args, Key, Lang, tr, tr_args};

/// The files of every language: the runtime texts, then the setup bot's.
const FILES: [&str; 2] = ["hotline.ftl", "setup.ftl"];

/// Each language's sources, in the order of [`FILES`].
const CATALOGS: [(&str, [&str; 2]); 4] = [
    (
        "en",
        [
            include_str!("../locales/en/hotline.ftl"),
            include_str!("../locales/en/setup.ftl"),
        ],
    ),
    (
        "ru",
        [
            include_str!("../locales/ru/hotline.ftl"),
            include_str!("../locales/ru/setup.ftl"),
        ],
    ),
    (
        "es",
        [
            include_str!("../locales/es/hotline.ftl"),
            include_str!("../locales/es/setup.ftl"),
        ],
    ),
    (
        "de",
        [
            include_str!("../locales/de/hotline.ftl"),
            include_str!("../locales/de/setup.ftl"),
        ],
    ),
];

type Messages = BTreeMap<&'static str, BTreeSet<&'static str>>;

/// Every file of a language, each with its messages, as `("ru/setup.ftl", messages)`.
fn files(code: &str, sources: [&'static str; 2]) -> Vec<(String, Messages)> {
    FILES
        .iter()
        .zip(sources)
        .map(|(file, source)| {
            let label = format!("{code}/{file}");
            let messages = messages(&label, source);
            (label, messages)
        })
        .collect()
}

/// All messages of a language, across its files (an id may be defined in one file only).
fn language(code: &str, sources: [&'static str; 2]) -> Messages {
    let mut all = Messages::new();
    for (label, messages) in files(code, sources) {
        for (id, variables) in messages {
            let previous = all.insert(id, variables);
            assert!(previous.is_none(), "{label}: {id} is also in another file");
        }
    }
    all
}

/// Message id → the variables its value uses (selectors and variants included).
fn messages(code: &str, source: &'static str) -> Messages {
    let resource = match fluent_syntax::parser::parse(source) {
        Ok(resource) => resource,
        Err((_, errors)) => panic!("{code}: parse errors: {errors:?}"),
    };
    let mut messages = BTreeMap::new();
    for entry in resource.body {
        match entry {
            ast::Entry::Message(message) => {
                let value = message
                    .value
                    .unwrap_or_else(|| panic!("{code}: {} has no value", message.id.name));
                assert!(
                    message.attributes.is_empty(),
                    "{code}: {} has attributes",
                    message.id.name
                );
                let mut variables = BTreeSet::new();
                pattern_variables(&value, &mut variables);
                let previous = messages.insert(message.id.name, variables);
                assert!(
                    previous.is_none(),
                    "{code}: {} is defined twice",
                    message.id.name
                );
            }
            ast::Entry::Junk { content } => panic!("{code}: junk: {content}"),
            ast::Entry::Term(term) => panic!("{code}: unexpected term -{}", term.id.name),
            _ => {}
        }
    }
    messages
}

fn pattern_variables<'s>(pattern: &ast::Pattern<&'s str>, out: &mut BTreeSet<&'s str>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, out);
        }
    }
}

fn expression_variables<'s>(expression: &ast::Expression<&'s str>, out: &mut BTreeSet<&'s str>) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, out);
            for variant in variants {
                pattern_variables(&variant.value, out);
            }
        }
        ast::Expression::Inline(inline) => inline_variables(inline, out),
    }
}

fn inline_variables<'s>(inline: &ast::InlineExpression<&'s str>, out: &mut BTreeSet<&'s str>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name);
        }
        ast::InlineExpression::FunctionReference { arguments, .. }
        | ast::InlineExpression::TermReference {
            arguments: Some(arguments),
            ..
        } => {
            for positional in &arguments.positional {
                inline_variables(positional, out);
            }
            for named in &arguments.named {
                inline_variables(&named.value, out);
            }
        }
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, out),
        _ => {}
    }
}

#[test]
fn every_catalog_parses_without_errors() {
    for (code, sources) in CATALOGS {
        for (label, messages) in files(code, sources) {
            assert!(!messages.is_empty(), "{label} is empty");
        }
    }
}

#[test]
fn the_generated_keys_match_the_english_catalog() {
    let english = language("en", CATALOGS[0].1);
    let ids: BTreeSet<&str> = Key::ALL.iter().map(|key| key.id()).collect();
    assert_eq!(ids.len(), Key::ALL.len(), "duplicate keys");
    assert_eq!(ids, english.keys().copied().collect());
    for &key in Key::ALL {
        let expected: Vec<&str> = english[key.id()].iter().copied().collect();
        assert_eq!(key.variables(), expected.as_slice(), "{}", key.id());
        let camel: String = key
            .id()
            .split('-')
            .map(|part| part[..1].to_uppercase() + &part[1..])
            .collect();
        assert_eq!(format!("{key:?}"), camel);
    }
    assert_eq!(Key::NoticeDelNeedsReply.id(), "notice-del-needs-reply");
    assert_eq!(Key::NoticeAutoclosed.variables(), ["hours"]);
    assert!(Key::CardHeader.variables().is_empty());
    assert_eq!(Key::SetupTokenTaken.id(), "setup-token-taken");
    assert_eq!(Key::SetupTokenTaken.variables(), ["bot", "id"]);
    // Catalog order: every runtime text, then every setup bot text.
    let runtime = files("en", CATALOGS[0].1)[0].1.len();
    assert_eq!(Key::ALL[runtime - 1], Key::AlertBusinessNoReply);
    assert_eq!(Key::ALL[runtime], Key::SetupStart);
}

#[test]
fn every_catalog_has_exactly_the_english_messages_and_variables() {
    let english = files("en", CATALOGS[0].1);
    for (code, sources) in &CATALOGS[1..] {
        // Per file, so that a message sits in the same file in every language.
        for ((_, english), (label, catalog)) in english.iter().zip(files(code, *sources)) {
            let missing: Vec<_> = english
                .keys()
                .filter(|id| !catalog.contains_key(*id))
                .collect();
            let extra: Vec<_> = catalog
                .keys()
                .filter(|id| !english.contains_key(*id))
                .collect();
            assert!(missing.is_empty(), "{label} lacks {missing:?}");
            assert!(extra.is_empty(), "{label} has extra {extra:?}");
            for (id, variables) in english {
                assert_eq!(
                    &catalog[id], variables,
                    "{label}: {id} uses other variables"
                );
            }
        }
        language(code, *sources);
    }
}

#[test]
fn no_text_has_isolation_marks() {
    let args = Args::new()
        .str("name", "Ann Lee")
        .str("error", "Bad Request: chat not found")
        .num("hours", 5)
        .num("count", 2)
        .str("command", "/stats");
    for lang in Lang::ALL {
        for &key in Key::ALL {
            let text = tr_args(lang, key, &args);
            assert!(
                !text.contains(['\u{2068}', '\u{2069}']),
                "{}: {}",
                lang.code(),
                key.id()
            );
        }
    }
}

#[test]
fn russian_hours_use_one_few_many() {
    let hours = |n| {
        tr_args(
            Lang::Ru,
            Key::NoticeAutoclosed,
            &Args::new().num("hours", n),
        )
    };
    assert_eq!(
        hours(1),
        "⬛ Диалог закрыт автоматически: клиент не писал 1 час."
    );
    assert_eq!(
        hours(2),
        "⬛ Диалог закрыт автоматически: клиент не писал 2 часа."
    );
    assert_eq!(
        hours(5),
        "⬛ Диалог закрыт автоматически: клиент не писал 5 часов."
    );
    assert_eq!(
        hours(21),
        "⬛ Диалог закрыт автоматически: клиент не писал 21 час."
    );
    assert!(hours(11).ends_with(" 11 часов."));
    assert!(hours(24).ends_with(" 24 часа."));
}

#[test]
fn english_plurals() {
    let hours = |n| {
        tr_args(
            Lang::En,
            Key::NoticeAutoclosed,
            &Args::new().num("hours", n),
        )
    };
    assert!(hours(1).ends_with(" for 1 hour."), "{}", hours(1));
    assert!(hours(48).ends_with(" for 48 hours."), "{}", hours(48));
    let sent = |n| {
        tr_args(
            Lang::En,
            Key::CardSentPrivately,
            &Args::new().num("count", n),
        )
    };
    assert!(sent(1).contains(" to 1 member allowed"), "{}", sent(1));
    assert!(sent(3).contains(" to 3 members allowed"), "{}", sent(3));
}

#[test]
fn the_connection_count_selects_zero_one_and_many_in_every_language() {
    let start = |lang, n| tr_args(lang, Key::SetupStart, &Args::new().num("count", n));
    for lang in Lang::ALL {
        let [zero, one, two, many] = [0, 1, 2, 21].map(|n| start(lang, n));
        assert_ne!(zero, one, "{}", lang.code());
        assert_ne!(one, two, "{}", lang.code());
        assert!(!zero.contains('0'), "{}: {zero}", lang.code());
        assert!(two.ends_with("(2):"), "{}: {two}", lang.code());
        assert!(many.ends_with("(21):"), "{}: {many}", lang.code());
    }
    assert!(start(Lang::En, 0).ends_with("to connect your bot."));
    assert!(start(Lang::En, 1).ends_with("\n\nYour connection:"));
    assert!(start(Lang::Ru, 1).ends_with("\n\nВаше подключение:"));
}

#[test]
fn russian_setup_numbers_agree() {
    let range = |max| {
        tr_args(
            Lang::Ru,
            Key::ErrorHoursRange,
            &Args::new()
                .str("fragment", "0")
                .num("min", 1)
                .num("max", max),
        )
    };
    assert!(range(48).ends_with("от 1 до 48 часов."), "{}", range(48));
    assert!(range(21).ends_with("от 1 до 21 часа."), "{}", range(21));
    let long = |len| {
        tr_args(
            Lang::Ru,
            Key::ErrorTooLong,
            &Args::new().num("len", len).num("max", 20),
        )
    };
    assert!(long(21).contains(" 21 символ,"), "{}", long(21));
    assert!(long(22).contains(" 22 символа,"), "{}", long(22));
    assert!(long(25).contains(" 25 символов,"), "{}", long(25));
}

#[test]
fn plain_messages() {
    assert_eq!(tr(Lang::En, Key::RoleSupervisor), "supervisor");
    assert_eq!(tr(Lang::De, Key::RoleObserver), "Beobachter");
    assert_eq!(
        tr_args(Lang::En, Key::CardId, &Args::new().num("id", 7_012_345_678)),
        "ID: 7012345678"
    );
}

#[test]
fn languages_from_telegram_codes() {
    assert_eq!(Lang::from_telegram(None), Lang::En);
    assert_eq!(Lang::from_telegram(Some("ru")), Lang::Ru);
    assert_eq!(Lang::from_telegram(Some("de-AT")), Lang::De);
    assert_eq!(Lang::from_telegram(Some("pt-br")), Lang::En);
    assert_eq!(Lang::from_telegram(Some("ES")), Lang::Es);
    assert_eq!(Lang::from_telegram(Some("")), Lang::En);
    assert_eq!(Lang::from_telegram(Some("english")), Lang::En);
}

#[test]
fn language_codes_round_trip() {
    for lang in Lang::ALL {
        assert_eq!(Lang::parse(lang.code()), Some(lang));
    }
    assert_eq!(Lang::parse(" DE "), Some(Lang::De));
    assert_eq!(Lang::parse("de-AT"), None);
    assert_eq!(Lang::parse(""), None);
    assert_eq!(Lang::default(), Lang::En);
    let codes: Vec<&str> = Lang::ALL.iter().map(|lang| lang.code()).collect();
    assert_eq!(codes, ["en", "ru", "es", "de"]);
}
