//! tgsim through its real HTTP interface: the Bot API wire format (methods, bodies, query
//! strings, errors) and every sending method (text, media, albums, files, locations and
//! friends, replies and keyboards, forwards and copies).
//!
//! Every expectation follows the official Bot API documentation; the results a client library
//! would parse are also run through `frankenstein` and `tgbot` types.

use hotline_testkit::check::{assert_bad_request, assert_error, both, id};
use hotline_testkit::{Bot, BotError, Group, Person, World};
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

type R = anyhow::Result<()>;

// ----- helpers ---------------------------------------------------------------------------

type Msg = (frankenstein::types::Message, tgbot::types::Message);

fn s(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("not a string: {v}"))
        .to_string()
}

/// Alice, who pressed Start in the bot's chat.
async fn customer(world: &World) -> anyhow::Result<(Person, Bot)> {
    let alice = world
        .user_with(json!({ "first_name": "Alice", "last_name": "Smith", "username": "alice" }))
        .await?;
    let bot = world.bot("wire_bot").await?;
    alice.start(&bot).await?;
    Ok((alice, bot))
}

/// A forum where `bot` holds the helpdesk rights.
async fn forum_with(world: &World, owner: &Person, bot: &Bot) -> anyhow::Result<Group> {
    let forum = world.forum("Support", owner).await?;
    forum.add_admin(bot.id, Group::helpdesk_rights()).await?;
    Ok(forum)
}

/// Deterministic file content.
fn blob(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

fn file(bytes: Vec<u8>, name: &str, mime: &str) -> Part {
    Part::bytes(bytes)
        .file_name(name.to_string())
        .mime_str(mime)
        .unwrap_or_else(|e| panic!("mime type {mime}: {e}"))
}

/// Uploads one file through a send method, with extra text fields.
async fn upload(
    bot: &Bot,
    method: &str,
    field: &str,
    chat: i64,
    part: Part,
    extra: &[(&str, &str)],
) -> Result<Value, BotError> {
    let mut form = Form::new()
        .text("chat_id", chat.to_string())
        .part(field.to_string(), part);
    for (k, v) in extra {
        form = form.text(k.to_string(), v.to_string());
    }
    bot.call_multipart(method, form).await
}

/// Downloads `{base}/file/bot{token}/{path}`: (status, bytes).
async fn download(world: &World, token: &str, path: &str) -> anyhow::Result<(u16, Vec<u8>)> {
    let url = format!("{}/file/bot{token}/{path}", world.base_url());
    let resp = world.http().get(url).send().await?;
    let status = resp.status().as_u16();
    Ok((status, resp.bytes().await?.to_vec()))
}

/// The file_id of a message's file (the largest photo size for photos).
fn file_id_of(m: &Value, kind: &str) -> String {
    let f = if kind == "photo" {
        m["photo"]
            .as_array()
            .and_then(|a| a.last())
            .cloned()
            .unwrap_or_default()
    } else {
        m[kind].clone()
    };
    s(&f["file_id"])
}

fn unique_id_of(m: &Value, kind: &str) -> String {
    let f = if kind == "photo" {
        m["photo"]
            .as_array()
            .and_then(|a| a.last())
            .cloned()
            .unwrap_or_default()
    } else {
        m[kind].clone()
    };
    s(&f["file_unique_id"])
}

fn texts(msgs: &[Value]) -> Vec<String> {
    msgs.iter()
        .filter_map(|m| m["text"].as_str().map(str::to_string))
        .collect()
}

// ----- wire format -----------------------------------------------------------------------

#[tokio::test]
async fn get_and_post_both_reach_methods_and_answer_in_the_bot_api_envelope() -> R {
    let world = World::start().await?;
    let (alice, bot) = customer(&world).await?;

    // GET without parameters.
    let resp = world.http().get(bot.url("getMe")).send().await?;
    assert_eq!(resp.status().as_u16(), 200);
    let ct = resp
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(ct.starts_with("application/json"), "content type {ct}");
    let body: Value = resp.json().await?;
    let keys: Vec<&str> = body
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["ok", "result"], "{body}");
    assert_eq!(body["ok"], true);
    assert_eq!(id(&body["result"]["id"]), bot.id);
    assert_eq!(body["result"]["is_bot"], true);
    assert_eq!(body["result"]["username"], "wire_bot");

    // GET with every parameter in the query string.
    let url = format!(
        "{}?chat_id={}&text=hello%20via%20GET",
        bot.url("sendMessage"),
        alice.id
    );
    let m = Bot::decode(world.http().get(url).send().await).await?;
    assert_eq!(m["text"], "hello via GET");
    assert_eq!(id(&m["chat"]["id"]), alice.id);

    // POST with a JSON body.
    let m = bot
        .call(
            "sendMessage",
            json!({ "chat_id": alice.id, "text": "hello via POST" }),
        )
        .await?;
    assert_eq!(m["text"], "hello via POST");

    // POST without a body at all.
    let me = Bot::decode(world.http().post(bot.url("getMe")).send().await).await?;
    assert_eq!(id(&me["id"]), bot.id);

    // The error envelope: ok, error_code, description and nothing else.
    let resp = world
        .http()
        .post(bot.url("sendMessage"))
        .json(&json!({ "chat_id": alice.id, "text": "" }))
        .send()
        .await?;
    assert_eq!(resp.status().as_u16(), 400);
    let body: Value = resp.json().await?;
    assert_eq!(
        body,
        json!({ "ok": false, "error_code": 400, "description": "Bad Request: message text is empty" })
    );

    let seen = alice.waits_for(&bot, 3).await?;
    assert_eq!(
        texts(&seen),
        ["/start", "hello via GET", "hello via POST"],
        "{seen:#?}"
    );
    Ok(())
}

#[tokio::test]
async fn parameters_come_from_json_form_multipart_and_the_query_string() -> R {
    let world = World::start().await?;
    let (alice, bot) = customer(&world).await?;
    let chat = alice.id.to_string();

    // urlencoded form
    let m = bot
        .call_form("sendMessage", &[("chat_id", &chat), ("text", "form body")])
        .await?;
    assert_eq!(m["text"], "form body");

    // multipart text fields
    let form = Form::new()
        .text("chat_id", chat.clone())
        .text("text", "multipart body");
    let m = bot.call_multipart("sendMessage", form).await?;
    assert_eq!(m["text"], "multipart body");

    // query string on POST, next to a JSON body
    let url = format!("{}?chat_id={chat}", bot.url("sendMessage"));
    let m = Bot::decode(
        world
            .http()
            .post(&url)
            .json(&json!({ "text": "query + json" }))
            .send()
            .await,
    )
    .await?;
    assert_eq!(m["text"], "query + json");

    // query string on POST, next to a form body
    let m = Bot::decode(
        world
            .http()
            .post(&url)
            .form(&[("text", "query + form")])
            .send()
            .await,
    )
    .await?;
    assert_eq!(m["text"], "query + form");

    // query string on POST, next to a multipart body
    let m = Bot::decode(
        world
            .http()
            .post(&url)
            .multipart(Form::new().text("text", "query + multipart"))
            .send()
            .await,
    )
    .await?;
    assert_eq!(m["text"], "query + multipart");

    // query string alone on POST
    let m = Bot::decode(
        world
            .http()
            .post(format!("{url}&text=query%20only"))
            .send()
            .await,
    )
    .await?;
    assert_eq!(m["text"], "query only");

    // JSON numbers may arrive as strings
    let m = bot
        .call(
            "sendMessage",
            json!({ "chat_id": chat, "text": "string chat id" }),
        )
        .await?;
    assert_eq!(id(&m["chat"]["id"]), alice.id);

    let seen = alice.waits_for(&bot, 8).await?;
    assert_eq!(
        texts(&seen)[1..],
        [
            "form body",
            "multipart body",
            "query + json",
            "query + form",
            "query + multipart",
            "query only",
            "string chat id"
        ]
    );
    Ok(())
}

#[tokio::test]
async fn booleans_are_accepted_as_true_capitalised_true_and_one() -> R {
    let world = World::start().await?;
    let (alice, bot) = customer(&world).await?;
    let chat = alice.id.to_string();
    for (raw, expected) in [
        ("true", true),
        ("True", true),
        ("1", true),
        ("false", false),
        ("False", false),
        ("0", false),
    ] {
        let m = bot
            .call_form(
                "sendMessage",
                &[("chat_id", &chat), ("text", raw), ("protect_content", raw)],
            )
            .await?;
        assert_eq!(
            m.get("has_protected_content").is_some(),
            expected,
            "protect_content={raw} (form): {m}"
        );
        if expected {
            assert_eq!(m["has_protected_content"], true);
        }
        let form = Form::new()
            .text("chat_id", chat.clone())
            .text("text", raw)
            .text("protect_content", raw);
        let m = bot.call_multipart("sendMessage", form).await?;
        assert_eq!(
            m.get("has_protected_content").is_some(),
            expected,
            "protect_content={raw} (multipart): {m}"
        );
        let url = format!("{}?protect_content={raw}", bot.url("sendMessage"));
        let m = Bot::decode(
            world
                .http()
                .post(url)
                .json(&json!({ "chat_id": alice.id, "text": raw }))
                .send()
                .await,
        )
        .await?;
        assert_eq!(
            m.get("has_protected_content").is_some(),
            expected,
            "protect_content={raw} (query): {m}"
        );
    }
    // Native JSON booleans.
    let m = bot
        .call(
            "sendMessage",
            json!({ "chat_id": alice.id, "text": "json", "protect_content": true }),
        )
        .await?;
    assert_eq!(m["has_protected_content"], true);
    Ok(())
}

#[tokio::test]
async fn nested_objects_arrive_as_json_text_in_form_and_multipart_bodies() -> R {
    let world = World::start().await?;
    let (alice, bot) = customer(&world).await?;
    let question = alice.says(&bot, "question?").await?;
    let qid = id(&question["message_id"]);
    let chat = alice.id.to_string();
    let markup = json!({ "inline_keyboard": [[{ "text": "Yes", "callback_data": "yes" }]] });
    let reply = json!({ "message_id": qid });
    let entities = json!([{ "type": "bold", "offset": 0, "length": 6 }]);

    let check = |m: &Value| {
        assert_eq!(m["text"], "Answer here", "{m}");
        assert_eq!(m["reply_markup"], markup, "{m}");
        assert_eq!(id(&m["reply_to_message"]["message_id"]), qid, "{m}");
        assert_eq!(m["reply_to_message"]["text"], "question?");
        assert_eq!(m["entities"], entities, "{m}");
    };

    let m = bot
        .call_form(
            "sendMessage",
            &[
                ("chat_id", &chat),
                ("text", "Answer here"),
                ("reply_markup", &markup.to_string()),
                ("reply_parameters", &reply.to_string()),
                ("entities", &entities.to_string()),
            ],
        )
        .await?;
    check(&m);

    let form = Form::new()
        .text("chat_id", chat.clone())
        .text("text", "Answer here")
        .text("reply_markup", markup.to_string())
        .text("reply_parameters", reply.to_string())
        .text("entities", entities.to_string());
    let m = bot.call_multipart("sendMessage", form).await?;
    check(&m);

    // In the query string, too.
    let url = reqwest::Url::parse_with_params(
        &bot.url("sendMessage"),
        &[
            ("chat_id", chat.as_str()),
            ("text", "Answer here"),
            ("reply_markup", &markup.to_string()),
            ("reply_parameters", &reply.to_string()),
            ("entities", &entities.to_string()),
        ],
    )?;
    let m = Bot::decode(world.http().get(url).send().await).await?;
    check(&m);

    // JSON text that does not parse is refused.
    assert_bad_request(
        bot.call_form(
            "sendMessage",
            &[
                ("chat_id", &chat),
                ("text", "x"),
                ("reply_markup", "{\"inline_keyboard\": ["),
            ],
        )
        .await,
        "Bad Request: ",
    );
    Ok(())
}

