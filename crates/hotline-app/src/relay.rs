//! The relay: turns one stored update into outbox jobs, inside the same transaction that
//! marks the update processed — so every update has its effect exactly once.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use serde_json::{Value, json};
use tokio::sync::Notify;

use hotline_core::dialog::{DialogKind, Event};
use hotline_core::roles::{Action, check};
use hotline_core::route::{Incoming, Route, route};
use hotline_core::title::display_name;
use hotline_core::{ChatId, ConnectionId, Direction, MessageId, ThreadId, UpdateId, UserId};
use hotline_i18n::{Args, Key, Lang, tr, tr_args};
use hotline_store::{Customer, Dialog, InboxItem, Store, Tx};
use hotline_telegram::{BotApi, ChatType, Me, Message, UpdateContent, parse_update};

use crate::config::ConnConfig;
use crate::jobs::Job;
use crate::{Clock, Settings, card, commands, lifecycle, lock};

/// Everything one connection's tasks share.
#[derive(Debug)]
pub struct ConnCtx {
    pub id: ConnectionId,
    pub bot_id: i64,
    /// The frontend bot's username (commands may be addressed `/del@username`).
    pub bot_username: String,
    /// The backend group (changes when Telegram upgrades a group to a supergroup).
    group: AtomicI64,
    pub store: Store,
    pub api: BotApi,
    pub clock: Arc<dyn Clock>,
    pub settings: Arc<Settings>,
    /// Wakes the delivery worker when jobs were queued.
    pub work: Arc<Notify>,
    /// Wakes the processor when updates were stored.
    pub inbox: Arc<Notify>,
    /// Customers as last written, to skip rewriting unchanged rows on every message.
    customers: std::sync::Mutex<std::collections::HashMap<i64, (CustomerKey, i64)>>,
    /// The connection's settings, reloaded when their version moves.
    config: std::sync::RwLock<Arc<ConnConfig>>,
    /// The setup bot, which sends customer cards privately (HIDE_INFO `command`).
    pub setup_api: Option<BotApi>,
    /// Group members as last recorded (user id → username, first name), so an admin can
    /// name them by @username in the setup bot without a write per message.
    members: std::sync::Mutex<std::collections::HashMap<i64, (Option<String>, String)>>,
    /// Topics without a dialog whose team was already told so (once per process).
    told_threads: std::sync::Mutex<std::collections::HashSet<i64>>,
}

type CustomerKey = (String, Option<String>, Option<String>, Option<String>);

/// How stale `customers.last_seen` may get before a message rewrites it.
const LAST_SEEN_PRECISION_MS: i64 = 60_000;

