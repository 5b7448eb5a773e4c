//! Every composed text the team sees from the runtime — the customer card in its three
//! shapes, `/help` for each role, delivery notices — snapshotted in all four languages. The
//! catalogs' single messages are snapshotted in hotline-i18n.

#![allow(clippy::unwrap_used)] // test fixtures

use std::fmt::Write;

use hotline_app::config::ConnConfig;
use hotline_app::{card, commands, general, notices};
use hotline_core::dialog::{DialogKind, Topic};
use hotline_core::params::{ParamName, Plan};
use hotline_core::roles::Role;
use hotline_core::{ChatId, ConnectionId, DialogId, Status, ThreadId};
use hotline_i18n::Lang;
use hotline_store::{Customer, Dialog};
use hotline_telegram::TgError;

fn dialog() -> Dialog {
    Dialog {
        id: DialogId(7),
        connection_id: ConnectionId(1),
        customer_chat_id: ChatId(100_000_042),
        group_chat_id: ChatId(-1_001_000_000_001),
        thread_id: Some(ThreadId(12)),
        title: "María García".into(),
        status: Status::Waiting,
        created_at: 0,
        updated_at: 0,
        kind: DialogKind::Private,
        topic: Topic::Exists,
        last_customer_ms: None,
        last_answer_ms: None,
        welcomed: true,
        openings: 3,
    }
}

fn customer() -> Customer {
    Customer {
        connection_id: ConnectionId(1),
        chat_id: ChatId(100_000_042),
        first_name: "María".into(),
        last_name: Some("García".into()),
        username: Some("maria_g".into()),
        language_code: Some("es".into()),
        first_seen: 1_795_000_000_000,
        last_seen: 1_795_000_000_000,
        unreachable: None,
        phone: Some("+34 600 000 000".into()),
        start_payload: Some("spring_promo".into()),
    }
}

fn config(lang: Lang, hide: &str) -> ConnConfig {
    let mut cfg = ConnConfig {
        lang,
        plan: Plan::Paid,
        ..ConnConfig::default()
    };
    if !hide.is_empty() {
        cfg.stored
            .set(ParamName::HideInfo, hide, Plan::Paid)
            .unwrap();
        cfg.params = cfg.stored.effective(Plan::Paid);
    }
    cfg
}

fn everything(lang: Lang) -> String {
    let mut out = String::new();
    let d = dialog();
    let c = customer();
    for (label, hide, private) in [
        ("card", "", false),
        ("card, HIDE_INFO name+link", "name, link", false),
        ("card sent privately", "command", true),
    ] {
        let cfg = config(lang, hide);
        let _ = writeln!(
            out,
            "## {label}\n{}\n",
            card::text(&cfg, lang, &d, &c, &[], private)
        );
    }
    let tags = ["vip [⭐]".to_string(), "lead".to_string()];
    let _ = writeln!(
        out,
        "## card with tags\n{}\n",
        card::text(&config(lang, ""), lang, &d, &c, &tags, false)
    );
    for role in [
        Role::Admin,
        Role::Supervisor,
        Role::Operator,
        Role::Observer,
    ] {
        let _ = writeln!(
            out,
            "## /help, {role}\n{}\n",
            commands::help(&config(lang, ""), role)
        );
    }
    for role in [
        Role::Admin,
        Role::Supervisor,
        Role::Operator,
        Role::Observer,
    ] {
        let _ = writeln!(
            out,
            "## /help in General, {role}\n{}\n",
            general::help(&config(lang, ""), role)
        );
    }
    let mut reply_only = config(lang, "");
    reply_only.params.reply_only = true;
    let _ = writeln!(
        out,
        "## /help, operator, REPLY_ONLY\n{}\n",
        commands::help(&reply_only, Role::Operator)
    );
    for e in [
        TgError::BotBlocked,
        TgError::UserDeactivated,
        TgError::CannotInitiate,
        TgError::TooLong,
        TgError::BadRequest("Bad Request: wrong file identifier".into()),
    ] {
        let _ = writeln!(
            out,
            "## not delivered: {e:?}\n{}\n",
            notices::not_delivered(lang, &e)
        );
    }
    let e = TgError::BadRequest("Bad Request: wrong file identifier".into());
    let _ = writeln!(out, "## not relayed\n{}\n", notices::not_relayed(lang, &e));
    let _ = writeln!(
        out,
        "## edit not mirrored\n{}\n",
        notices::edit_not_mirrored(lang, &e)
    );
    let _ = writeln!(out, "## retracted\n{}\n", notices::retracted(lang));
    let _ = writeln!(
        out,
        "## not retracted\n{}",
        notices::not_retracted(lang, &e)
    );
    out
}

#[test]
fn composed_texts_in_every_language() {
    for lang in Lang::ALL {
        insta::assert_snapshot!(format!("texts_{}", lang.code()), everything(lang));
    }
}

#[test]
fn a_hidden_card_reveals_nothing_identifying() {
    for lang in Lang::ALL {
        let text = card::text(
            &config(lang, "name, link"),
            lang,
            &dialog(),
            &customer(),
            &[],
            false,
        );
        for secret in ["María", "García", "maria_g", "100000042", "+34"] {
            assert!(!text.contains(secret), "{lang:?}: {secret} in {text}");
        }
    }
}
