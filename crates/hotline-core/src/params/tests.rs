//! Unit tests of the connection parameters, including the parse/render round-trip properties.

use super::*;
use proptest::prelude::*;

use crate::params::keywords::fragment;
use crate::roles::UserId;

fn parse(name: ParamName, text: &str) -> Result<ParamValue, ParamError> {
    ParamValue::parse(name, text)
}

fn chats(ids: &[i64]) -> BTreeSet<ChatId> {
    ids.iter().copied().map(ChatId).collect()
}

#[test]
fn names_round_trip() {
    assert_eq!(ParamName::ALL.len(), 20);
    for n in ParamName::ALL {
        assert_eq!(ParamName::parse(n.as_str()), Some(n));
        assert_eq!(ParamName::parse(&n.as_str().to_lowercase()), Some(n));
        assert_eq!(parse(n, " ").unwrap_err(), ParamError::Blank);
    }
    assert_eq!(ParamName::parse(" hide_Info "), Some(ParamName::HideInfo));
    assert_eq!(ParamName::parse("HIDE-INFO"), None);
    let unique: BTreeSet<_> = ParamName::ALL.into_iter().collect();
    assert_eq!(unique.len(), 20);
}

#[test]
fn defaults_are_the_products() {
    let p = Params::default();
    assert_eq!(
        p.welcome.as_ref().map(WelcomeText::as_str),
        Some(DEFAULT_WELCOME)
    );
    assert_eq!(p.autoclose.map(AutocloseHours::get), Some(48));
    assert_eq!(p.extensions_allowed, Members::Admin);
    assert_eq!(p.ignore_chats, chats(&[777000]));
    assert!(p.monitor_private && !p.monitor_groups && !p.monitor_channels);
    assert_eq!(p.icon_color.rgb(), 0x6FB9F0);
    assert!(p.plan_refusals(Plan::Free).is_empty());
    let rendered: Vec<(ParamName, String)> = p.to_pairs();
    let text: Vec<(&str, &str)> = rendered
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        text,
        vec![
            ("WELCOME", DEFAULT_WELCOME),
            ("AUTOCLOSE", "48"),
            ("AUTO_INFO", "off"),
            ("EXTENSIONS_ALLOWED", "OFF"),
            ("SILENT_MODE", "off"),
            ("IGNORE_CHATS", "777000"),
            ("WHITE_LIST", "OFF"),
            ("HIDE_INFO", "OFF"),
            ("REPLY_ONLY", "off"),
            ("LEAVE_CLOSED", "OFF"),
            ("PRIVATE_KEYWORDS", "OFF"),
            ("GROUPS_KEYWORDS", "OFF"),
            ("CHANNELS_KEYWORDS", "OFF"),
            ("RESTRICTED_KEYWORDS_FRONTEND", "OFF"),
            ("MONITOR_PRIVATE", "on"),
            ("MONITOR_GROUPS", "off"),
            ("MONITOR_CHANNELS", "off"),
            ("WEBHOOKS", "OFF"),
            ("CUSTOM_COMMANDS", "OFF"),
            ("ICON_COLOR", "blue"),
        ]
    );
    assert_eq!(p.policy(Plan::Free), Policy::default());
}

#[test]
fn switches() {
    for (text, want) in [
        ("on", true),
        ("ON", true),
        (" Yes ", true),
        ("true", true),
        ("1", true),
        ("off", false),
        ("No", false),
        ("FALSE", false),
        ("0", false),
    ] {
        assert_eq!(
            parse(ParamName::AutoInfo, text),
            Ok(ParamValue::AutoInfo(want))
        );
    }
    for bad in ["2", "onn", "да", "enable", "yes please"] {
        assert_eq!(
            parse(ParamName::SilentMode, bad),
            Err(ParamError::NotOnOff(bad.into()))
        );
    }
}

