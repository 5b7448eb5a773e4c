//! Every screen and answer of the setup bot, snapshotted in all four languages, and checked
//! against Telegram's limits (4096 characters of text, 64 bytes of callback data).

#![allow(clippy::unwrap_used)] // test fixtures

use std::fmt::Write;

use hotline_app::config::ChangeError;
use hotline_app::connect::{ConnectError, Right};
use hotline_app::setup::business_screens as bs;
use hotline_app::setup::screens::{self, ConnView, Failure, RoleEntry, Screen, Status};
use hotline_app::setup::template_screens::{self as ts, TemplateView};
use hotline_core::UserId;
use hotline_core::params::{JsonToken, ParamError, ParamName, Plan, PlanRefusal, SetError};
use hotline_core::roles::Role;
use hotline_i18n::{Args, Key, Lang, tr, tr_args};
use hotline_telegram::TgError;
use hotline_telegram::business::{Link, Rights};

fn conn(id: i64, status: Status, plan: Plan) -> ConnView {
    ConnView {
        id,
        name: "@acme_support_bot → Acme Support".into(),
        bot: "acme_support_bot".into(),
        group: "Acme Support".into(),
        // What the runtime stores for each kind of failure.
        error: match status {
            Status::Error(Failure::Key) => Some(hotline_app::keys::UNDECRYPTABLE_TOKEN.into()),
            Status::Error(Failure::Token) => {
                Some("getMe: Telegram rejected the bot token (401 Unauthorized)".into())
            }
            Status::Error(Failure::Other) => {
                Some("getMe: Telegram did not answer: HTTP 502".into())
            }
            Status::Error(Failure::NotInGroup) => {
                Some(hotline_app::connect::GroupProblem::NotInGroup.to_status_error())
            }
            Status::Error(f @ Failure::Rights { .. }) => {
                Some(hotline_app::connect::GroupProblem::Missing(f.rights()).to_status_error())
            }
            _ => None,
        },
        status,
        api_key: "Vb3kQ9xR2mL7nP4sT8wY1zA6cD5eF0gH".into(),
        plan,
        business: None,
    }
}

/// Alice's business account as Telegram describes it.
fn link(enabled: bool, reply: bool) -> Link {
    Link {
        id: "bc_1_2".into(),
        owner: UserId(100000001),
        owner_name: "Alice Baker".into(),
        owner_username: Some("alice_baker".into()),
        enabled,
        rights: Rights {
            reply,
            read_messages: true,
            delete_sent_messages: reply,
            delete_all_messages: false,
        },
    }
}

fn business_card(enabled: bool, reply: bool) -> ConnView {
    ConnView {
        business: Some(link(enabled, reply)),
        ..conn(1, Status::Running, Plan::Free)
    }
}

/// A sample current value per parameter, as the core renders stored values.
fn sample_value(p: ParamName) -> &'static str {
    match p {
        ParamName::Welcome => "Hello, {title}! Tell us your question and we will answer soon.",
        ParamName::Autoclose => "48",
        ParamName::AutoInfo | ParamName::SilentMode | ParamName::ReplyOnly => "off",
        ParamName::MonitorPrivate => "on",
        ParamName::MonitorGroups | ParamName::MonitorChannels => "off",
        ParamName::ExtensionsAllowed => "100000001, 100000002",
        ParamName::IgnoreChats => "777000",
        ParamName::WhiteList => "",
        ParamName::HideInfo => "name, link",
        ParamName::LeaveClosed => "",
        ParamName::PrivateKeywords => r#""help", ["buy", "~sell"]"#,
        ParamName::GroupsKeywords | ParamName::ChannelsKeywords => "",
        ParamName::RestrictedKeywordsFrontend => r#""casino""#,
        ParamName::Webhooks => r#"{"https://example.com/hook": ["dialog_created"]}"#,
        ParamName::CustomCommands => "/order, /refund",
        ParamName::IconColor => "blue",
    }
}

