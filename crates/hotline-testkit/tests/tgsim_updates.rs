//! tgsim through its real HTTP interface: getUpdates, webhooks, who receives which update
//! (privacy mode, callback queries, member updates, reactions), flood limits, fault
//! injection, the traffic log and the clock.
//!
//! Expectations follow the official Bot API documentation (core.telegram.org/bots/api and
//! the Bots FAQ); every update kind tgsim produces is also parsed by `frankenstein` and
//! `tgbot`. Nothing here sleeps: waits are long polls, channels, watch signals and tgsim's
//! own clock.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use hotline_testkit::check::{assert_error, refused};
use hotline_testkit::{Bot, BotError, Group, Person, World};
use serde_json::{Value, json};
use tokio::sync::{mpsc, watch};

type R = anyhow::Result<()>;

const INVALID_QUERY: &str =
    "Bad Request: query is too old and response timeout expired or query ID is invalid";
const WEBHOOK_ACTIVE: &str = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";
const OTHER_POLL: &str = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running";

// ----- helpers ---------------------------------------------------------------------------

/// Asserts a 429 with `retry_after` both in the description and in `parameters`.
#[track_caller]
fn assert_flood(r: Result<Value, BotError>, retry_after: i64) {
    let e = assert_error(
        r,
        429,
        &format!("Too Many Requests: retry after {retry_after}"),
    );
    assert_eq!(
        e.parameters,
        Some(json!({ "retry_after": retry_after })),
        "parameters of {e:?}"
    );
}

/// A raw getUpdates call.
async fn get_updates(bot: &Bot, params: Value) -> Result<Vec<Value>, BotError> {
    let v = bot.call("getUpdates", params).await?;
    Ok(v.as_array().cloned().unwrap_or_default())
}

fn ids(updates: &[Value]) -> Vec<i64> {
    updates
        .iter()
        .map(|u| u["update_id"].as_i64().unwrap_or(-1))
        .collect()
}

/// The kind of an update: its one field besides `update_id`.
fn kind(u: &Value) -> String {
    u.as_object()
        .and_then(|o| o.keys().find(|k| *k != "update_id").cloned())
        .unwrap_or_default()
}

fn kinds(updates: &[Value]) -> Vec<String> {
    updates.iter().map(kind).collect()
}

/// A short label for a message update: its text, or the service it carries.
fn label(u: &Value) -> String {
    let m = &u[kind(u)];
    if let Some(t) = m["text"].as_str() {
        return t.to_string();
    }
    for key in [
        "new_chat_members",
        "left_chat_member",
        "forum_topic_created",
    ] {
        if m.get(key).is_some() {
            return key.to_string();
        }
    }
    format!("?{m}")
}

fn labels(updates: &[Value]) -> Vec<String> {
    updates.iter().map(label).collect()
}

/// Wakes on every change of a bot's update signal (new update, new getUpdates call).
/// Used only to know that a spawned long poll has been registered, never to inspect state.
fn poll_signal(world: &World, bot: &Bot) -> watch::Receiver<u64> {
    world
        .sim
        .world()
        .bots
        .get(&bot.id)
        .map(|b| b.signal.subscribe())
        .unwrap_or_else(|| watch::channel(0).1)
}

/// A started private chat whose first updates were already fetched.
async fn started(world: &World, name: &str, bot: &Bot) -> anyhow::Result<Person> {
    let p = world.user(name).await?;
    p.start(bot).await?;
    bot.updates().await?;
    // Confirm them, so that a raw getUpdates finds nothing pending.
    bot.updates().await?;
    Ok(p)
}

async fn timeline_len(p: &Person, chat: &impl hotline_testkit::ChatRef) -> anyhow::Result<usize> {
    Ok(p.sees(chat).await?.len())
}

async fn within<T>(fut: impl std::future::Future<Output = T>) -> T {
    match tokio::time::timeout(Duration::from_secs(10), fut).await {
        Ok(v) => v,
        Err(_) => panic!("nothing happened within 10 s"),
    }
}

// ----- a webhook receiver ----------------------------------------------------------------

#[derive(Debug)]
struct Delivery {
    secret: Option<String>,
    content_type: Option<String>,
    body: Value,
    /// What the receiver answered.
    status: u16,
}

type HookState = (mpsc::UnboundedSender<Delivery>, Arc<AtomicBool>);

async fn hook_handler(
    State((tx, fail)): State<HookState>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let failing = fail.load(Ordering::SeqCst);
    let status = if failing {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::OK
    };
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let _ = tx.send(Delivery {
        secret: header("x-telegram-bot-api-secret-token"),
        content_type: header("content-type"),
        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
        status: status.as_u16(),
    });
    status
}

/// An HTTP server on 127.0.0.1:0 that records every POST and answers 500 while `fail` is set.
struct Hook {
    url: String,
    fail: Arc<AtomicBool>,
    rx: mpsc::UnboundedReceiver<Delivery>,
}

