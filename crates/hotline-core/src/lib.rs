//! hotline-core: the pure domain. No IO, no clock: callers pass time and state in and get
//! decisions back.

#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

pub mod broadcast;
pub mod dialog;

pub mod params;
pub mod roles;
pub mod route;
pub mod tags;
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

/// A Telegram user (a customer, a team member, an admin of the setup bot).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserId(pub i64);

/// One customer's dialog within a connection (its topic, its status).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DialogId(pub i64);

/// A Bot API update's id (per bot; Telegram may restart them at random after a quiet week).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UpdateId(pub i64);

/// Ids print as their number (logs, CLI output, Bot API parameters).
macro_rules! display_ids {
    ($($t:ty),*) => {$(
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

display_ids!(
    ChatId,
    MessageId,
    ThreadId,
    ConnectionId,
    UserId,
    DialogId,
    UpdateId
);

/// Which way a relayed message went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Customer → topic.
    In,
    /// Topic → customer.
    Out,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
        }
    }
}

/// Where a connection's run stands (shown on its card).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConnectionStatus {
    /// Created or enabled; not running yet.
    Starting,
    /// Polling (or receiving webhooks) and relaying.
    Running,
    /// Failed; the status error says why, and the supervisor retries.
    Error,
    /// Disabled by an admin.
    Stopped,
}

impl std::fmt::Display for ConnectionStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl ConnectionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ConnectionStatus::Starting => "starting",
            ConnectionStatus::Running => "running",
            ConnectionStatus::Error => "error",
            ConnectionStatus::Stopped => "stopped",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "starting" => ConnectionStatus::Starting,
            "running" => ConnectionStatus::Running,
            "error" => ConnectionStatus::Error,
            "stopped" => ConnectionStatus::Stopped,
            _ => return None,
        })
    }
}

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