fn every_param_error() -> Vec<ParamError> {
    let f = || "soon".to_string();
    vec![
        ParamError::Blank,
        ParamError::TooLong {
            max: 4096,
            len: 5000,
        },
        ParamError::UnclosedQuote("\"help".into()),
        ParamError::StrayQuote("he\"lp".into()),
        ParamError::TextAfterQuote("\"a\"b".into()),
        ParamError::EmptyItem { position: 2 },
        ParamError::EmptyWord("\"\"".into()),
        ParamError::UnclosedBracket("[\"a\"".into()),
        ParamError::EmptyBracket("[]".into()),
        ParamError::NestedBracket("[[".into()),
        ParamError::TextAfterBracket("]x".into()),
        ParamError::StrayBracket("a]".into()),
        ParamError::NotOnOff("maybe".into()),
        ParamError::NotAnId("abc".into()),
        ParamError::NotHours(f()),
        ParamError::HoursOutOfRange {
            fragment: "0".into(),
            min: 1,
            max: 8760,
        },
        ParamError::UnknownOption {
            fragment: "phone".into(),
            allowed: &["name", "command", "link", "title"],
        },
        ParamError::NotACommand("/öffnen".into()),
        ParamError::ReservedCommand("/close".into()),
        ParamError::UnknownColor("chartreuse".into()),
        ParamError::JsonSyntax {
            expected: JsonToken::Colon,
            fragment: "[".into(),
        },
        ParamError::JsonSyntax {
            expected: JsonToken::String,
            fragment: "}".into(),
        },
        ParamError::JsonSyntax {
            expected: JsonToken::Escape,
            fragment: "\\q".into(),
        },
        ParamError::JsonSyntax {
            expected: JsonToken::End,
            fragment: "x".into(),
        },
        ParamError::BadUrl("ftp://x".into()),
        ParamError::UnknownEvent("dialog_opened".into()),
        ParamError::DuplicateUrl("https://example.com/hook".into()),
        ParamError::NoEvents("https://example.com/hook".into()),
        ParamError::ReservedWord("off".into()),
    ]
}

fn connect_errors() -> Vec<ConnectError> {
    vec![
        ConnectError::TokenFormat,
        ConnectError::TokenRejected,
        ConnectError::AlreadyConnected {
            bot: "acme_support_bot".into(),
            id: 3,
        },
        ConnectError::NoGroups("acme_support_bot".into()),
        ConnectError::GroupNotFound(-1_001_000_000_001),
        ConnectError::NotAForum("Acme Chat".into()),
        ConnectError::NotAdmin("Acme Support".into()),
        ConnectError::MissingRights {
            title: "Acme Support".into(),
            missing: vec![Right::DeleteMessages, Right::PinMessages],
        },
        ConnectError::Telegram(TgError::Transient("HTTP 502".into())),
    ]
}

