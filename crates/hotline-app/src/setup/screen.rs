//! A message of the setup bot as data: its text and inline keyboard, how it goes on the
//! wire ([`Screen::markup`]) and how snapshots read it ([`Screen::render`]).

use hotline_i18n::{Key, Lang, tr};
use hotline_telegram::requests::{InlineButton, Markup};

use super::callback::Cb;

/// One inline button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Button {
    Callback(String, Cb),
    Url(String, String),
}

/// A message of the setup bot.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Screen {
    pub text: String,
    pub keyboard: Vec<Vec<Button>>,
}

impl Screen {
    pub(super) fn new(text: String) -> Self {
        Screen {
            text,
            keyboard: Vec::new(),
        }
    }

    pub(super) fn row(mut self, row: Vec<Button>) -> Self {
        if !row.is_empty() {
            self.keyboard.push(row);
        }
        self
    }

    /// The same screen under a line (a confirmation or an error) and a blank line.
    pub fn under(mut self, line: &str) -> Self {
        self.text = format!("{line}\n\n{}", self.text);
        self
    }

    /// The inline keyboard under the screen (`None` without buttons).
    pub fn markup(&self) -> Option<Markup> {
        if self.keyboard.is_empty() {
            return None;
        }
        Some(Markup::Inline(
            self.keyboard
                .iter()
                .map(|row| {
                    row.iter()
                        .map(|b| match b {
                            Button::Callback(text, cb) => InlineButton::Callback {
                                text: text.clone(),
                                data: cb.encode(),
                            },
                            Button::Url(text, url) => InlineButton::Url {
                                text: text.clone(),
                                url: url.clone(),
                            },
                        })
                        .collect()
                })
                .collect(),
        ))
    }

    /// A readable form for snapshots: the text, then one line per keyboard row.
    pub fn render(&self) -> String {
        let mut out = self.text.clone();
        if !self.keyboard.is_empty() {
            out.push_str("\n────────");
        }
        for row in &self.keyboard {
            let cells: Vec<String> = row
                .iter()
                .map(|b| match b {
                    Button::Callback(text, cb) => format!("[{text} | {}]", cb.encode()),
                    Button::Url(text, url) => format!("[{text} → {url}]"),
                })
                .collect();
            out.push('\n');
            out.push_str(&cells.join(" "));
        }
        out
    }
}

pub(super) fn cb(lang: Lang, key: Key, data: Cb) -> Button {
    Button::Callback(tr(lang, key), data)
}

pub(super) fn back(lang: Lang, to: Cb) -> Vec<Button> {
    vec![cb(lang, Key::ButtonBack, to)]
}
