//! hotline-core: the pure domain. No IO, no clock: callers pass time and state in and get
//! decisions back.

#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

pub mod dialog;
pub mod keywords;
pub mod params;
pub mod roles;
pub mod route;
pub mod title;

/// A Telegram chat id (users are positive, groups negative).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChatId(pub i64);

/// A message id inside one chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MessageId(pub i64);

/// A forum topic id (the id of its creation message). General has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ThreadId(pub i64);

/// A Hotline connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConnectionId(pub i64);

/// Where a dialog stands, shown as the first character of its topic title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// 🟪 the customer waits for the team.
    Waiting,
    /// 🟨 the team answered; waiting for the customer.
    Answered,
    /// ⬛ closed.
    Closed,
}

impl Status {
    pub fn square(self) -> &'static str {
        match self {
            Status::Waiting => "🟪",
            Status::Answered => "🟨",
            Status::Closed => "⬛",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Waiting => "waiting",
            Status::Answered => "answered",
            Status::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "waiting" => Status::Waiting,
            "answered" => Status::Answered,
            "closed" => Status::Closed,
            _ => return None,
        })
    }
}
