//! hotline-i18n: every text a Telegram user sees from Hotline — team notices in a customer's
//! topic, the customer card, `/help`, refusals, the few messages sent to customers, and the
//! setup bot's screens — in English, Russian, Spanish and German, behind typed message keys.
//!
//! **Catalogs.** Two Fluent files per language, compiled into the binary with
//! `include_str!`: `locales/{en,ru,es,de}/hotline.ftl` holds the runtime texts (in the group
//! and to customers), `locales/{en,ru,es,de}/setup.ftl` the setup bot's screens, buttons and
//! answers. Each language's `FluentBundle` loads both (`hotline.ftl`, then `setup.ftl`), is
//! built once, on first use, and is shared by all threads; the crate does no IO at run time.
//! Message ids are unique across the two files.
//!
//! **Adding a message.** Add it to the English file first (`locales/en/hotline.ftl` or
//! `locales/en/setup.ftl`): build.rs parses both English files and generates [`Key`] (the
//! kebab-case id in CamelCase, e.g. `notice-del-needs-reply` → [`Key::NoticeDelNeedsReply`])
//! together with [`Key::id`] and [`Key::variables`]. Then add it to the same file of the ru,
//! es and de catalogs. The tests fail while any catalog lacks a message, has an extra one, or
//! uses a different set of `{ $variables }` than English, and the insta snapshots in
//! `src/snapshots` show every text in every language (review them, then accept).
//!
//! **Register.** Customers are addressed formally (Russian «вы», Spanish «usted», German
//! „Sie“); the team and the admins in the setup bot informally in Spanish («tú») and German
//! („du“), with «вы» in Russian.
//!
//! **No isolation marks.** Fluent normally wraps every placeable in U+2068/U+2069 (bidi
//! isolation). They are turned off (`set_use_isolating(false)`): Telegram counts them as
//! characters, so they shift message-entity offsets and show up in topic titles.
//!
//! **Never panics.** A message missing from a catalog, or one that fails to format, falls
//! back to English, then to the message id; a missing argument leaves `{$name}` in the text.

#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentError, FluentResource};
use unic_langid::LanguageIdentifier;

include!(concat!(env!("OUT_DIR"), "/keys.rs"));

#[cfg(test)]
mod tests;

/// A language Hotline speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// English, the source language and the fallback.
    #[default]
    En,
    /// Russian.
    Ru,
    /// Spanish.
    Es,
    /// German.
    De,
}

impl Lang {
    /// Every language, English first.
    pub const ALL: [Lang; 4] = [Lang::En, Lang::Ru, Lang::Es, Lang::De];

    /// The language's code: `"en"`, `"ru"`, `"es"` or `"de"`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
            Lang::Es => "es",
            Lang::De => "de",
        }
    }

    /// The language with exactly this code (case-insensitive, surrounding spaces ignored).
    pub fn parse(code: &str) -> Option<Lang> {
        let code = code.trim();
        Lang::ALL
            .into_iter()
            .find(|lang| lang.code().eq_ignore_ascii_case(code))
    }

    /// The language for a Telegram `language_code` (an IETF tag such as `"ru"`, `"de-AT"` or
    /// `"pt-br"`): its primary subtag if Hotline speaks it, else English.
    pub fn from_telegram(code: Option<&str>) -> Lang {
        code.and_then(|code| code.trim().split(['-', '_']).next())
            .and_then(Lang::parse)
            .unwrap_or_default()
    }

    /// The language's catalog files, in load order: `hotline.ftl`, then `setup.ftl`.
    fn catalogs(self) -> [&'static str; 2] {
        match self {
            Lang::En => [
                include_str!("../locales/en/hotline.ftl"),
                include_str!("../locales/en/setup.ftl"),
            ],
            Lang::Ru => [
                include_str!("../locales/ru/hotline.ftl"),
                include_str!("../locales/ru/setup.ftl"),
            ],
            Lang::Es => [
                include_str!("../locales/es/hotline.ftl"),
                include_str!("../locales/es/setup.ftl"),
            ],
            Lang::De => [
                include_str!("../locales/de/hotline.ftl"),
                include_str!("../locales/de/setup.ftl"),
            ],
        }
    }
}

