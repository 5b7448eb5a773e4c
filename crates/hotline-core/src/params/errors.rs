//! What can go wrong with a parameter: [`ParamError`] (the admin's text is wrong),
//! [`SetError`] (what [`Params::set`] refuses) and [`PairsError`] (a stored value that does
//! not parse).

use std::fmt;

use super::names::ParamName;
#[cfg(doc)]
use super::{Params, WelcomeText};

/// What is wrong with the admin's text. Fragments are the offending part of the input
/// (at most 40 characters), for the localized explanation to quote.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ParamError {
    /// Nothing was sent (use `OFF` to clear).
    Blank,
    /// The text has `len` characters; at most `max` are allowed.
    TooLong { max: usize, len: usize },
    /// A quote that is never closed.
    UnclosedQuote(String),
    /// A quote in the middle of an unquoted word.
    StrayQuote(String),
    /// Something after a closing quote other than `,` (or `]`).
    TextAfterQuote(String),
    /// Nothing between two commas (or before the first / after the last); 1-based.
    EmptyItem { position: usize },
    /// A word with no text: `""`, `"~"`, `~`, or an empty place in a group.
    EmptyWord(String),
    /// `[` without its `]`.
    UnclosedBracket(String),
    /// `[]`.
    EmptyBracket(String),
    /// `[` inside a group.
    NestedBracket(String),
    /// Something after `]` other than `,`.
    TextAfterBracket(String),
    /// A bracket where none may be (inside a word, `]` without `[`, in a plain list).
    StrayBracket(String),
    /// Not one of on/off/yes/no/true/false/1/0.
    NotOnOff(String),
    /// Not a valid id (chat ids: nonzero integers; user ids: positive).
    NotAnId(String),
    /// Not a whole number of hours.
    NotHours(String),
    /// Hours outside `min..=max`.
    HoursOutOfRange {
        fragment: String,
        min: u32,
        max: u32,
    },
    /// Not one of the words `allowed` (HIDE_INFO, LEAVE_CLOSED).
    UnknownOption {
        fragment: String,
        allowed: &'static [&'static str],
    },
    /// A command name must be 1–32 of `a-z`, `0-9`, `_` (an optional leading `/`).
    NotACommand(String),
    /// CUSTOM_COMMANDS cannot take over one of Hotline's commands.
    ReservedCommand(String),
    /// Not one of Telegram's six topic colours.
    UnknownColor(String),
    /// WEBHOOKS is not the expected JSON: `expected` is what should have come at `fragment`.
    JsonSyntax {
        expected: JsonToken,
        fragment: String,
    },
    /// Not an `http`/`https` URL with a host.
    BadUrl(String),
    /// Not a webhook event nor a `/command`.
    UnknownEvent(String),
    /// The same URL twice in WEBHOOKS.
    DuplicateUrl(String),
    /// A WEBHOOKS URL with an empty list of events.
    NoEvents(String),
    /// A WELCOME text that reads as `OFF` (only from [`WelcomeText::new`]).
    ReservedWord(String),
}