impl ConnCtx {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: ConnectionId,
        bot: Me,
        group: ChatId,
        store: Store,
        api: BotApi,
        clock: Arc<dyn Clock>,
        settings: Arc<Settings>,
        config: ConnConfig,
    ) -> Self {
        Self {
            id,
            bot_id: bot.id,
            bot_username: bot.username,
            group: AtomicI64::new(group.0),
            store,
            api,
            clock,
            settings,
            work: Arc::new(Notify::new()),
            inbox: Arc::new(Notify::new()),
            customers: std::sync::Mutex::new(std::collections::HashMap::new()),
            members: std::sync::Mutex::new(std::collections::HashMap::new()),
            told_threads: std::sync::Mutex::new(std::collections::HashSet::new()),
            config: std::sync::RwLock::new(Arc::new(config)),
            setup_api: None,
        }
    }

    /// The settings as last loaded.
    pub fn cfg(&self) -> Arc<ConnConfig> {
        self.config
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Reloads the settings if they changed in the store (one indexed read when they did
    /// not); returns the current ones.
    pub async fn refresh(&self) -> anyhow::Result<Arc<ConnConfig>> {
        let current = self.cfg();
        let version = self.store.connections().settings_version(self.id).await?;
        if version == Some(current.version) {
            return Ok(current);
        }
        self.reload().await
    }

    /// Loads the settings from the store and applies them.
    pub async fn reload(&self) -> anyhow::Result<Arc<ConnConfig>> {
        let fresh = Arc::new(ConnConfig::load(&self.store, self.id).await?);
        tracing::info!(
            connection = %self.id,
            version = fresh.version,
            "settings changed; applying them"
        );
        self.set_cfg(fresh.clone());
        Ok(fresh)
    }

    pub fn set_cfg(&self, cfg: Arc<ConnConfig>) {
        *self
            .config
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = cfg;
    }

    pub fn group(&self) -> ChatId {
        ChatId(self.group.load(Ordering::SeqCst))
    }

    /// Follows a group → supergroup upgrade everywhere.
    pub async fn move_group(&self, to: ChatId) -> hotline_store::Result<()> {
        let from = self.group();
        if from != to {
            self.store
                .connections()
                .move_group(self.id, from, to)
                .await?;
            self.group.store(to.0, Ordering::SeqCst);
            tracing::info!(
                connection = %self.id,
                %from,
                %to,
                "backend group upgraded; following it"
            );
        }
        Ok(())
    }

    pub fn now(&self) -> i64 {
        self.clock.now_ms()
    }
}

/// Message fields that carry content; a message with none of them is a service message.
const CONTENT_KEYS: &[&str] = &[
    "text",
    "caption",
    "photo",
    "video",
    "audio",
    "voice",
    "document",
    "animation",
    "sticker",
    "video_note",
    "location",
    "venue",
    "contact",
    "poll",
    "dice",
    "story",
    "game",
    "invoice",
];

fn raw_message(raw: &Value) -> Option<&Value> {
    ["message", "edited_message"]
        .iter()
        .find_map(|k| raw.get(*k))
}

/// Updates processed in one transaction: their effects and processed marks commit together.
const BATCH: i64 = 64;

/// Processes every pending update of the connection, oldest first.
pub async fn drain_inbox(ctx: &ConnCtx) -> anyhow::Result<usize> {
    let mut done = 0;
    loop {
        let batch = ctx.store.inbox().pending(ctx.id, BATCH).await?;
        if batch.is_empty() {
            return Ok(done);
        }
        match apply_batch(ctx, &batch).await {
            Ok(n) => done += n,
            // One bad update must not hold back the others: find it by applying the batch
            // one update at a time.
            Err(e) if batch.len() > 1 => {
                tracing::warn!(
                    connection = %ctx.id,
                    "a batch of {} updates failed ({e:#}); applying them one by one",
                    batch.len()
                );
                for item in &batch {
                    match apply_batch(ctx, std::slice::from_ref(item)).await {
                        Ok(n) => done += n,
                        Err(e) => set_aside_or_fail(ctx, item, e).await?,
                    }
                }
            }
            Err(e) => {
                if let Some(item) = batch.first() {
                    set_aside_or_fail(ctx, item, e).await?;
                }
            }
        }
    }
}

/// An update whose processing fails this many times is set aside.
const MAX_ATTEMPTS: i64 = 3;

/// Counts a failed attempt at `item`; after [`MAX_ATTEMPTS`] it is set aside (kept with its
/// error for `hotline connection failed`, logged) and the connection moves on. Before that
/// the error goes up, and the supervisor restarts the connection with backoff (the failure
/// may be passing: the database restarting).
async fn set_aside_or_fail(
    ctx: &ConnCtx,
    item: &InboxItem,
    e: anyhow::Error,
) -> anyhow::Result<()> {
    let error = format!("{e:#}");
    let aside = ctx
        .store
        .inbox()
        .failed(ctx.id, item.update_id, &error, MAX_ATTEMPTS, ctx.now())
        .await?;
    if aside {
        tracing::error!(
            connection = %ctx.id,
            update = %item.update_id,
            "update set aside after {MAX_ATTEMPTS} failed attempts: {error}"
        );
        return Ok(());
    }
    Err(e.context(format!("processing update {}", item.update_id)))
}

/// Applies `batch` in one transaction: its effects, its jobs and its processed marks commit
/// together, or nothing does.
async fn apply_batch(ctx: &ConnCtx, batch: &[InboxItem]) -> anyhow::Result<usize> {
    let now = ctx.now();
    let mut tx = ctx.store.begin().await?;
    // The settings counter is read on the writer connection this batch holds anyway:
    // a pooled read per batch measurably lengthened the latency tail (BENCHMARKS.md).
    let version = tx.connections().settings_version(ctx.id).await?;
    if version != Some(ctx.cfg().version) {
        ctx.reload().await?;
    }
    let ids: Vec<UpdateId> = batch.iter().map(|i| i.update_id).collect();
    let fresh = tx.inbox().mark_processed_batch(ctx.id, &ids, now).await?;
    let mut pushed = false;
    let mut migrate_to = None;
    let mut done = 0;
    for item in batch.iter().filter(|i| fresh.contains(&i.update_id)) {
        let (p, m) = process(ctx, &mut tx, item, now).await?;
        pushed |= p;
        migrate_to = migrate_to.or(m);
        done += 1;
    }
    tx.commit().await?;
    if let Some(to) = migrate_to {
        ctx.move_group(ChatId(to)).await?;
    }
    if pushed {
        ctx.work.notify_one();
    }
    Ok(done)
}

/// Applies one update (already marked processed in `tx`); returns (jobs were queued, the
/// group migrated to).
async fn process(
    ctx: &ConnCtx,
    tx: &mut Tx,
    item: &InboxItem,
    now: i64,
) -> anyhow::Result<(bool, Option<i64>)> {
    let raw: Value = match serde_json::from_str(&item.payload) {
        Ok(v) => v,
        Err(e) => {
            tracing::warn!(
                connection = %ctx.id,
                update = %item.update_id,
                "a stored update is not JSON; skipped: {e}"
            );
            Value::Null
        }
    };
    let mut pushed = false;
    let mut migrate_to = None;
    if let Some(cm) = raw.get("my_chat_member")
        && cm.pointer("/chat/id").and_then(Value::as_i64) == Some(ctx.group().0)
        && let Some(member) = cm.get("new_chat_member")
    {
        pushed = crate::rights::on_member_update(ctx, tx, member, now).await?;
        return Ok((pushed, None));
    }
    match parse_update(&raw).map(|u| u.content) {
        Some(UpdateContent::Message(m)) => {
            migrate_to = m.migrate_to_chat_id;
            let rm = raw_message(&raw).cloned().unwrap_or(Value::Null);
            pushed = on_message(ctx, tx, &m, &rm, false, now).await?;
        }
        Some(UpdateContent::EditedMessage(m)) => {
            let rm = raw_message(&raw).cloned().unwrap_or(Value::Null);
            pushed = on_message(ctx, tx, &m, &rm, true, now).await?;
        }
        Some(_) => {}
        None if KNOWN_KINDS.iter().any(|k| raw.get(*k).is_some()) => tracing::warn!(
            connection = %ctx.id,
            update = %item.update_id,
            "a malformed update was skipped: {}",
            truncated(&item.payload, 300)
        ),
        None => tracing::debug!(
            connection = %ctx.id,
            update = %item.update_id,
            "skipping an update kind this build does not know"
        ),
    }
    Ok((pushed, migrate_to))
}

/// Update kinds this build parses: one of them that does not parse is malformed.
const KNOWN_KINDS: &[&str] = &[
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "callback_query",
    "my_chat_member",
    "chat_member",
];

/// At most `max` characters of `s`, for a log line.
fn truncated(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => s.get(..i).unwrap_or(s),
        None => s,
    }
}