#[tokio::test]
async fn method_names_are_case_insensitive() -> R {
    let world = World::start().await?;
    let (alice, bot) = customer(&world).await?;
    for method in ["SENDMESSAGE", "sendmessage", "SendMessage", "sEnDmEsSaGe"] {
        let m = bot
            .call(method, json!({ "chat_id": alice.id, "text": method }))
            .await?;
        assert_eq!(m["text"], method);
    }
    let me = bot.call("GETME", json!({})).await?;
    assert_eq!(id(&me["id"]), bot.id);
    Ok(())
}

#[tokio::test]
async fn unknown_tokens_are_unauthorized_and_unknown_methods_not_found() -> R {
    let world = World::start().await?;
    let (alice, bot) = customer(&world).await?;
    let base = world.base_url();
    for url in [
        format!("{base}/bot{}x/getMe", bot.token),
        format!("{base}/bot123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/getMe"),
        format!("{base}/bot/getMe"),
    ] {
        let r = Bot::decode(world.http().post(&url).send().await).await;
        assert_error(r, 401, "Unauthorized");
    }
    // The token is checked before anything else.
    let url = format!("{base}/botnope/sendMessage");
    let r = Bot::decode(
        world
            .http()
            .post(&url)
            .json(&json!({ "chat_id": alice.id, "text": "x" }))
            .send()
            .await,
    )
    .await;
    assert_error(r, 401, "Unauthorized");
    let url = format!("{base}/botnope/noSuchMethod");
    assert_error(
        Bot::decode(world.http().get(&url).send().await).await,
        401,
        "Unauthorized",
    );

    assert_error(
        bot.call("sendMessages", json!({ "chat_id": alice.id, "text": "x" }))
            .await,
        404,
        "Not Found",
    );
    assert_error(bot.call("noSuchMethod", json!({})).await, 404, "Not Found");
    assert_error(
        Bot::decode(world.http().get(bot.url("")).send().await).await,
        404,
        "Not Found",
    );
    // Nothing was sent by any of these.
    assert_eq!(alice.sees(&bot).await?.len(), 1);
    Ok(())
}

#[tokio::test]
async fn missing_required_parameters_are_bad_requests() -> R {
    let world = World::start().await?;
    let (alice, bot) = customer(&world).await?;
    for (method, params) in [
        ("sendMessage", json!({ "text": "no chat" })),
        ("sendMessage", json!({ "chat_id": alice.id })),
        ("sendPhoto", json!({ "chat_id": alice.id })),
        ("sendDocument", json!({ "chat_id": alice.id })),
        (
            "sendLocation",
            json!({ "chat_id": alice.id, "latitude": 1.0 }),
        ),
        ("sendMediaGroup", json!({ "chat_id": alice.id })),
        ("sendChatAction", json!({ "chat_id": alice.id })),
        (
            "forwardMessage",
            json!({ "chat_id": alice.id, "from_chat_id": alice.id }),
        ),
        (
            "copyMessage",
            json!({ "chat_id": alice.id, "message_id": 1 }),
        ),
        ("getFile", json!({})),
    ] {
        let e = assert_bad_request(bot.call(method, params.clone()).await, "Bad Request: ");
        assert!(
            !e.description.contains("strict"),
            "{method} {params}: {e:?}"
        );
    }
    assert_eq!(alice.sees(&bot).await?.len(), 1);
    Ok(())
}

#[tokio::test]
async fn strict_mode_rejects_unknown_parameters_and_lenient_mode_ignores_them() -> R {
    let world = World::start().await?;
    let (alice, bot) = customer(&world).await?;
    let e = assert_bad_request(
        bot.call(
            "sendMessage",
            json!({ "chat_id": alice.id, "text": "x", "parse_mod": "HTML" }),
        )
        .await,
        "Bad Request: ",
    );
    assert!(e.description.contains("tgsim strict"), "{e:?}");
    assert!(e.description.contains("parse_mod"), "{e:?}");
    // Wherever the parameter comes from.
    let e = assert_bad_request(
        bot.call_form(
            "sendMessage",
            &[
                ("chat_id", &alice.id.to_string()),
                ("text", "x"),
                ("foo", "1"),
            ],
        )
        .await,
        "Bad Request: ",
    );
    assert!(e.description.contains("tgsim strict"), "{e:?}");
    let url = format!("{}?foo=1", bot.url("getMe"));
    let e = assert_bad_request(
        Bot::decode(world.http().get(url).send().await).await,
        "Bad Request: ",
    );
    assert!(e.description.contains("tgsim strict"), "{e:?}");
    // A parameter of another method is unknown here too.
    let e = assert_bad_request(
        bot.call(
            "sendMessage",
            json!({ "chat_id": alice.id, "text": "x", "caption": "c" }),
        )
        .await,
        "Bad Request: ",
    );
    assert!(e.description.contains("caption"), "{e:?}");
    assert_eq!(alice.sees(&bot).await?.len(), 1, "nothing was sent");

    // Telegram itself silently ignores unknown parameters.
    let world = World::start_with(tgsim::Config::lenient()).await?;
    let (alice, bot) = customer(&world).await?;
    let m = bot
        .call(
            "sendMessage",
            json!({ "chat_id": alice.id, "text": "lenient", "parse_mod": "HTML", "foo": [1] }),
        )
        .await?;
    assert_eq!(m["text"], "lenient");
    assert!(m.get("foo").is_none());
    let url = format!("{}?foo=1", bot.url("getMe"));
    let me = Bot::decode(world.http().get(url).send().await).await?;
    assert_eq!(id(&me["id"]), bot.id);
    Ok(())
}

#[tokio::test]
async fn malformed_json_bodies_are_bad_requests() -> R {
    let world = World::start().await?;
    let (alice, bot) = customer(&world).await?;
    for body in [
        format!("{{\"chat_id\": {}, \"text\": ", alice.id),
        "not json".to_string(),
        "[1, 2, 3]".to_string(),
        "\"text\"".to_string(),
    ] {
        let r = Bot::decode(
            world
                .http()
                .post(bot.url("sendMessage"))
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body.clone())
                .send()
                .await,
        )
        .await;
        assert_bad_request(r, "Bad Request: ");
    }
    // An empty JSON body is no body at all.
    let me = Bot::decode(
        world
            .http()
            .post(bot.url("getMe"))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body("")
            .send()
            .await,
    )
    .await?;
    assert_eq!(id(&me["id"]), bot.id);
    assert_eq!(alice.sees(&bot).await?.len(), 1);
    Ok(())
}

// ----- sendMessage -----------------------------------------------------------------------

#[tokio::test]
async fn send_message_returns_the_message_and_the_customer_sees_it() -> R {
    let world = World::start().await?;
    let (alice, bot) = customer(&world).await?;
    let m = bot.says(alice.id, "Hello, Alice").await?;
    assert!(id(&m["message_id"]) > 1);
    assert!(id(&m["date"]) > 1_600_000_000);
    assert_eq!(id(&m["from"]["id"]), bot.id);
    assert_eq!(m["from"]["is_bot"], true);
    assert_eq!(m["from"]["username"], "wire_bot");
    assert_eq!(id(&m["chat"]["id"]), alice.id);
    assert_eq!(m["chat"]["type"], "private");
    assert_eq!(m["chat"]["first_name"], "Alice");
    assert_eq!(m["chat"]["last_name"], "Smith");
    assert_eq!(m["chat"]["username"], "alice");
    assert_eq!(m["text"], "Hello, Alice");
    assert!(m.get("entities").is_none());
    let m2 = bot.says(alice.id, "again").await?;
    assert!(id(&m2["message_id"]) > id(&m["message_id"]));

    let seen = alice.waits_for(&bot, 3).await?;
    assert_eq!(id(&seen[1]["message_id"]), id(&m["message_id"]));
    assert_eq!(seen[1]["text"], "Hello, Alice");
    assert_eq!(id(&seen[1]["chat"]["id"]), bot.id);
    assert_eq!(id(&seen[1]["from"]["id"]), bot.id);
    Ok(())
}

#[tokio::test]
async fn html_produces_entities_with_utf16_offsets() -> R {
    let world = World::start().await?;
    let (alice, bot) = customer(&world).await?;
    let m = bot
        .call(
            "sendMessage",
            json!({
                "chat_id": alice.id,
                "parse_mode": "HTML",
                "text": "😀 <b>bold</b> and <i>it</i> <a href=\"https://example.com/x\">link</a> &amp; <code>x&lt;y</code>"
            }),
        )
        .await?;
    assert_eq!(m["text"], "😀 bold and it link & x<y");
    assert_eq!(
        m["entities"],
        json!([
            { "type": "bold", "offset": 3, "length": 4 },
            { "type": "italic", "offset": 12, "length": 2 },
            { "type": "text_link", "offset": 15, "length": 4, "url": "https://example.com/x" },
            { "type": "code", "offset": 22, "length": 3 },
        ])
    );
    // The customer sees the same formatting.
    let seen = alice.waits_for(&bot, 2).await?;
    assert_eq!(seen[1]["entities"], m["entities"]);

    // Both libraries agree on the UTF-16 positions.
    let (f, t): Msg = both(&m);
    let fe = f.entities.expect("frankenstein entities");
    assert_eq!(
        fe[0].type_field,
        frankenstein::types::MessageEntityType::Bold
    );
    assert_eq!((fe[0].offset, fe[0].length), (3, 4));
    assert_eq!(fe[2].url.as_deref(), Some("https://example.com/x"));
    match t.data {
        tgbot::types::MessageData::Text(text) => {
            assert_eq!(text.data, "😀 bold and it link & x<y");
            let ents: Vec<tgbot::types::TextEntity> = text.entities.expect("entities").into();
            assert_eq!(ents[0], tgbot::types::TextEntity::bold(3..7));
            assert_eq!(ents[1], tgbot::types::TextEntity::italic(12..14));
            assert_eq!(ents[3], tgbot::types::TextEntity::code(22..25));
        }
        other => panic!("tgbot sees {other:?}"),
    }

    // Malformed HTML is refused.
    assert_bad_request(
        bot.call(
            "sendMessage",
            json!({ "chat_id": alice.id, "parse_mode": "HTML", "text": "<b>open" }),
        )
        .await,
        "Bad Request: can't parse entities: ",
    );
    assert_bad_request(
        bot.call(
            "sendMessage",
            json!({ "chat_id": alice.id, "parse_mode": "HTML", "text": "<blink>x</blink>" }),
        )
        .await,
        "Bad Request: can't parse entities: Unsupported start tag \"blink\"",
    );
    Ok(())
}

