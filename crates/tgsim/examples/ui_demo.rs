//! A small world to try the sandbox UI without Hotline: a support forum, a few people, and two
//! toy bots talking the Bot API (a frontend bot that opens a forum topic per customer and
//! relays messages both ways, and a setup-like bot with inline buttons, deep links and a chat
//! picker).
//!
//! `cargo run -p tgsim --example ui_demo [ADDR]` (default 127.0.0.1:8088), then open
//! `http://ADDR/ui`.

use std::collections::HashMap;
use std::error::Error;

use serde_json::{Value, json};
use tgsim::world::{ChatKey, ChatType, Member, MemberStatus, Rights, User};
use tgsim::{Config, TgSim, updates};

type Res<T> = Result<T, Box<dyn Error + Send + Sync>>;

fn person(first: &str, last: &str, username: &str, lang: &str) -> User {
    User {
        id: 0,
        is_bot: false,
        first_name: first.into(),
        last_name: Some(last.to_string()).filter(|s| !s.is_empty()),
        username: Some(username.into()),
        language_code: Some(lang.into()),
        is_premium: false,
        hides_forwards: false,
        deactivated: false,
        contacts: Default::default(),
    }
}

struct Bot {
    http: reqwest::Client,
    base: String,
}

impl Bot {
    async fn call(&self, method: &str, params: Value) -> Res<Value> {
        let r: Value = self
            .http
            .post(format!("{}/{method}", self.base))
            .json(&params)
            .send()
            .await?
            .json()
            .await?;
        if r["ok"] != json!(true) {
            return Err(format!("{method}: {r}").into());
        }
        Ok(r["result"].clone())
    }

    /// Long-polls and hands each update to `handle`; errors (faults injected from the UI
    /// included) are logged and polling goes on.
    async fn run<F, Fut>(self, mut handle: F)
    where
        F: FnMut(Value) -> Fut,
        Fut: std::future::Future<Output = Res<()>>,
    {
        let mut offset = 0_i64;
        loop {
            let got = self
                .call("getUpdates", json!({ "offset": offset, "timeout": 20 }))
                .await;
            let updates = match got {
                Ok(Value::Array(u)) => u,
                Ok(_) => Vec::new(),
                Err(e) => {
                    eprintln!("getUpdates: {e}");
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                    continue;
                }
            };
            for u in updates {
                offset = u["update_id"].as_i64().unwrap_or(offset) + 1;
                if let Err(e) = handle(u).await {
                    eprintln!("handler: {e}");
                }
            }
        }
    }
}

#[tokio::main]
async fn main() -> Res<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8088".into());
    let sim = TgSim::start_on(&addr, Config::default()).await?;
    let (forum, frontend_token, setup_token) = {
        let mut w = sim.sim.world();
        let alice = w.create_user(person("Alice", "Admin", "alice_admin", "en"))?;
        let oleg = w.create_user(person("Oleg", "Operator", "oleg_ops", "ru"))?;
        w.create_user(person("María", "García", "maria_g", "es"))?;
        w.create_user(person("Kenji", "", "kenji", "en"))?;
        let (_, setup_token) =
            w.create_bot("hotline_setup_bot", "Hotline Setup", None, false, true)?;
        let (frontend, frontend_token) =
            w.create_bot("acme_support_bot", "Acme Support", None, false, true)?;
        w.create_bot("spare_helpdesk_bot", "Spare Helpdesk", None, false, true)?;
        let forum = w.create_chat(ChatType::Supergroup, "Acme Support Team", None, true, alice)?;
        let key = ChatKey::Group(forum);
        updates::join(&mut w, key, oleg, Member::new(MemberStatus::Member), alice);
        let mut m = Member::new(MemberStatus::Administrator);
        m.rights = Rights::from_json(
            &json!({ "can_manage_topics": true, "can_delete_messages": true, "can_pin_messages": true }),
        );
        updates::join(&mut w, key, frontend, m, alice);
        w.create_chat(ChatType::Supergroup, "Acme Sales", None, true, alice)?;
        w.create_chat(ChatType::Group, "Friends", None, false, alice)?;
        (forum, frontend_token, setup_token)
    };
    let base = sim.base_url();
    let http = reqwest::Client::builder().no_proxy().build()?;
    let bot = |token: &str| Bot {
        http: http.clone(),
        base: format!("{base}/bot{token}"),
    };
    tokio::spawn(frontend_bot(
        bot(&frontend_token),
        bot(&frontend_token),
        forum,
    ));
    tokio::spawn(setup_bot(bot(&setup_token), bot(&setup_token)));
    sim.sim
        .set_panel(json!({ "demo": "ui_demo", "forum": forum, "bots running": 2 }));
    println!("tgsim sandbox UI: {base}/ui");
    tokio::signal::ctrl_c().await?;
    sim.shutdown().await;
    Ok(())
}