impl Hook {
    async fn start(failing: bool) -> anyhow::Result<Self> {
        let (tx, rx) = mpsc::unbounded_channel();
        let fail = Arc::new(AtomicBool::new(failing));
        let app = Router::new()
            .route("/hook", post(hook_handler))
            .with_state((tx, fail.clone()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Self {
            url: format!("http://{addr}/hook"),
            fail,
            rx,
        })
    }

    async fn next(&mut self) -> Delivery {
        within(self.rx.recv())
            .await
            .unwrap_or_else(|| panic!("receiver closed"))
    }
}

// ----- getUpdates ------------------------------------------------------------------------

#[tokio::test]
async fn offset_confirms_and_update_ids_increase_by_one() -> R {
    let world = World::start().await?;
    let alice = world.user("Alice").await?;
    let bot = world.bot("count_bot").await?;
    alice.start(&bot).await?;
    alice.says(&bot, "one").await?;
    alice.says(&bot, "two").await?;

    let all = get_updates(&bot, json!({})).await?;
    assert_eq!(labels(&all), ["/start", "one", "two"]);
    let id = ids(&all);
    assert!(id[0] > 0, "update ids are positive");
    assert_eq!(id[1], id[0] + 1);
    assert_eq!(id[2], id[0] + 2);

    // Without an offset nothing is confirmed: the same updates come again.
    assert_eq!(ids(&get_updates(&bot, json!({})).await?), id);

    // An offset confirms everything below it.
    let rest = get_updates(&bot, json!({ "offset": id[1] })).await?;
    assert_eq!(ids(&rest), &id[1..]);
    // Going back does not bring a confirmed update back.
    let again = get_updates(&bot, json!({ "offset": id[0] })).await?;
    assert_eq!(ids(&again), &id[1..]);
    assert!(get_updates(&bot, json!({ "offset": 0 })).await?.len() == 2);

    // Past the end: nothing pending, and the next update continues the sequence.
    assert!(
        get_updates(&bot, json!({ "offset": id[2] + 1 }))
            .await?
            .is_empty()
    );
    alice.says(&bot, "three").await?;
    let next = get_updates(&bot, json!({ "offset": id[2] + 1 })).await?;
    assert_eq!(ids(&next), [id[2] + 1]);
    assert_eq!(labels(&next), ["three"]);

    // Form and query-string parameters work the same way.
    let form = bot
        .call_form("getUpdates", &[("offset", &(id[2] + 2).to_string())])
        .await?;
    assert_eq!(form, json!([]));
    Ok(())
}

#[tokio::test]
async fn negative_offset_keeps_only_the_last_n_and_limit_caps_a_batch() -> R {
    let world = World::start().await?;
    let alice = world.user("Alice").await?;
    let bot = world.bot("backlog_bot").await?;
    alice.start(&bot).await?;
    for i in 1..=4 {
        alice.says(&bot, &format!("m{i}")).await?;
    }
    let all = get_updates(&bot, json!({})).await?;
    assert_eq!(all.len(), 5);
    let id = ids(&all);

    // limit: the oldest first, at most `limit`.
    let two = get_updates(&bot, json!({ "limit": 2 })).await?;
    assert_eq!(ids(&two), &id[..2]);
    let next_two = get_updates(&bot, json!({ "offset": id[1] + 1, "limit": 2 })).await?;
    assert_eq!(ids(&next_two), &id[2..4]);
    // The confirmed ones are gone; a limit above 100 is not an error.
    let rest = get_updates(&bot, json!({ "limit": 1000 })).await?;
    assert_eq!(ids(&rest), &id[2..]);

    // offset = -2: only the last two, and the older ones are forgotten for good.
    let last = get_updates(&bot, json!({ "offset": -2 })).await?;
    assert_eq!(ids(&last), &id[3..]);
    let after = get_updates(&bot, json!({})).await?;
    assert_eq!(ids(&after), &id[3..]);
    // offset = -1 (skipping a backlog): just the newest.
    let newest = get_updates(&bot, json!({ "offset": -1 })).await?;
    assert_eq!(ids(&newest), [id[4]]);
    assert_eq!(labels(&newest), ["m4"]);
    assert_eq!(ids(&get_updates(&bot, json!({})).await?), [id[4]]);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_poll_returns_as_soon_as_an_update_arrives() -> R {
    let world = World::start().await?;
    let bot = world.bot("wait_bot").await?;
    let alice = started(&world, "Alice", &bot).await?;

    let mut registered = poll_signal(&world, &bot);
    let poller = bot.clone();
    let began = Instant::now();
    let poll = tokio::spawn(async move { poller.poll(30).await });
    // The poll is registered (it bumps the signal) before anything is sent.
    within(registered.changed()).await?;
    assert!(
        !poll.is_finished(),
        "the long poll returned with nothing pending"
    );
    alice.says(&bot, "wake up").await?;
    let got = within(poll).await??;
    assert_eq!(labels(&got), ["wake up"]);
    assert!(
        began.elapsed() < Duration::from_secs(10),
        "the long poll answered only after {:?}",
        began.elapsed()
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_poll_with_nothing_pending_answers_empty_after_the_timeout() -> R {
    let world = World::start().await?;
    let bot = world.bot("idle_bot").await?;
    let began = Instant::now();
    let got = get_updates(&bot, json!({ "timeout": 1 })).await?;
    assert!(got.is_empty());
    let waited = began.elapsed();
    assert!(
        waited >= Duration::from_millis(900),
        "returned after {waited:?}, before the 1 s timeout"
    );
    assert!(waited < Duration::from_secs(5), "took {waited:?}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_poller_terminates_the_first_with_409() -> R {
    let world = World::start().await?;
    let bot = world.bot("twin_bot").await?;
    let alice = started(&world, "Alice", &bot).await?;

    let mut registered = poll_signal(&world, &bot);
    let first_bot = bot.clone();
    let first =
        tokio::spawn(async move { get_updates(&first_bot, json!({ "timeout": 30 })).await });
    within(registered.changed()).await?;
    // The newer call wins; the older one ends with 409.
    let second = get_updates(&bot, json!({ "timeout": 0 })).await?;
    assert!(second.is_empty());
    let older = within(first).await?;
    let e = refused(older.map(Value::from));
    assert_eq!((e.status, e.code), (409, 409));
    assert_eq!(e.description, OTHER_POLL);

    // The survivor keeps working.
    alice.says(&bot, "still here").await?;
    assert_eq!(labels(&bot.updates().await?), ["still here"]);
    Ok(())
}

#[tokio::test]
async fn allowed_updates_is_stored_and_applies_to_later_updates() -> R {
    let world = World::start().await?;
    let alice = world.user("Alice").await?;
    let bot = world.bot("picky_bot").await?;
    alice.start(&bot).await?;

    // Created before the filter: still delivered (the docs: allowed_updates does not affect
    // updates created before the call).
    let before = get_updates(&bot, json!({ "allowed_updates": ["callback_query"] })).await?;
    assert_eq!(labels(&before), ["/start"]);
    let offset = ids(&before)[0] + 1;

    alice.says(&bot, "filtered out").await?;
    assert!(
        get_updates(&bot, json!({ "offset": offset }))
            .await?
            .is_empty()
    );

    // The setting persists when a later call omits it.
    alice.says(&bot, "also filtered").await?;
    assert!(
        get_updates(&bot, json!({ "offset": offset }))
            .await?
            .is_empty()
    );

    // As a JSON string in a form body, too.
    bot.call_form(
        "getUpdates",
        &[
            ("offset", &offset.to_string()),
            ("allowed_updates", r#"["message"]"#),
        ],
    )
    .await?;
    alice.says(&bot, "let through").await?;
    let got = get_updates(&bot, json!({ "offset": offset })).await?;
    assert_eq!(labels(&got), ["let through"]);
    assert_eq!(
        ids(&got)[0],
        offset,
        "filtered updates do not consume update ids"
    );

    // An empty list restores the default (everything but chat_member and reactions).
    get_updates(&bot, json!({ "offset": offset + 1, "allowed_updates": [] })).await?;
    alice.blocks(&bot).await?;
    alice.unblocks(&bot).await?;
    alice.says(&bot, "back").await?;
    let got = get_updates(&bot, json!({ "offset": offset + 1 })).await?;
    assert_eq!(kinds(&got), ["my_chat_member", "my_chat_member", "message"]);
    Ok(())
}

#[tokio::test]
async fn chat_member_and_reactions_only_when_listed_and_only_to_admins() -> R {
    let world = World::start().await?;
    let alice = world.user("Alice").await?;
    let bob = world.user("Bob").await?;
    let carol = world.user("Carol").await?;
    let g = world.supergroup("Lobby", &alice).await?;
    let admin = world.bot("watch_bot").await?;
    let member = world
        .bot_with(json!({ "username": "plain_bot", "privacy": false }))
        .await?;
    g.add_admin(admin.id, Group::helpdesk_rights()).await?;
    g.add(member.id, "member").await?;
    admin.updates().await?;
    member.updates().await?;

    // Default: a join is a service message, but no chat_member; no reactions.
    g.add_member(&bob).await?;
    let hello = alice.says(&g, "welcome").await?;
    let mid = hello["message_id"].as_i64().unwrap_or(0);
    bob.reacts(&g, mid, Some("👍")).await?;
    assert_eq!(kinds(&admin.updates().await?), ["message", "message"]);
    assert_eq!(kinds(&member.updates().await?), ["message", "message"]);

    let all = json!([
        "message",
        "chat_member",
        "message_reaction",
        "my_chat_member"
    ]);
    get_updates(&admin, json!({ "allowed_updates": all })).await?;
    get_updates(&member, json!({ "allowed_updates": all })).await?;

    g.add_member(&carol).await?;
    bob.reacts(&g, mid, Some("🔥")).await?;

    let got = admin.updates().await?;
    assert_eq!(
        kinds(&got),
        ["chat_member", "message", "message_reaction"],
        "{got:#?}"
    );
    let cm = &got[0]["chat_member"];
    assert_eq!(cm["chat"]["id"], g.id);
    assert_eq!(cm["from"]["id"], alice.id, "the creator added Carol");
    assert_eq!(cm["old_chat_member"]["status"], "left");
    assert_eq!(cm["new_chat_member"]["status"], "member");
    assert_eq!(cm["new_chat_member"]["user"]["id"], carol.id);
    assert!(cm["date"].as_i64().unwrap_or(0) > 0);
    let r = &got[2]["message_reaction"];
    assert_eq!(r["chat"]["id"], g.id);
    assert_eq!(r["message_id"], mid);
    assert_eq!(r["user"]["id"], bob.id);
    assert_eq!(
        r["old_reaction"],
        json!([{ "type": "emoji", "emoji": "👍" }])
    );
    assert_eq!(
        r["new_reaction"],
        json!([{ "type": "emoji", "emoji": "🔥" }])
    );

    // A bot that is not an administrator gets neither, even when it asks.
    assert_eq!(kinds(&member.updates().await?), ["message"]);

    // Reactions set by bots produce no update.
    member
        .call(
            "setMessageReaction",
            json!({ "chat_id": g.id, "message_id": mid, "reaction": [{ "type": "emoji", "emoji": "❤" }] }),
        )
        .await?;
    alice.says(&g, "after the bot's reaction").await?;
    assert_eq!(
        labels(&admin.updates().await?),
        ["after the bot's reaction"]
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_updates_is_refused_while_a_webhook_is_set() -> R {
    let world = World::start().await?;
    let bot = world.bot("hooked_bot").await?;

    // A waiting long poll is ended by setWebhook.
    let mut registered = poll_signal(&world, &bot);
    let poller = bot.clone();
    let poll = tokio::spawn(async move { get_updates(&poller, json!({ "timeout": 30 })).await });
    within(registered.changed()).await?;
    bot.call(
        "setWebhook",
        json!({ "url": "https://hooks.example.com/tg" }),
    )
    .await?;
    let ended = within(poll).await?;
    assert_error(ended.map(Value::from), 409, WEBHOOK_ACTIVE);

    assert_error(bot.call("getUpdates", json!({})).await, 409, WEBHOOK_ACTIVE);
    assert_eq!(bot.call("deleteWebhook", json!({})).await?, json!(true));
    assert_eq!(bot.call("getUpdates", json!({})).await?, json!([]));
    Ok(())
}

// ----- webhooks --------------------------------------------------------------------------

#[tokio::test]
async fn cloud_webhooks_need_https_on_a_standard_port() -> R {
    let world = World::start().await?;
    let bot = world.bot("cloud_bot").await?;
    let set = |url: &str| bot.call("setWebhook", json!({ "url": url }));
    assert_error(
        set("http://hooks.example.com/tg").await,
        400,
        "Bad Request: bad webhook: An HTTPS URL must be provided for webhook",
    );
    assert_error(
        set("https://hooks.example.com:8080/tg").await,
        400,
        "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443",
    );
    let info = bot.call("getWebhookInfo", json!({})).await?;
    assert_eq!(info["url"], "", "a refused setWebhook sets nothing");

    for ok in [
        "https://hooks.example.com/tg",
        "https://hooks.example.com:443/tg",
        "https://hooks.example.com:8443/tg",
        "https://hooks.example.com:88/tg",
    ] {
        assert_eq!(set(ok).await?, json!(true), "{ok}");
    }
    let info = bot.call("getWebhookInfo", json!({})).await?;
    assert_eq!(info["url"], "https://hooks.example.com:88/tg");
    assert_eq!(info["has_custom_certificate"], false);
    assert_eq!(info["pending_update_count"], 0);
    assert_eq!(info["max_connections"], 40, "the documented default");
    let _: (
        frankenstein::updates::WebhookInfo,
        tgbot::types::WebhookInfo,
    ) = (
        serde_json::from_value(info.clone())?,
        serde_json::from_value(info.clone())?,
    );

    // The secret token: 1-256 characters of A-Z, a-z, 0-9, _ and -.
    let e = refused(
        bot.call(
            "setWebhook",
            json!({ "url": "https://hooks.example.com/tg", "secret_token": "no spaces!" }),
        )
        .await,
    );
    assert_eq!((e.status, e.code), (400, 400));
    let e = refused(
        bot.call(
            "setWebhook",
            json!({ "url": "https://hooks.example.com/tg", "secret_token": "a".repeat(257) }),
        )
        .await,
    );
    assert_eq!(e.code, 400);

    for bad in [0, 101] {
        let e = refused(
            bot.call(
                "setWebhook",
                json!({ "url": "https://hooks.example.com/tg", "max_connections": bad }),
            )
            .await,
        );
        assert_eq!(e.code, 400, "max_connections {bad}");
    }

    // An empty url removes the webhook, like deleteWebhook.
    assert_eq!(set("").await?, json!(true));
    assert_eq!(bot.call("getWebhookInfo", json!({})).await?["url"], "");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_server_webhook_posts_with_the_secret_and_retries_until_accepted() -> R {
    let world = World::start_with(tgsim::Config {
        local_server: true,
        webhook_retry_ms: 10,
        webhook_retry_max_ms: 40,
        ..Default::default()
    })
    .await?;
    let alice = world.user("Alice").await?;
    let bot = world.bot("hook_bot").await?;
    // Three updates wait before the webhook exists.
    alice.start(&bot).await?;
    alice.says(&bot, "one").await?;
    alice.says(&bot, "two").await?;
    let queued = world
        .control_get(&format!("/bots/{}/updates", bot.id))
        .await?;
    let first = queued[0]["update_id"].as_i64().unwrap_or(0);

    let mut hook = Hook::start(true).await?;
    let secret = "s3cr3t-Token_42";
    let r = bot
        .call(
            "setWebhook",
            json!({
                "url": hook.url,
                "secret_token": secret,
                "allowed_updates": ["message", "callback_query"],
                "max_connections": 5,
            }),
        )
        .await?;
    assert_eq!(r, json!(true));

    // The first update is POSTed, refused with 500, and POSTed again.
    let a = hook.next().await;
    let b = hook.next().await;
    for d in [&a, &b] {
        assert_eq!(d.status, 500);
        assert_eq!(d.secret.as_deref(), Some(secret));
        assert_eq!(d.body["update_id"], first, "the same update is retried");
        assert_eq!(d.body["message"]["text"], "/start");
        assert!(
            d.content_type
                .as_deref()
                .is_some_and(|c| c.starts_with("application/json")),
            "content type {:?}",
            d.content_type
        );
    }
    let info = bot.call("getWebhookInfo", json!({})).await?;
    assert_eq!(info["url"], hook.url.as_str());
    assert_eq!(info["pending_update_count"], 3, "{info}");
    assert_eq!(
        info["last_error_message"],
        "Wrong response from the webhook: 500 Internal Server Error"
    );
    let now = world.control_get("/clock").await?["now"]
        .as_i64()
        .unwrap_or(0);
    let err_date = info["last_error_date"].as_i64().unwrap_or(0);
    assert!(
        err_date > 0 && err_date <= now,
        "last_error_date {err_date}, now {now}"
    );
    assert_eq!(info["max_connections"], 5);
    assert_eq!(
        info["allowed_updates"],
        json!(["message", "callback_query"])
    );
    let (f, t): (
        frankenstein::updates::WebhookInfo,
        tgbot::types::WebhookInfo,
    ) = (
        serde_json::from_value(info.clone())?,
        serde_json::from_value(info.clone())?,
    );
    assert_eq!(f.pending_update_count, 3);
    assert_eq!(t.pending_update_count, 3);

    // Accept from now on: the three arrive in order, each accepted once.
    hook.fail.store(false, Ordering::SeqCst);
    let mut accepted = Vec::new();
    while accepted.len() < 3 {
        let d = hook.next().await;
        assert_eq!(d.secret.as_deref(), Some(secret));
        if d.status == 200 {
            accepted.push(d.body);
        } else {
            assert_eq!(d.body["update_id"], first, "only the head is retried");
        }
    }
    assert_eq!(ids(&accepted), [first, first + 1, first + 2]);
    assert_eq!(labels(&accepted), ["/start", "one", "two"]);

    // New updates follow immediately, numbered on.
    alice.says(&bot, "three").await?;
    let d = hook.next().await;
    assert_eq!(d.status, 200);
    assert_eq!(d.body["update_id"], first + 3);
    assert_eq!(d.body["message"]["text"], "three");

    // The webhook's allowed_updates apply: block/unblock make no my_chat_member update, so
    // the next delivery (deliveries are in order) is the next message, numbered on.
    alice.blocks(&bot).await?;
    alice.unblocks(&bot).await?;
    alice.says(&bot, "four").await?;
    let d = hook.next().await;
    assert_eq!(d.body["update_id"], first + 4, "{:#}", d.body);
    assert_eq!(d.body["message"]["text"], "four");

    assert_error(bot.call("getUpdates", json!({})).await, 409, WEBHOOK_ACTIVE);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_webhook_url_takes_over_delivery() -> R {
    let world = World::start_with(tgsim::Config {
        local_server: true,
        webhook_retry_ms: 10,
        webhook_retry_max_ms: 40,
        ..Default::default()
    })
    .await?;
    let alice = world.user("Alice").await?;
    let bot = world.bot("moving_bot").await?;
    let mut old = Hook::start(true).await?;
    let mut new = Hook::start(false).await?;
    bot.call(
        "setWebhook",
        json!({ "url": old.url, "secret_token": "old" }),
    )
    .await?;
    alice.start(&bot).await?;
    assert_eq!(old.next().await.status, 500);
    bot.call(
        "setWebhook",
        json!({ "url": new.url, "secret_token": "new" }),
    )
    .await?;
    let d = new.next().await;
    assert_eq!(d.status, 200);
    assert_eq!(d.secret.as_deref(), Some("new"));
    assert_eq!(d.body["message"]["text"], "/start");
    alice.says(&bot, "next").await?;
    let d = new.next().await;
    assert_eq!(d.body["message"]["text"], "next");
    let info = bot.call("getWebhookInfo", json!({})).await?;
    assert_eq!(info["url"], new.url.as_str());
    assert_eq!(
        info.get("last_error_message"),
        None,
        "a new webhook starts clean: {info}"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_webhook_keeps_or_drops_pending_updates() -> R {
    let world = World::start_with(tgsim::Config {
        local_server: true,
        webhook_retry_ms: 10,
        webhook_retry_max_ms: 40,
        ..Default::default()
    })
    .await?;
    let alice = world.user("Alice").await?;
    let bot = world.bot("drop_bot").await?;
    let mut hook = Hook::start(true).await?;
    bot.call("setWebhook", json!({ "url": hook.url })).await?;
    alice.start(&bot).await?;
    let d = hook.next().await;
    assert_eq!(d.body["message"]["text"], "/start");
    assert_eq!(d.secret, None, "no secret_token, no header");

    // Without drop_pending_updates the refused update survives for getUpdates.
    bot.call("deleteWebhook", json!({})).await?;
    let kept = get_updates(&bot, json!({})).await?;
    assert_eq!(labels(&kept), ["/start"]);
    get_updates(&bot, json!({ "offset": ids(&kept)[0] + 1 })).await?;

    bot.call("setWebhook", json!({ "url": hook.url })).await?;
    alice.says(&bot, "lost").await?;
    // Wait until a delivery of "lost" was attempted (and refused).
    loop {
        let d = hook.next().await;
        if d.body["message"]["text"] == "lost" {
            break;
        }
    }
    let info = bot.call("getWebhookInfo", json!({})).await?;
    assert_eq!(info["pending_update_count"], 1, "{info}");
    assert_eq!(
        bot.call("deleteWebhook", json!({ "drop_pending_updates": true }))
            .await?,
        json!(true)
    );
    let info = bot.call("getWebhookInfo", json!({})).await?;
    assert_eq!(info["url"], "");
    assert_eq!(info["pending_update_count"], 0);
    assert!(get_updates(&bot, json!({})).await?.is_empty());
    alice.says(&bot, "fresh").await?;
    assert_eq!(labels(&get_updates(&bot, json!({})).await?), ["fresh"]);

    // setWebhook's drop_pending_updates drops too.
    bot.call(
        "setWebhook",
        json!({ "url": hook.url, "drop_pending_updates": true }),
    )
    .await?;
    let info = bot.call("getWebhookInfo", json!({})).await?;
    assert_eq!(info["pending_update_count"], 0);
    Ok(())
}

// ----- who sees what ---------------------------------------------------------------------

#[tokio::test]
async fn privacy_mode_decides_what_a_group_member_bot_sees() -> R {
    let world = World::start().await?;
    let alice = world.user("Alice").await?;
    let bob = world.user("Bob").await?;
    let g = world.supergroup("Room", &alice).await?;
    let quiet = world.bot("quiet_bot").await?;
    let boss = world.bot("boss_bot").await?;
    let open = world
        .bot_with(json!({ "username": "open_bot", "privacy": false }))
        .await?;
    g.add(quiet.id, "member").await?;
    g.add_admin(boss.id, Group::helpdesk_rights()).await?;
    g.add(open.id, "member").await?;
    // Each bot learns it was added, and sees its own join service message.
    for b in [&quiet, &boss, &open] {
        let got = b.updates().await?;
        assert!(
            kinds(&got).contains(&"my_chat_member".to_string()),
            "{got:#?}"
        );
        let joined = got
            .iter()
            .filter(|u| u["message"]["new_chat_members"][0]["id"] == b.id)
            .count();
        assert_eq!(joined, 1, "{}: {got:#?}", b.username);
    }

    alice.says(&g, "just chatting").await?;
    alice.says(&g, "/help@quiet_bot").await?;
    alice.says(&g, "/help@open_bot").await?;
    let mine = quiet.says(g.id, "I am quiet").await?;
    alice
        .send(
            &g,
            json!({ "text": "thanks", "reply_to": mine["message_id"] }),
        )
        .await?;
    // quiet was the last bot to write: a bare command is for it.
    alice.says(&g, "/status").await?;
    open.says(g.id, "open speaks").await?;
    // Now open was the last bot to write: a bare command is no longer for quiet.
    alice.says(&g, "/status").await?;
    open.says(g.id, "/help@quiet_bot from a bot").await?;
    g.add_member(&bob).await?;

    let q = quiet.updates().await?;
    assert_eq!(
        labels(&q),
        ["/help@quiet_bot", "thanks", "/status", "new_chat_members"],
        "{q:#?}"
    );
    assert_eq!(
        q[1]["message"]["reply_to_message"]["message_id"],
        mine["message_id"]
    );
    let everything = [
        "just chatting",
        "/help@quiet_bot",
        "/help@open_bot",
        "thanks",
        "/status",
        "/status",
        "new_chat_members",
    ];
    assert_eq!(
        labels(&boss.updates().await?),
        everything,
        "admins see all but bots"
    );
    assert_eq!(
        labels(&open.updates().await?),
        everything,
        "privacy off: all but bots"
    );
    Ok(())
}

#[tokio::test]
async fn privacy_mode_bots_receive_all_service_messages() -> R {
    // Bots FAQ: "All bots, regardless of settings, will receive: All service messages."
    let world = World::start().await?;
    let alice = world.user("Alice").await?;
    let f = world.forum("Desk", &alice).await?;
    let quiet = world.bot("svc_bot").await?;
    f.add(quiet.id, "member").await?;
    quiet.updates().await?;
    let t = f.create_topic("Billing").await?;
    f.topic_action(t, "close").await?;
    let got = quiet.updates().await?;
    let services: Vec<String> = got
        .iter()
        .filter_map(|u| u["message"].as_object())
        .flat_map(|m| {
            ["forum_topic_created", "forum_topic_closed"]
                .into_iter()
                .filter(|k| m.contains_key(*k))
                .map(str::to_string)
        })
        .collect();
    assert_eq!(
        services,
        ["forum_topic_created", "forum_topic_closed"],
        "{got:#?}"
    );
    Ok(())
}

#[tokio::test]
async fn channel_posts_reach_administrator_bots_as_channel_post() -> R {
    let world = World::start().await?;
    let alice = world.user("Alice").await?;
    let ch = world.channel("News", &alice).await?;
    let bot = world.bot("news_bot").await?;
    // Bots join channels only as administrators.
    assert!(ch.add(bot.id, "member").await.is_err());
    ch.add_admin(
        bot.id,
        json!({ "can_post_messages": true, "can_edit_messages": true }),
    )
    .await?;
    let joined = bot.updates().await?;
    assert_eq!(
        kinds(&joined),
        ["my_chat_member"],
        "no service message in channels"
    );

    let post = alice.says(&ch, "breaking").await?;
    let mid = post["message_id"].as_i64().unwrap_or(0);
    alice.edits(&ch, mid, "breaking (updated)").await?;
    let got = bot.updates().await?;
    assert_eq!(
        kinds(&got),
        ["channel_post", "edited_channel_post"],
        "{got:#?}"
    );
    let p = &got[0]["channel_post"];
    assert_eq!(p["chat"]["id"], ch.id);
    assert_eq!(p["chat"]["type"], "channel");
    assert_eq!(p["sender_chat"]["id"], ch.id);
    assert_eq!(p["text"], "breaking");
    assert!(p.get("from").is_none(), "channel posts have no from: {p}");
    let e = &got[1]["edited_channel_post"];
    assert_eq!(e["message_id"], mid);
    assert_eq!(e["text"], "breaking (updated)");
    assert!(e["edit_date"].as_i64().unwrap_or(0) > 0);

    // The bot's own posts come back to nobody.
    bot.says(ch.id, "from the bot").await?;
    assert!(bot.updates().await?.is_empty());
    Ok(())
}

// ----- callback queries ------------------------------------------------------------------

async fn keyboard_message(bot: &Bot, chat_id: i64) -> anyhow::Result<i64> {
    let m = bot
        .call(
            "sendMessage",
            json!({
                "chat_id": chat_id,
                "text": "Choose",
                "reply_markup": { "inline_keyboard": [[
                    { "text": "Yes", "callback_data": "yes" },
                    { "text": "No", "callback_data": "no" }
                ]] }
            }),
        )
        .await?;
    m["message_id"]
        .as_i64()
        .ok_or_else(|| anyhow::anyhow!("no message_id in {m}"))
}

#[tokio::test]
async fn callback_query_is_delivered_and_answered_once() -> R {
    let world = World::start().await?;
    let bot = world.bot("button_bot").await?;
    let other = world.bot("other_bot").await?;
    let alice = started(&world, "Alice", &bot).await?;
    let mid = keyboard_message(&bot, alice.id).await?;

    assert!(
        alice.presses(&bot, mid, "maybe").await.is_err(),
        "no such button"
    );
    let qid = alice.presses(&bot, mid, "yes").await?;
    let got = bot.updates().await?;
    assert_eq!(kinds(&got), ["callback_query"]);
    let q = &got[0]["callback_query"];
    assert_eq!(q["id"], qid.as_str());
    assert_eq!(q["from"]["id"], alice.id);
    assert_eq!(q["from"]["is_bot"], false);
    assert_eq!(q["data"], "yes");
    assert_eq!(q["message"]["message_id"], mid);
    assert_eq!(q["message"]["chat"]["id"], alice.id);
    assert_eq!(q["message"]["from"]["id"], bot.id);
    assert_eq!(
        q["message"]["reply_markup"]["inline_keyboard"][0][1]["callback_data"],
        "no"
    );
    let instance = q["chat_instance"].as_str().unwrap_or_default().to_string();
    assert!(!instance.is_empty());

    // Another bot cannot answer it; nobody can answer a made-up id.
    assert_error(
        other
            .call("answerCallbackQuery", json!({ "callback_query_id": qid }))
            .await,
        400,
        INVALID_QUERY,
    );
    assert_error(
        bot.call(
            "answerCallbackQuery",
            json!({ "callback_query_id": "4242424242424242" }),
        )
        .await,
        400,
        INVALID_QUERY,
    );

    // Unanswered so far.
    let seen = world.control_get(&format!("/callbacks/{qid}")).await?;
    assert_eq!(seen["answer"], Value::Null);
    let ok = bot
        .call(
            "answerCallbackQuery",
            json!({ "callback_query_id": qid, "text": "Noted", "show_alert": true }),
        )
        .await?;
    assert_eq!(ok, json!(true));
    let seen = world.control_get(&format!("/callbacks/{qid}")).await?;
    assert_eq!(seen["answer"]["text"], "Noted");
    assert_eq!(seen["answer"]["show_alert"], true);
    // Only once.
    assert_error(
        bot.call(
            "answerCallbackQuery",
            json!({ "callback_query_id": qid, "text": "again" }),
        )
        .await,
        400,
        INVALID_QUERY,
    );
    let seen = world.control_get(&format!("/callbacks/{qid}")).await?;
    assert_eq!(seen["answer"]["text"], "Noted", "the first answer stands");

    // chat_instance identifies the chat: the same for another press in this chat,
    // different in another chat.
    let bob = started(&world, "Bob", &bot).await?;
    let bob_mid = keyboard_message(&bot, bob.id).await?;
    let q2 = alice.presses(&bot, mid, "no").await?;
    bob.presses(&bot, bob_mid, "yes").await?;
    let got = bot.updates().await?;
    assert_eq!(got[0]["callback_query"]["id"], q2.as_str());
    assert_ne!(q2, qid, "every press is a new query");
    assert_eq!(got[0]["callback_query"]["chat_instance"], instance.as_str());
    assert_ne!(got[1]["callback_query"]["chat_instance"], instance.as_str());
    assert_eq!(got[1]["callback_query"]["from"]["id"], bob.id);
    Ok(())
}

#[tokio::test]
async fn callback_query_answer_expires_after_15_seconds() -> R {
    let world = World::start().await?;
    let bot = world.bot("slowpoke_bot").await?;
    let alice = started(&world, "Alice", &bot).await?;
    let mid = keyboard_message(&bot, alice.id).await?;
    world.freeze_clock().await?;

    let late = alice.presses(&bot, mid, "yes").await?;
    world.advance_ms(15_001).await?;
    assert_error(
        bot.call("answerCallbackQuery", json!({ "callback_query_id": late }))
            .await,
        400,
        INVALID_QUERY,
    );
    let seen = world.control_get(&format!("/callbacks/{late}")).await?;
    assert_eq!(seen["answer"], Value::Null);

    let in_time = alice.presses(&bot, mid, "no").await?;
    world.advance_ms(14_000).await?;
    assert_eq!(
        bot.call(
            "answerCallbackQuery",
            json!({ "callback_query_id": in_time })
        )
        .await?,
        json!(true)
    );
    Ok(())
}

// ----- membership updates ----------------------------------------------------------------

#[tokio::test]
async fn my_chat_member_on_block_unblock_and_being_added_as_admin() -> R {
    let world = World::start().await?;
    let bot = world.bot("member_bot").await?;
    let alice = started(&world, "Alice", &bot).await?;

    alice.blocks(&bot).await?;
    let got = bot.updates().await?;
    assert_eq!(kinds(&got), ["my_chat_member"]);
    let m = &got[0]["my_chat_member"];
    assert_eq!(m["chat"]["id"], alice.id);
    assert_eq!(m["chat"]["type"], "private");
    assert_eq!(m["from"]["id"], alice.id);
    assert_eq!(m["old_chat_member"]["status"], "member");
    assert_eq!(m["new_chat_member"]["status"], "kicked");
    assert_eq!(m["new_chat_member"]["user"]["id"], bot.id);
    assert_eq!(m["new_chat_member"]["until_date"], 0);
    assert_error(
        bot.says(alice.id, "hello?").await,
        403,
        "Forbidden: bot was blocked by the user",
    );

    alice.unblocks(&bot).await?;
    let got = bot.updates().await?;
    assert_eq!(kinds(&got), ["my_chat_member"]);
    let m = &got[0]["my_chat_member"];
    assert_eq!(m["old_chat_member"]["status"], "kicked");
    assert_eq!(m["new_chat_member"]["status"], "member");
    bot.says(alice.id, "welcome back").await?;

    // Added to a group as administrator.
    let g = world.supergroup("Staff", &alice).await?;
    alice
        .adds_bot(
            &g,
            &bot,
            Some(json!({ "can_manage_topics": true, "can_delete_messages": true })),
        )
        .await?;
    let got = bot.updates().await?;
    assert_eq!(kinds(&got), ["my_chat_member", "message"], "{got:#?}");
    let m = &got[0]["my_chat_member"];
    assert_eq!(m["chat"]["id"], g.id);
    assert_eq!(m["chat"]["type"], "supergroup");
    assert_eq!(m["from"]["id"], alice.id);
    assert_eq!(m["old_chat_member"]["status"], "left");
    assert_eq!(m["new_chat_member"]["status"], "administrator");
    assert_eq!(m["new_chat_member"]["user"]["id"], bot.id);
    assert_eq!(m["new_chat_member"]["can_delete_messages"], true);
    assert_eq!(m["new_chat_member"]["can_manage_topics"], true);
    assert_eq!(m["new_chat_member"]["can_change_info"], false);
    assert_eq!(got[1]["message"]["new_chat_members"][0]["id"], bot.id);

    // Removed: kicked, with the service message about it not sent to the removed bot.
    g.kick(bot.id).await?;
    let got = bot.updates().await?;
    assert_eq!(kinds(&got), ["my_chat_member"], "{got:#?}");
    assert_eq!(
        got[0]["my_chat_member"]["new_chat_member"]["status"],
        "kicked"
    );
    Ok(())
}

// ----- flood limits ----------------------------------------------------------------------

#[tokio::test]
async fn flood_limit_twenty_messages_per_minute_per_group() -> R {
    let world = World::start().await?;
    world.limits(true).await?;
    world.freeze_clock().await?;
    let alice = world.user("Alice").await?;
    let g = world.supergroup("Busy", &alice).await?;
    let bot = world.bot("busy_bot").await?;
    g.add_admin(bot.id, Group::helpdesk_rights()).await?;
    for i in 0..20 {
        bot.says(g.id, &format!("msg {i}")).await?;
        world.advance_ms(1_000).await?;
    }
    // 20 s after the first message: it leaves the minute window in 40 s.
    assert_flood(bot.says(g.id, "one too many").await, 40);
    world.advance_ms(39_000).await?;
    assert_flood(bot.says(g.id, "still too many").await, 1);
    let shown = timeline_len(&alice, &g).await?;
    world.advance_ms(1_000).await?;
    bot.says(g.id, "now fine").await?;
    assert_eq!(
        timeline_len(&alice, &g).await?,
        shown + 1,
        "refused sends store nothing"
    );
    let stats = world.stats().await?;
    assert_eq!(stats["limited"]["refused"], 2);
    assert_eq!(stats["statuses"]["429"], 2);
    Ok(())
}

#[tokio::test]
async fn flood_limit_private_chat_burst() -> R {
    let world = World::start().await?;
    world.limits(true).await?;
    world.freeze_clock().await?;
    let bot = world.bot("chatty_bot").await?;
    let alice = started(&world, "Alice", &bot).await?;
    let bob = started(&world, "Bob", &bot).await?;
    for i in 0..3 {
        bot.says(alice.id, &format!("burst {i}")).await?;
    }
    assert_flood(bot.says(alice.id, "too fast").await, 3);
    // Another chat has its own budget.
    bot.says(bob.id, "hi Bob").await?;
    world.advance_ms(1_000).await?;
    assert_flood(bot.says(alice.id, "too fast").await, 2);
    world.advance_ms(2_000).await?;
    bot.says(alice.id, "fine again").await?;
    Ok(())
}

#[tokio::test]
async fn flood_limit_thirty_messages_per_second_per_bot() -> R {
    let world = World::start().await?;
    world.limits(true).await?;
    world.freeze_clock().await?;
    let bot = world.bot("broadcast_bot").await?;
    let mut people = Vec::new();
    for i in 0..31 {
        let p = world.user(&format!("User{i}")).await?;
        p.start(&bot).await?;
        people.push(p);
    }
    for p in &people[..30] {
        bot.says(p.id, "news").await?;
    }
    assert_flood(bot.says(people[30].id, "news").await, 1);
    // Another bot is not affected.
    let other = world.bot("other_bot").await?;
    people[30].start(&other).await?;
    other.says(people[30].id, "hi").await?;
    world.advance_ms(1_000).await?;
    bot.says(people[30].id, "news").await?;
    Ok(())
}

#[tokio::test]
async fn flood_limits_are_off_by_default() -> R {
    let world = World::start().await?;
    world.freeze_clock().await?;
    let alice = world.user("Alice").await?;
    let g = world.supergroup("Quiet", &alice).await?;
    let bot = world.bot("free_bot").await?;
    g.add(bot.id, "member").await?;
    alice.start(&bot).await?;
    for i in 0..40 {
        bot.says(alice.id, &format!("p{i}")).await?;
        bot.says(g.id, &format!("g{i}")).await?;
    }
    assert_eq!(world.stats().await?["statuses"].get("429"), None);
    Ok(())
}

// ----- fault injection -------------------------------------------------------------------

#[tokio::test]
async fn fault_429_hits_one_method_of_one_bot() -> R {
    let world = World::start().await?;
    let a = world.bot("faulty_bot").await?;
    let b = world.bot("healthy_bot").await?;
    let alice = world.user("Alice").await?;
    alice.start(&a).await?;
    alice.start(&b).await?;
    world
        .faults(
            json!([{ "kind": "429", "bot_id": a.id, "method": "sendMessage", "retry_after": 7 }]),
        )
        .await?;
    assert_flood(a.says(alice.id, "x").await, 7);
    // Method names are case-insensitive; the rule matches the canonical name.
    assert_flood(
        a.call("SENDMESSAGE", json!({ "chat_id": alice.id, "text": "x" }))
            .await,
        7,
    );
    a.call("getMe", json!({})).await?;
    b.says(alice.id, "fine").await?;
    assert_eq!(
        timeline_len(&alice, &a).await?,
        1,
        "only /start: the refused sends did nothing"
    );
    world.faults(json!([])).await?;
    a.says(alice.id, "healed").await?;
    Ok(())
}

#[tokio::test]
async fn fault_5xx_as_json_or_as_a_proxy_page() -> R {
    let world = World::start().await?;
    let bot = world.bot("server_bot").await?;
    let alice = started(&world, "Alice", &bot).await?;

    world
        .faults(json!([{ "kind": "5xx", "status": 500, "method": "sendMessage", "count": 1 }]))
        .await?;
    assert_error(bot.says(alice.id, "a").await, 500, "Internal Server Error");
    assert_eq!(timeline_len(&alice, &bot).await?, 1, "nothing was sent");

    // 502 comes from a proxy: HTML, not JSON; a client still gets a clean error.
    world
        .faults(json!([{ "kind": "5xx", "status": 502, "method": "getMe", "count": 2 }]))
        .await?;
    let e = refused(bot.call("getMe", json!({})).await);
    assert_eq!(e.status, 502);
    assert!(e.description.contains("502 Bad Gateway"), "{e:?}");
    let raw = world.http().get(bot.url("getMe")).send().await?;
    assert_eq!(raw.status().as_u16(), 502);
    let ct = raw
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(ct.starts_with("text/html"), "{ct}");
    let body = raw.text().await?;
    assert!(serde_json::from_str::<Value>(&body).is_err(), "{body}");
    assert!(body.contains("<html>"));
    bot.call("getMe", json!({})).await?;

    // `after`: the call took effect, but the client sees a 500.
    world
        .faults(json!([{ "kind": "5xx", "method": "sendMessage", "after": true, "count": 1 }]))
        .await?;
    assert_error(
        bot.says(alice.id, "happened anyway").await,
        500,
        "Internal Server Error",
    );
    assert_eq!(
        alice.last_seen(&bot).await?["text"],
        "happened anyway",
        "the message was stored"
    );
    Ok(())
}

#[tokio::test]
async fn fault_slow_delays_but_succeeds() -> R {
    let world = World::start().await?;
    let bot = world.bot("sleepy_bot").await?;
    let alice = started(&world, "Alice", &bot).await?;
    world
        .faults(json!([{ "kind": "slow", "method": "sendMessage", "delay_ms": 300 }]))
        .await?;
    let began = Instant::now();
    let sent = bot.says(alice.id, "eventually").await?;
    assert!(
        began.elapsed() >= Duration::from_millis(300),
        "answered after {:?}",
        began.elapsed()
    );
    assert_eq!(sent["text"], "eventually");
    // Other methods are not delayed (no assertion on speed; just that they work).
    bot.call("getMe", json!({})).await?;
    Ok(())
}

#[tokio::test]
async fn fault_drop_is_a_transport_error_before_or_after_the_effect() -> R {
    let world = World::start().await?;
    let bot = world.bot("dropped_bot").await?;
    let alice = started(&world, "Alice", &bot).await?;

    world
        .faults(json!([{ "kind": "drop", "method": "sendMessage", "count": 1 }]))
        .await?;
    let e = refused(bot.says(alice.id, "never").await);
    assert_eq!(e.status, 0, "a transport error, not an HTTP answer: {e:?}");
    assert_eq!(timeline_len(&alice, &bot).await?, 1, "not stored");

    world
        .faults(json!([{ "kind": "drop", "method": "sendMessage", "count": 1, "after": true }]))
        .await?;
    let raw = world
        .http()
        .post(bot.url("sendMessage"))
        .json(&json!({ "chat_id": alice.id, "text": "stored" }))
        .send()
        .await;
    let failed = match raw {
        Err(_) => true,
        Ok(r) => r.text().await.is_err(),
    };
    assert!(failed, "the HTTP client must fail");
    assert_eq!(alice.last_seen(&bot).await?["text"], "stored");
    bot.says(alice.id, "and on").await?;
    Ok(())
}

#[tokio::test]
async fn fault_count_retires_the_rule() -> R {
    let world = World::start().await?;
    let bot = world.bot("counted_bot").await?;
    world
        .faults(json!([{ "kind": "5xx", "method": "getMe", "count": 2 }]))
        .await?;
    assert_eq!(refused(bot.call("getMe", json!({})).await).status, 500);
    assert_eq!(refused(bot.call("getMe", json!({})).await).status, 500);
    bot.call("getMe", json!({})).await?;
    bot.call("getMe", json!({})).await?;
    let f = world.control_get("/faults").await?;
    assert_eq!(f["rules"], json!([]), "{f}");
    assert_eq!(f["fired"], 2);
    // A probability outside 0..=1 is refused.
    assert!(
        world
            .faults(json!([{ "kind": "5xx", "rate": 1.5 }]))
            .await
            .is_err()
    );
    Ok(())
}

#[tokio::test]
async fn fault_rate_fails_roughly_that_share_of_calls() -> R {
    let world = World::start().await?;
    let bot = world.bot("flaky_bot").await?;
    let steady = world.bot("steady_bot").await?;
    world
        .faults(json!([
            { "kind": "5xx", "method": "getMe", "rate": 0.1, "bot_id": bot.id },
            { "kind": "5xx", "method": "getMe", "rate": 0.0, "bot_id": steady.id }
        ]))
        .await?;
    let mut failed = 0;
    for _ in 0..200 {
        match bot.call("getMe", json!({})).await {
            Ok(_) => {}
            Err(e) => {
                assert_eq!(e.status, 500);
                failed += 1;
            }
        }
        steady.call("getMe", json!({})).await?;
    }
    assert!(
        (5..=40).contains(&failed),
        "{failed} of 200 failed at rate 0.1"
    );
    Ok(())
}

// ----- traffic log -----------------------------------------------------------------------

fn read_log(path: &std::path::Path) -> anyhow::Result<(String, Vec<Value>)> {
    let text = std::fs::read_to_string(path)?;
    let mut lines = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let v: Value = serde_json::from_str(line)
            .map_err(|e| anyhow::anyhow!("line {i} is not JSON ({e}): {line}"))?;
        lines.push(v);
    }
    assert!(text.is_empty() || text.ends_with('\n'), "a torn last line");
    Ok((text, lines))
}

#[tokio::test]
async fn traffic_log_has_one_line_per_call_and_no_token() -> R {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("traffic.jsonl");
    let world = World::start_with(tgsim::Config {
        record_path: Some(path.clone()),
        ..Default::default()
    })
    .await?;
    let bot = world.bot("logged_bot").await?;
    let alice = world.user("Alice").await?;
    alice.start(&bot).await?;

    bot.call("getMe", json!({})).await?;
    bot.says(alice.id, "hello log").await?;
    refused(bot.says(123_456_789, "nobody").await);
    get_updates(&bot, json!({ "offset": 0, "timeout": 0 })).await?;
    let filler = "Z".repeat(4096);
    let form = reqwest::multipart::Form::new()
        .text("chat_id", alice.id.to_string())
        .part(
            "document",
            reqwest::multipart::Part::bytes(filler.clone().into_bytes()).file_name("report.txt"),
        );
    bot.call_multipart("sendDocument", form).await?;
    refused(bot.call("noSuchMethod", json!({})).await);
    // A wrong token is answered 401 and not logged (it would leak a token-like string).
    let wrong = format!("{}/bot123:wrong-token-xyz/getMe", world.base_url());
    let r = world.http().get(&wrong).send().await?;
    assert_eq!(r.status().as_u16(), 401);

    let (text, lines) = read_log(&path)?;
    assert!(!text.contains(&bot.token), "the token leaked into the log");
    assert!(!text.contains("wrong-token-xyz"));
    assert!(
        !text.contains(&filler[..100]),
        "upload bytes are not logged"
    );
    let methods: Vec<&str> = lines
        .iter()
        .map(|l| l["method"].as_str().unwrap_or("?"))
        .collect();
    assert_eq!(
        methods,
        [
            "getMe",
            "sendMessage",
            "sendMessage",
            "getUpdates",
            "sendDocument",
            "noSuchMethod"
        ]
    );
    for l in &lines {
        assert!(l["params"].is_object(), "{l}");
        assert!(l["response"].is_object(), "{l}");
        assert_eq!(l["bot"], "logged_bot");
    }
    assert_eq!(lines[0]["response"]["ok"], true);
    assert_eq!(lines[0]["response"]["result"]["username"], "logged_bot");
    assert_eq!(lines[1]["params"]["chat_id"], alice.id);
    assert_eq!(lines[1]["params"]["text"], "hello log");
    assert_eq!(lines[1]["response"]["result"]["text"], "hello log");
    assert_eq!(lines[2]["response"]["ok"], false);
    assert_eq!(lines[2]["response"]["error_code"], 400);
    assert_eq!(
        lines[2]["response"]["description"],
        "Bad Request: chat not found"
    );
    assert_eq!(
        lines[4]["params"]["document"],
        json!({ "upload": "report.txt", "size": 4096 })
    );
    assert_eq!(lines[4]["params"]["chat_id"], alice.id.to_string());
    assert_eq!(lines[5]["response"]["error_code"], 404);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn traffic_log_shared_by_two_instances_has_only_whole_lines() -> R {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("shared.jsonl");
    let config = || tgsim::Config {
        record_path: Some(path.clone()),
        ..Default::default()
    };
    let one = World::start_with(config()).await?;
    let two = World::start_with(config()).await?;
    let a = one.bot("first_bot").await?;
    let b = two.bot("second_bot").await?;
    let ua = one.user("Alice").await?;
    let ub = two.user("Bob").await?;
    ua.start(&a).await?;
    ub.start(&b).await?;

    let mut tasks = tokio::task::JoinSet::new();
    let per = 60;
    for i in 0..per {
        for (bot, to) in [(a.clone(), ua.id), (b.clone(), ub.id)] {
            let text = format!("{i:04} {}", "x".repeat(3_000));
            tasks.spawn(async move { bot.says(to, &text).await });
        }
    }
    while let Some(r) = tasks.join_next().await {
        r??;
    }
    let (_, lines) = read_log(&path)?;
    assert_eq!(lines.len(), 2 * per);
    let from = |name: &str| lines.iter().filter(|l| l["bot"] == name).count();
    assert_eq!(from("first_bot"), per);
    assert_eq!(from("second_bot"), per);
    assert!(lines.iter().all(|l| l["response"]["ok"] == true));
    Ok(())
}

// ----- clock -----------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn frozen_clock_stays_put_and_advancing_moves_dates() -> R {
    let world = World::start().await?;
    let bot = world.bot("clock_bot").await?;
    let alice = started(&world, "Alice", &bot).await?;
    let c0 = world
        .control_post("/clock", json!({ "freeze": true }))
        .await?;
    assert_eq!(c0["frozen"], true);
    let t0 = c0["now_ms"].as_i64().unwrap_or(0);
    // A real second passes (a long poll that times out) while emulated time stands still.
    assert!(bot.poll(1).await?.is_empty());
    let c1 = world.control_get("/clock").await?;
    assert_eq!(c1["now_ms"], t0);
    let m1 = alice.says(&bot, "now").await?;
    assert_eq!(m1["date"], t0.div_euclid(1000));
    let sent = bot.says(alice.id, "reply").await?;
    assert_eq!(sent["date"], t0.div_euclid(1000));

    world.advance_ms(90_000).await?;
    let m2 = alice.says(&bot, "later").await?;
    assert_eq!(m2["date"], (t0 + 90_000).div_euclid(1000));
    let got = bot.updates().await?;
    assert_eq!(got[0]["message"]["date"], t0.div_euclid(1000));
    assert_eq!(got[1]["message"]["date"], (t0 + 90_000).div_euclid(1000));

    world.advance_hours(48).await?;
    let c2 = world.control_get("/clock").await?;
    assert_eq!(c2["now_ms"], t0 + 90_000 + 48 * 3_600_000);
    // Time never goes back.
    assert!(
        world
            .control_post("/clock", json!({ "advance_ms": -5 }))
            .await
            .is_err()
    );

    // Unfrozen, time runs on from where it stood.
    let c3 = world
        .control_post("/clock", json!({ "freeze": false }))
        .await?;
    assert_eq!(c3["frozen"], false);
    let t3 = c3["now_ms"].as_i64().unwrap_or(0);
    let expect = t0 + 90_000 + 48 * 3_600_000;
    assert!(t3 >= expect && t3 < expect + 5_000, "{t3} vs {expect}");
    Ok(())
}

// ----- deserialization of every update kind ----------------------------------------------

#[tokio::test]
async fn every_update_kind_parses_in_frankenstein_and_tgbot() -> R {
    use frankenstein::updates::UpdateContent as F;
    use tgbot::types::{MessageData, UpdateType as T};

    let world = World::start().await?;
    let alice = world
        .user_with(json!({ "first_name": "Alice", "username": "alice" }))
        .await?;
    let bob = world.user("Bob").await?;
    let bot = world.bot("parse_bot").await?;
    get_updates(
        &bot,
        json!({ "allowed_updates": [
            "message", "edited_message", "channel_post", "edited_channel_post",
            "callback_query", "my_chat_member", "chat_member", "message_reaction"
        ] }),
    )
    .await?;

    alice.start(&bot).await?;
    let m = alice.says(&bot, "hello").await?;
    alice
        .edits(&bot, m["message_id"].as_i64().unwrap_or(0), "hello, edited")
        .await?;
    let kb = keyboard_message(&bot, alice.id).await?;
    alice.presses(&bot, kb, "yes").await?;
    alice.blocks(&bot).await?;
    alice.unblocks(&bot).await?;
    let g = world.supergroup("Parsers", &alice).await?;
    alice
        .adds_bot(&g, &bot, Some(Group::helpdesk_rights()))
        .await?;
    g.add_member(&bob).await?;
    let gm = alice.says(&g, "react to me").await?;
    bob.reacts(&g, gm["message_id"].as_i64().unwrap_or(0), Some("👍"))
        .await?;
    let ch = world.channel("Feed", &alice).await?;
    ch.add_admin(bot.id, json!({ "can_post_messages": true }))
        .await?;
    let post = alice.says(&ch, "post").await?;
    alice
        .edits(
            &ch,
            post["message_id"].as_i64().unwrap_or(0),
            "post, edited",
        )
        .await?;
    let picker = bot
        .call(
            "sendMessage",
            json!({
                "chat_id": alice.id,
                "text": "Pick a group",
                "reply_markup": { "keyboard": [[{ "text": "Pick", "request_chat": {
                    "request_id": 7, "chat_is_channel": false, "request_title": true
                } }]] }
            }),
        )
        .await?;
    alice
        .shares_chat(&bot, picker["message_id"].as_i64().unwrap_or(0), 7, &g)
        .await?;

    let updates = bot.updates().await?;
    let seen: BTreeSet<String> = kinds(&updates).into_iter().collect();
    let expected: BTreeSet<String> = [
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "callback_query",
        "my_chat_member",
        "chat_member",
        "message_reaction",
    ]
    .into_iter()
    .map(str::to_string)
    .collect();
    assert_eq!(seen, expected, "{updates:#?}");
    let mut chat_shared = 0;

    for u in &updates {
        let k = kind(u);
        let body = &u[k.as_str()];
        let f: frankenstein::updates::Update = serde_json::from_value(u.clone())
            .unwrap_or_else(|e| panic!("frankenstein: {e}\n{u:#}"));
        let t: tgbot::types::Update =
            serde_json::from_value(u.clone()).unwrap_or_else(|e| panic!("tgbot: {e}\n{u:#}"));
        assert_eq!(Some(i64::from(f.update_id)), u["update_id"].as_i64());
        assert_eq!(Some(t.id), u["update_id"].as_i64());
        match k.as_str() {
            "message" | "edited_message" | "channel_post" | "edited_channel_post" => {
                let fm = match (k.as_str(), f.content) {
                    ("message", F::Message(m))
                    | ("edited_message", F::EditedMessage(m))
                    | ("channel_post", F::ChannelPost(m))
                    | ("edited_channel_post", F::EditedChannelPost(m)) => m,
                    (_, other) => panic!("frankenstein read {k} as {other:?}"),
                };
                let tm = match (k.as_str(), t.update_type) {
                    ("message", T::Message(m))
                    | ("edited_message", T::EditedMessage(m))
                    | ("channel_post", T::ChannelPost(m))
                    | ("edited_channel_post", T::EditedChannelPost(m)) => m,
                    (_, other) => panic!("tgbot read {k} as {other:?}"),
                };
                assert_eq!(Some(i64::from(fm.message_id)), body["message_id"].as_i64());
                assert_eq!(Some(tm.id), body["message_id"].as_i64());
                assert_eq!(Some(fm.chat.id), body["chat"]["id"].as_i64());
                assert_eq!(
                    Some(i64::from(tm.chat.get_id())),
                    body["chat"]["id"].as_i64()
                );
                assert_eq!(fm.text.as_deref(), body["text"].as_str());
                assert_eq!(
                    tm.get_text().map(|x| x.data.as_str()),
                    body["text"].as_str()
                );
                if k.starts_with("edited") {
                    assert!(fm.edit_date.is_some() && tm.edit_date.is_some());
                }
                if k.contains("channel") {
                    assert_eq!(fm.sender_chat.map(|c| c.id), Some(ch.id));
                }
                if let Some(users) = body.get("new_chat_members") {
                    let n = users.as_array().map_or(0, Vec::len);
                    assert_eq!(fm.new_chat_members.map(|v| v.len()), Some(n));
                    // The Bot API server also sends the legacy `new_chat_participant` and
                    // `new_chat_member` fields (telegram-bot-api's Client.cpp), and tgsim does
                    // too; tgbot's flattened MessageData then falls back to Unknown. That is
                    // tgbot's limitation with real payloads, not a tgsim deviation.
                    assert_eq!(body["new_chat_member"], users[0]);
                    assert_eq!(body["new_chat_participant"], users[0]);
                    assert!(
                        matches!(&tm.data, MessageData::NewChatMembers(v) if v.len() == n)
                            || matches!(&tm.data, MessageData::Unknown(_)),
                        "{:?}",
                        tm.data
                    );
                } else {
                    assert!(
                        !matches!(tm.data, MessageData::Unknown(_)),
                        "tgbot did not understand {body:#}"
                    );
                }
                if body.get("chat_shared").is_some() {
                    chat_shared += 1;
                    let fs = fm
                        .chat_shared
                        .unwrap_or_else(|| panic!("frankenstein chat_shared"));
                    assert_eq!((fs.request_id, fs.chat_id), (7, g.id));
                    assert_eq!(fs.title.as_deref(), Some("Parsers"));
                    match &tm.data {
                        MessageData::ChatShared(s) => {
                            assert_eq!((s.request_id, s.chat_id), (7, g.id));
                            assert_eq!(s.title.as_deref(), Some("Parsers"));
                        }
                        other => panic!("tgbot read chat_shared as {other:?}"),
                    }
                }
            }
            "callback_query" => {
                let F::CallbackQuery(fq) = f.content else {
                    panic!("frankenstein: {u:#}")
                };
                let T::CallbackQuery(tq) = t.update_type else {
                    panic!("tgbot: {u:#}")
                };
                assert_eq!(fq.data.as_deref(), Some("yes"));
                assert_eq!(tq.data.as_deref(), Some("yes"));
                assert_eq!(fq.from.id, u64::try_from(alice.id)?);
                assert_eq!(i64::from(tq.from.id), alice.id);
                assert_eq!(
                    Some(fq.chat_instance.as_str()),
                    body["chat_instance"].as_str()
                );
                assert_eq!(tq.chat_instance.as_deref(), body["chat_instance"].as_str());
                match fq.message {
                    Some(frankenstein::types::MaybeInaccessibleMessage::Message(m)) => {
                        assert_eq!(i64::from(m.message_id), kb);
                    }
                    other => panic!("frankenstein callback message {other:?}"),
                }
                match tq.message {
                    Some(tgbot::types::MaybeInaccessibleMessage::Message(m)) => {
                        assert_eq!(m.id, kb);
                    }
                    other => panic!("tgbot callback message {other:?}"),
                }
            }
            "my_chat_member" | "chat_member" => {
                let fc = match (k.as_str(), f.content) {
                    ("my_chat_member", F::MyChatMember(c)) | ("chat_member", F::ChatMember(c)) => c,
                    (_, other) => panic!("frankenstein read {k} as {other:?}"),
                };
                let tc = match (k.as_str(), t.update_type) {
                    ("my_chat_member", T::BotStatus(c)) | ("chat_member", T::UserStatus(c)) => c,
                    (_, other) => panic!("tgbot read {k} as {other:?}"),
                };
                assert_eq!(Some(fc.chat.id), body["chat"]["id"].as_i64());
                assert_eq!(
                    Some(i64::from(tc.chat.get_id())),
                    body["chat"]["id"].as_i64()
                );
                let status = body["new_chat_member"]["status"].as_str().unwrap_or("");
                use frankenstein::types::ChatMember as FM;
                use tgbot::types::ChatMember as TM;
                let f_status = match fc.new_chat_member {
                    FM::Creator(_) => "creator",
                    FM::Administrator(_) => "administrator",
                    FM::Member(_) => "member",
                    FM::Restricted(_) => "restricted",
                    FM::Left(_) => "left",
                    FM::Kicked(_) => "kicked",
                };
                let t_status = match tc.new_chat_member {
                    TM::Creator(_) => "creator",
                    TM::Administrator(_) => "administrator",
                    TM::Member { .. } => "member",
                    TM::Restricted(_) => "restricted",
                    TM::Left(_) => "left",
                    TM::Kicked(_) => "kicked",
                };
                assert_eq!((f_status, t_status), (status, status), "{body:#}");
                if k == "chat_member" {
                    assert_eq!(body["new_chat_member"]["user"]["id"], bob.id);
                }
            }
            "message_reaction" => {
                let F::MessageReaction(fr) = f.content else {
                    panic!("frankenstein: {u:#}")
                };
                let T::MessageReaction(tr) = t.update_type else {
                    panic!("tgbot: {u:#}")
                };
                assert_eq!(Some(fr.chat.id), Some(g.id));
                assert_eq!(i64::from(tr.chat.get_id()), g.id);
                assert_eq!(fr.user.map(|x| x.id), Some(u64::try_from(bob.id)?));
                assert_eq!(tr.user.map(|x| i64::from(x.id)), Some(bob.id));
                assert!(fr.old_reaction.is_empty() && tr.old_reaction.is_empty());
                assert!(matches!(
                    fr.new_reaction.as_slice(),
                    [frankenstein::types::ReactionType::Emoji(e)] if e.emoji == "👍"
                ));
                assert!(matches!(
                    tr.new_reaction.as_slice(),
                    [tgbot::types::ReactionType::Emoji(e)] if e == "👍"
                ));
            }
            other => panic!("unexpected update kind {other}"),
        }
    }
    assert_eq!(chat_shared, 1, "the chat_shared service message arrived");
    Ok(())
}

/// Bot API, `Update.update_id`: "If there are no new updates for at least a week, then
/// identifier of the next update will be chosen randomly instead of sequentially." A bot
/// that keeps sending its old offset misses it.
#[tokio::test]
async fn update_ids_restart_at_random_after_a_quiet_week() -> R {
    let world = World::start().await?;
    let bot = world.bot("quiet_bot").await?;
    let ann = world.user("Ann").await?;
    ann.start(&bot).await?;
    ann.says(&bot, "one").await?;
    let first = ids(&get_updates(&bot, json!({})).await?);
    let last = *first.last().unwrap_or(&0);
    // Six days later the ids still run on.
    world.advance_hours(6 * 24).await?;
    ann.says(&bot, "two").await?;
    let two = ids(&get_updates(&bot, json!({"offset": last + 1})).await?);
    assert_eq!(two, vec![last + 1]);
    // After a full week without updates they do not.
    world.advance_hours(7 * 24).await?;
    ann.says(&bot, "three").await?;
    let three = ids(&get_updates(&bot, json!({})).await?);
    let fresh = three.last().copied().unwrap_or_default();
    assert_ne!(fresh, last + 2, "{three:?}");
    assert!(fresh > 0);
    // And then sequentially again.
    ann.says(&bot, "four").await?;
    let four = ids(&get_updates(&bot, json!({"offset": fresh + 1})).await?);
    assert_eq!(four, vec![fresh + 1]);
    Ok(())
}