#[tokio::test]
async fn markdown_v2_demands_escapes_and_counts_utf16() -> R {
    let world = World::start().await?;
    let (alice, bot) = customer(&world).await?;
    assert_error(
        bot.call(
            "sendMessage",
            json!({ "chat_id": alice.id, "parse_mode": "MarkdownV2", "text": "Order #1 is ready." }),
        )
        .await,
        400,
        "Bad Request: can't parse entities: Character '#' is reserved and must be escaped with the preceding '\\'",
    );
    assert_error(
        bot.call(
            "sendMessage",
            json!({ "chat_id": alice.id, "parse_mode": "MarkdownV2", "text": "Done." }),
        )
        .await,
        400,
        "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'",
    );
    // 👍🏽 is two code points and four UTF-16 code units.
    let m = bot
        .call(
            "sendMessage",
            json!({
                "chat_id": alice.id,
                "parse_mode": "MarkdownV2",
                "text": "👍🏽 *bold* _it_ ~gone~ [site](https://example.com) 1\\.5\\!"
            }),
        )
        .await?;
    assert_eq!(m["text"], "👍🏽 bold it gone site 1.5!");
    assert_eq!(
        m["entities"],
        json!([
            { "type": "bold", "offset": 5, "length": 4 },
            { "type": "italic", "offset": 10, "length": 2 },
            { "type": "strikethrough", "offset": 13, "length": 4 },
            { "type": "text_link", "offset": 18, "length": 4, "url": "https://example.com" },
        ])
    );
    // Only the sent message arrived.
    let seen = alice.waits_for(&bot, 2).await?;
    assert_eq!(seen.len(), 2);
    assert_bad_request(
        bot.call(
            "sendMessage",
            json!({ "chat_id": alice.id, "parse_mode": "Klingon", "text": "x" }),
        )
        .await,
        "Bad Request: ",
    );
    Ok(())
}

#[tokio::test]
async fn explicit_entities_are_kept_and_whitespace_is_trimmed() -> R {
    let world = World::start().await?;
    let (alice, bot) = customer(&world).await?;
    let ents = json!([
        { "type": "bold", "offset": 0, "length": 2 },
        { "type": "italic", "offset": 6, "length": 5 },
    ]);
    let m = bot
        .call(
            "sendMessage",
            json!({ "chat_id": alice.id, "text": "Hi 😀 there", "entities": ents }),
        )
        .await?;
    assert_eq!(m["text"], "Hi 😀 there");
    assert_eq!(m["entities"], ents);

    // Leading and trailing white space is dropped; entities shift with the text.
    let m = bot
        .call(
            "sendMessage",
            json!({ "chat_id": alice.id, "text": " \n\t  <b>hi</b> there \n ", "parse_mode": "HTML" }),
        )
        .await?;
    assert_eq!(m["text"], "hi there");
    assert_eq!(
        m["entities"],
        json!([{ "type": "bold", "offset": 0, "length": 2 }])
    );
    let m = bot.says(alice.id, "   padded   ").await?;
    assert_eq!(m["text"], "padded");
    let seen = alice.waits_for(&bot, 4).await?;
    assert_eq!(seen[3]["text"], "padded");
    Ok(())
}

#[tokio::test]
async fn empty_and_overlong_texts_are_refused() -> R {
    let world = World::start().await?;
    let (alice, bot) = customer(&world).await?;
    for text in ["", "   ", " \n\t "] {
        assert_error(
            bot.says(alice.id, text).await,
            400,
            "Bad Request: message text is empty",
        );
    }
    assert_error(
        bot.call(
            "sendMessage",
            json!({ "chat_id": alice.id, "text": "<b> </b>", "parse_mode": "HTML" }),
        )
        .await,
        400,
        "Bad Request: message text is empty",
    );
    let max = "a".repeat(4096);
    let m = bot.says(alice.id, &max).await?;
    assert_eq!(m["text"].as_str().map(str::len), Some(4096));
    assert_error(
        bot.says(alice.id, &"a".repeat(4097)).await,
        400,
        "Bad Request: message is too long",
    );
    // The limit applies after entity parsing.
    let m = bot
        .call(
            "sendMessage",
            json!({ "chat_id": alice.id, "text": format!("<b>{max}</b>"), "parse_mode": "HTML" }),
        )
        .await?;
    assert_eq!(m["entities"][0]["length"], 4096);
    let seen = alice.waits_for(&bot, 3).await?;
    assert_eq!(seen.len(), 3, "only the two valid messages were sent");
    Ok(())
}

#[tokio::test]
async fn bots_cannot_write_first_or_into_unknown_chats() -> R {
    let world = World::start().await?;
    let (_alice, bot) = customer(&world).await?;
    let bob = world.user("Bob").await?;
    // A user the bot has never come across is not a chat it knows.
    assert_error(
        bot.says(bob.id, "hi").await,
        400,
        "Bad Request: chat not found",
    );
    // Once the bot has met Bob in a group, it knows him, but still may not write first.
    let group = world.supergroup("Lobby", &bob).await?;
    group.add_admin(bot.id, Group::helpdesk_rights()).await?;
    for (method, params) in [
        ("sendMessage", json!({ "chat_id": bob.id, "text": "hi" })),
        ("sendDice", json!({ "chat_id": bob.id })),
        (
            "sendLocation",
            json!({ "chat_id": bob.id, "latitude": 1.0, "longitude": 2.0 }),
        ),
    ] {
        assert_error(
            bot.call(method, params).await,
            403,
            "Forbidden: bot can't initiate conversation with a user",
        );
    }
    assert_error(
        bot.says(987_654_321, "hi").await,
        400,
        "Bad Request: chat not found",
    );
    assert_error(
        bot.call(
            "sendMessage",
            json!({ "chat_id": "@no_such_channel", "text": "hi" }),
        )
        .await,
        400,
        "Bad Request: chat not found",
    );
    assert_error(
        bot.says(-1_009_876_543_210, "hi").await,
        400,
        "Bad Request: chat not found",
    );
    // After Start, the bot may answer.
    bob.start(&bot).await?;
    bot.says(bob.id, "now it works").await?;
    assert_eq!(bob.waits_for(&bot, 2).await?[1]["text"], "now it works");
    Ok(())
}

// ----- media -----------------------------------------------------------------------------

struct Kind {
    method: &'static str,
    field: &'static str,
    file_name: &'static str,
    mime: &'static str,
    caption: bool,
}

const KINDS: &[Kind] = &[
    Kind {
        method: "sendPhoto",
        field: "photo",
        file_name: "cat.jpg",
        mime: "image/jpeg",
        caption: true,
    },
    Kind {
        method: "sendDocument",
        field: "document",
        file_name: "report.pdf",
        mime: "application/pdf",
        caption: true,
    },
    Kind {
        method: "sendVideo",
        field: "video",
        file_name: "clip.mp4",
        mime: "video/mp4",
        caption: true,
    },
    Kind {
        method: "sendAudio",
        field: "audio",
        file_name: "song.mp3",
        mime: "audio/mpeg",
        caption: true,
    },
    Kind {
        method: "sendVoice",
        field: "voice",
        file_name: "note.ogg",
        mime: "audio/ogg",
        caption: true,
    },
    Kind {
        method: "sendVideoNote",
        field: "video_note",
        file_name: "round.mp4",
        mime: "video/mp4",
        caption: false,
    },
    Kind {
        method: "sendAnimation",
        field: "animation",
        file_name: "dance.mp4",
        mime: "video/mp4",
        caption: true,
    },
    Kind {
        method: "sendSticker",
        field: "sticker",
        file_name: "smile.webp",
        mime: "image/webp",
        caption: false,
    },
];

#[tokio::test]
async fn every_media_method_uploads_and_resends_by_file_id() -> R {
    let world = World::start().await?;
    let (alice, bot) = customer(&world).await?;
    let mut sent = 1;
    for (n, k) in KINDS.iter().enumerate() {
        let bytes = blob(2000 + n * 100, n as u8);
        let caption = format!("{} caption", k.field);
        let extra: Vec<(&str, &str)> = if k.caption {
            vec![("caption", caption.as_str())]
        } else {
            vec![]
        };
        let m = upload(
            &bot,
            k.method,
            k.field,
            alice.id,
            file(bytes.clone(), k.file_name, k.mime),
            &extra,
        )
        .await
        .unwrap_or_else(|e| panic!("{}: {e}", k.method));
        sent += 1;
        assert!(m.get(k.field).is_some(), "{}: {m:#}", k.method);
        assert!(m.get("text").is_none());
        let fid = file_id_of(&m, k.field);
        let uid = unique_id_of(&m, k.field);
        assert!(!fid.is_empty() && !uid.is_empty());
        assert_ne!(fid, uid);
        let main = if k.field == "photo" {
            m["photo"]
                .as_array()
                .and_then(|a| a.last())
                .cloned()
                .unwrap_or_default()
        } else {
            m[k.field].clone()
        };
        assert_eq!(main["file_size"], json!(bytes.len()), "{}: {m:#}", k.method);
        if k.caption {
            assert_eq!(m["caption"], caption.as_str(), "{}", k.method);
        } else {
            assert!(m.get("caption").is_none());
        }

        // The same file again, by file_id: same unique id, no new upload.
        let again = bot
            .call(k.method, json!({ "chat_id": alice.id, (k.field): fid }))
            .await
            .unwrap_or_else(|e| panic!("{} by file_id: {e}", k.method));
        sent += 1;
        assert_eq!(unique_id_of(&again, k.field), uid, "{}", k.method);
        assert!(again.get("caption").is_none(), "a caption is not inherited");
        // And by form, as most clients send it.
        let by_form = bot
            .call_form(
                k.method,
                &[("chat_id", &alice.id.to_string()), (k.field, &fid)],
            )
            .await?;
        sent += 1;
        assert_eq!(unique_id_of(&by_form, k.field), uid);

        // Per-kind details the Bot API documents.
        match k.field {
            "photo" => {
                let sizes = m["photo"].as_array().expect("photo sizes");
                assert!(sizes.len() >= 2, "several sizes: {m:#}");
                let area = |p: &Value| id(&p["width"]) * id(&p["height"]);
                assert!(
                    sizes.windows(2).all(|w| area(&w[0]) <= area(&w[1])),
                    "sizes grow, the original is last: {sizes:#?}"
                );
                for p in sizes {
                    assert!(p["file_id"].is_string() && p["file_unique_id"].is_string());
                }
            }
            "document" => {
                assert_eq!(m["document"]["file_name"], "report.pdf");
                assert_eq!(m["document"]["mime_type"], "application/pdf");
            }
            "animation" => {
                // For backward compatibility an animation is also a document.
                assert_eq!(
                    m["document"]["file_unique_id"], m["animation"]["file_unique_id"],
                    "{m:#}"
                );
                assert_eq!(
                    again["document"]["file_unique_id"],
                    m["animation"]["file_unique_id"]
                );
                for f in ["width", "height", "duration"] {
                    assert!(m["animation"][f].is_i64(), "animation.{f}: {m:#}");
                }
            }
            "video" => {
                for f in ["width", "height", "duration"] {
                    assert!(m["video"][f].is_i64(), "video.{f}: {m:#}");
                }
            }
            "audio" | "voice" => assert!(m[k.field]["duration"].is_i64()),
            "video_note" => {
                assert!(m["video_note"]["length"].is_i64());
                assert!(m["video_note"]["duration"].is_i64());
            }
            "sticker" => {
                assert_eq!(m["sticker"]["type"], "regular");
                assert_eq!(m["sticker"]["is_animated"], false);
                assert_eq!(m["sticker"]["is_video"], false);
            }
            _ => {}
        }
        // Client libraries parse all of it.
        let _: Msg = both(&m);
        let _: Msg = both(&again);
    }

    // The customer received everything, in order.
    let seen = alice.waits_for(&bot, sent).await?;
    assert_eq!(seen.len(), sent);
    for (n, k) in KINDS.iter().enumerate() {
        let first = &seen[1 + n * 3];
        assert!(first.get(k.field).is_some(), "{}: {first:#}", k.method);
    }
    Ok(())
}