/// The parameters that mirror an edit of `raw` onto the copy `message_id` in `chat`.
pub fn edit_call(raw: &Value, chat: i64, message_id: i64) -> Option<(String, Value)> {
    if let Some(text) = raw.get("text") {
        let mut p = json!({ "chat_id": chat, "message_id": message_id, "text": text });
        if let Some(e) = raw.get("entities") {
            crate::put(&mut p, "entities", e.clone());
        }
        return Some(("editMessageText".into(), p));
    }
    let has_media = ["photo", "video", "audio", "document", "animation"]
        .iter()
        .any(|k| raw.get(*k).is_some());
    if has_media {
        let mut p = json!({ "chat_id": chat, "message_id": message_id, "caption": raw.get("caption").cloned().unwrap_or(json!("")) });
        if let Some(e) = raw.get("caption_entities") {
            crate::put(&mut p, "caption_entities", e.clone());
        }
        return Some(("editMessageCaption".into(), p));
    }
    None
}

async fn on_message(
    ctx: &ConnCtx,
    tx: &mut Tx,
    m: &Message,
    raw: &Value,
    edited: bool,
    now: i64,
) -> anyhow::Result<bool> {
    let group = ctx.group();
    let is_private = matches!(m.chat.type_field, ChatType::Private);
    let text = m.text.as_deref().or(m.caption.as_deref());
    let incoming = Incoming {
        from_customer_chat: is_private && m.chat.id > 0,
        in_backend_group: m.chat.id == group.0,
        sender_is_bot: m.from.as_ref().is_some_and(|u| u.is_bot) && m.sender_chat.is_none(),
        sender_is_chat: m.sender_chat.is_some(),
        is_topic_message: m.is_topic_message == Some(true),
        is_service: !CONTENT_KEYS.iter().any(|k| raw.get(*k).is_some()),
        text,
    };
    if incoming.in_backend_group
        && !incoming.sender_is_chat
        && let Some(u) = m.from.as_ref().filter(|u| !u.is_bot)
    {
        remember_member(ctx, tx, u, now).await?;
    }
    match route(&incoming) {
        Route::ToTopic => customer_message(ctx, tx, m, raw, edited, now).await,
        Route::ToCustomer => operator_message(ctx, tx, m, raw, edited, now).await,
        Route::Command if !edited => commands::command(ctx, tx, m, now).await,
        Route::Ignore("anonymous administrator") if !edited => {
            commands::refuse_anonymous(ctx, tx, m, now).await
        }
        Route::Command | Route::InternalComment | Route::Ignore(_) => Ok(false),
    }
}