impl fmt::Display for ParamError {
    /// For logs only; people see the localized explanation.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamError::Blank => write!(f, "empty value"),
            ParamError::TooLong { max, len } => write!(f, "too long: {len} > {max} characters"),
            ParamError::UnclosedQuote(s) => write!(f, "unclosed quote at {s:?}"),
            ParamError::StrayQuote(s) => write!(f, "quote inside a word at {s:?}"),
            ParamError::TextAfterQuote(s) => write!(f, "text after a closing quote at {s:?}"),
            ParamError::EmptyItem { position } => write!(f, "empty item #{position}"),
            ParamError::EmptyWord(s) => write!(f, "empty word at {s:?}"),
            ParamError::UnclosedBracket(s) => write!(f, "unclosed bracket at {s:?}"),
            ParamError::EmptyBracket(s) => write!(f, "empty brackets at {s:?}"),
            ParamError::NestedBracket(s) => write!(f, "nested brackets at {s:?}"),
            ParamError::TextAfterBracket(s) => write!(f, "text after a closing bracket at {s:?}"),
            ParamError::StrayBracket(s) => write!(f, "unexpected bracket at {s:?}"),
            ParamError::NotOnOff(s) => write!(f, "not on/off: {s:?}"),
            ParamError::NotAnId(s) => write!(f, "not an id: {s:?}"),
            ParamError::NotHours(s) => write!(f, "not a number of hours: {s:?}"),
            ParamError::HoursOutOfRange { fragment, min, max } => {
                write!(f, "hours {fragment:?} outside {min}..={max}")
            }
            ParamError::UnknownOption { fragment, allowed } => {
                write!(
                    f,
                    "unknown option {fragment:?}, expected one of {allowed:?}"
                )
            }
            ParamError::NotACommand(s) => write!(f, "not a command name: {s:?}"),
            ParamError::ReservedCommand(s) => write!(f, "command reserved by Hotline: {s:?}"),
            ParamError::UnknownColor(s) => write!(f, "not a topic colour: {s:?}"),
            ParamError::JsonSyntax { expected, fragment } => {
                write!(f, "bad JSON: expected {expected:?} at {fragment:?}")
            }
            ParamError::BadUrl(s) => write!(f, "not an http(s) URL: {s:?}"),
            ParamError::UnknownEvent(s) => write!(f, "unknown webhook event: {s:?}"),
            ParamError::DuplicateUrl(s) => write!(f, "URL listed twice: {s:?}"),
            ParamError::NoEvents(s) => write!(f, "no events for URL {s:?}"),
            ParamError::ReservedWord(s) => write!(f, "reserved word as text: {s:?}"),
        }
    }
}

impl std::error::Error for ParamError {}

/// Why [`Params::set`] changed nothing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SetError {
    Invalid(ParamError),
    Plan(PlanRefusal),
}

impl From<ParamError> for SetError {
    fn from(e: ParamError) -> Self {
        SetError::Invalid(e)
    }
}

impl From<PlanRefusal> for SetError {
    fn from(e: PlanRefusal) -> Self {
        SetError::Plan(e)
    }
}

impl fmt::Display for SetError {
    /// For logs only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SetError::Invalid(e) => e.fmt(f),
            SetError::Plan(e) => e.fmt(f),
        }
    }
}

/// Transparent: it shows the inner error's message and reports that error's own cause
/// (none), not the inner error itself, whose text would then be printed twice.
impl std::error::Error for SetError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SetError::Invalid(e) => e.source(),
            SetError::Plan(e) => e.source(),
        }
    }
}

/// A stored value that did not parse ([`Params::from_pairs`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PairsError {
    pub name: ParamName,
    pub error: ParamError,
}

impl fmt::Display for PairsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "stored {}: {}", self.name, self.error)
    }
}

impl std::error::Error for PairsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// What the WEBHOOKS JSON should have had.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JsonToken {
    /// `{`
    ObjectStart,
    /// `:`
    Colon,
    /// `[`
    ArrayStart,
    /// `,` or `}`
    CommaOrObjectEnd,
    /// `,` or `]`
    CommaOrArrayEnd,
    /// A `"string"`.
    String,
    /// A valid `\` escape.
    Escape,
    /// Nothing more after the closing `}`.
    End,
}

/// A value the plan does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlanRefusal {
    /// Free plan: WELCOME cannot be `OFF`.
    WelcomeRequired,
    /// Free plan: AUTOCLOSE at most `max` hours; `requested` is `None` for `OFF`.
    AutocloseTooLong { max: u32, requested: Option<u32> },
    /// Paid plans only; on the free plan only the empty value (`OFF`) is allowed.
    PaidOnly(ParamName),
}

impl PlanRefusal {
    pub fn param(self) -> ParamName {
        match self {
            PlanRefusal::WelcomeRequired => ParamName::Welcome,
            PlanRefusal::AutocloseTooLong { .. } => ParamName::Autoclose,
            PlanRefusal::PaidOnly(name) => name,
        }
    }
}

impl fmt::Display for PlanRefusal {
    /// For logs only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanRefusal::WelcomeRequired => write!(f, "free plan: WELCOME cannot be OFF"),
            PlanRefusal::AutocloseTooLong { max, requested } => match requested {
                Some(h) => write!(f, "free plan: AUTOCLOSE {h} > {max} hours"),
                None => write!(f, "free plan: AUTOCLOSE cannot be OFF (max {max} hours)"),
            },
            PlanRefusal::PaidOnly(name) => write!(f, "{name} needs a paid plan"),
        }
    }
}

impl std::error::Error for PlanRefusal {}