#[tokio::test]
async fn media_metadata_from_the_call_is_kept() -> R {
    let world = World::start().await?;
    let (alice, bot) = customer(&world).await?;
    let m = upload(
        &bot,
        "sendAudio",
        "audio",
        alice.id,
        file(blob(500, 1), "track.mp3", "audio/mpeg"),
        &[
            ("performer", "The Band"),
            ("title", "The Song"),
            ("duration", "215"),
        ],
    )
    .await?;
    assert_eq!(m["audio"]["performer"], "The Band");
    assert_eq!(m["audio"]["title"], "The Song");
    assert_eq!(m["audio"]["duration"], 215);
    assert_eq!(m["audio"]["file_name"], "track.mp3");
    let m = upload(
        &bot,
        "sendVideo",
        "video",
        alice.id,
        file(blob(500, 2), "v.mp4", "video/mp4"),
        &[
            ("width", "1920"),
            ("height", "1080"),
            ("duration", "12"),
            ("has_spoiler", "true"),
            ("caption", "<b>look</b>"),
            ("parse_mode", "HTML"),
            ("show_caption_above_media", "True"),
        ],
    )
    .await?;
    assert_eq!(m["video"]["width"], 1920);
    assert_eq!(m["video"]["height"], 1080);
    assert_eq!(m["video"]["duration"], 12);
    assert_eq!(m["has_media_spoiler"], true);
    assert_eq!(m["show_caption_above_media"], true);
    assert_eq!(m["caption"], "look");
    assert_eq!(
        m["caption_entities"],
        json!([{ "type": "bold", "offset": 0, "length": 4 }])
    );
    let m = upload(
        &bot,
        "sendSticker",
        "sticker",
        alice.id,
        file(blob(300, 3), "s.webp", "image/webp"),
        &[("emoji", "🔥")],
    )
    .await?;
    assert_eq!(m["sticker"]["emoji"], "🔥");
    Ok(())
}

#[tokio::test]
async fn attach_references_name_multipart_parts() -> R {
    let world = World::start().await?;
    let (alice, bot) = customer(&world).await?;
    let bytes = blob(1500, 9);
    let form = Form::new()
        .text("chat_id", alice.id.to_string())
        .text("document", "attach://payload")
        .part(
            "payload",
            file(bytes.clone(), "data.bin", "application/octet-stream"),
        );
    let m = bot.call_multipart("sendDocument", form).await?;
    assert_eq!(m["document"]["file_size"], 1500);
    assert_eq!(m["document"]["file_name"], "data.bin");
    let f = bot
        .call("getFile", json!({ "file_id": m["document"]["file_id"] }))
        .await?;
    let (status, got) = download(&world, &bot.token, &s(&f["file_path"])).await?;
    assert_eq!(status, 200);
    assert_eq!(got, bytes);

    // A reference to a part that is not there.
    let form = Form::new()
        .text("chat_id", alice.id.to_string())
        .text("document", "attach://missing")
        .part(
            "payload",
            file(bytes, "data.bin", "application/octet-stream"),
        );
    assert_bad_request(
        bot.call_multipart("sendDocument", form).await,
        "Bad Request: ",
    );
    assert_eq!(alice.sees(&bot).await?.len(), 2);
    Ok(())
}

#[tokio::test]
async fn captions_longer_than_1024_characters_are_refused() -> R {
    let world = World::start().await?;
    let (alice, bot) = customer(&world).await?;
    let long = "c".repeat(1025);
    for k in KINDS.iter().filter(|k| k.caption) {
        assert_error(
            upload(
                &bot,
                k.method,
                k.field,
                alice.id,
                file(blob(100, 0), k.file_name, k.mime),
                &[("caption", &long)],
            )
            .await,
            400,
            "Bad Request: message caption is too long",
        );
    }
    // 1024 is fine, also when markup makes the raw text longer.
    let m = upload(
        &bot,
        "sendPhoto",
        "photo",
        alice.id,
        file(blob(100, 0), "p.jpg", "image/jpeg"),
        &[
            ("caption", &format!("<i>{}</i>", "c".repeat(1024))),
            ("parse_mode", "HTML"),
        ],
    )
    .await?;
    assert_eq!(m["caption"].as_str().map(str::len), Some(1024));
    // Nothing but the valid photo was delivered.
    assert_eq!(alice.waits_for(&bot, 2).await?.len(), 2);
    Ok(())
}

#[tokio::test]
async fn file_ids_belong_to_the_bot_that_received_them() -> R {
    let world = World::start().await?;
    let (alice, bot) = customer(&world).await?;
    let other = world.bot("other_bot").await?;
    alice.start(&other).await?;
    let m = upload(
        &bot,
        "sendPhoto",
        "photo",
        alice.id,
        file(blob(800, 4), "p.jpg", "image/jpeg"),
        &[],
    )
    .await?;
    let fid = file_id_of(&m, "photo");
    // The owner can reuse it; another bot cannot.
    bot.call("sendPhoto", json!({ "chat_id": alice.id, "photo": fid }))
        .await?;
    assert_error(
        other
            .call("sendPhoto", json!({ "chat_id": alice.id, "photo": fid }))
            .await,
        400,
        "Bad Request: wrong file identifier/HTTP URL specified",
    );
    assert_error(
        other
            .call(
                "sendDocument",
                json!({ "chat_id": alice.id, "document": fid }),
            )
            .await,
        400,
        "Bad Request: wrong file identifier/HTTP URL specified",
    );
    // Made-up identifiers are refused the same way.
    for bogus in ["AgACAgIAAxkBAAIBZ2Xfake", "not-a-file-id"] {
        assert_error(
            bot.call("sendPhoto", json!({ "chat_id": alice.id, "photo": bogus }))
                .await,
            400,
            "Bad Request: wrong file identifier/HTTP URL specified",
        );
    }
    // A file id of another kind cannot be used as a photo.
    let v = upload(
        &bot,
        "sendVoice",
        "voice",
        alice.id,
        file(blob(300, 5), "v.ogg", "audio/ogg"),
        &[],
    )
    .await?;
    assert_bad_request(
        bot.call(
            "sendPhoto",
            json!({ "chat_id": alice.id, "photo": v["voice"]["file_id"] }),
        )
        .await,
        "Bad Request: ",
    );
    assert_eq!(alice.sees(&bot).await?.len(), 4);
    assert_eq!(alice.sees(&other).await?.len(), 1);
    Ok(())
}

#[tokio::test]
async fn http_urls_and_empty_uploads_are_refused() -> R {
    let world = World::start().await?;
    let (alice, bot) = customer(&world).await?;
    // tgsim is offline: it cannot fetch what Telegram would download.
    assert_error(
        bot.call(
            "sendPhoto",
            json!({ "chat_id": alice.id, "photo": "https://example.com/cat.jpg" }),
        )
        .await,
        400,
        "Bad Request: failed to get HTTP URL content",
    );
    assert_error(
        bot.call_form(
            "sendDocument",
            &[
                ("chat_id", &alice.id.to_string()),
                ("document", "http://example.com/a.pdf"),
            ],
        )
        .await,
        400,
        "Bad Request: failed to get HTTP URL content",
    );
    assert_error(
        upload(
            &bot,
            "sendDocument",
            "document",
            alice.id,
            file(Vec::new(), "empty.txt", "text/plain"),
            &[],
        )
        .await,
        400,
        "Bad Request: file must be non-empty",
    );
    assert_eq!(alice.sees(&bot).await?.len(), 1);
    Ok(())
}

// ----- getFile and downloads -------------------------------------------------------------

#[tokio::test]
async fn get_file_and_download_return_the_exact_bytes_for_the_owner_only() -> R {
    let world = World::start().await?;
    let (alice, bot) = customer(&world).await?;
    let other = world.bot("other_bot").await?;
    let bytes = blob(70_000, 42);
    let m = upload(
        &bot,
        "sendDocument",
        "document",
        alice.id,
        file(bytes.clone(), "dump.bin", "application/octet-stream"),
        &[],
    )
    .await?;
    let fid = s(&m["document"]["file_id"]);
    let f = bot.call("getFile", json!({ "file_id": fid })).await?;
    assert_eq!(s(&f["file_id"]), fid);
    assert_eq!(f["file_unique_id"], m["document"]["file_unique_id"]);
    assert_eq!(f["file_size"], 70_000);
    let path = s(&f["file_path"]);
    assert!(!path.is_empty() && !path.starts_with('/'), "{path}");
    let (ff, tf): (frankenstein::types::File, tgbot::types::File) = both(&f);
    assert_eq!(ff.file_path.as_deref(), Some(path.as_str()));
    assert_eq!(ff.file_size, Some(70_000));
    assert_eq!(tf.file_id, fid);
    assert_eq!(tf.file_path.as_deref(), Some(path.as_str()));

    let (status, got) = download(&world, &bot.token, &path).await?;
    assert_eq!(status, 200);
    assert_eq!(got, bytes, "the downloaded bytes are the uploaded ones");
    // Through GET with the file_id in the query string as well.
    let url = format!("{}?file_id={fid}", bot.url("getFile"));
    let f2 = Bot::decode(world.http().get(url).send().await).await?;
    assert_eq!(f2["file_path"], f["file_path"]);

    // Another bot can neither resolve the file_id nor download through the path.
    assert_bad_request(
        other.call("getFile", json!({ "file_id": fid })).await,
        "Bad Request: ",
    );
    let (status, _) = download(&world, &other.token, &path).await?;
    assert_eq!(status, 404);
    // Made-up paths are not found.
    let (status, _) = download(&world, &bot.token, "documents/file_0_zzz.bin").await?;
    assert_eq!(status, 404);
    let (status, _) = download(&world, &bot.token, &format!("{path}x")).await?;
    assert_eq!(status, 404);

    // Photos: the largest size downloads as the upload.
    let pic = blob(3000, 7);
    let p = upload(
        &bot,
        "sendPhoto",
        "photo",
        alice.id,
        file(pic.clone(), "p.jpg", "image/jpeg"),
        &[],
    )
    .await?;
    let f = bot
        .call("getFile", json!({ "file_id": file_id_of(&p, "photo") }))
        .await?;
    let (status, got) = download(&world, &bot.token, &s(&f["file_path"])).await?;
    assert_eq!(status, 200);
    assert_eq!(got, pic);
    Ok(())
}

#[tokio::test]
async fn two_bots_get_different_file_ids_for_one_file_with_the_same_unique_id() -> R {
    let world = World::start().await?;
    let owner = world.user("Owner").await?;
    let a = world.bot("a_bot").await?;
    let b = world.bot("b_bot").await?;
    let group = world.supergroup("Shared", &owner).await?;
    group.add_admin(a.id, Group::helpdesk_rights()).await?;
    group.add_admin(b.id, Group::helpdesk_rights()).await?;
    let pic = blob(2500, 11);
    use base64::Engine as _;
    owner
        .send(
            &group,
            json!({ "media": {
                "type": "photo",
                "data_base64": base64::engine::general_purpose::STANDARD.encode(&pic),
                "caption": "look"
            } }),
        )
        .await?;
    let photo_of = |ups: Vec<Value>| -> Value {
        ups.into_iter()
            .filter_map(|u| u.get("message").cloned())
            .find(|m| m.get("photo").is_some())
            .expect("a photo update")
    };
    let ma = photo_of(a.updates().await?);
    let mb = photo_of(b.updates().await?);
    let (fa, fb) = (file_id_of(&ma, "photo"), file_id_of(&mb, "photo"));
    assert_ne!(fa, fb, "file ids are per bot");
    assert_eq!(unique_id_of(&ma, "photo"), unique_id_of(&mb, "photo"));
    for (bot, fid) in [(&a, &fa), (&b, &fb)] {
        let f = bot.call("getFile", json!({ "file_id": fid })).await?;
        let (status, got) = download(&world, &bot.token, &s(&f["file_path"])).await?;
        assert_eq!(status, 200);
        assert_eq!(got, pic);
    }
    assert_bad_request(
        a.call("getFile", json!({ "file_id": fb })).await,
        "Bad Request: ",
    );
    let f = b.call("getFile", json!({ "file_id": fb })).await?;
    let (status, _) = download(&world, &a.token, &s(&f["file_path"])).await?;
    assert_eq!(status, 404);
    Ok(())
}