/// A customer's topic per customer; messages relayed both ways.
async fn frontend_bot(poll: Bot, api: Bot, forum: i64) {
    let api = std::sync::Arc::new(api);
    let topics = std::sync::Arc::new(tokio::sync::Mutex::new(HashMap::<i64, i64>::new()));
    let colors = [0x6FB9F0, 0xFFD67E, 0xCB86DB, 0x8EEE98, 0xFF93B2, 0xFB6F5F];
    poll.run(move |u| {
        let api = api.clone();
        let topics = topics.clone();
        async move {
            if let Some(q) = u.get("callback_query") {
                let text = match q["data"].as_str() {
                    Some("hours") => "We answer Monday to Friday, 9:00–18:00.",
                    _ => "OK",
                };
                api.call(
                    "answerCallbackQuery",
                    json!({ "callback_query_id": q["id"], "text": text }),
                )
                .await?;
                return Ok(());
            }
            let Some(m) = u.get("message") else {
                return Ok(());
            };
            let chat = m["chat"]["id"].as_i64().unwrap_or_default();
            if m["chat"]["type"] == "private" {
                if m["text"].as_str().is_some_and(|t| t.starts_with("/start")) {
                    api.call("sendMessage", json!({
                        "chat_id": chat, "parse_mode": "HTML",
                        "text": "Hi! This is <b>Acme Support</b>. Write your question and an operator will answer here.",
                        "reply_markup": { "inline_keyboard": [[
                            { "text": "Opening hours", "callback_data": "hours" },
                            { "text": "Website", "url": "https://example.com/" }
                        ]] }
                    })).await?;
                    return Ok(());
                }
                let mut t = topics.lock().await;
                let thread = match t.get(&chat) {
                    Some(th) => *th,
                    None => {
                        let name = format!(
                            "🟪 {} {}",
                            m["from"]["first_name"].as_str().unwrap_or("Customer"),
                            m["from"]["last_name"].as_str().unwrap_or("")
                        );
                        let color = colors[t.len() % colors.len()];
                        let topic = api
                            .call(
                                "createForumTopic",
                                json!({ "chat_id": forum, "name": name.trim(), "icon_color": color }),
                            )
                            .await?;
                        let th = topic["message_thread_id"].as_i64().unwrap_or_default();
                        api.call("sendMessage", json!({
                            "chat_id": forum, "message_thread_id": th, "parse_mode": "HTML",
                            "text": format!("New conversation with <b>{}</b> (@{}), language <code>{}</code>.",
                                m["from"]["first_name"].as_str().unwrap_or(""),
                                m["from"]["username"].as_str().unwrap_or("-"),
                                m["from"]["language_code"].as_str().unwrap_or("?")),
                        })).await?;
                        t.insert(chat, th);
                        th
                    }
                };
                drop(t);
                api.call("copyMessage", json!({
                    "chat_id": forum, "message_thread_id": thread, "from_chat_id": chat, "message_id": m["message_id"],
                })).await?;
                return Ok(());
            }
            if chat == forum && m["from"]["is_bot"] == false {
                let Some(thread) = m["message_thread_id"].as_i64() else {
                    return Ok(());
                };
                let customer = topics
                    .lock()
                    .await
                    .iter()
                    .find(|(_, th)| **th == thread)
                    .map(|(c, _)| *c);
                if let Some(c) = customer
                    && m.get("forum_topic_created").is_none()
                {
                    api.call(
                        "copyMessage",
                        json!({ "chat_id": c, "from_chat_id": forum, "message_id": m["message_id"] }),
                    )
                    .await?;
                }
            }
            Ok(())
        }
    })
    .await;
}

/// Menus with inline buttons, a startgroup deep link and a request_chat picker.
async fn setup_bot(poll: Bot, api: Bot) {
    let api = std::sync::Arc::new(api);
    let menu = json!({ "inline_keyboard": [
        [{ "text": "🔌 Connect a bot", "callback_data": "connect" }],
        [{ "text": "➕ Add @acme_support_bot to a group", "url": "https://t.me/acme_support_bot?startgroup=link42&admin=manage_topics+delete_messages+pin_messages" }],
        [{ "text": "⚙️ Parameters", "callback_data": "params" }, { "text": "👥 Roles", "callback_data": "roles" }],
        [{ "text": "📖 Documentation", "url": "https://example.com/docs" }]
    ]});
    poll.run(move |u| {
        let api = api.clone();
        let menu = menu.clone();
        async move {
            if let Some(q) = u.get("callback_query") {
                let chat = q["message"]["chat"]["id"].clone();
                let text = match q["data"].as_str() {
                    Some("connect") => {
                        api.call("sendMessage", json!({
                            "chat_id": chat, "text": "Choose the forum group where your team answers customers.",
                            "reply_markup": { "keyboard": [[{ "text": "📋 Choose a group", "request_chat": {
                                "request_id": 1, "chat_is_channel": false, "chat_is_forum": true,
                                "bot_administrator_rights": { "can_manage_topics": true, "can_delete_messages": true },
                                "request_title": true } }], [{ "text": "Cancel" }]],
                                "resize_keyboard": true, "one_time_keyboard": true }
                        })).await?;
                        "Pick the group below"
                    }
                    Some("params") => "Parameters: greeting, working hours, language",
                    _ => "Not in this demo",
                };
                api.call(
                    "answerCallbackQuery",
                    json!({ "callback_query_id": q["id"], "text": text }),
                )
                .await?;
                return Ok(());
            }
            let Some(m) = u.get("message") else {
                return Ok(());
            };
            let chat = m["chat"]["id"].clone();
            if let Some(s) = m.get("chat_shared") {
                api.call("sendMessage", json!({
                    "chat_id": chat, "parse_mode": "HTML",
                    "text": format!("✅ Connected to <b>{}</b>.", s["title"].as_str().unwrap_or("the group")),
                    "reply_markup": { "remove_keyboard": true }
                })).await?;
                return Ok(());
            }
            if m["chat"]["type"] == "private" {
                api.call("sendMessage", json!({
                    "chat_id": chat, "parse_mode": "HTML",
                    "text": "<b>Hotline setup</b>\n\nConnect a Telegram bot to your support team's forum group. Customers write to the bot; each conversation becomes a <i>topic</i> in the group.\n\nConnections: <code>1</code> · Plan: <b>Free</b>",
                    "reply_markup": menu,
                })).await?;
            }
            Ok(())
        }
    })
    .await;
}
