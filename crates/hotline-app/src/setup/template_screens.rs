//! The Templates screens of a connection (its card's Templates button): the list, one
//! template, recording a new one, naming, renaming and deleting. Pure, like [`super::screens`].

use hotline_i18n::{Args, Key, Lang, tr, tr_args};

use super::callback::Cb;
use super::screens::{Button, Screen, back, cb};

/// How many templates get a button of their own (the list names them all).
const BUTTONS: usize = 30;
/// How much of a template's first text its screen shows.
const BEGINS: usize = 200;

/// A template as the screens show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateView {
    pub id: i64,
    pub name: String,
    pub count: usize,
    /// The text or caption of its first message that has one.
    pub begins: String,
}

pub fn list(lang: Lang, conn: i64, conn_name: &str, all: &[TemplateView]) -> Screen {
    let text = if all.is_empty() {
        tr_args(
            lang,
            Key::SetupTemplatesNone,
            &Args::new().str("name", conn_name),
        )
    } else {
        let names: Vec<String> = all
            .iter()
            .map(|t| format!("{} ({})", t.name, t.count))
            .collect();
        tr_args(
            lang,
            Key::SetupTemplates,
            &Args::new()
                .str("name", conn_name)
                .str("list", names.join(", ")),
        )
    };
    let mut s = Screen::new(text);
    for pair in all.iter().take(BUTTONS).collect::<Vec<_>>().chunks(2) {
        s = s.row(
            pair.iter()
                .map(|t| Button::Callback(t.name.clone(), Cb::Template(conn, t.id)))
                .collect(),
        );
    }
    s.row(vec![cb(
        lang,
        Key::ButtonTemplateNew,
        Cb::TemplateNew(conn),
    )])
    .row(back(lang, Cb::Card(conn)))
}

pub fn one(lang: Lang, conn: i64, t: &TemplateView) -> Screen {
    let mut begins: String = t.begins.chars().take(BEGINS).collect();
    if t.begins.chars().count() > BEGINS {
        begins.push('…');
    }
    let begins = if begins.is_empty() {
        String::new()
    } else {
        format!("“{begins}”")
    };
    let text = tr_args(
        lang,
        Key::SetupTemplate,
        &Args::new()
            .str("name", &t.name)
            .num("count", t.count as i64)
            .str("begins", begins),
    );
    Screen::new(text.trim_end().to_string())
        .row(vec![
            cb(
                lang,
                Key::ButtonTemplatePreview,
                Cb::TemplatePreview(conn, t.id),
            ),
            cb(
                lang,
                Key::ButtonTemplateRename,
                Cb::TemplateRename(conn, t.id),
            ),
        ])
        .row(vec![cb(
            lang,
            Key::ButtonDelete,
            Cb::TemplateDelete(conn, t.id),
        )])
        .row(back(lang, Cb::Templates(conn)))
}

fn recording(lang: Lang, conn: i64, text: String) -> Screen {
    Screen::new(text).row(vec![
        cb(lang, Key::ButtonTemplateSave, Cb::TemplateSave(conn)),
        cb(lang, Key::ButtonCancel, Cb::Templates(conn)),
    ])
}

/// The start of a new template: send its messages, then Save.
pub fn record(lang: Lang, conn: i64, max: usize) -> Screen {
    let text = tr_args(
        lang,
        Key::SetupTemplateRecord,
        &Args::new().num("max", max as i64),
    );
    recording(lang, conn, text)
}

/// After each message (or album) of a new template.
pub fn got(lang: Lang, conn: i64, count: usize) -> Screen {
    let text = tr_args(
        lang,
        Key::SetupTemplateGot,
        &Args::new().num("count", count as i64),
    );
    recording(lang, conn, text)
}

/// The template is full.
pub fn full(lang: Lang, conn: i64, max: usize) -> Screen {
    let text = tr_args(
        lang,
        Key::SetupTemplateFull,
        &Args::new().num("max", max as i64),
    );
    recording(lang, conn, text)
}

pub fn ask_name(lang: Lang, conn: i64) -> Screen {
    Screen::new(tr(lang, Key::SetupTemplateAskName)).row(vec![cb(
        lang,
        Key::ButtonCancel,
        Cb::Templates(conn),
    )])
}

pub fn ask_rename(lang: Lang, conn: i64, t: i64, name: &str) -> Screen {
    Screen::new(tr_args(
        lang,
        Key::SetupTemplateAskRename,
        &Args::new().str("name", name),
    ))
    .row(vec![cb(lang, Key::ButtonCancel, Cb::Template(conn, t))])
}

pub fn delete_confirm(lang: Lang, conn: i64, t: i64, name: &str) -> Screen {
    Screen::new(tr_args(
        lang,
        Key::SetupTemplateDeleteConfirm,
        &Args::new().str("name", name),
    ))
    .row(vec![
        cb(
            lang,
            Key::ButtonDeleteConfirm,
            Cb::TemplateDeleteYes(conn, t),
        ),
        cb(lang, Key::ButtonCancel, Cb::Template(conn, t)),
    ])
}