// ----- albums ----------------------------------------------------------------------------

fn album_form(chat: i64, items: &[(&str, &str)], seed: u8) -> Form {
    let mut media = Vec::new();
    let mut form = Form::new().text("chat_id", chat.to_string());
    for (n, (kind, mime)) in items.iter().enumerate() {
        let name = format!("f{n}");
        let mut item = json!({ "type": kind, "media": format!("attach://{name}") });
        if n == 0 {
            item["caption"] = json!("album caption");
        }
        media.push(item);
        form = form.part(
            name.clone(),
            file(blob(400 + n, seed.wrapping_add(n as u8)), &name, mime),
        );
    }
    form.text("media", Value::Array(media).to_string())
}

#[tokio::test]
async fn send_media_group_sends_one_album() -> R {
    let world = World::start().await?;
    let (alice, bot) = customer(&world).await?;
    let items = [
        ("photo", "image/jpeg"),
        ("video", "video/mp4"),
        ("photo", "image/jpeg"),
    ];
    let album = bot
        .call_multipart("sendMediaGroup", album_form(alice.id, &items, 1))
        .await?;
    let msgs = album.as_array().expect("an array of messages");
    assert_eq!(msgs.len(), 3);
    let group = s(&msgs[0]["media_group_id"]);
    assert!(!group.is_empty());
    for (m, (kind, _)) in msgs.iter().zip(items) {
        assert_eq!(m["media_group_id"], group.as_str());
        assert!(m.get(kind).is_some(), "{m:#}");
    }
    let ids: Vec<i64> = msgs.iter().map(|m| id(&m["message_id"])).collect();
    assert!(ids.windows(2).all(|w| w[1] == w[0] + 1), "{ids:?}");
    assert_eq!(msgs[0]["caption"], "album caption");
    assert!(msgs[1].get("caption").is_none());
    let (f, t): (
        Vec<frankenstein::types::Message>,
        Vec<tgbot::types::Message>,
    ) = both(&album);
    assert_eq!(f[1].media_group_id.as_deref(), Some(group.as_str()));
    assert!(f[1].video.is_some());
    assert_eq!(t[2].media_group_id.as_deref(), Some(group.as_str()));
    assert!(matches!(t[0].data, tgbot::types::MessageData::Photo(_)));
    assert!(matches!(t[1].data, tgbot::types::MessageData::Video(_)));

    // The customer sees an album: three messages sharing one group id.
    let seen = alice.waits_for(&bot, 4).await?;
    let shown: Vec<&Value> = seen
        .iter()
        .filter(|m| m["media_group_id"] == group.as_str())
        .collect();
    assert_eq!(shown.len(), 3);

    // A second album gets its own group id; items may be file ids.
    let again = bot
        .call(
            "sendMediaGroup",
            json!({ "chat_id": alice.id, "media": [
                { "type": "photo", "media": file_id_of(&msgs[0], "photo") },
                { "type": "video", "media": file_id_of(&msgs[1], "video"), "caption": "<b>v</b>", "parse_mode": "HTML" },
            ] }),
        )
        .await?;
    let again = again.as_array().expect("messages");
    assert_eq!(again.len(), 2);
    assert_ne!(again[0]["media_group_id"], group.as_str());
    assert_eq!(again[0]["media_group_id"], again[1]["media_group_id"]);
    assert_eq!(
        unique_id_of(&again[0], "photo"),
        unique_id_of(&msgs[0], "photo")
    );
    assert_eq!(again[1]["caption"], "v");
    assert_eq!(
        again[1]["caption_entities"],
        json!([{ "type": "bold", "offset": 0, "length": 1 }])
    );

    // Documents and audio files form albums of their own kind.
    for kind in [("document", "application/pdf"), ("audio", "audio/mpeg")] {
        let r = bot
            .call_multipart("sendMediaGroup", album_form(alice.id, &[kind, kind], 5))
            .await?;
        assert_eq!(r.as_array().map(Vec::len), Some(2));
    }
    Ok(())
}

#[tokio::test]
async fn send_media_group_refuses_bad_albums_and_sends_nothing() -> R {
    let world = World::start().await?;
    let (alice, bot) = customer(&world).await?;
    let photo = ("photo", "image/jpeg");
    for n in [1usize, 11] {
        let items = vec![photo; n];
        assert_bad_request(
            bot.call_multipart("sendMediaGroup", album_form(alice.id, &items, 0))
                .await,
            "Bad Request: ",
        );
    }
    let ten = vec![photo; 10];
    let r = bot
        .call_multipart("sendMediaGroup", album_form(alice.id, &ten, 0))
        .await?;
    assert_eq!(r.as_array().map(Vec::len), Some(10));
    let before = alice.waits_for(&bot, 11).await?.len();
    assert_eq!(before, 11);

    // Audio cannot be mixed with photos, nor documents with videos.
    for items in [
        [("audio", "audio/mpeg"), photo],
        [("document", "application/pdf"), ("video", "video/mp4")],
    ] {
        assert_bad_request(
            bot.call_multipart("sendMediaGroup", album_form(alice.id, &items, 0))
                .await,
            "Bad Request: ",
        );
    }
    // Kinds that never go into albums.
    assert_bad_request(
        bot.call_multipart(
            "sendMediaGroup",
            album_form(alice.id, &[photo, ("animation", "video/mp4")], 0),
        )
        .await,
        "Bad Request: ",
    );
    // A caption too long in one item.
    let form = Form::new()
        .text("chat_id", alice.id.to_string())
        .text(
            "media",
            json!([
                { "type": "photo", "media": "attach://a" },
                { "type": "photo", "media": "attach://b", "caption": "x".repeat(1025) },
            ])
            .to_string(),
        )
        .part("a", file(blob(10, 1), "a.jpg", "image/jpeg"))
        .part("b", file(blob(10, 2), "b.jpg", "image/jpeg"));
    assert_error(
        bot.call_multipart("sendMediaGroup", form).await,
        400,
        "Bad Request: message caption is too long",
    );
    // A bad file reference in the second item: the first is not sent either.
    let form = Form::new()
        .text("chat_id", alice.id.to_string())
        .text(
            "media",
            json!([
                { "type": "photo", "media": "attach://a" },
                { "type": "photo", "media": "BQACAgInvalidFileId" },
            ])
            .to_string(),
        )
        .part("a", file(blob(10, 1), "a.jpg", "image/jpeg"));
    assert_error(
        bot.call_multipart("sendMediaGroup", form).await,
        400,
        "Bad Request: wrong file identifier/HTTP URL specified",
    );
    let form = Form::new()
        .text("chat_id", alice.id.to_string())
        .text(
            "media",
            json!([
                { "type": "photo", "media": "attach://a" },
                { "type": "photo", "media": "https://example.com/b.jpg" },
            ])
            .to_string(),
        )
        .part("a", file(blob(10, 1), "a.jpg", "image/jpeg"));
    assert_bad_request(
        bot.call_multipart("sendMediaGroup", form).await,
        "Bad Request: ",
    );
    assert_eq!(
        alice.sees(&bot).await?.len(),
        before,
        "no refused album left any message behind"
    );
    Ok(())
}

// ----- locations, venues, contacts, polls, dice, chat actions ----------------------------

#[tokio::test]
async fn location_venue_and_contact() -> R {
    let world = World::start().await?;
    let (alice, bot) = customer(&world).await?;
    let m = bot
        .call(
            "sendLocation",
            json!({ "chat_id": alice.id, "latitude": 52.5163, "longitude": 13.3777, "horizontal_accuracy": 25.5 }),
        )
        .await?;
    assert_eq!(m["location"]["latitude"], 52.5163);
    assert_eq!(m["location"]["longitude"], 13.3777);
    assert_eq!(m["location"]["horizontal_accuracy"], 25.5);
    let (f, _): Msg = both(&m);
    assert!(f.location.is_some());
    // Form bodies carry numbers as text.
    let m = bot
        .call_form(
            "sendLocation",
            &[
                ("chat_id", &alice.id.to_string()),
                ("latitude", "-33.8568"),
                ("longitude", "151.2153"),
            ],
        )
        .await?;
    assert_eq!(m["location"]["latitude"], -33.8568);
    assert_bad_request(
        bot.call(
            "sendLocation",
            json!({ "chat_id": alice.id, "latitude": 91.0, "longitude": 0.0 }),
        )
        .await,
        "Bad Request: ",
    );

    let m = bot
        .call(
            "sendVenue",
            json!({ "chat_id": alice.id, "latitude": 48.8584, "longitude": 2.2945,
                    "title": "Eiffel Tower", "address": "Champ de Mars, Paris" }),
        )
        .await?;
    assert_eq!(m["venue"]["title"], "Eiffel Tower");
    assert_eq!(m["venue"]["address"], "Champ de Mars, Paris");
    assert_eq!(m["venue"]["location"]["latitude"], 48.8584);
    // For backward compatibility a venue also sets `location`.
    assert_eq!(m["location"]["longitude"], 2.2945);
    let (f, t): Msg = both(&m);
    assert_eq!(f.venue.expect("venue").title, "Eiffel Tower");
    // A venue message carries both `venue` and `location`, as documented; tgbot recognises
    // its keyed variants only when one key is left, so it keeps the raw JSON.
    match t.data {
        tgbot::types::MessageData::Venue(v) => assert_eq!(v.title, "Eiffel Tower"),
        tgbot::types::MessageData::Unknown(raw) => {
            assert_eq!(raw["venue"]["title"], "Eiffel Tower");
        }
        other => panic!("tgbot sees {other:?}"),
    }
    assert_bad_request(
        bot.call(
            "sendVenue",
            json!({ "chat_id": alice.id, "latitude": 1.0, "longitude": 2.0, "title": "No address" }),
        )
        .await,
        "Bad Request: ",
    );

    let m = bot
        .call(
            "sendContact",
            json!({ "chat_id": alice.id, "phone_number": "+49 30 1234567", "first_name": "Support", "last_name": "Desk" }),
        )
        .await?;
    assert_eq!(m["contact"]["phone_number"], "+49 30 1234567");
    assert_eq!(m["contact"]["first_name"], "Support");
    assert_eq!(m["contact"]["last_name"], "Desk");
    let (f, t): Msg = both(&m);
    assert_eq!(f.contact.expect("contact").first_name, "Support");
    assert!(matches!(t.data, tgbot::types::MessageData::Contact(_)));
    assert_bad_request(
        bot.call(
            "sendContact",
            json!({ "chat_id": alice.id, "phone_number": "+1" }),
        )
        .await,
        "Bad Request: ",
    );
    assert_eq!(alice.waits_for(&bot, 5).await?.len(), 5);
    Ok(())
}

fn options(n: usize) -> Value {
    (0..n)
        .map(|i| json!({ "text": format!("Option {i}") }))
        .collect()
}