#[test]
fn welcome() {
    let v = parse(
        ParamName::Welcome,
        "  Hi {title}, <b>welcome</b>!\nLine 2  ",
    )
    .unwrap();
    assert_eq!(v.render(), "Hi {title}, <b>welcome</b>!\nLine 2");
    assert_eq!(
        parse(ParamName::Welcome, "off"),
        Ok(ParamValue::Welcome(None))
    );
    let max = "я".repeat(MAX_WELCOME_CHARS);
    assert!(parse(ParamName::Welcome, &max).is_ok());
    assert_eq!(
        parse(ParamName::Welcome, &format!("{max}!")),
        Err(ParamError::TooLong {
            max: MAX_WELCOME_CHARS,
            len: MAX_WELCOME_CHARS + 1
        })
    );
    assert_eq!(
        WelcomeText::new(" Off "),
        Err(ParamError::ReservedWord("Off".into()))
    );
    // "OFF" with more text is a greeting.
    assert!(parse(ParamName::Welcome, "Off we go, {title}").is_ok());
}

#[test]
fn autoclose() {
    let h = |n| Ok(ParamValue::Autoclose(AutocloseHours::new(n)));
    assert_eq!(parse(ParamName::Autoclose, "24"), h(24));
    assert_eq!(parse(ParamName::Autoclose, " 12 h"), h(12));
    assert_eq!(parse(ParamName::Autoclose, "1H"), h(1));
    assert_eq!(parse(ParamName::Autoclose, "8760"), h(8760));
    assert_eq!(
        parse(ParamName::Autoclose, "OFF"),
        Ok(ParamValue::Autoclose(None))
    );
    for bad in ["-5", "1.5", "abc", "h", "12 hours", "1e3", "0x10"] {
        assert_eq!(
            parse(ParamName::Autoclose, bad),
            Err(ParamError::NotHours(bad.into())),
            "{bad}"
        );
    }
    for bad in ["0", "8761", "99999999999999999999"] {
        assert!(
            matches!(
                parse(ParamName::Autoclose, bad),
                Err(ParamError::HoursOutOfRange {
                    min: 1,
                    max: 8760,
                    ..
                })
            ),
            "{bad}"
        );
    }
}