/// An operator wrote in a topic no dialog owns. A topic this bot created under a title it
/// is in doubt about (its createForumTopic answer was lost, see `delivery::ensure_topic`)
/// belongs to that dialog: the message is delivered as if written in the customer's topic,
/// and the orphan gets a notice pointing there (and is closed). Any other topic this bot
/// made (its dialog deleted meanwhile) gets a notice that nothing written there is
/// delivered; topics made by people or other bots are left alone (several connections may
/// share one group). Each topic is told once per process.
/// Returns the dialog to deliver to, and whether a notice was queued.
async fn orphan_topic(
    ctx: &ConnCtx,
    tx: &mut Tx,
    raw: &Value,
    thread: i64,
    edited: bool,
    now: i64,
) -> anyhow::Result<(Option<Dialog>, bool)> {
    if edited {
        return Ok((None, false));
    }
    // Every topic message replies to the topic's creation message, which carries the title.
    let created = raw.pointer("/reply_to_message/forum_topic_created/name");
    let by_us = raw
        .pointer("/reply_to_message/from/id")
        .and_then(Value::as_i64)
        == Some(ctx.bot_id);
    if !by_us {
        // Made by hand, or by another connection's bot sharing this group: not ours to judge.
        return Ok((None, false));
    }
    let mut dialog = None;
    if let Some(name) = created.and_then(Value::as_str) {
        let ids = tx.dialogs().doubted_by_name(ctx.id, name).await?;
        if let [only] = ids.as_slice() {
            dialog = tx.dialogs().get(*only).await?;
        } else if ids.len() > 1 {
            tracing::warn!(
                connection = %ctx.id,
                thread,
                "an orphan topic matches {} dialogs; not delivered",
                ids.len()
            );
        }
    }
    let first_time = lock(&ctx.told_threads).insert(thread);
    if !first_time {
        return Ok((dialog, false));
    }
    let cfg = ctx.cfg();
    let job = match &dialog {
        Some(d) => {
            let link = match d.thread_id {
                Some(t) => topic_link(ctx.group().0, t.0),
                None => String::new(),
            };
            let text = tr_args(
                cfg.lang,
                Key::NoticeOrphanTopic,
                &Args::new()
                    .str("name", card::shown_name(&cfg, d))
                    .str("link", link),
            );
            tracing::warn!(
                connection = %ctx.id,
                thread,
                dialog = %d.id,
                "an operator wrote in an orphan topic; delivered to its dialog"
            );
            Job::ThreadNotice {
                thread,
                text,
                close: true,
            }
        }
        None => Job::ThreadNotice {
            thread,
            text: tr(cfg.lang, Key::NoticeUnknownTopic),
            close: false,
        },
    };
    push(ctx, tx, job, now, now).await?;
    Ok((dialog, true))
}

