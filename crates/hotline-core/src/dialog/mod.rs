//! The dialog state machine: what one event does to one dialog (product.md §4 "Statuses").
//!
//! Pure: [`apply`] takes the dialog as stored, the event (with the time it happened, unix
//! milliseconds) and the connection's [`Policy`], and returns the next state plus the
//! [`Effect`]s the runtime performs, in order. The runtime decides nothing about statuses
//! itself; it only classifies what happened (who wrote, whether keywords matched, whether a
//! message was actually delivered) before calling in.
//!
//! Things decided upstream, not here:
//! - whether a topic message reaches the customer (internal comments, commands, REPLY_ONLY,
//!   observers): only a message that was *delivered* becomes
//!   [`Event::OperatorMessageDelivered`];
//! - whether a customer message matches the kind's keyword list: passed in as
//!   `matches_keywords`;
//! - IGNORE_CHATS, WHITE_LIST, RESTRICTED_KEYWORDS_FRONTEND and MONITOR_*: a message dropped
//!   there never becomes an event.
//!
//! A dialog that has never had a topic is [`Status::Closed`] with [`Topic::NotCreated`]: for
//! activation rules a new dialog and a closed one behave alike ("a closed/new private dialog
//! activates only when a message matches").

use std::fmt;

use crate::Status;

/// What kind of chat a dialog mirrors (the LEAVE_CLOSED and *_KEYWORDS kinds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DialogKind {
    /// A customer writing to the frontend in private.
    Private,
    /// A monitored group (MONITOR_GROUPS).
    Group,
    /// A monitored channel (MONITOR_CHANNELS).
    Channel,
}

impl DialogKind {
    pub const ALL: [DialogKind; 3] = [DialogKind::Private, DialogKind::Group, DialogKind::Channel];

    pub fn as_str(self) -> &'static str {
        match self {
            DialogKind::Private => "private",
            DialogKind::Group => "group",
            DialogKind::Channel => "channel",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "private" => DialogKind::Private,
            "group" => DialogKind::Group,
            "channel" => DialogKind::Channel,
            _ => return None,
        })
    }
}

/// A set of [`DialogKind`]s (LEAVE_CLOSED, or which kinds have a keyword list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct KindSet {
    pub private: bool,
    pub group: bool,
    pub channel: bool,
}

impl KindSet {
    pub const EMPTY: KindSet = KindSet {
        private: false,
        group: false,
        channel: false,
    };
    pub const ALL: KindSet = KindSet {
        private: true,
        group: true,
        channel: true,
    };

    pub fn only(kind: DialogKind) -> Self {
        KindSet::EMPTY.with(kind)
    }

    #[must_use]
    pub fn with(mut self, kind: DialogKind) -> Self {
        *self.slot(kind) = true;
        self
    }

    pub fn contains(self, kind: DialogKind) -> bool {
        match kind {
            DialogKind::Private => self.private,
            DialogKind::Group => self.group,
            DialogKind::Channel => self.channel,
        }
    }

    fn slot(&mut self, kind: DialogKind) -> &mut bool {
        match kind {
            DialogKind::Private => &mut self.private,
            DialogKind::Group => &mut self.group,
            DialogKind::Channel => &mut self.channel,
        }
    }
}

impl FromIterator<DialogKind> for KindSet {
    fn from_iter<I: IntoIterator<Item = DialogKind>>(iter: I) -> Self {
        iter.into_iter().fold(KindSet::EMPTY, KindSet::with)
    }
}

/// The dialog's Telegram topic, as far as Hotline knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Topic {
    /// No topic was ever created (a new dialog, or one keyword gating never activated).
    NotCreated,
    /// The topic exists; it is closed in Telegram exactly when the dialog is ⬛.
    Exists,
    /// Someone deleted the topic. Not a closed dialog: the next message recreates it, and an
    /// open dialog stays open without a second WELCOME.
    Deleted,
}

/// The connection's parameters that steer the state machine, as plain values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// AUTOCLOSE in hours; `None` never closes automatically.
    pub autoclose_hours: Option<u32>,
    /// LEAVE_CLOSED.
    pub leave_closed: KindSet,
    /// Kinds whose *_KEYWORDS list is set (PRIVATE_KEYWORDS, GROUPS_KEYWORDS,
    /// CHANNELS_KEYWORDS).
    pub keyword_gated: KindSet,
    /// WELCOME is not `OFF`.
    pub welcome_enabled: bool,
}

impl Default for Policy {
    /// The product defaults: AUTOCLOSE 48, nothing left closed, no keywords, a WELCOME.
    fn default() -> Self {
        Policy {
            autoclose_hours: Some(48),
            leave_closed: KindSet::EMPTY,
            keyword_gated: KindSet::EMPTY,
            welcome_enabled: true,
        }
    }
}