#[tokio::test]
async fn polls_take_two_to_twelve_options_and_quizzes_need_the_answer() -> R {
    let world = World::start().await?;
    let (alice, bot) = customer(&world).await?;
    let m = bot
        .call(
            "sendPoll",
            json!({ "chat_id": alice.id, "question": "Tea or coffee?", "options": options(2) }),
        )
        .await?;
    let poll = &m["poll"];
    assert_eq!(poll["question"], "Tea or coffee?");
    for (i, o) in poll["options"]
        .as_array()
        .expect("options")
        .iter()
        .enumerate()
    {
        assert_eq!(o["text"], format!("Option {i}"));
        assert_eq!(o["voter_count"], 0);
    }
    assert_eq!(poll["total_voter_count"], 0);
    assert_eq!(poll["is_closed"], false);
    assert_eq!(poll["is_anonymous"], true);
    assert_eq!(poll["type"], "regular");
    assert_eq!(poll["allows_multiple_answers"], false);
    assert!(poll["id"].is_string());
    let (f, _): Msg = both(&m);
    assert_eq!(f.poll.expect("poll").options.len(), 2);

    let m = bot
        .call(
            "sendPoll",
            json!({ "chat_id": alice.id, "question": "Pick", "options": options(12),
                    "is_anonymous": false, "allows_multiple_answers": true }),
        )
        .await?;
    assert_eq!(m["poll"]["options"].as_array().map(Vec::len), Some(12));
    assert_eq!(m["poll"]["is_anonymous"], false);
    assert_eq!(m["poll"]["allows_multiple_answers"], true);
    for n in [0, 1, 13] {
        assert_bad_request(
            bot.call(
                "sendPoll",
                json!({ "chat_id": alice.id, "question": "Q", "options": options(n) }),
            )
            .await,
            "Bad Request: ",
        );
    }
    assert_bad_request(
        bot.call(
            "sendPoll",
            json!({ "chat_id": alice.id, "question": "", "options": options(2) }),
        )
        .await,
        "Bad Request: ",
    );
    // Quizzes.
    assert_bad_request(
        bot.call(
            "sendPoll",
            json!({ "chat_id": alice.id, "question": "2+2?", "options": options(3), "type": "quiz" }),
        )
        .await,
        "Bad Request: ",
    );
    assert_bad_request(
        bot.call(
            "sendPoll",
            json!({ "chat_id": alice.id, "question": "2+2?", "options": options(3), "type": "quiz", "correct_option_id": 3 }),
        )
        .await,
        "Bad Request: ",
    );
    let m = bot
        .call(
            "sendPoll",
            json!({ "chat_id": alice.id, "question": "2+2?", "options": options(3), "type": "quiz", "correct_option_id": 1 }),
        )
        .await?;
    assert_eq!(m["poll"]["type"], "quiz");
    let (f, _): Msg = both(&m);
    assert!(f.poll.is_some());
    // Polls in forms: the options list is JSON text.
    let m = bot
        .call_form(
            "sendPoll",
            &[
                ("chat_id", &alice.id.to_string()),
                ("question", "Form poll"),
                ("options", &options(2).to_string()),
                ("is_anonymous", "False"),
            ],
        )
        .await?;
    assert_eq!(m["poll"]["is_anonymous"], false);
    assert_eq!(alice.waits_for(&bot, 5).await?.len(), 5);
    Ok(())
}

#[tokio::test]
async fn dice_values_stay_within_each_emojis_range() -> R {
    let world = World::start().await?;
    let (alice, bot) = customer(&world).await?;
    for (emoji, max) in [
        ("🎲", 6),
        ("🎯", 6),
        ("🎳", 6),
        ("🏀", 5),
        ("⚽", 5),
        ("🎰", 64),
    ] {
        let mut values = std::collections::BTreeSet::new();
        for _ in 0..25 {
            let m = bot
                .call("sendDice", json!({ "chat_id": alice.id, "emoji": emoji }))
                .await?;
            assert_eq!(m["dice"]["emoji"], emoji);
            let v = id(&m["dice"]["value"]);
            assert!((1..=max).contains(&v), "{emoji} rolled {v}");
            values.insert(v);
        }
        assert!(values.len() > 1, "{emoji} always rolls {values:?}");
    }
    // Default: a die.
    let m = bot.call("sendDice", json!({ "chat_id": alice.id })).await?;
    assert_eq!(m["dice"]["emoji"], "🎲");
    let (f, t): Msg = both(&m);
    assert_eq!(f.dice.expect("dice").emoji, "🎲");
    assert!(matches!(t.data, tgbot::types::MessageData::Dice(_)));
    assert_bad_request(
        bot.call("sendDice", json!({ "chat_id": alice.id, "emoji": "🐱" }))
            .await,
        "Bad Request: ",
    );
    Ok(())
}

#[tokio::test]
async fn chat_actions_are_acknowledged_but_not_shown_as_messages() -> R {
    let world = World::start().await?;
    let (alice, bot) = customer(&world).await?;
    for action in [
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    ] {
        let r = bot
            .call(
                "sendChatAction",
                json!({ "chat_id": alice.id, "action": action }),
            )
            .await?;
        assert_eq!(r, json!(true), "{action}");
    }
    assert_bad_request(
        bot.call(
            "sendChatAction",
            json!({ "chat_id": alice.id, "action": "dancing" }),
        )
        .await,
        "Bad Request: ",
    );
    assert_error(
        bot.call(
            "sendChatAction",
            json!({ "chat_id": 123_456_789, "action": "typing" }),
        )
        .await,
        400,
        "Bad Request: chat not found",
    );
    assert_eq!(alice.sees(&bot).await?.len(), 1);
    Ok(())
}

// ----- replies and keyboards -------------------------------------------------------------