/// Arguments of a message: strings and numbers (numbers select plural forms).
///
/// Setting a name twice keeps the last value.
#[derive(Debug, Clone, Default)]
pub struct Args {
    values: Vec<(String, Arg)>,
}

#[derive(Debug, Clone)]
enum Arg {
    Str(String),
    Num(i64),
}

impl Args {
    /// No arguments.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a string argument.
    pub fn str(self, name: &str, v: impl Into<String>) -> Self {
        self.set(name, Arg::Str(v.into()))
    }

    /// Sets a number argument (selects the plural form in `{ $name -> [one] … }`).
    pub fn num(self, name: &str, v: i64) -> Self {
        self.set(name, Arg::Num(v))
    }

    fn set(mut self, name: &str, value: Arg) -> Self {
        match self.values.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value,
            None => self.values.push((name.to_owned(), value)),
        }
        self
    }

    fn to_fluent(&self) -> FluentArgs<'_> {
        let mut args = FluentArgs::with_capacity(self.values.len());
        for (name, value) in &self.values {
            match value {
                Arg::Str(s) => args.set(name.as_str(), s.as_str()),
                Arg::Num(n) => args.set(name.as_str(), *n),
            }
        }
        args
    }
}

/// The text of `key` in `lang`, for messages without variables.
pub fn tr(lang: Lang, key: Key) -> String {
    tr_args(lang, key, &Args::new())
}

/// The text of `key` in `lang` with `args`.
///
/// Never panics: a message missing in `lang` or failing to format there falls back to
/// English, then to the message id.
pub fn tr_args(lang: Lang, key: Key, args: &Args) -> String {
    let args = args.to_fluent();
    let localized = format(lang, key, &args);
    resolve(localized, || format(Lang::En, key, &args), key.id())
}

type Bundle = FluentBundle<FluentResource>;

struct Bundles {
    en: Bundle,
    ru: Bundle,
    es: Bundle,
    de: Bundle,
}

static BUNDLES: LazyLock<Bundles> = LazyLock::new(|| Bundles {
    en: build_bundle(Lang::En),
    ru: build_bundle(Lang::Ru),
    es: build_bundle(Lang::Es),
    de: build_bundle(Lang::De),
});

fn bundle(lang: Lang) -> &'static Bundle {
    let bundles = &*BUNDLES;
    match lang {
        Lang::En => &bundles.en,
        Lang::Ru => &bundles.ru,
        Lang::Es => &bundles.es,
        Lang::De => &bundles.de,
    }
}

fn build_bundle(lang: Lang) -> Bundle {
    let langid: LanguageIdentifier = lang.code().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    bundle.set_use_isolating(false);
    for catalog in lang.catalogs() {
        // A catalog with syntax errors still serves the messages that parsed (the tests keep
        // every catalog free of errors).
        let resource = FluentResource::try_new(catalog.to_owned())
            .unwrap_or_else(|(partial, _errors)| partial);
        // Fails only on an id defined twice; the first definition stays.
        let _duplicates = bundle.add_resource(resource);
    }
    bundle
}

/// Formats `key` in `lang`: `None` if the catalog lacks it, else the text and the errors met.
fn format(lang: Lang, key: Key, args: &FluentArgs) -> Option<(String, Vec<FluentError>)> {
    let bundle = bundle(lang);
    let pattern = bundle.get_message(key.id())?.value()?;
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, Some(args), &mut errors);
    Some((text.into_owned(), errors))
}

/// Picks the text to show: the localized one if it formatted cleanly, else English if that
/// did, else the best partial text, else the message id.
fn resolve<E>(
    localized: Option<(String, Vec<E>)>,
    english: impl FnOnce() -> Option<(String, Vec<E>)>,
    id: &str,
) -> String {
    match localized {
        Some((text, errors)) if errors.is_empty() => text,
        localized => {
            let english = english();
            match (localized, english) {
                (_, Some((text, errors))) if errors.is_empty() => text,
                (Some((text, _)), _) | (None, Some((text, _))) => text,
                (None, None) => id.to_owned(),
            }
        }
    }
}