/// One dialog as the store keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialog {
    pub kind: DialogKind,
    pub status: Status,
    pub topic: Topic,
    /// The latest customer message, whether or not it changed the status.
    pub last_customer_message_ms: Option<i64>,
    /// The latest delivered operator message, or `/wait` (which declares the dialog answered
    /// and so starts the AUTOCLOSE clock).
    pub last_operator_answer_ms: Option<i64>,
    /// WELCOME was sent for the current opening (reset when the dialog closes).
    pub welcomed: bool,
}

impl Dialog {
    /// A dialog that has never had a topic.
    pub fn new(kind: DialogKind) -> Self {
        Dialog {
            kind,
            status: Status::Closed,
            topic: Topic::NotCreated,
            last_customer_message_ms: None,
            last_operator_answer_ms: None,
            welcomed: false,
        }
    }

    pub fn is_open(&self) -> bool {
        self.status != Status::Closed
    }
}

/// A status command typed in the topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    /// `/close` → ⬛.
    Close,
    /// `/hold` → 🟪.
    Hold,
    /// `/wait` → 🟨.
    Wait,
}

/// Something that happened to a dialog. `now` is unix milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// The customer (or the monitored chat) sent a message. `matches_keywords` is whether it
    /// matches the kind's keyword list; it is only consulted when that kind is gated.
    CustomerMessage { now: i64, matches_keywords: bool },
    /// An operator message reached the customer.
    OperatorMessageDelivered { now: i64 },
    /// `/close`, `/hold` or `/wait` in the topic (already authorized).
    Command { command: Command, now: i64 },
    /// `/new` in General: operators open the dialog to write first.
    OpenedByOperator { now: i64 },
    /// The scheduler's AUTOCLOSE check.
    AutocloseTick { now: i64 },
    /// Telegram reported the topic gone.
    TopicDeleted,
}

/// A dialog lifecycle change, for webhooks (`dialog_created`, `dialog_reopened`,
/// `dialog_closed`) and analytics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lifecycle {
    /// The dialog got its first topic.
    Created,
    /// A closed dialog opened again.
    Reopened,
    /// The dialog closed.
    Closed { by: CloseCause },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CloseCause {
    Command,
    Autoclose,
}

/// What the runtime must do, in the order given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Create the topic; its title carries the new state's status square. `closed`: close it
    /// right after creation (LEAVE_CLOSED).
    CreateTopic { closed: bool },
    /// Send WELCOME to the customer.
    SendWelcome,
    /// Retitle the topic with this status square.
    Rename(Status),
    /// Close the Telegram topic.
    CloseTopic,
    /// Reopen the Telegram topic.
    ReopenTopic,
    /// Copy the customer's message into the topic, notifying as usual.
    Relay,
    /// Keep the customer's message in the (closed) topic without notification and without a
    /// status change.
    RecordOnly,
    /// Keyword gating left the dialog inactive (new or closed, the message does not match):
    /// post nothing.
    NotActivated,
    /// Report a lifecycle change (webhooks, analytics).
    Lifecycle(Lifecycle),
}

impl fmt::Display for Effect {
    /// For logs only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Effect::CreateTopic { closed } => write!(f, "create topic (closed: {closed})"),
            Effect::SendWelcome => f.write_str("send welcome"),
            Effect::Rename(s) => write!(f, "rename to {}", s.as_str()),
            Effect::CloseTopic => f.write_str("close topic"),
            Effect::ReopenTopic => f.write_str("reopen topic"),
            Effect::Relay => f.write_str("relay"),
            Effect::RecordOnly => f.write_str("record only"),
            Effect::NotActivated => f.write_str("not activated"),
            Effect::Lifecycle(l) => write!(f, "lifecycle {l:?}"),
        }
    }
}

const HOUR_MS: i64 = 3_600_000;

/// When AUTOCLOSE would close this dialog, if it would: only a 🟨 dialog with a recorded
/// answer and no customer message after it.
pub fn autoclose_due(state: &Dialog, policy: &Policy) -> Option<i64> {
    if state.status != Status::Answered {
        return None;
    }
    let hours = policy.autoclose_hours?;
    let answered = state.last_operator_answer_ms?;
    if state.last_customer_message_ms.is_some_and(|c| c > answered) {
        return None;
    }
    Some(answered.saturating_add(i64::from(hours).saturating_mul(HOUR_MS)))
}