#[tokio::test]
async fn reply_parameters_point_at_an_existing_message_unless_allowed_otherwise() -> R {
    let world = World::start().await?;
    let (alice, bot) = customer(&world).await?;
    let q = alice.says(&bot, "Where is my order?").await?;
    let qid = id(&q["message_id"]);
    let m = bot
        .call(
            "sendMessage",
            json!({ "chat_id": alice.id, "text": "On its way", "reply_parameters": { "message_id": qid } }),
        )
        .await?;
    assert_eq!(id(&m["reply_to_message"]["message_id"]), qid);
    assert_eq!(m["reply_to_message"]["text"], "Where is my order?");
    assert_eq!(id(&m["reply_to_message"]["from"]["id"]), alice.id);
    let (f, t): Msg = both(&m);
    assert_eq!(
        f.reply_to_message.map(|r| i64::from(r.message_id)),
        Some(qid)
    );
    assert!(t.reply_to.is_some());
    let seen = alice.waits_for(&bot, 3).await?;
    assert_eq!(id(&seen[2]["reply_to_message"]["message_id"]), qid);

    assert_error(
        bot.call(
            "sendMessage",
            json!({ "chat_id": alice.id, "text": "lost", "reply_parameters": { "message_id": 99_999 } }),
        )
        .await,
        400,
        "Bad Request: message to be replied not found",
    );
    let m = bot
        .call(
            "sendMessage",
            json!({ "chat_id": alice.id, "text": "sent anyway",
                    "reply_parameters": { "message_id": 99_999, "allow_sending_without_reply": true } }),
        )
        .await?;
    assert!(m.get("reply_to_message").is_none(), "{m:#}");
    // Media replies too.
    assert_error(
        upload(
            &bot,
            "sendPhoto",
            "photo",
            alice.id,
            file(blob(50, 1), "p.jpg", "image/jpeg"),
            &[("reply_parameters", r#"{"message_id": 99999}"#)],
        )
        .await,
        400,
        "Bad Request: message to be replied not found",
    );
    let m = upload(
        &bot,
        "sendPhoto",
        "photo",
        alice.id,
        file(blob(50, 1), "p.jpg", "image/jpeg"),
        &[(
            "reply_parameters",
            &json!({ "message_id": qid }).to_string(),
        )],
    )
    .await?;
    assert_eq!(id(&m["reply_to_message"]["message_id"]), qid);
    // Deleted messages cannot be replied to.
    alice.deletes(&bot, &[qid]).await?;
    assert_error(
        bot.call(
            "sendMessage",
            json!({ "chat_id": alice.id, "text": "gone", "reply_parameters": { "message_id": qid } }),
        )
        .await,
        400,
        "Bad Request: message to be replied not found",
    );
    Ok(())
}

#[tokio::test]
async fn reply_markup_is_validated() -> R {
    let world = World::start().await?;
    let (alice, bot) = customer(&world).await?;
    let owner = world.user("Owner").await?;
    let group = world.supergroup("Team", &owner).await?;
    group.add_admin(bot.id, Group::helpdesk_rights()).await?;
    let send = |chat: i64, markup: Value| {
        let bot = bot.clone();
        async move {
            bot.call(
                "sendMessage",
                json!({ "chat_id": chat, "text": "pick", "reply_markup": markup }),
            )
            .await
        }
    };
    let button = |b: Value| json!({ "inline_keyboard": [[b]] });

    // callback_data: 1-64 bytes (not characters).
    let m = send(
        alice.id,
        button(json!({ "text": "ok", "callback_data": "d".repeat(64) })),
    )
    .await?;
    assert_eq!(
        m["reply_markup"]["inline_keyboard"][0][0]["callback_data"],
        "d".repeat(64)
    );
    send(
        alice.id,
        button(json!({ "text": "ok", "callback_data": "é".repeat(32) })),
    )
    .await?;
    for data in ["d".repeat(65), "é".repeat(33), String::new()] {
        assert_error(
            send(
                alice.id,
                button(json!({ "text": "too long", "callback_data": data })),
            )
            .await,
            400,
            "Bad Request: BUTTON_DATA_INVALID",
        );
    }
    // A button must do something.
    assert_bad_request(
        send(alice.id, button(json!({ "text": "inert" }))).await,
        "Bad Request: can't parse inline keyboard button",
    );
    // URL buttons need a valid URL.
    let m = send(
        alice.id,
        button(json!({ "text": "site", "url": "https://example.com/help" })),
    )
    .await?;
    assert_eq!(
        m["reply_markup"]["inline_keyboard"][0][0]["url"],
        "https://example.com/help"
    );
    let e = assert_bad_request(
        send(
            alice.id,
            button(json!({ "text": "bad", "url": "not a url" })),
        )
        .await,
        "Bad Request: ",
    );
    assert!(e.description.contains("URL"), "{e:?}");
    // Not an object at all.
    assert_bad_request(
        send(alice.id, json!({ "inline_keyboard": "nope" })).await,
        "Bad Request: ",
    );

    // request_chat buttons: private chats only.
    let picker = json!({ "keyboard": [[{ "text": "Pick a group",
        "request_chat": { "request_id": 1, "chat_is_channel": false } }]], "one_time_keyboard": true });
    let m = send(alice.id, picker.clone()).await?;
    assert!(
        m.get("reply_markup").is_none(),
        "Message.reply_markup only carries inline keyboards: {m:#}"
    );
    assert_bad_request(send(group.id, picker).await, "Bad Request: ");
    let contact = json!({ "keyboard": [[{ "text": "Share", "request_contact": true }]] });
    assert_bad_request(send(group.id, contact).await, "Bad Request: ");
    // Plain reply keyboards, removal and force_reply work in groups.
    send(group.id, json!({ "keyboard": [[{ "text": "Yes" }, "No"]] })).await?;
    send(group.id, json!({ "remove_keyboard": true })).await?;
    send(group.id, json!({ "force_reply": true })).await?;
    let sent_private = alice.sees(&bot).await?.len();
    assert_eq!(sent_private, 1 + 3 + 1, "only the valid messages arrived");
    Ok(())
}

// ----- forwards and copies ---------------------------------------------------------------

#[tokio::test]
async fn forwards_hide_users_who_hide_their_forwards() -> R {
    let world = World::start().await?;
    let alice = world
        .user_with(json!({ "first_name": "Alice", "last_name": "Hidden", "hides_forwards": true }))
        .await?;
    let bob = world
        .user_with(json!({ "first_name": "Bob", "username": "bob" }))
        .await?;
    let bot = world.bot("desk_bot").await?;
    alice.start(&bot).await?;
    bob.start(&bot).await?;
    let owner = world.user("Owner").await?;
    let forum = forum_with(&world, &owner, &bot).await?;
    let secret = alice.says(&bot, "secret").await?;
    let public = bob.says(&bot, "public").await?;

    let f = bot
        .call(
            "forwardMessage",
            json!({ "chat_id": forum.id, "from_chat_id": alice.id, "message_id": secret["message_id"] }),
        )
        .await?;
    assert_eq!(f["text"], "secret");
    assert_eq!(id(&f["from"]["id"]), bot.id);
    assert_eq!(id(&f["chat"]["id"]), forum.id);
    let origin = &f["forward_origin"];
    assert_eq!(origin["type"], "hidden_user", "{f:#}");
    assert_eq!(origin["sender_user_name"], "Alice Hidden");
    assert_eq!(origin["date"], secret["date"]);
    assert!(origin.get("sender_user").is_none());
    assert!(f.get("forward_from").is_none());
    let (fm, tm): Msg = both(&f);
    match fm.forward_origin.as_deref() {
        Some(frankenstein::types::MessageOrigin::HiddenUser(h)) => {
            assert_eq!(h.sender_user_name, "Alice Hidden");
        }
        other => panic!("frankenstein sees {other:?}"),
    }
    match tm.forward_origin {
        Some(tgbot::types::MessageOrigin::HiddenUser(h)) => {
            assert_eq!(h.sender_user_name, "Alice Hidden");
        }
        other => panic!("tgbot sees {other:?}"),
    }

    let f = bot
        .call(
            "forwardMessage",
            json!({ "chat_id": forum.id, "from_chat_id": bob.id, "message_id": public["message_id"] }),
        )
        .await?;
    assert_eq!(f["forward_origin"]["type"], "user");
    assert_eq!(id(&f["forward_origin"]["sender_user"]["id"]), bob.id);
    assert_eq!(f["forward_origin"]["sender_user"]["username"], "bob");
    let (fm, _): Msg = both(&f);
    assert!(matches!(
        fm.forward_origin.as_deref(),
        Some(frankenstein::types::MessageOrigin::User(_))
    ));

    // The forum sees both forwards.
    let seen = owner.sees(&forum).await?;
    let fwd: Vec<&Value> = seen
        .iter()
        .filter(|m| m.get("forward_origin").is_some())
        .collect();
    assert_eq!(fwd.len(), 2);
    assert_eq!(fwd[0]["forward_origin"]["type"], "hidden_user");

    assert_error(
        bot.call(
            "forwardMessage",
            json!({ "chat_id": forum.id, "from_chat_id": alice.id, "message_id": 99_999 }),
        )
        .await,
        400,
        "Bad Request: message to forward not found",
    );
    Ok(())
}

#[tokio::test]
async fn bots_cannot_copy_or_forward_from_chats_they_are_not_in() -> R {
    let world = World::start().await?;
    let (alice, bot) = customer(&world).await?;
    let carol = world.user("Carol").await?;
    let club = world.supergroup("Private club", &carol).await?;
    let m = carol.says(&club, "members only").await?;
    let other = world.bot("other_bot").await?;
    alice.start(&other).await?;
    let theirs = alice.says(&other, "for the other bot").await?;
    for (from, mid) in [
        (club.id, id(&m["message_id"])),
        (alice.id, 9_999),
        (-100_555, 1),
    ] {
        for method in ["copyMessage", "forwardMessage"] {
            assert_error(
                bot.call(
                    method,
                    json!({ "chat_id": alice.id, "from_chat_id": from, "message_id": mid }),
                )
                .await,
                400,
                if from == alice.id {
                    if method == "copyMessage" {
                        "Bad Request: message to copy not found"
                    } else {
                        "Bad Request: message to forward not found"
                    }
                } else {
                    "Bad Request: chat not found"
                },
            );
        }
    }
    // The private chat of another bot is not readable either: the id the bot passes is
    // Alice's, which names its own chat with her, where that message does not exist.
    let r = bot
        .call(
            "copyMessage",
            json!({ "chat_id": alice.id, "from_chat_id": alice.id, "message_id": theirs["message_id"] }),
        )
        .await;
    if let Ok(copied) = &r {
        let seen = alice.sees(&bot).await?;
        let copy = seen
            .iter()
            .find(|x| x["message_id"] == copied["message_id"])
            .expect("the copy");
        assert_ne!(copy["text"], "for the other bot", "read another bot's chat");
    }
    assert_bad_request(
        bot.call(
            "copyMessages",
            json!({ "chat_id": alice.id, "from_chat_id": club.id, "message_ids": [m["message_id"]] }),
        )
        .await,
        "Bad Request: chat not found",
    );
    // Once the bot is in the club, it can copy.
    club.add_admin(bot.id, Group::helpdesk_rights()).await?;
    let c = bot
        .call(
            "copyMessage",
            json!({ "chat_id": alice.id, "from_chat_id": club.id, "message_id": m["message_id"] }),
        )
        .await?;
    let seen = alice.waits_for(&bot, 2).await?;
    assert_eq!(id(&seen[1]["message_id"]), id(&c["message_id"]));
    assert_eq!(seen[1]["text"], "members only");
    Ok(())
}

#[tokio::test]
async fn copy_message_returns_only_the_id_and_can_replace_the_caption() -> R {
    let world = World::start().await?;
    let (alice, bot) = customer(&world).await?;
    let owner = world.user("Owner").await?;
    let forum = forum_with(&world, &owner, &bot).await?;
    let text = alice
        .send(
            &bot,
            json!({ "text": "bold move", "entities": [{ "type": "bold", "offset": 0, "length": 4 }] }),
        )
        .await?;
    let photo = alice
        .send(
            &bot,
            json!({ "media": { "type": "photo", "caption": "original caption" } }),
        )
        .await?;

    let c = bot
        .call(
            "copyMessage",
            json!({ "chat_id": forum.id, "from_chat_id": alice.id, "message_id": text["message_id"] }),
        )
        .await?;
    let keys: Vec<&String> = c.as_object().expect("object").keys().collect();
    assert_eq!(keys, ["message_id"], "copyMessage returns a MessageId");
    let (fm, tm): (frankenstein::types::MessageId, tgbot::types::MessageId) = both(&c);
    assert_eq!(i64::from(fm.message_id), id(&c["message_id"]));
    assert_eq!(tm.message_id, id(&c["message_id"]));

    let keep = bot
        .call(
            "copyMessage",
            json!({ "chat_id": forum.id, "from_chat_id": alice.id, "message_id": photo["message_id"] }),
        )
        .await?;
    let replace = bot
        .call(
            "copyMessage",
            json!({ "chat_id": forum.id, "from_chat_id": alice.id, "message_id": photo["message_id"],
                    "caption": "<b>new</b> caption", "parse_mode": "HTML" }),
        )
        .await?;
    let drop = bot
        .call(
            "copyMessage",
            json!({ "chat_id": forum.id, "from_chat_id": alice.id, "message_id": photo["message_id"],
                    "caption": "" }),
        )
        .await?;
    assert_error(
        bot.call(
            "copyMessage",
            json!({ "chat_id": forum.id, "from_chat_id": alice.id, "message_id": photo["message_id"],
                    "caption": "x".repeat(1025) }),
        )
        .await,
        400,
        "Bad Request: message caption is too long",
    );
    assert_error(
        bot.call(
            "copyMessage",
            json!({ "chat_id": forum.id, "from_chat_id": alice.id, "message_id": 99_999 }),
        )
        .await,
        400,
        "Bad Request: message to copy not found",
    );

    let seen = owner.sees(&forum).await?;
    let find = |c: &Value| -> Value {
        seen.iter()
            .find(|m| m["message_id"] == c["message_id"])
            .cloned()
            .unwrap_or_else(|| panic!("copy {c} not in {seen:#?}"))
    };
    let t = find(&c);
    assert_eq!(t["text"], "bold move");
    assert_eq!(t["entities"], text["entities"]);
    assert!(
        t.get("forward_origin").is_none(),
        "a copy has no link: {t:#}"
    );
    assert_eq!(id(&t["from"]["id"]), bot.id);
    let k = find(&keep);
    assert_eq!(k["caption"], "original caption");
    assert_eq!(
        unique_id_of(&k, "photo"),
        unique_id_of(&photo, "photo"),
        "the same file"
    );
    let r = find(&replace);
    assert_eq!(r["caption"], "new caption");
    assert_eq!(
        r["caption_entities"],
        json!([{ "type": "bold", "offset": 0, "length": 3 }])
    );
    let d = find(&drop);
    assert!(d.get("caption").is_none(), "{d:#}");
    assert!(d.get("photo").is_some());
    Ok(())
}

#[tokio::test]
async fn copy_messages_keeps_albums_together_and_skips_missing_ids() -> R {
    let world = World::start().await?;
    let (alice, bot) = customer(&world).await?;
    let owner = world.user("Owner").await?;
    let forum = forum_with(&world, &owner, &bot).await?;
    let album = alice
        .send_all(
            &bot,
            json!({ "album": [
                { "type": "photo", "caption": "first" },
                { "type": "video" },
                { "type": "photo" },
            ] }),
        )
        .await?;
    assert_eq!(album.len(), 3);
    let original_group = s(&album[0]["media_group_id"]);
    let note = alice.says(&bot, "and a note").await?;
    let mut ids: Vec<i64> = album.iter().map(|m| id(&m["message_id"])).collect();
    ids.push(id(&note["message_id"]));
    ids.push(id(&note["message_id"]) + 500); // never existed

    let copies = bot
        .call(
            "copyMessages",
            json!({ "chat_id": forum.id, "from_chat_id": alice.id, "message_ids": ids }),
        )
        .await?;
    let copies = copies.as_array().expect("MessageId list").clone();
    assert_eq!(copies.len(), 4, "the missing id is skipped: {copies:?}");
    let (f, t): (
        Vec<frankenstein::types::MessageId>,
        Vec<tgbot::types::MessageId>,
    ) = both(&Value::Array(copies.clone()));
    assert_eq!(f.len(), 4);
    assert_eq!(t.len(), 4);
    let seen = owner.sees(&forum).await?;
    let copied: Vec<Value> = copies
        .iter()
        .map(|c| {
            seen.iter()
                .find(|m| m["message_id"] == c["message_id"])
                .cloned()
                .expect("copied message")
        })
        .collect();
    let new_group = s(&copied[0]["media_group_id"]);
    assert_ne!(new_group, original_group, "a new album");
    for m in &copied[..3] {
        assert_eq!(m["media_group_id"], new_group.as_str(), "{m:#}");
        assert!(m.get("forward_origin").is_none());
    }
    assert!(copied[3].get("media_group_id").is_none());
    assert_eq!(copied[3]["text"], "and a note");
    assert_eq!(copied[0]["caption"], "first");
    assert!(copied[1].get("video").is_some());

    // remove_caption drops captions; a second copy is yet another album.
    let again = bot
        .call(
            "copyMessages",
            json!({ "chat_id": forum.id, "from_chat_id": alice.id,
                    "message_ids": &ids[..3], "remove_caption": true }),
        )
        .await?;
    let seen = owner.sees(&forum).await?;
    let first = seen
        .iter()
        .find(|m| m["message_id"] == again[0]["message_id"])
        .expect("copy");
    assert!(first.get("caption").is_none(), "{first:#}");
    assert_ne!(first["media_group_id"], new_group.as_str());
    assert!(first["media_group_id"].is_string());

    // forwardMessages keeps albums together as well, with the origin on each.
    let fwd = bot
        .call(
            "forwardMessages",
            json!({ "chat_id": forum.id, "from_chat_id": alice.id, "message_ids": &ids[..3] }),
        )
        .await?;
    let seen = owner.sees(&forum).await?;
    let fwd: Vec<&Value> = fwd
        .as_array()
        .expect("ids")
        .iter()
        .map(|c| {
            seen.iter()
                .find(|m| m["message_id"] == c["message_id"])
                .expect("forward")
        })
        .collect();
    assert_eq!(fwd.len(), 3);
    let g = &fwd[0]["media_group_id"];
    assert!(g.is_string());
    for m in &fwd {
        assert_eq!(&m["media_group_id"], g);
        assert_eq!(m["forward_origin"]["type"], "user");
        assert_eq!(id(&m["forward_origin"]["sender_user"]["id"]), alice.id);
    }
    Ok(())
}

#[tokio::test]
async fn message_id_lists_must_be_strictly_increasing_and_non_empty() -> R {
    let world = World::start().await?;
    let (alice, bot) = customer(&world).await?;
    let owner = world.user("Owner").await?;
    let forum = forum_with(&world, &owner, &bot).await?;
    let a = id(&alice.says(&bot, "a").await?["message_id"]);
    let b = id(&alice.says(&bot, "b").await?["message_id"]);
    for method in ["copyMessages", "forwardMessages"] {
        for ids in [
            json!([b, a]),
            json!([a, a]),
            json!([]),
            json!((1..=101).collect::<Vec<i64>>()),
        ] {
            assert_bad_request(
                bot.call(
                    method,
                    json!({ "chat_id": forum.id, "from_chat_id": alice.id, "message_ids": ids }),
                )
                .await,
                "Bad Request: ",
            );
        }
        // As JSON text in a form.
        let r = bot
            .call_form(
                method,
                &[
                    ("chat_id", &forum.id.to_string()),
                    ("from_chat_id", &alice.id.to_string()),
                    ("message_ids", &json!([a, b]).to_string()),
                ],
            )
            .await?;
        assert_eq!(r.as_array().map(Vec::len), Some(2), "{method}");
    }
    let seen = owner.sees(&forum).await?;
    assert_eq!(texts(&seen), ["a", "b", "a", "b"]);
    Ok(())
}

#[tokio::test]
async fn service_messages_cannot_be_copied_or_forwarded() -> R {
    let world = World::start().await?;
    let (alice, bot) = customer(&world).await?;
    let owner = world.user("Owner").await?;
    let forum = forum_with(&world, &owner, &bot).await?;
    let topic = bot
        .call(
            "createForumTopic",
            json!({ "chat_id": forum.id, "name": "Ticket" }),
        )
        .await?;
    let service = id(&topic["message_thread_id"]);
    assert_error(
        bot.call(
            "copyMessage",
            json!({ "chat_id": alice.id, "from_chat_id": forum.id, "message_id": service }),
        )
        .await,
        400,
        "Bad Request: message can't be copied",
    );
    assert_error(
        bot.call(
            "forwardMessage",
            json!({ "chat_id": alice.id, "from_chat_id": forum.id, "message_id": service }),
        )
        .await,
        400,
        "Bad Request: message can't be forwarded",
    );
    // In a batch it is skipped; a batch of nothing else fails.
    assert_bad_request(
        bot.call(
            "copyMessages",
            json!({ "chat_id": alice.id, "from_chat_id": forum.id, "message_ids": [service] }),
        )
        .await,
        "Bad Request: ",
    );
    let m = owner.says_in(&forum, service, "inside the topic").await?;
    let r = bot
        .call(
            "copyMessages",
            json!({ "chat_id": alice.id, "from_chat_id": forum.id,
                    "message_ids": [service, m["message_id"]] }),
        )
        .await?;
    assert_eq!(r.as_array().map(Vec::len), Some(1));
    let seen = alice.waits_for(&bot, 2).await?;
    assert_eq!(seen[1]["text"], "inside the topic");
    assert!(seen[1].get("forum_topic_created").is_none());
    Ok(())
}

// ----- client libraries ------------------------------------------------------------------

#[tokio::test]
async fn client_libraries_parse_results_and_updates() -> R {
    let world = World::start().await?;
    let (alice, bot) = customer(&world).await?;

    let me = bot.call("getMe", json!({})).await?;
    let (f, t): (frankenstein::types::User, tgbot::types::Bot) = both(&me);
    assert_eq!(f.id, u64::try_from(bot.id)?);
    assert!(f.is_bot);
    assert_eq!(f.username.as_deref(), Some("wire_bot"));
    assert_eq!(f.can_join_groups, Some(true));
    assert_eq!(t.id, bot.id);
    assert_eq!(t.username, "wire_bot");
    assert!(t.can_join_groups);

    let m = bot
        .call(
            "sendMessage",
            json!({ "chat_id": alice.id, "text": "<b>Hi</b> 👋", "parse_mode": "HTML",
                    "reply_markup": { "inline_keyboard": [[{ "text": "Close", "callback_data": "close" }]] } }),
        )
        .await?;
    let (f, t): Msg = both(&m);
    assert_eq!(f.text.as_deref(), Some("Hi 👋"));
    assert_eq!(i64::from(f.message_id), id(&m["message_id"]));
    assert_eq!(f.chat.id, alice.id);
    assert_eq!(f.from.as_ref().map(|u| u.is_bot), Some(true));
    assert!(f.reply_markup.is_some());
    assert_eq!(t.id, id(&m["message_id"]));
    assert_eq!(t.chat.get_id(), alice.id);
    assert_eq!(
        t.sender.get_user().map(|u| u.id),
        Some(tgbot::types::UserPeerId::from(bot.id))
    );
    assert!(t.reply_markup.is_some());

    let p = upload(
        &bot,
        "sendPhoto",
        "photo",
        alice.id,
        file(blob(900, 3), "p.jpg", "image/jpeg"),
        &[("caption", "A photo")],
    )
    .await?;
    let (f, t): Msg = both(&p);
    let sizes = f.photo.expect("photo sizes");
    assert_eq!(
        sizes.last().map(|s| s.file_unique_id.clone()),
        Some(unique_id_of(&p, "photo"))
    );
    assert_eq!(f.caption.as_deref(), Some("A photo"));
    match t.data {
        tgbot::types::MessageData::Photo(ph) => {
            assert_eq!(ph.data.len(), sizes.len());
            assert_eq!(ph.caption.map(|c| c.data).as_deref(), Some("A photo"));
        }
        other => panic!("tgbot sees {other:?}"),
    }

    let a = upload(
        &bot,
        "sendAnimation",
        "animation",
        alice.id,
        file(blob(900, 4), "a.mp4", "video/mp4"),
        &[],
    )
    .await?;
    let (f, t): Msg = both(&a);
    assert!(f.animation.is_some() && f.document.is_some());
    // An animation is also a document (documented); tgbot then falls back to Document.
    let uid = s(&a["animation"]["file_unique_id"]);
    match t.data {
        tgbot::types::MessageData::Animation(x) => assert_eq!(x.file_unique_id, uid),
        tgbot::types::MessageData::Document(x) => assert_eq!(x.data.file_unique_id, uid),
        other => panic!("tgbot sees {other:?}"),
    }
    let d = upload(
        &bot,
        "sendDocument",
        "document",
        alice.id,
        file(blob(900, 5), "d.txt", "text/plain"),
        &[("caption", "doc")],
    )
    .await?;
    let (f, t): Msg = both(&d);
    assert_eq!(
        f.document.and_then(|d| d.file_name).as_deref(),
        Some("d.txt")
    );
    assert!(matches!(t.data, tgbot::types::MessageData::Document(_)));

    let f = bot
        .call("getFile", json!({ "file_id": d["document"]["file_id"] }))
        .await?;
    let (ff, tf): (frankenstein::types::File, tgbot::types::File) = both(&f);
    assert_eq!(ff.file_unique_id, s(&d["document"]["file_unique_id"]));
    assert_eq!(tf.file_size, Some(900));

    // Updates: text, photo, album, forwarded and replied messages from the customer.
    bot.updates().await?;
    let mine = alice.says(&bot, "plain text").await?;
    alice
        .send(
            &bot,
            json!({ "media": { "type": "photo", "caption": "photo caption" } }),
        )
        .await?;
    alice
        .send_all(
            &bot,
            json!({ "album": [{ "type": "photo" }, { "type": "video" }] }),
        )
        .await?;
    alice
        .send(
            &bot,
            json!({ "text": "re", "reply_to": mine["message_id"] }),
        )
        .await?;
    alice
        .send(
            &bot,
            json!({ "media": { "type": "document", "file_name": "invoice.pdf" } }),
        )
        .await?;
    let ups = bot.poll(5).await?;
    assert_eq!(ups.len(), 6, "{ups:#?}");
    for u in &ups {
        let (f, t): (frankenstein::updates::Update, tgbot::types::Update) = both(u);
        assert_eq!(i64::from(f.update_id), id(&u["update_id"]));
        assert_eq!(t.id, id(&u["update_id"]));
        let frankenstein::updates::UpdateContent::Message(fm) = f.content else {
            panic!("frankenstein sees {:?}", f.content);
        };
        let tgbot::types::UpdateType::Message(tm) = t.update_type else {
            panic!("tgbot sees {:?}", t.update_type);
        };
        assert_eq!(i64::from(fm.message_id), id(&u["message"]["message_id"]));
        assert_eq!(tm.id, id(&u["message"]["message_id"]));
        assert_eq!(fm.chat.id, alice.id);
        assert_eq!(tm.chat.get_id(), alice.id);
    }
    assert_eq!(ups[0]["message"]["text"], "plain text");
    assert_eq!(ups[1]["message"]["caption"], "photo caption");
    assert_eq!(
        ups[2]["message"]["media_group_id"],
        ups[3]["message"]["media_group_id"]
    );
    assert_eq!(
        id(&ups[4]["message"]["reply_to_message"]["message_id"]),
        id(&mine["message_id"])
    );
    assert_eq!(ups[5]["message"]["document"]["file_name"], "invoice.pdf");

    // copyMessage and sendMediaGroup results.
    let c = bot
        .call(
            "copyMessage",
            json!({ "chat_id": alice.id, "from_chat_id": alice.id, "message_id": mine["message_id"] }),
        )
        .await?;
    let (fc, tc): (frankenstein::types::MessageId, tgbot::types::MessageId) = both(&c);
    assert_eq!(i64::from(fc.message_id), tc.message_id);
    let album = bot
        .call(
            "sendMediaGroup",
            json!({ "chat_id": alice.id, "media": [
                { "type": "photo", "media": file_id_of(&p, "photo"), "caption": "one" },
                { "type": "photo", "media": file_id_of(&p, "photo") },
            ] }),
        )
        .await?;
    let (fa, ta): (
        Vec<frankenstein::types::Message>,
        Vec<tgbot::types::Message>,
    ) = both(&album);
    assert_eq!(fa.len(), 2);
    assert_eq!(fa[0].media_group_id, ta[1].media_group_id);
    Ok(())
}