/// A link to a topic of a supergroup (`-100…` ids), for the team.
fn topic_link(group: i64, thread: i64) -> String {
    let id = group.to_string();
    match id.strip_prefix("-100") {
        Some(internal) => format!("https://t.me/c/{internal}/{thread}"),
        None => String::new(),
    }
}

/// Records a member of the backend group the first time this process sees them (or when
/// their name changed), for the setup bot's "assign a role by @username".
async fn remember_member(
    ctx: &ConnCtx,
    tx: &mut Tx,
    u: &hotline_telegram::User,
    now: i64,
) -> anyhow::Result<()> {
    let id = u.id as i64;
    let seen = (u.username.clone(), u.first_name.clone());
    let known = lock(&ctx.members).get(&id) == Some(&seen);
    if known {
        return Ok(());
    }
    let member = hotline_store::Member {
        user_id: UserId(id),
        username: seen.0.clone(),
        first_name: seen.1.clone(),
    };
    tx.members().seen(ctx.id, &member, now).await?;
    lock(&ctx.members).insert(id, seen);
    Ok(())
}

/// When a copy may go: at once, or after the album window so every item of an album is
/// queued before the album is sent as one.
fn copy_due(ctx: &ConnCtx, in_album: bool, now: i64) -> i64 {
    if in_album {
        now + i64::try_from(ctx.settings.album_window_ms).unwrap_or(i64::MAX / 2)
    } else {
        now
    }
}

/// The replied-to message id, ignoring the implicit reply to a topic's creation message.
pub(crate) fn reply_target(m: &Message) -> Option<i64> {
    let r = m.reply_to_message.as_ref()?;
    let id = i64::from(r.message_id);
    if m.message_thread_id.map(i64::from) == Some(id) {
        None
    } else {
        Some(id)
    }
}

/// Queues one job, due at `not_before`.
pub(crate) async fn push(
    ctx: &ConnCtx,
    tx: &mut Tx,
    job: Job,
    not_before: i64,
    now: i64,
) -> anyhow::Result<()> {
    tx.outbox()
        .push(ctx.id, &job.to_new(not_before), now)
        .await?;
    Ok(())
}