#[test]
fn extensions_allowed() {
    let p = |t| parse(ParamName::ExtensionsAllowed, t);
    assert_eq!(p("."), Ok(ParamValue::ExtensionsAllowed(Members::Everyone)));
    assert_eq!(p("OFF"), Ok(ParamValue::ExtensionsAllowed(Members::Admin)));
    assert_eq!(
        p(r#"42, "7", 42"#),
        Ok(ParamValue::ExtensionsAllowed(Members::ids([
            UserId(7),
            UserId(42)
        ])))
    );
    assert_eq!(p("42, 7").unwrap().render(), "7, 42");
    assert_eq!(
        p("5, ."),
        Ok(ParamValue::ExtensionsAllowed(Members::Everyone))
    );
    assert_eq!(p("-100"), Err(ParamError::NotAnId("-100".into())));
    assert_eq!(p("@bob"), Err(ParamError::NotAnId("@bob".into())));
    assert_eq!(p("1,,2"), Err(ParamError::EmptyItem { position: 2 }));
    let m = Members::ids([UserId(5)]);
    assert!(m.allows(UserId(5), false) && !m.allows(UserId(6), false));
    assert!(m.allows(UserId(6), true));
    assert!(!Members::Admin.allows(UserId(5), false));
    assert!(Members::Everyone.allows(UserId(5), false));
    assert_eq!(Members::ids([]), Members::Admin);
}

#[test]
fn chat_lists() {
    let p = |t| parse(ParamName::IgnoreChats, t);
    assert_eq!(
        p("777000, -1001234567890, \"5\""),
        Ok(ParamValue::IgnoreChats(chats(&[-1001234567890, 5, 777000])))
    );
    assert_eq!(p("off"), Ok(ParamValue::IgnoreChats(BTreeSet::new())));
    assert_eq!(p("1, 1, 1").unwrap().render(), "1");
    for bad in ["0", "12a", "1.0", "9223372036854775808", "@chan", "~5"] {
        assert_eq!(p(bad), Err(ParamError::NotAnId(bad.into())), "{bad}");
    }
    assert_eq!(
        parse(ParamName::WhiteList, "-5"),
        Ok(ParamValue::WhiteList(chats(&[-5])))
    );
    assert_eq!(
        parse(ParamName::WhiteList, "[1]"),
        Err(ParamError::StrayBracket("[1]".into()))
    );
}

#[test]
fn sets() {
    let v = parse(ParamName::HideInfo, "Title, name, \"LINK\", name").unwrap();
    assert_eq!(v.render(), "name, link, title");
    assert_eq!(
        parse(ParamName::HideInfo, "name, phone"),
        Err(ParamError::UnknownOption {
            fragment: "phone".into(),
            allowed: HiddenInfo::WORDS
        })
    );
    let v = parse(ParamName::LeaveClosed, "channels, Private").unwrap();
    assert_eq!(
        v,
        ParamValue::LeaveClosed(
            [DialogKind::Channel, DialogKind::Private]
                .into_iter()
                .collect()
        )
    );
    assert_eq!(v.render(), "private, channel");
    assert_eq!(
        parse(ParamName::LeaveClosed, "OFF"),
        Ok(ParamValue::LeaveClosed(KindSet::EMPTY))
    );
    assert!(matches!(
        parse(ParamName::LeaveClosed, "supergroup"),
        Err(ParamError::UnknownOption { .. })
    ));
}

#[test]
fn keyword_params() {
    for name in [
        ParamName::PrivateKeywords,
        ParamName::GroupsKeywords,
        ParamName::ChannelsKeywords,
        ParamName::RestrictedKeywordsFrontend,
    ] {
        let v = parse(name, r#""buy", ["order", "~cancel"]"#).unwrap();
        assert_eq!(v.render(), "buy, [order, ~cancel]");
        assert_eq!(parse(name, "OFF").unwrap().render(), "OFF");
        assert_eq!(
            parse(name, "\"open"),
            Err(ParamError::UnclosedQuote("\"open".into()))
        );
    }
}

#[test]
fn custom_commands() {
    let v = parse(ParamName::CustomCommands, "/Price, faq_2, \"/track\"").unwrap();
    assert_eq!(v.render(), "/faq_2, /price, /track");
    assert_eq!(
        parse(ParamName::CustomCommands, "/close"),
        Err(ParamError::ReservedCommand("close".into()))
    );
    for bad in ["/", "a-b", "кмд", "/a b", &"x".repeat(33), "//x"] {
        assert_eq!(
            parse(ParamName::CustomCommands, bad),
            Err(ParamError::NotACommand(bad.to_string())),
            "{bad}"
        );
    }
    assert!(parse(ParamName::CustomCommands, &"x".repeat(32)).is_ok());
}

#[test]
fn icon_color() {
    let c = IconColor::parse;
    assert_eq!(c("Blue"), Ok(IconColor::Blue));
    assert_eq!(c("purple"), Ok(IconColor::Violet));
    assert_eq!(c("PINK"), Ok(IconColor::Rose));
    assert_eq!(c("#6FB9F0"), Ok(IconColor::Blue));
    assert_eq!(c("0xfb6f5f"), Ok(IconColor::Red));
    assert_eq!(c("8EEE98"), Ok(IconColor::Green));
    assert_eq!(c("ffd67e"), Ok(IconColor::Yellow));
    assert_eq!(c("#CB86DB"), Ok(IconColor::Violet));
    assert_eq!(c("#FF93B2"), Ok(IconColor::Rose));
    for bad in ["#000000", "orange", "#6FB9F", "0x6FB9F0F", "синий"] {
        assert_eq!(c(bad), Err(ParamError::UnknownColor(bad.into())), "{bad}");
    }
    for color in IconColor::ALL {
        assert_eq!(c(&format!("#{:06X}", color.rgb())), Ok(color));
        assert_eq!(c(color.as_str()), Ok(color));
    }
}

#[test]
fn webhooks_accepted() {
    let text = r#"{ "https://example.com/hook": ["dialog_created", "/Track", "dialog_created"],
                        "HTTP://10.0.0.1:8080/x?a=1": ["message_sent"] }"#;
    let ParamValue::Webhooks(w) = parse(ParamName::Webhooks, text).unwrap() else {
        panic!()
    };
    assert_eq!(
        w.render(),
        r#"{"http://10.0.0.1:8080/x?a=1": ["message_sent"], "https://example.com/hook": ["dialog_created", "/track"]}"#
    );
    let created = WebhookTrigger::Event(WebhookEvent::DialogCreated);
    let urls: Vec<&str> = w.urls_for(&created).map(WebhookUrl::as_str).collect();
    assert_eq!(urls, vec!["https://example.com/hook"]);
    assert!(parse(ParamName::Webhooks, "{}").unwrap().render() == "OFF");
    assert!(parse(ParamName::Webhooks, "off").unwrap().render() == "OFF");
    // Typographic quotes and JSON escapes.
    let v = parse(
        ParamName::Webhooks,
        "{“https://a.io/\\u0068”: [“dialog_closed”]}",
    )
    .unwrap();
    assert_eq!(v.render(), r#"{"https://a.io/h": ["dialog_closed"]}"#);
    assert!(WebhookUrl::parse("https://[::1]:443/x").is_ok());
    assert!(WebhookUrl::parse("https://user:pw@host.example").is_ok());
    assert!(WebhookUrl::parse("https://пример.рф/").is_ok());
}

#[test]
fn webhooks_refused() {
    use JsonToken::*;
    let e = |t| parse(ParamName::Webhooks, t).unwrap_err();
    let syntax = |expected, fragment: &str| ParamError::JsonSyntax {
        expected,
        fragment: fragment.into(),
    };
    assert_eq!(e("https://a.io"), syntax(ObjectStart, "https://a.io"));
    assert_eq!(e(r#"{"https://a.io" ["x"]}"#), syntax(Colon, r#"["x"]}"#));
    assert_eq!(
        e(r#"{"https://a.io": "dialog_closed"}"#),
        syntax(ArrayStart, r#""dialog_closed"}"#)
    );
    assert_eq!(
        e(r#"{"https://a.io": ["dialog_closed" "x"]}"#),
        syntax(CommaOrArrayEnd, r#""x"]}"#)
    );
    assert_eq!(
        e(r#"{"https://a.io": ["dialog_closed"] "#),
        syntax(CommaOrObjectEnd, "")
    );
    assert_eq!(e(r#"{"https://a.io": [1]}"#), syntax(String, "1]}"));
    assert_eq!(
        e(r#"{"https://a.io": ["dialog_closed"]} x"#),
        syntax(End, "x")
    );
    assert_eq!(
        e(r#"{"https://a.io\q": ["dialog_closed"]}"#),
        syntax(Escape, r#"q": ["dialog_closed"]}"#)
    );
    assert_eq!(
        e(r#"{"https://a.io": ["dialog_closed]}"#),
        ParamError::UnclosedQuote(r#""dialog_closed]}"#.into())
    );
    assert_eq!(
        e(r#"{"https://a.io": ["dialog_opened"]}"#),
        ParamError::UnknownEvent("dialog_opened".into())
    );
    assert_eq!(
        e(r#"{"https://a.io": ["/bad-cmd"]}"#),
        ParamError::NotACommand("/bad-cmd".into())
    );
    assert_eq!(
        e(r#"{"https://a.io": []}"#),
        ParamError::NoEvents("https://a.io".into())
    );
    assert_eq!(
        e(r#"{"https://a.io": ["message_sent"], "HTTPS://a.io": ["dialog_closed"]}"#),
        ParamError::DuplicateUrl("https://a.io".into())
    );
    for bad in [
        "ftp://a.io",
        "https://",
        "https:///path",
        "a.io/hook",
        "https://a b.io",
        "https://a.io:0/",
        "https://a.io:99999/",
        "https://a.io:x/",
        "javascript://%0aalert(1)",
        "https://a.io/\"",
    ] {
        assert_eq!(
            WebhookUrl::parse(bad),
            Err(ParamError::BadUrl(fragment(bad))),
            "{bad}"
        );
    }
}

#[test]
fn plan_limits() {
    let free = |name, text| parse(name, text).unwrap().check_plan(Plan::Free);
    let paid = |name, text| parse(name, text).unwrap().check_plan(Plan::Paid);
    assert_eq!(
        free(ParamName::Welcome, "OFF"),
        Err(PlanRefusal::WelcomeRequired)
    );
    assert_eq!(paid(ParamName::Welcome, "OFF"), Ok(()));
    assert_eq!(free(ParamName::Autoclose, "48"), Ok(()));
    assert_eq!(
        free(ParamName::Autoclose, "49"),
        Err(PlanRefusal::AutocloseTooLong {
            max: 48,
            requested: Some(49)
        })
    );
    assert_eq!(
        free(ParamName::Autoclose, "OFF"),
        Err(PlanRefusal::AutocloseTooLong {
            max: 48,
            requested: None
        })
    );
    assert_eq!(paid(ParamName::Autoclose, "500"), Ok(()));
    for (name, value) in [
        (ParamName::HideInfo, "name"),
        (ParamName::LeaveClosed, "group"),
        (
            ParamName::Webhooks,
            r#"{"https://a.io": ["dialog_closed"]}"#,
        ),
    ] {
        assert!(name.is_paid_only());
        let refusal = free(name, value).unwrap_err();
        assert_eq!(refusal, PlanRefusal::PaidOnly(name));
        assert_eq!(refusal.param(), name);
        assert_eq!(free(name, "OFF"), Ok(()));
        assert_eq!(paid(name, value), Ok(()));
    }
    assert_eq!(free(ParamName::IgnoreChats, "1, 2"), Ok(()));
}

#[test]
fn set_changes_nothing_on_error() {
    let mut p = Params::default();
    let before = p.clone();
    for (name, text) in [
        (ParamName::Autoclose, "zero"),
        (ParamName::Autoclose, "72"),
        (ParamName::Welcome, "OFF"),
        (ParamName::HideInfo, "name"),
        (ParamName::IgnoreChats, "1, x"),
        (ParamName::PrivateKeywords, "\"buy"),
        (ParamName::Webhooks, "{"),
        (ParamName::IconColor, "black"),
        (ParamName::MonitorGroups, "maybe"),
        (ParamName::WhiteList, ""),
    ] {
        assert!(p.set(name, text, Plan::Free).is_err(), "{name} {text}");
        assert_eq!(p, before);
    }
    assert_eq!(
        p.set(ParamName::Autoclose, "72", Plan::Free),
        Err(SetError::Plan(PlanRefusal::AutocloseTooLong {
            max: 48,
            requested: Some(72)
        }))
    );
    assert_eq!(
        p.set(ParamName::IconColor, "black", Plan::Paid),
        Err(SetError::Invalid(ParamError::UnknownColor("black".into())))
    );
    p.set(ParamName::Autoclose, "72", Plan::Paid).unwrap();
    p.set(ParamName::MonitorGroups, "yes", Plan::Free).unwrap();
    p.set(ParamName::IgnoreChats, "OFF", Plan::Free).unwrap();
    assert_eq!(p.render(ParamName::Autoclose), "72");
    assert!(p.monitor_groups);
    assert!(p.ignore_chats.is_empty());
}

#[test]
fn downgrade_keeps_values_but_not_their_effect() {
    let mut p = Params::default();
    p.set(ParamName::Welcome, "OFF", Plan::Paid).unwrap();
    p.set(ParamName::Autoclose, "OFF", Plan::Paid).unwrap();
    p.set(ParamName::HideInfo, "name", Plan::Paid).unwrap();
    p.set(ParamName::LeaveClosed, "group", Plan::Paid).unwrap();
    p.set(ParamName::PrivateKeywords, "buy", Plan::Paid)
        .unwrap();
    p.set(
        ParamName::Webhooks,
        r#"{"https://a.io": ["dialog_closed"]}"#,
        Plan::Paid,
    )
    .unwrap();
    let refused: Vec<ParamName> = p
        .plan_refusals(Plan::Free)
        .into_iter()
        .map(PlanRefusal::param)
        .collect();
    assert_eq!(
        refused,
        vec![
            ParamName::Welcome,
            ParamName::Autoclose,
            ParamName::HideInfo,
            ParamName::LeaveClosed,
            ParamName::Webhooks
        ]
    );
    let e = p.effective(Plan::Free);
    assert!(e.plan_refusals(Plan::Free).is_empty());
    assert_eq!(e.autoclose.map(AutocloseHours::get), Some(48));
    assert_eq!(p.effective(Plan::Paid), p);
    let policy = p.policy(Plan::Paid);
    assert_eq!(policy.autoclose_hours, None);
    assert!(!policy.welcome_enabled);
    assert_eq!(policy.leave_closed, KindSet::only(DialogKind::Group));
    assert_eq!(policy.keyword_gated, KindSet::only(DialogKind::Private));
    let policy = p.policy(Plan::Free);
    assert_eq!(policy.autoclose_hours, Some(48));
    assert!(policy.welcome_enabled);
    assert_eq!(policy.leave_closed, KindSet::EMPTY);
}

#[test]
fn welcome_text_substitutes_and_brands() {
    let mut p = Params::default();
    p.set(ParamName::Welcome, "Hi {title}! {title}?", Plan::Free)
        .unwrap();
    assert_eq!(
        p.welcome_text(Plan::Paid, Some("Powered by X"), "Ann"),
        Some("Hi Ann! Ann?".into())
    );
    assert_eq!(
        p.welcome_text(Plan::Free, Some("Powered by X"), "Ann"),
        Some("Hi Ann! Ann?\n\nPowered by X".into())
    );
    assert_eq!(
        p.welcome_text(Plan::Free, None, "Ann"),
        Some("Hi Ann! Ann?".into())
    );
    p.set(ParamName::Welcome, "OFF", Plan::Paid).unwrap();
    assert_eq!(p.welcome_text(Plan::Paid, Some("B"), "Ann"), None);
    assert_eq!(
        p.welcome_text(Plan::Free, Some("B"), "Ann"),
        Some("Hello, Ann! Please describe your question and we will answer soon.\n\nB".into())
    );
}

#[test]
fn pairs_round_trip_and_tolerate_unknown_names() {
    let mut p = Params::default();
    p.set(
        ParamName::Welcome,
        "Привет, {title}!\n\"Quotes\", commas",
        Plan::Paid,
    )
    .unwrap();
    p.set(ParamName::ExtensionsAllowed, ".", Plan::Paid)
        .unwrap();
    p.set(
        ParamName::GroupsKeywords,
        r#"["a,b", "~\"c\""]"#,
        Plan::Paid,
    )
    .unwrap();
    let pairs = p.to_pairs();
    assert_eq!(Params::from_pairs(pairs.clone()), Ok(p.clone()));
    let mut stored: Vec<(String, String)> = pairs
        .into_iter()
        .map(|(n, v)| (n.as_str().to_lowercase(), v))
        .collect();
    stored.push(("SOME_FUTURE_PARAM".into(), "whatever".into()));
    assert_eq!(Params::from_pairs(stored), Ok(p));
    assert_eq!(
        Params::from_pairs([("AUTOCLOSE", "x")]),
        Err(PairsError {
            name: ParamName::Autoclose,
            error: ParamError::NotHours("x".into())
        })
    );
    assert_eq!(
        Params::from_pairs(Vec::<(String, String)>::new()),
        Ok(Params::default())
    );
}

#[test]
fn errors_display_for_logs() {
    let e = SetError::from(ParamError::NotAnId("x".into()));
    assert_eq!(e.to_string(), "not an id: \"x\"");
    let e = SetError::from(PlanRefusal::PaidOnly(ParamName::Webhooks));
    assert_eq!(e.to_string(), "WEBHOOKS needs a paid plan");
}

// ---- property tests: parse(render(v)) == v for every kind ----

fn any_keywords() -> impl Strategy<Value = KeywordList> {
    let word = (
        prop_oneof!["[a-z]{1,5}", "[a-zA-Zа-яЁß ,\"\\[\\]~\\\\“”«»😀]{1,8}",],
        any::<bool>(),
    )
        .prop_map(|(t, n)| crate::params::keywords::Keyword::new(t, n).unwrap());
    prop::collection::vec(prop::collection::vec(word, 1..3), 0..4).prop_map(|items| {
        KeywordList::new(
            items
                .into_iter()
                .map(|w| crate::params::keywords::KeywordItem::new(w).unwrap())
                .collect(),
        )
    })
}

fn any_command() -> impl Strategy<Value = CommandName> {
    "[a-z0-9_]{1,32}".prop_map(|s| CommandName::parse(&s).unwrap())
}

fn any_webhooks() -> impl Strategy<Value = Webhooks> {
    let url =
        "https?://[a-z0-9-]{1,10}(\\.[a-z]{2,5})?(:[1-9][0-9]{0,3})?(/[a-zA-Z0-9_./?=&%-]{0,20})?"
            .prop_map(|s| WebhookUrl::parse(&s).unwrap());
    let trigger = prop_oneof![
        prop::sample::select(WebhookEvent::ALL.to_vec()).prop_map(WebhookTrigger::Event),
        any_command().prop_map(WebhookTrigger::Command),
    ];
    prop::collection::btree_map(url, prop::collection::btree_set(trigger, 1..4), 0..4)
        .prop_map(|m| Webhooks::new(m).unwrap())
}

fn any_kinds() -> impl Strategy<Value = KindSet> {
    (any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(private, group, channel)| KindSet {
        private,
        group,
        channel,
    })
}

fn any_value() -> impl Strategy<Value = ParamValue> {
    let chat_ids = prop::collection::btree_set(
        any::<i64>()
            .prop_filter("nonzero", |i| *i != 0)
            .prop_map(ChatId),
        0..5,
    );
    prop_oneof![
        prop::option::of("\\PC{1,60}".prop_filter_map("valid", |s| WelcomeText::new(&s).ok()))
            .prop_map(ParamValue::Welcome),
        prop::option::of((1u32..=8760).prop_map(|h| AutocloseHours::new(h).unwrap()))
            .prop_map(ParamValue::Autoclose),
        any::<bool>().prop_map(ParamValue::AutoInfo),
        any::<bool>().prop_map(ParamValue::MonitorChannels),
        prop_oneof![
            Just(Members::Admin),
            Just(Members::Everyone),
            prop::collection::btree_set((1..i64::MAX).prop_map(UserId), 1..5)
                .prop_map(Members::Ids),
        ]
        .prop_map(ParamValue::ExtensionsAllowed),
        chat_ids.clone().prop_map(ParamValue::IgnoreChats),
        chat_ids.prop_map(ParamValue::WhiteList),
        prop::collection::btree_set(prop::sample::select(HiddenInfo::ALL.to_vec()), 0..4)
            .prop_map(ParamValue::HideInfo),
        any_kinds().prop_map(ParamValue::LeaveClosed),
        any_keywords().prop_map(ParamValue::PrivateKeywords),
        any_keywords().prop_map(ParamValue::RestrictedKeywordsFrontend),
        any_webhooks().prop_map(ParamValue::Webhooks),
        prop::collection::btree_set(
            any_command().prop_filter("not reserved", |c| !c.is_hotline_command()),
            0..5
        )
        .prop_map(ParamValue::CustomCommands),
        prop::sample::select(IconColor::ALL.to_vec()).prop_map(ParamValue::IconColor),
    ]
}

proptest! {
    #[test]
    fn every_value_round_trips(v in any_value()) {
        let text = v.render();
        prop_assert_eq!(ParamValue::parse(v.name(), &text), Ok(v));
    }

    #[test]
    fn whole_params_round_trip(values in prop::collection::vec(any_value(), 0..12)) {
        let mut p = Params::default();
        for v in values {
            p.apply(v);
        }
        prop_assert_eq!(Params::from_pairs(p.to_pairs()), Ok(p));
    }

    #[test]
    fn set_is_all_or_nothing(
        name in prop::sample::select(ParamName::ALL.to_vec()),
        text in "\\PC{0,30}",
        free in any::<bool>(),
    ) {
        let plan = if free { Plan::Free } else { Plan::Paid };
        let mut p = Params::default();
        let before = p.clone();
        match p.set(name, &text, plan) {
            Ok(()) => {
                let v = ParamValue::parse(name, &text).unwrap();
                prop_assert_eq!(p.get(name), v.clone());
                prop_assert_eq!(v.check_plan(plan), Ok(()));
                // What was stored renders to text that parses back to it.
                prop_assert_eq!(ParamValue::parse(name, &p.render(name)), Ok(v));
            }
            Err(_) => prop_assert_eq!(p, before),
        }
    }

    #[test]
    fn ids_parse_in_any_spelling(ids in prop::collection::vec(any::<i64>().prop_filter("nonzero", |i| *i != 0), 1..6)) {
        let text = ids.iter().map(|i| format!(" \"{i}\" ")).collect::<Vec<_>>().join(",");
        let want: BTreeSet<ChatId> = ids.iter().copied().map(ChatId).collect();
        prop_assert_eq!(parse(ParamName::WhiteList, &text), Ok(ParamValue::WhiteList(want)));
    }

    #[test]
    fn effective_always_fits_the_plan(values in prop::collection::vec(any_value(), 0..12)) {
        let mut p = Params::default();
        for v in values {
            p.apply(v);
        }
        prop_assert!(p.effective(Plan::Free).plan_refusals(Plan::Free).is_empty());
        prop_assert!(p.welcome_text(Plan::Free, None, "x").is_some());
    }
}
