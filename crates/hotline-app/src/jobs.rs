//! Outbox jobs: what the delivery worker does, as stored JSON.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use hotline_store::NewJob;

/// A message kept as content ([`hotline_telegram::resend::keep`]) to be sent again, or why
/// it cannot be (a poll, a story…).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kept {
    Content(Value),
    Unsupported(String),
}

impl Kept {
    /// `raw` (a message as Telegram sent it) kept.
    pub fn of(raw: &Value) -> Kept {
        match hotline_telegram::resend::keep(raw) {
            Ok(v) => Kept::Content(v),
            Err(u) => Kept::Unsupported(u.0),
        }
    }
}

/// One outbound piece of work. Stored as JSON in the outbox; executed by
/// [`crate::delivery`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Job {
    /// Make sure the dialog has a forum topic.
    CreateTopic { dialog: i64 },
    /// Copy a customer's message (or album) into the dialog's topic.
    CopyIn {
        dialog: i64,
        from_chat: i64,
        message_id: i64,
        reply_to: Option<i64>,
        album: Option<String>,
        /// Without a notification (a message recorded in a closed topic, LEAVE_CLOSED).
        #[serde(default)]
        silent: bool,
        /// What the message carries (text, photo, …), for the metrics.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        content: Option<String>,
        /// The message itself, for a frontend that cannot copy by id (Telegram Business).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        kept: Option<Kept>,
    },
    /// Copy an operator's message (or album) from the topic to the customer.
    CopyOut {
        dialog: i64,
        customer: i64,
        message_id: i64,
        reply_to: Option<i64>,
        album: Option<String>,
        /// What the message carries (text, photo, …), for the metrics.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        content: Option<String>,
        /// The message itself, for a frontend that cannot copy by id (Telegram Business).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        kept: Option<Kept>,
    },
    /// Mirror an edit or a deletion: a raw Bot API call into `chat`, reported in the dialog's
    /// topic if Telegram refuses it.
    Mirror {
        dialog: i64,
        chat: i64,
        method: String,
        params: Value,
    },
    /// An edit that arrived before its message's copy was recorded (the copy is queued or in
    /// flight): it runs behind the copy, in the copy's lane, and finds the copy then.
    /// `inbound`: the customer edited (`message_id` in their chat, `customer`); otherwise an
    /// operator did (`message_id` in the group).
    EditLater {
        dialog: i64,
        customer: i64,
        inbound: bool,
        message_id: i64,
        raw: Value,
    },
    /// A short notice in the dialog's topic for the team.
    Notice { dialog: i64, text: String },
    /// A notice in the dialog's topic as a reply to one of its messages (the copy of a
    /// message deleted in the customer's chat).
    ReplyNotice {
        dialog: i64,
        text: String,
        reply_to: i64,
    },
    /// Bring the topic title in line with the dialog's status.
    Rename { dialog: i64 },
    /// Close or reopen the Telegram topic to match the dialog's status.
    TopicState { dialog: i64 },
    /// A message from Hotline to the customer (WELCOME, an error notice); `html`: the text
    /// uses Telegram's HTML formatting (sent as plain text if Telegram cannot parse it).
    SendCustomer {
        dialog: i64,
        customer: i64,
        text: String,
        html: bool,
    },
    /// A notice in a topic that belongs to no dialog (an orphan left by a lost
    /// createForumTopic answer, or a topic the team made by hand); `close`: close that topic
    /// afterwards, so the team continues in the customer's own topic.
    ThreadNotice {
        thread: i64,
        text: String,
        close: bool,
    },
    /// An answer to a command typed in General, as a reply to it.
    GeneralNotice { text: String, reply_to: Option<i64> },
    /// `/export`: the customers (with `tag`, only those having it) as CSV and XLSX files in
    /// General, built when the job runs.
    Export {
        tag: Option<i64>,
        tag_name: Option<String>,
        /// `csv` or `xlsx`: one file a job, so a retry never sends the other twice.
        file: String,
        reply_to: Option<i64>,
    },
    /// `/send NAME` in a topic (or a tag that sends a template): the template's messages to
    /// the customer, an operator answer once delivered. `done`: how many of the calls went
    /// through already, so a retry does not repeat them.
    SendTemplate {
        dialog: i64,
        customer: i64,
        name: String,
        items: Vec<Value>,
        #[serde(default)]
        done: usize,
    },
    /// A template shown in General (`/template NAME`), as replies to the command.
    GeneralChain {
        items: Vec<Value>,
        reply_to: Option<i64>,
        #[serde(default)]
        done: usize,
    },
    /// A broadcast's file of ids (`/send` with a document): downloaded and read when the job
    /// runs (never inside the update's transaction), then the draft is made as for any
    /// audience, or the file refused with its bad lines.
    BroadcastFile {
        file_id: String,
        items: Vec<Value>,
        content_label: String,
        created_by: i64,
        command: i64,
    },
    /// Bring a broadcast's control message in General up to date (preview, progress,
    /// outcome); sent the first time. Coalesced: only the newest state is shown.
    BroadcastControl { broadcast: i64 },
    /// Send a running broadcast to its next recipient, then run again (a lane of its own, at
    /// the lowest priority: the relay goes first).
    Broadcast { broadcast: i64 },
    /// A finished or cancelled broadcast's CSV report, in General.
    BroadcastReport { broadcast: i64 },
    /// Answer a button press (`answerCallbackQuery`), with a short text or none.
    AnswerCallback { id: String, text: Option<String> },
    /// A message from the setup bot to the connection's admins, unasked (the frontend bot
    /// lost its rights in the group, or got them back).
    AdminAlert { users: Vec<i64>, text: String },
    /// A customer card sent privately by the setup bot (HIDE_INFO `command`); the topic is
    /// told how many received it.
    PrivateCard {
        dialog: i64,
        users: Vec<i64>,
        text: String,
    },
}