/// Why a customer's message is dropped before it reaches the state machine.
#[derive(Debug, PartialEq, Eq)]
enum Gate {
    Pass,
    /// IGNORE_CHATS, WHITE_LIST, MONITOR_PRIVATE: dropped without a word.
    Drop(&'static str),
    /// RESTRICTED_KEYWORDS_FRONTEND: not forwarded; the customer is told unless SILENT_MODE.
    Restricted,
}

fn gate(cfg: &ConnConfig, chat: i64, text: Option<&str>) -> Gate {
    let p = &cfg.params;
    if p.ignore_chats.contains(&ChatId(chat)) {
        return Gate::Drop("IGNORE_CHATS");
    }
    if !p.white_list.is_empty() && !p.white_list.contains(&ChatId(chat)) {
        return Gate::Drop("not in WHITE_LIST");
    }
    if !p.monitors(DialogKind::Private) {
        return Gate::Drop("MONITOR_PRIVATE is off");
    }
    if text.is_some_and(|t| p.restricted_keywords_frontend.matches(t)) {
        return Gate::Restricted;
    }
    Gate::Pass
}

/// The `/start` parameter of a deep link (`t.me/bot?start=PAYLOAD`).
fn start_payload(text: Option<&str>) -> Option<&str> {
    let rest = text?.strip_prefix("/start")?;
    let rest = rest.strip_prefix(' ')?.trim();
    (!rest.is_empty()).then_some(rest)
}

async fn customer_message(
    ctx: &ConnCtx,
    tx: &mut Tx,
    m: &Message,
    raw: &Value,
    edited: bool,
    now: i64,
) -> anyhow::Result<bool> {
    let cfg = ctx.cfg();
    let chat = m.chat.id;
    let text = m.text.as_deref().or(m.caption.as_deref());
    let from = m.from.as_deref();
    let language = from.and_then(|u| u.language_code.clone());
    match gate(&cfg, chat, text) {
        Gate::Pass => {}
        Gate::Drop(why) => {
            tracing::debug!(connection = %ctx.id, chat, "customer message dropped: {why}");
            return Ok(false);
        }
        Gate::Restricted => {
            if edited || cfg.params.silent_mode {
                return Ok(false);
            }
            let lang = Lang::from_telegram(language.as_deref());
            let job = Job::SendCustomer {
                dialog: 0,
                customer: chat,
                text: hotline_i18n::tr(lang, Key::CustomerRestricted),
                html: false,
            };
            push(ctx, tx, job, now, now).await?;
            return Ok(true);
        }
    }
    let first = from
        .map(|u| u.first_name.clone())
        .or_else(|| m.chat.first_name.clone())
        .unwrap_or_default();
    let last = from
        .and_then(|u| u.last_name.clone())
        .or_else(|| m.chat.last_name.clone());
    let username = from
        .and_then(|u| u.username.clone())
        .or_else(|| m.chat.username.clone());
    let key: CustomerKey = (
        first.clone(),
        last.clone(),
        username.clone(),
        language.clone(),
    );
    let fresh = {
        lock(&ctx.customers)
            .get(&chat)
            .is_some_and(|(k, at)| *k == key && now - at < LAST_SEEN_PRECISION_MS)
    };
    if !fresh {
        tx.customers()
            .upsert(&Customer {
                connection_id: ctx.id,
                chat_id: ChatId(chat),
                first_name: first.clone(),
                last_name: last.clone(),
                username: username.clone(),
                language_code: language.clone(),
                first_seen: now,
                last_seen: now,
                unreachable: None,
                phone: None,
                start_payload: None,
            })
            .await?;
        lock(&ctx.customers).insert(chat, (key, now));
    }
    // What the customer shares about themselves, for the card.
    let own_phone = m
        .contact
        .as_ref()
        .filter(|c| {
            c.user_id
                .is_some_and(|u| Some(u as i64) == from.map(|f| f.id as i64))
        })
        .map(|c| c.phone_number.clone());
    let payload = start_payload(m.text.as_deref());
    if !edited && (own_phone.is_some() || payload.is_some()) {
        tx.customers()
            .set_extra(ctx.id, ChatId(chat), own_phone.as_deref(), payload)
            .await?;
    }
    let name = display_name(&first, last.as_deref(), username.as_deref());
    let dialog = match tx.dialogs().for_customer(ctx.id, ChatId(chat)).await? {
        Some(d) => d,
        None => {
            let id = tx
                .dialogs()
                .create(
                    ctx.id,
                    ChatId(chat),
                    ctx.group(),
                    &name,
                    DialogKind::Private,
                    now,
                )
                .await?;
            tx.dialogs()
                .get(id)
                .await?
                .ok_or_else(|| anyhow::anyhow!("dialog vanished"))?
        }
    };
    let message_id = i64::from(m.message_id);
    if edited {
        if let Some(map) = tx
            .maps()
            .by_customer(ctx.id, ChatId(chat), MessageId(message_id))
            .await?
            && let Some((method, params)) =
                edit_call(raw, map.group_chat_id.0, map.group_message_id.0)
        {
            let job = Job::Mirror {
                dialog: dialog.id.0,
                chat: map.group_chat_id.0,
                method,
                params,
            };
            push(ctx, tx, job, now, now).await?;
            return Ok(true);
        }
        // No copy recorded yet: the copy may be queued (it will carry the new content) or in
        // flight (it carries the old one). Mirror behind it, once it is recorded.
        let job = Job::EditLater {
            dialog: dialog.id.0,
            customer: chat,
            inbound: true,
            message_id,
            raw: raw.clone(),
        };
        push(ctx, tx, job, now, now).await?;
        return Ok(true);
    }
    let album = m.media_group_id.clone();
    let copy = Job::CopyIn {
        dialog: dialog.id.0,
        from_chat: chat,
        message_id,
        reply_to: reply_target(m),
        album: album.clone(),
        silent: false,
    };
    let matches_keywords =
        text.is_some_and(|t| cfg.params.keywords(DialogKind::Private).matches(t));
    let event = Event::CustomerMessage {
        now,
        matches_keywords,
    };
    let extras = lifecycle::Extras {
        copy: Some((copy, copy_due(ctx, album.is_some(), now))),
        customer_name: Some(first),
        customer_lang: language,
        ..Default::default()
    };
    let effects = lifecycle::apply(ctx, tx, &cfg, &dialog, event, extras, now).await?;
    Ok(!effects.is_empty())
}

async fn operator_message(
    ctx: &ConnCtx,
    tx: &mut Tx,
    m: &Message,
    raw: &Value,
    edited: bool,
    now: i64,
) -> anyhow::Result<bool> {
    let Some(thread) = m.message_thread_id.map(i64::from) else {
        return Ok(false);
    };
    let dialog = match tx
        .dialogs()
        .by_thread(ctx.id, ctx.group(), ThreadId(thread))
        .await?
    {
        Some(d) => d,
        None => match orphan_topic(ctx, tx, raw, thread, edited, now).await? {
            (Some(d), _) => d,
            (None, told) => return Ok(told),
        },
    };
    let cfg = ctx.cfg();
    let sender = m.from.as_ref().map_or(0, |u| u.id as i64);
    if check(cfg.role_of(sender), Action::AnswerCustomer).is_err() {
        // An observer's message stays in the topic as a comment.
        return Ok(false);
    }
    let message_id = i64::from(m.message_id);
    if edited {
        let Some(map) = tx
            .maps()
            .by_group(ctx.id, ctx.group(), MessageId(message_id))
            .await?
        else {
            // Not recorded yet (the copy to the customer may be in flight): mirror behind it.
            let job = Job::EditLater {
                dialog: dialog.id.0,
                customer: dialog.customer_chat_id.0,
                inbound: false,
                message_id,
                raw: raw.clone(),
            };
            push(ctx, tx, job, now, now).await?;
            return Ok(true);
        };
        if map.direction != Direction::Out {
            return Ok(false);
        }
        let Some((method, params)) =
            edit_call(raw, map.customer_chat_id.0, map.customer_message_id.0)
        else {
            return Ok(false);
        };
        let job = Job::Mirror {
            dialog: dialog.id.0,
            chat: map.customer_chat_id.0,
            method,
            params,
        };
        push(ctx, tx, job, now, now).await?;
        return Ok(true);
    }
    let reply_to = reply_target(m);
    if cfg.params.reply_only {
        // Only replies to the customer's messages are delivered; the rest are comments.
        let replies_to_customer = match reply_to {
            Some(r) => tx
                .maps()
                .by_group(ctx.id, ctx.group(), MessageId(r))
                .await?
                .is_some_and(|e| e.direction == Direction::In),
            None => false,
        };
        if !replies_to_customer {
            return Ok(false);
        }
    }
    let album = m.media_group_id.clone();
    let not_before = copy_due(ctx, album.is_some(), now);
    let job = Job::CopyOut {
        dialog: dialog.id.0,
        customer: dialog.customer_chat_id.0,
        message_id,
        reply_to,
        album,
    };
    push(ctx, tx, job, not_before, now).await?;
    Ok(true)
}