/// Every screen and answer in one language, in a readable form.
fn all_screens(lang: Lang) -> Vec<(String, Screen)> {
    let two = vec![
        conn(1, Status::Running, Plan::Free),
        conn(2, Status::Error(Failure::Other), Plan::Paid),
    ];
    let mut out: Vec<(String, Screen)> = vec![
        (
            "main, no connections".into(),
            screens::main(lang, &[], false),
        ),
        (
            "main, two, superadmin".into(),
            screens::main(lang, &two, true),
        ),
        ("help".into(), screens::help(lang)),
        ("language".into(), screens::language(lang)),
        ("new connection".into(), screens::new_connection(lang)),
        ("account kinds".into(), bs::account_kinds(lang)),
        ("business: ask token".into(), bs::ask_token(lang)),
        (
            "business: Business Mode off".into(),
            bs::mode_off(lang, "acme_support_bot"),
        ),
        (
            "business: connect the bot (token deleted)".into(),
            bs::connect(lang, "acme_support_bot", true),
        ),
        (
            "business: connected, link the group".into(),
            screens::link_group(lang, "acme_support_bot", "linkQ2w3E4r5T6y7U8i9", false)
                .under(&bs::connected(lang, "acme_support_bot", &link(true, true))),
        ),
        (
            "business: turned off while waiting".into(),
            bs::connect(lang, "acme_support_bot", false).under(&bs::turned_off(
                lang,
                "acme_support_bot",
                &link(false, true),
            )),
        ),
        (
            "business: connect the account first".into(),
            bs::connect_first(lang, "acme_support_bot"),
        ),
        (
            "business: connected and ready".into(),
            screens::card(lang, &business_card(true, true), false).under(&bs::ready(
                lang,
                "acme_support_bot",
                "Acme Support",
                &link(true, true),
                false,
            )),
        ),
        (
            "card, business".into(),
            screens::card(lang, &business_card(true, true), false),
        ),
        (
            "card, business, without replying".into(),
            screens::card(lang, &business_card(true, false), false),
        ),
        (
            "card, business, disconnected".into(),
            screens::card(lang, &business_card(false, true), false),
        ),
        ("ask token".into(), screens::ask_token(lang)),
        (
            "link group (token deleted)".into(),
            screens::link_group(lang, "acme_support_bot", "linkQ2w3E4r5T6y7U8i9", true),
        ),
        (
            "card, running, free".into(),
            screens::card(lang, &conn(1, Status::Running, Plan::Free), false),
        ),
        (
            "card, stopped, paid, superadmin".into(),
            screens::card(lang, &conn(1, Status::Stopped, Plan::Paid), true),
        ),
        (
            "card, error, free, superadmin".into(),
            screens::card(
                lang,
                &conn(1, Status::Error(Failure::Token), Plan::Free),
                true,
            ),
        ),
        (
            "card, instance key changed".into(),
            screens::card(
                lang,
                &conn(1, Status::Error(Failure::Key), Plan::Free),
                false,
            ),
        ),
        (
            "card, failing".into(),
            screens::card(
                lang,
                &conn(2, Status::Error(Failure::Other), Plan::Paid),
                false,
            ),
        ),
        (
            "card, missing rights".into(),
            screens::card(
                lang,
                &conn(
                    1,
                    Status::Error(Failure::Rights {
                        manage_topics: true,
                        delete_messages: false,
                        pin_messages: true,
                    }),
                    Plan::Paid,
                ),
                false,
            ),
        ),
        (
            "card, not in the group".into(),
            screens::card(
                lang,
                &conn(1, Status::Error(Failure::NotInGroup), Plan::Free),
                false,
            ),
        ),
        (
            "card, starting".into(),
            screens::card(lang, &conn(1, Status::Starting, Plan::Free), false),
        ),
        (
            "delete confirm".into(),
            screens::delete_confirm(lang, 1, "@acme_support_bot → Acme Support"),
        ),
        ("team language".into(), screens::team_language(lang, 1)),
        (
            "all connections".into(),
            screens::all_connections(lang, &two),
        ),
        (
            "params".into(),
            screens::params(lang, 1, "@acme_support_bot → Acme Support"),
        ),
    ];
    for p in ParamName::ALL {
        out.push((
            format!("param {}", p.as_str()),
            screens::param(lang, 1, p, sample_value(p)),
        ));
    }
    let entries = [
        RoleEntry {
            user: 100_000_001,
            who: "Anna (@anna_admin)".into(),
            role: Role::Admin,
            creator: true,
        },
        RoleEntry {
            user: 100_000_002,
            who: "Oleg (@oleg_ops)".into(),
            role: Role::Supervisor,
            creator: false,
        },
        RoleEntry {
            user: 100_000_003,
            who: "id 100000003".into(),
            role: Role::Observer,
            creator: false,
        },
    ];
    out.extend([
        (
            "roles".into(),
            screens::roles(
                lang,
                1,
                "@acme_support_bot → Acme Support",
                &entries,
                Role::Operator,
            ),
        ),
        ("add member".into(), screens::add_member(lang, 1)),
        (
            "pick role".into(),
            screens::pick_role(lang, 1, 100_000_002, "Oleg (@oleg_ops)"),
        ),
        ("default role".into(), screens::default_role(lang, 1)),
    ]);
    let (picker_text, picker_markup) = screens::picker(lang);
    out.push((
        "picker (sent by the frontend bot)".into(),
        Screen {
            text: format!(
                "{picker_text}\n[reply keyboard] {}",
                picker_markup.to_json()["keyboard"][0][0]["text"]
            ),
            keyboard: Vec::new(),
        },
    ));
    let line = |text: String| Screen {
        text,
        keyboard: Vec::new(),
    };
    out.push((
        "connected (no ban right)".into(),
        line(screens::connected(
            lang,
            "acme_support_bot",
            "Acme Support",
            true,
        )),
    ));
    out.push((
        "param changed".into(),
        line(screens::param_changed(lang, ParamName::Autoclose, "24")),
    ));
    out.push((
        "param changed to nothing".into(),
        line(screens::param_changed(lang, ParamName::WhiteList, "")),
    ));
    for e in every_param_error() {
        out.push((format!("error {e:?}"), line(screens::param_error(lang, &e))));
    }
    for r in [
        PlanRefusal::WelcomeRequired,
        PlanRefusal::AutocloseTooLong {
            max: 48,
            requested: Some(100),
        },
        PlanRefusal::PaidOnly(ParamName::HideInfo),
    ] {
        out.push((
            format!("refused {r:?}"),
            line(screens::plan_refusal(lang, r)),
        ));
    }
    out.push((
        "last admin".into(),
        line(screens::change_error(lang, &ChangeError::LastAdmin).unwrap()),
    ));
    out.push((
        "default admin".into(),
        line(screens::change_error(lang, &ChangeError::DefaultAdmin).unwrap()),
    ));
    out.push((
        "contended".into(),
        line(screens::change_error(lang, &ChangeError::Contended).unwrap()),
    ));
    for e in connect_errors() {
        out.push((
            format!("connect error {e:?}"),
            line(screens::connect_error(lang, &e, "acme_support_bot")),
        ));
    }
    // Templates.
    let c = "@acme_support_bot → Acme Support";
    let views = vec![
        TemplateView {
            id: 3,
            name: "prices".into(),
            count: 2,
            begins: "Our prices for spring:".into(),
        },
        TemplateView {
            id: 4,
            name: "welcome".into(),
            count: 1,
            begins: String::new(),
        },
        TemplateView {
            id: 5,
            name: "long".into(),
            count: 21,
            begins: "x".repeat(300),
        },
    ];
    out.push(("templates none".into(), ts::list(lang, 1, c, &[])));
    out.push(("templates".into(), ts::list(lang, 1, c, &views)));
    for v in &views {
        out.push((format!("template {}", v.name), ts::one(lang, 1, v)));
    }
    out.push(("template record".into(), ts::record(lang, 1, 20)));
    for n in [1, 2, 5, 21] {
        out.push((format!("template got {n}"), ts::got(lang, 1, n)));
    }
    out.push(("template full".into(), ts::full(lang, 1, 20)));
    out.push(("template ask name".into(), ts::ask_name(lang, 1)));
    out.push((
        "template ask rename".into(),
        ts::ask_rename(lang, 1, 3, "prices"),
    ));
    out.push((
        "template delete confirm".into(),
        ts::delete_confirm(lang, 1, 3, "prices"),
    ));
    let args = Args::new()
        .str("name", "@acme_support_bot → Acme Support")
        .str("error", "the file is larger than 20971520 bytes")
        .str("who", "Oleg (@oleg_ops)")
        .str("role", screens::role_name(lang, Role::Observer))
        .str("default", screens::role_name(lang, Role::Operator))
        .str("username", "oleg_ops")
        .str("language", screens::language_name(Lang::De))
        .str("plan", tr(lang, Key::PlanPaid))
        .str("setup", "hotline_setup_bot")
        .str("bot", "acme_support_bot")
        .str(
            "rights",
            screens::rights_list(lang, &[Right::ManageTopics, Right::PinMessages]),
        )
        .str("changes", "AUTOCLOSE 100 → 48; HIDE_INFO name → OFF");
    for key in [
        Key::SetupLanguageSet,
        Key::SetupCancelled,
        Key::SetupUnexpected,
        Key::SetupNotYours,
        Key::SetupGone,
        Key::SetupStale,
        Key::SetupSuperadminOnly,
        Key::SetupFailed,
        Key::SetupTokenDeleted,
        Key::SetupTokenOwn,
        Key::SetupTokenLinking,
        Key::SetupPickerReceived,
        Key::SetupStopped,
        Key::SetupStarted,
        Key::SetupKeyReset,
        Key::SetupDeleted,
        Key::SetupTeamLanguageSet,
        Key::SetupPlanSet,
        Key::SetupRoleSet,
        Key::SetupRoleRevoked,
        Key::SetupDefaultRoleSet,
        Key::SetupMemberHidden,
        Key::SetupMemberUnknown,
        Key::SetupMemberBad,
        Key::SetupAlertRights,
        Key::SetupAlertNotInGroup,
        Key::SetupAlertFixed,
        Key::SetupAlertPlan,
        Key::SetupAlertPlanNothing,
        Key::SetupTemplateEmpty,
        Key::SetupTemplateGone,
        Key::SetupTemplateCarryFailed,
        Key::SetupTemplatePreviewFailed,
    ] {
        out.push((key.id().to_string(), line(tr_args(lang, key, &args))));
    }
    out
}