pub const PRIORITY_RELAY: i64 = 0;
pub const PRIORITY_NOTICE: i64 = 1;
pub const PRIORITY_COSMETIC: i64 = 2;
/// Broadcasts: only when nothing else is ready.
pub const PRIORITY_BULK: i64 = 3;

/// A rename waits this long after the status change that asked for it, so a burst of
/// changes (a `/wait` undone by a `/hold`) coalesces into one rename, or none when it ends
/// where it started — even though lanes run at once and the title lane is free at once.
pub const RENAME_SETTLE_MS: i64 = 1_500;

impl Job {
    pub fn kind(&self) -> &'static str {
        match self {
            Job::CreateTopic { .. } => "create_topic",
            Job::CopyIn { .. } => "copy_in",
            Job::CopyOut { .. } => "copy_out",
            Job::Mirror { .. } => "mirror",
            Job::EditLater { .. } => "edit_later",
            Job::Notice { .. } => "notice",
            Job::ReplyNotice { .. } => "reply_notice",
            Job::Rename { .. } => "rename",
            Job::TopicState { .. } => "topic_state",
            Job::SendCustomer { .. } => "send_customer",
            Job::PrivateCard { .. } => "private_card",
            Job::ThreadNotice { .. } => "thread_notice",
            Job::GeneralNotice { .. } => "general_notice",
            Job::Export { .. } => "export",
            Job::SendTemplate { .. } => "send_template",
            Job::GeneralChain { .. } => "general_chain",
            Job::BroadcastFile { .. } => "broadcast_file",
            Job::BroadcastControl { .. } => "broadcast_control",
            Job::Broadcast { .. } => "broadcast",
            Job::BroadcastReport { .. } => "broadcast_report",
            Job::AnswerCallback { .. } => "answer_callback",
            Job::AdminAlert { .. } => "admin_alert",
        }
    }

    /// The ordering domain. Everything that lands in one topic shares the topic's lane;
    /// everything sent to one customer shares the customer's lane; renames are cosmetic and
    /// ride a lane of their own so they never hold a message back.
    pub fn lane(&self) -> String {
        match self {
            Job::CreateTopic { dialog }
            | Job::CopyIn { dialog, .. }
            | Job::Notice { dialog, .. }
            | Job::ReplyNotice { dialog, .. }
            | Job::TopicState { dialog } => format!("topic:{dialog}"),
            Job::CopyOut { customer, .. }
            | Job::SendCustomer { customer, .. }
            | Job::SendTemplate { customer, .. } => format!("customer:{customer}"),
            Job::PrivateCard { dialog, .. } => format!("card:{dialog}"),
            Job::EditLater {
                dialog,
                inbound: true,
                ..
            } => format!("topic:{dialog}"),
            Job::EditLater { customer, .. } => format!("customer:{customer}"),
            Job::Mirror { dialog, chat, .. } if *chat > 0 => format!("customer:{chat}:{dialog}"),
            Job::Mirror { dialog, .. } => format!("topic:{dialog}"),
            Job::Rename { dialog } => format!("title:{dialog}"),
            Job::ThreadNotice { thread, .. } => format!("thread:{thread}"),
            Job::GeneralNotice { .. }
            | Job::Export { .. }
            | Job::GeneralChain { .. }
            | Job::BroadcastFile { .. }
            | Job::BroadcastControl { .. }
            | Job::BroadcastReport { .. } => "general".to_string(),
            Job::Broadcast { broadcast } => format!("broadcast:{broadcast}"),
            Job::AnswerCallback { .. } => "callbacks".to_string(),
            Job::AdminAlert { .. } => "admins".to_string(),
        }
    }

    pub fn to_new(&self, not_before: i64) -> NewJob {
        let (priority, coalesce_key) = match self {
            Job::Rename { dialog } => (PRIORITY_COSMETIC, Some(format!("title:{dialog}"))),
            Job::TopicState { dialog } => (PRIORITY_NOTICE, Some(format!("state:{dialog}"))),
            Job::BroadcastControl { broadcast } => {
                (PRIORITY_NOTICE, Some(format!("broadcast:{broadcast}")))
            }
            Job::Broadcast { .. } => (PRIORITY_BULK, None),
            Job::Notice { .. }
            | Job::ReplyNotice { .. }
            | Job::SendCustomer { .. }
            | Job::PrivateCard { .. }
            | Job::ThreadNotice { .. }
            | Job::GeneralNotice { .. }
            | Job::GeneralChain { .. }
            | Job::BroadcastFile { .. }
            | Job::BroadcastReport { .. }
            | Job::Export { .. }
            | Job::AdminAlert { .. } => (PRIORITY_NOTICE, None),
            _ => (PRIORITY_RELAY, None),
        };
        let not_before = match self {
            Job::Rename { .. } => not_before.saturating_add(RENAME_SETTLE_MS),
            _ => not_before,
        };
        NewJob {
            lane: self.lane(),
            priority,
            kind: self.kind().to_string(),
            payload: serde_json::to_string(self).unwrap_or_default(),
            coalesce_key,
            not_before,
        }
    }

    /// The same copy without a notification.
    #[must_use]
    pub fn silenced(mut self) -> Job {
        if let Job::CopyIn { silent, .. } = &mut self {
            *silent = true;
        }
        self
    }

    /// The message a copy carries as content (a frontend that cannot copy by id).
    pub fn kept(&self) -> Option<&Kept> {
        match self {
            Job::CopyIn { kept, .. } | Job::CopyOut { kept, .. } => kept.as_ref(),
            _ => None,
        }
    }

    /// What a copy carries (text, photo, …; `other` when unknown), for the metrics.
    pub fn content(&self) -> &str {
        match self {
            Job::CopyIn { content, .. } | Job::CopyOut { content, .. } => {
                content.as_deref().unwrap_or("other")
            }
            _ => "other",
        }
    }

    pub fn album(&self) -> Option<&str> {
        match self {
            Job::CopyIn { album, .. } | Job::CopyOut { album, .. } => album.as_deref(),
            _ => None,
        }
    }

    pub fn message_id(&self) -> Option<i64> {
        match self {
            Job::CopyIn { message_id, .. } | Job::CopyOut { message_id, .. } => Some(*message_id),
            _ => None,
        }
    }
}