/// Apply one event. Timestamps in the state never move backwards, even if `now` does.
pub fn apply(state: Dialog, event: Event, policy: &Policy) -> (Dialog, Vec<Effect>) {
    let mut next = state;
    let mut fx = Vec::new();
    match event {
        Event::CustomerMessage {
            now,
            matches_keywords,
        } => {
            next.last_customer_message_ms = Some(later(state.last_customer_message_ms, now));
            customer_message(&mut next, &mut fx, policy, matches_keywords);
        }
        Event::OperatorMessageDelivered { now } => {
            next.last_operator_answer_ms = Some(later(state.last_operator_answer_ms, now));
            set_open_status(&mut next, &mut fx, Status::Answered);
        }
        Event::Command {
            command: Command::Close,
            ..
        } => close(&mut next, &mut fx, CloseCause::Command),
        Event::Command {
            command: Command::Hold,
            ..
        } => set_open_status(&mut next, &mut fx, Status::Waiting),
        Event::Command {
            command: Command::Wait,
            now,
        } => {
            next.last_operator_answer_ms = Some(later(state.last_operator_answer_ms, now));
            set_open_status(&mut next, &mut fx, Status::Answered);
        }
        Event::OpenedByOperator { .. } => opened_by_operator(&mut next, &mut fx),
        Event::AutocloseTick { now } => {
            if autoclose_due(&state, policy).is_some_and(|due| now >= due) {
                close(&mut next, &mut fx, CloseCause::Autoclose);
            }
        }
        Event::TopicDeleted => {
            if next.topic == Topic::Exists {
                next.topic = Topic::Deleted;
            }
        }
    }
    (next, fx)
}

fn later(old: Option<i64>, now: i64) -> i64 {
    old.map_or(now, |o| o.max(now))
}

fn customer_message(d: &mut Dialog, fx: &mut Vec<Effect>, policy: &Policy, matches: bool) {
    if d.is_open() {
        // Unfiltered while open; a deleted topic is recreated without a second WELCOME.
        set_open_status(d, fx, Status::Waiting);
        fx.push(Effect::Relay);
        return;
    }

    // Closed or new.
    if policy.leave_closed.contains(d.kind) {
        if d.topic != Topic::Exists {
            let created = d.topic == Topic::NotCreated;
            d.topic = Topic::Exists;
            fx.push(Effect::CreateTopic { closed: true });
            if created {
                fx.push(Effect::Lifecycle(Lifecycle::Created));
            }
        }
        fx.push(Effect::RecordOnly);
        return;
    }
    if policy.keyword_gated.contains(d.kind) && !matches {
        // Spec §3: after a close, filtering applies again. A message that does not match is
        // not shown in the closed topic (unlike LEAVE_CLOSED, which records everything).
        fx.push(Effect::NotActivated);
        return;
    }

    // The customer opens (or reopens) the dialog.
    let lifecycle = open_topic(d, fx, Status::Waiting);
    fx.push(Effect::Relay);
    if policy.welcome_enabled && !d.welcomed {
        d.welcomed = true;
        fx.push(Effect::SendWelcome);
    }
    fx.push(Effect::Lifecycle(lifecycle));
}

/// Open a closed dialog with `status`: create, recreate or reopen its topic.
fn open_topic(d: &mut Dialog, fx: &mut Vec<Effect>, status: Status) -> Lifecycle {
    let lifecycle = if d.topic == Topic::NotCreated {
        Lifecycle::Created
    } else {
        Lifecycle::Reopened
    };
    d.status = status;
    match d.topic {
        Topic::Exists => {
            fx.push(Effect::ReopenTopic);
            fx.push(Effect::Rename(status));
        }
        Topic::NotCreated | Topic::Deleted => {
            d.topic = Topic::Exists;
            fx.push(Effect::CreateTopic { closed: false });
        }
    }
    lifecycle
}

/// An operator answer, `/hold`, `/wait`, or a customer message to an open dialog: set an open
/// status, reopening a closed dialog (LEAVE_CLOSED does not stop operators) and recreating a
/// missing topic, so an open dialog always has one.
fn set_open_status(d: &mut Dialog, fx: &mut Vec<Effect>, status: Status) {
    if !d.is_open() {
        let lifecycle = open_topic(d, fx, status);
        fx.push(Effect::Lifecycle(lifecycle));
    } else if d.topic != Topic::Exists {
        d.topic = Topic::Exists;
        d.status = status;
        fx.push(Effect::CreateTopic { closed: false });
    } else if d.status != status {
        d.status = status;
        fx.push(Effect::Rename(status));
    }
}

fn opened_by_operator(d: &mut Dialog, fx: &mut Vec<Effect>) {
    if d.is_open() {
        if d.topic != Topic::Exists {
            d.topic = Topic::Exists;
            fx.push(Effect::CreateTopic { closed: false });
        }
        return;
    }
    // 🟪 until the first operator message is delivered (then 🟨); no WELCOME: the team
    // writes first.
    let lifecycle = open_topic(d, fx, Status::Waiting);
    fx.push(Effect::Lifecycle(lifecycle));
}

fn close(d: &mut Dialog, fx: &mut Vec<Effect>, by: CloseCause) {
    if !d.is_open() {
        return;
    }
    d.status = Status::Closed;
    d.welcomed = false;
    if d.topic == Topic::Exists {
        fx.push(Effect::Rename(Status::Closed));
        fx.push(Effect::CloseTopic);
    }
    fx.push(Effect::Lifecycle(Lifecycle::Closed { by }));
}

#[cfg(test)]
mod tests;