#[test]
fn every_screen_in_every_language() {
    for lang in Lang::ALL {
        let mut doc = String::new();
        for (name, screen) in all_screens(lang) {
            writeln!(doc, "═══ {name}\n{}\n", screen.render()).unwrap();
        }
        insta::assert_snapshot!(format!("setup_{}", lang.code()), doc);
    }
}

#[test]
fn every_screen_fits_telegram_limits() {
    for lang in Lang::ALL {
        for (name, screen) in all_screens(lang) {
            let units = screen.text.encode_utf16().count();
            assert!(
                (1..=4096).contains(&units),
                "{}: {name}: {units} UTF-16 units",
                lang.code()
            );
            for b in screen.keyboard.iter().flatten() {
                match b {
                    screens::Button::Callback(label, cb) => {
                        assert!(cb.encode().len() <= 64, "{name}: {cb:?}");
                        assert!(
                            !label.is_empty() && label.chars().count() <= 40,
                            "{}: {name}: button {label:?}",
                            lang.code()
                        );
                    }
                    screens::Button::Url(label, url) => {
                        assert!(url.starts_with("https://t.me/"), "{name}: {url}");
                        assert!(!label.is_empty() && label.chars().count() <= 40);
                    }
                }
            }
        }
    }
}

#[test]
fn refusals_people_cannot_fix_are_not_shown_as_advice() {
    for lang in Lang::ALL {
        assert!(screens::change_error(lang, &ChangeError::UnknownParam("X".into())).is_none());
        assert!(
            screens::change_error(
                lang,
                &ChangeError::Value(SetError::Plan(PlanRefusal::WelcomeRequired))
            )
            .is_some()
        );
    }
}

#[test]
fn an_undecryptable_token_reads_as_a_changed_key() {
    assert_eq!(
        Failure::of(hotline_app::keys::UNDECRYPTABLE_TOKEN),
        Failure::Key
    );
    assert_eq!(
        Failure::of("getMe: Telegram did not answer: HTTP 502"),
        Failure::Other
    );
}
