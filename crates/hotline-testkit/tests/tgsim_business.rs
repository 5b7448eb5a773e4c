//! tgsim's Telegram Business through its real HTTP interface: a Premium user connects a bot
//! with Business Mode, chooses recipients and rights; the bot hears the account's private
//! chats (`business_message`, `edited_business_message`, `deleted_business_messages`) and
//! answers as the account with `business_connection_id`, within its rights and the 24-hour
//! window. Expectations follow the Bot API documentation (BusinessConnection,
//! BusinessBotRights, getBusinessConnection, deleteBusinessMessages) and the MTProto error
//! pages (account.updateConnectedBot, messages.sendMessage); every business update also
//! parses in `frankenstein` and `tgbot`.

use hotline_testkit::check::assert_error;
use hotline_testkit::{Bot, Person, World};
use serde_json::{Value, json};

type R = anyhow::Result<()>;

/// Recipients: every private chat.
fn everyone() -> Value {
    json!({ "existing_chats": true, "new_chats": true, "contacts": true, "non_contacts": true })
}

/// The kind of an update: its one field besides `update_id`.
fn kind(u: &Value) -> &str {
    u.as_object()
        .and_then(|o| o.keys().find(|k| *k != "update_id"))
        .map_or("", String::as_str)
}

fn of_kind<'a>(updates: &'a [Value], k: &str) -> Vec<&'a Value> {
    updates
        .iter()
        .filter(|u| kind(u) == k)
        .map(|u| &u[k])
        .collect()
}

struct Shop {
    world: World,
    owner: Person,
    bot: Bot,
    customer: Person,
}

/// A Premium owner, a bot with Business Mode, and a customer.
async fn shop() -> anyhow::Result<Shop> {
    let world = World::start().await?;
    let owner = world
        .user_with(json!({ "first_name": "Olga", "username": "olga_shop", "is_premium": true }))
        .await?;
    let bot = world
        .bot_with(json!({ "username": "olga_helper_bot", "business": true }))
        .await?;
    let customer = world.user("Carl").await?;
    Ok(Shop {
        world,
        owner,
        bot,
        customer,
    })
}

async fn connection_id(s: &Shop, rights: &[&str]) -> anyhow::Result<String> {
    let c = s
        .owner
        .connects_business(&s.bot, everyone(), rights)
        .await?;
    Ok(c["id"].as_str().unwrap_or_default().to_string())
}

#[tokio::test]
async fn only_a_premium_account_connects_a_business_bot() -> R {
    let s = shop().await?;
    assert_eq!(
        s.bot.call("getMe", json!({})).await?["can_connect_to_business"],
        true
    );
    let plain = s.world.bot("plain_bot").await?;
    assert_eq!(
        plain.call("getMe", json!({})).await?["can_connect_to_business"],
        false
    );
    let free = s.world.user("Fred").await?;
    let e = free
        .connects_business(&s.bot, everyone(), &["can_reply"])
        .await;
    assert!(
        format!("{:?}", e.err()).contains("PREMIUM_ACCOUNT_REQUIRED"),
        "a non-Premium user is refused"
    );
    let e = s
        .owner
        .connects_business(&plain, everyone(), &["can_reply"])
        .await;
    assert!(format!("{:?}", e.err()).contains("BOT_BUSINESS_MISSING"));
    let e = s
        .owner
        .connects_business(&s.bot, json!({}), &["can_reply"])
        .await;
    assert!(format!("{:?}", e.err()).contains("BUSINESS_RECIPIENTS_EMPTY"));
    assert!(s.bot.updates().await?.is_empty(), "nothing reached the bot");

    let c = s
        .owner
        .connects_business(
            &s.bot,
            everyone(),
            &["can_reply", "can_delete_sent_messages"],
        )
        .await?;
    let ups = s.bot.updates().await?;
    let got = of_kind(&ups, "business_connection");
    assert_eq!(got.len(), 1, "{ups:#?}");
    let bc = got[0];
    assert_eq!(bc["id"], c["id"]);
    assert_eq!(bc["user"]["id"], s.owner.id);
    assert_eq!(bc["user_chat_id"], s.owner.id);
    assert_eq!(bc["is_enabled"], true);
    assert_eq!(
        bc["rights"],
        json!({ "can_reply": true, "can_delete_sent_messages": true }),
        "only granted rights are listed"
    );
    let again = s
        .bot
        .call(
            "getBusinessConnection",
            json!({ "business_connection_id": c["id"] }),
        )
        .await?;
    assert_eq!(&again, bc);
    assert_error(
        s.bot
            .call(
                "getBusinessConnection",
                json!({ "business_connection_id": "nope" }),
            )
            .await,
        400,
        "Bad Request: BUSINESS_CONNECTION_INVALID",
    );
    // Another bot cannot read this bot's connection.
    assert_error(
        plain
            .call(
                "getBusinessConnection",
                json!({ "business_connection_id": c["id"] }),
            )
            .await,
        400,
        "Bad Request: BUSINESS_CONNECTION_INVALID",
    );
    Ok(())
}

#[tokio::test]
async fn the_bot_hears_both_sides_of_the_accounts_chats_and_answers_as_the_account() -> R {
    let s = shop().await?;
    let conn = connection_id(&s, &["can_reply"]).await?;
    s.bot.updates().await?;

    let m = s.customer.says(&s.owner, "Do you ship to Lisbon?").await?;
    let ups = s.bot.updates().await?;
    let msgs = of_kind(&ups, "business_message");
    assert_eq!(msgs.len(), 1, "{ups:#?}");
    let bm = msgs[0];
    assert_eq!(bm["business_connection_id"], conn.as_str());
    assert_eq!(bm["chat"]["id"], s.customer.id, "named after the customer");
    assert_eq!(bm["chat"]["type"], "private");
    assert_eq!(bm["chat"]["first_name"], "Carl");
    assert_eq!(bm["from"]["id"], s.customer.id);
    assert_eq!(bm["message_id"], m["message_id"]);
    assert_eq!(bm["text"], "Do you ship to Lisbon?");

    // The owner answers from their own app: the bot hears that too.
    s.owner.says(&s.customer, "Yes, in three days.").await?;
    let ups = s.bot.updates().await?;
    let own = of_kind(&ups, "business_message");
    assert_eq!(own.len(), 1);
    assert_eq!(own[0]["from"]["id"], s.owner.id);
    assert_eq!(own[0]["chat"]["id"], s.customer.id);

    // The bot answers as the account.
    let sent = s
        .bot
        .call(
            "sendMessage",
            json!({ "business_connection_id": conn, "chat_id": s.customer.id, "text": "Order #12 is on its way" }),
        )
        .await?;
    assert_eq!(sent["from"]["id"], s.owner.id, "sent as the account");
    assert_eq!(sent["sender_business_bot"]["id"], s.bot.id);
    assert_eq!(sent["business_connection_id"], conn.as_str());
    assert_eq!(sent["chat"]["id"], s.customer.id);
    let seen = s.customer.last_seen(&s.owner).await?;
    assert_eq!(seen["text"], "Order #12 is on its way");
    assert_eq!(
        seen["from"]["id"], s.owner.id,
        "the customer sees the owner"
    );
    assert!(
        of_kind(&s.bot.updates().await?, "business_message").is_empty(),
        "no update about what the bot sent itself"
    );

    // Without the connection id the customer is the bot's own chat: a different chat.
    assert_error(
        s.bot
            .call(
                "sendMessage",
                json!({ "chat_id": s.customer.id, "text": "hi" }),
            )
            .await,
        400,
        "Bad Request: chat not found",
    );
    // Copying needs read access to the source chat, which a business chat never gives.
    let copied = s
        .bot
        .call(
            "copyMessage",
            json!({ "chat_id": s.owner.id, "from_chat_id": s.customer.id, "message_id": m["message_id"] }),
        )
        .await;
    assert!(
        copied.is_err(),
        "a business message cannot be copied: {copied:?}"
    );

    // Edits and deletions come through.
    s.customer
        .edits(
            &s.owner,
            m["message_id"].as_i64().unwrap_or(0),
            "Do you ship to Porto?",
        )
        .await?;
    s.customer
        .deletes(&s.owner, &[m["message_id"].as_i64().unwrap_or(0)])
        .await?;
    let ups = s.bot.updates().await?;
    let edited = of_kind(&ups, "edited_business_message");
    assert_eq!(edited.len(), 1, "{ups:#?}");
    assert_eq!(edited[0]["text"], "Do you ship to Porto?");
    assert_eq!(edited[0]["business_connection_id"], conn.as_str());
    let deleted = of_kind(&ups, "deleted_business_messages");
    assert_eq!(deleted.len(), 1, "{ups:#?}");
    assert_eq!(deleted[0]["business_connection_id"], conn.as_str());
    assert_eq!(deleted[0]["chat"]["id"], s.customer.id);
    assert_eq!(deleted[0]["message_ids"], json!([m["message_id"]]));
    Ok(())
}

#[tokio::test]
async fn answers_obey_the_rights_and_the_24_hour_window() -> R {
    let s = shop().await?;
    let conn = connection_id(&s, &[]).await?;
    s.customer.says(&s.owner, "Hello?").await?;
    let send = |text: &str| {
        s.bot.call(
            "sendMessage",
            json!({ "business_connection_id": conn, "chat_id": s.customer.id, "text": text }),
        )
    };
    assert_error(send("hi").await, 403, "Forbidden: BOT_ACCESS_FORBIDDEN");

    // Rights changed: same connection, told again.
    let c = s
        .owner
        .connects_business(&s.bot, everyone(), &["can_reply"])
        .await?;
    assert_eq!(c["id"], conn.as_str(), "a change keeps the connection id");
    let ups = s.bot.updates().await?;
    let changes = of_kind(&ups, "business_connection");
    assert_eq!(
        changes.last().map(|c| c["rights"].clone()),
        Some(json!({ "can_reply": true }))
    );
    let sent = send("Hi Carl").await?;

    // Someone who never wrote: nothing to answer.
    let stranger = s.world.user("Stan").await?;
    assert_error(
        s.bot
            .call(
                "sendMessage",
                json!({ "business_connection_id": conn, "chat_id": stranger.id, "text": "hi" }),
            )
            .await,
        400,
        "Bad Request: BUSINESS_PEER_USAGE_MISSING",
    );

    // Editing what the bot sent works; a customer's message is not the bot's to edit.
    let edited = s
        .bot
        .call(
            "editMessageText",
            json!({ "business_connection_id": conn, "chat_id": s.customer.id,
                    "message_id": sent["message_id"], "text": "Hi Carl!" }),
        )
        .await?;
    assert_eq!(edited["text"], "Hi Carl!");
    assert_eq!(s.customer.last_seen(&s.owner).await?["text"], "Hi Carl!");

    // Deleting needs a delete right.
    let del = json!({ "business_connection_id": conn, "message_ids": [sent["message_id"]] });
    assert_error(
        s.bot.call("deleteBusinessMessages", del.clone()).await,
        403,
        "Forbidden: BOT_ACCESS_FORBIDDEN",
    );
    s.owner
        .connects_business(
            &s.bot,
            everyone(),
            &["can_reply", "can_delete_sent_messages"],
        )
        .await?;
    assert_eq!(s.bot.call("deleteBusinessMessages", del).await?, true);
    assert_ne!(
        s.customer.last_seen(&s.owner).await?["message_id"],
        sent["message_id"],
        "gone for the customer"
    );

    // A day later without a word from the customer, the window is shut.
    s.world.advance_hours(25).await?;
    assert_error(
        send("Still there?").await,
        400,
        "Bad Request: BUSINESS_PEER_USAGE_MISSING",
    );
    s.customer.says(&s.owner, "Back!").await?;
    send("Welcome back").await?;
    Ok(())
}

#[tokio::test]
async fn recipients_decide_which_chats_the_bot_works_in() -> R {
    let s = shop().await?;
    let old_friend = s.world.user("Olivia").await?;
    let contact = s.world.user("Connie").await?;
    let newcomer = s.world.user("Nick").await?;
    let excluded = s.world.user("Eve").await?;
    old_friend.says(&s.owner, "hi from before").await?;
    s.owner.adds_contact(&contact).await?;

    // Existing chats plus contacts, but never Eve.
    s.owner
        .connects_business(
            &s.bot,
            json!({ "existing_chats": true, "contacts": true, "exclude_users": [excluded.id] }),
            &["can_reply"],
        )
        .await?;
    s.owner.adds_contact(&excluded).await?;
    s.bot.updates().await?;
    old_friend.says(&s.owner, "still here").await?;
    contact.says(&s.owner, "a contact").await?;
    newcomer.says(&s.owner, "new here").await?;
    excluded.says(&s.owner, "excluded").await?;
    let ups = s.bot.updates().await?;
    let heard: Vec<&str> = of_kind(&ups, "business_message")
        .iter()
        .filter_map(|m| m["text"].as_str())
        .collect();
    assert_eq!(heard, ["still here", "a contact"], "{ups:#?}");
    let conn = s
        .owner
        .connects_business(
            &s.bot,
            json!({ "existing_chats": true, "contacts": true, "exclude_users": [excluded.id] }),
            &["can_reply"],
        )
        .await?;
    assert_error(
        s.bot
            .call(
                "sendMessage",
                json!({ "business_connection_id": conn["id"], "chat_id": newcomer.id, "text": "hi" }),
            )
            .await,
        400,
        "Bad Request: BUSINESS_PEER_INVALID",
    );

    // An include list alone.
    s.owner
        .connects_business(&s.bot, json!({ "users": [newcomer.id] }), &["can_reply"])
        .await?;
    s.bot.updates().await?;
    newcomer.says(&s.owner, "included now").await?;
    old_friend.says(&s.owner, "not any more").await?;
    let ups = s.bot.updates().await?;
    let heard: Vec<&str> = of_kind(&ups, "business_message")
        .iter()
        .filter_map(|m| m["text"].as_str())
        .collect();
    assert_eq!(heard, ["included now"]);
    Ok(())
}

#[tokio::test]
async fn a_disconnect_ends_the_connection_and_a_reconnect_gets_a_new_id() -> R {
    let s = shop().await?;
    let conn = connection_id(&s, &["can_reply"]).await?;
    s.customer.says(&s.owner, "hi").await?;
    s.owner.disconnects_business().await?;
    let ups = s.bot.updates().await?;
    let last = of_kind(&ups, "business_connection");
    assert_eq!(
        last.last().map(|c| c["is_enabled"].clone()),
        Some(json!(false))
    );
    assert_error(
        s.bot
            .call(
                "sendMessage",
                json!({ "business_connection_id": conn, "chat_id": s.customer.id, "text": "hi" }),
            )
            .await,
        400,
        "Bad Request: BUSINESS_CONNECTION_INVALID",
    );
    // The bot may still read what the connection was.
    let old = s
        .bot
        .call(
            "getBusinessConnection",
            json!({ "business_connection_id": conn }),
        )
        .await?;
    assert_eq!(old["is_enabled"], false);
    s.customer.says(&s.owner, "anyone?").await?;
    assert!(
        of_kind(&s.bot.updates().await?, "business_message").is_empty(),
        "a disconnected bot hears nothing"
    );
    let again = connection_id(&s, &["can_reply"]).await?;
    assert_ne!(again, conn);

    // Connecting another bot replaces this one, which is told.
    let other = s
        .world
        .bot_with(json!({ "username": "other_helper_bot", "business": true }))
        .await?;
    s.bot.updates().await?;
    s.owner
        .connects_business(&other, everyone(), &["can_reply"])
        .await?;
    let ups = s.bot.updates().await?;
    let ended = of_kind(&ups, "business_connection");
    assert_eq!(ended.len(), 1);
    assert_eq!(ended[0]["id"], again.as_str());
    assert_eq!(ended[0]["is_enabled"], false);
    Ok(())
}

#[tokio::test]
async fn business_updates_parse_in_frankenstein_and_tgbot() -> R {
    use frankenstein::updates::UpdateContent as F;
    use tgbot::types::UpdateType as T;

    let s = shop().await?;
    connection_id(&s, &["can_reply", "can_delete_all_messages"]).await?;
    let m = s.customer.says(&s.owner, "parse me").await?;
    let id = m["message_id"].as_i64().unwrap_or(0);
    s.customer.edits(&s.owner, id, "parse me, edited").await?;
    s.customer.deletes(&s.owner, &[id]).await?;
    let ups = s.bot.updates().await?;
    let kinds: Vec<&str> = ups.iter().map(kind).collect();
    assert_eq!(
        kinds,
        [
            "business_connection",
            "business_message",
            "edited_business_message",
            "deleted_business_messages"
        ]
    );
    for u in &ups {
        let f: frankenstein::updates::Update = serde_json::from_value(u.clone())
            .unwrap_or_else(|e| panic!("frankenstein: {e}\n{u:#}"));
        let t: tgbot::types::Update =
            serde_json::from_value(u.clone()).unwrap_or_else(|e| panic!("tgbot: {e}\n{u:#}"));
        match (kind(u), f.content, t.update_type) {
            ("business_connection", F::BusinessConnection(fc), T::BusinessConnection(tc)) => {
                assert_eq!(fc.user.id, u64::try_from(s.owner.id)?);
                assert_eq!(tc.user_chat_id, s.owner.id);
                assert!(fc.is_enabled && tc.is_enabled);
                assert_eq!(fc.rights.and_then(|r| r.can_reply), Some(true));
            }
            ("business_message", F::BusinessMessage(fm), T::BusinessMessage(tm))
            | (
                "edited_business_message",
                F::EditedBusinessMessage(fm),
                T::EditedBusinessMessage(tm),
            ) => {
                assert_eq!(i64::from(fm.message_id), id);
                assert_eq!(tm.id, id);
                assert!(fm.business_connection_id.is_some());
                assert!(tm.business_connection_id.is_some());
            }
            (
                "deleted_business_messages",
                F::DeletedBusinessMessages(fd),
                T::DeletedBusinessMessages(td),
            ) => {
                assert_eq!(fd.message_ids, [i32::try_from(id)?]);
                assert_eq!(td.message_ids, [id]);
            }
            (k, f, t) => panic!("{k} read as {f:?} / {t:?}"),
        }
    }
    // The methods' answers parse too: getBusinessConnection's BusinessConnection and a
    // message sent on behalf of the account.
    let conn = of_kind(&ups, "business_connection")[0]["id"].clone();
    let bc = s
        .bot
        .call(
            "getBusinessConnection",
            json!({ "business_connection_id": conn }),
        )
        .await?;
    let fc: frankenstein::types::BusinessConnection = serde_json::from_value(bc.clone())?;
    let tc: tgbot::types::BusinessConnection = serde_json::from_value(bc)?;
    assert_eq!(fc.id, tc.id);
    s.customer.says(&s.owner, "answer me").await?;
    let sent = s
        .bot
        .call(
            "sendMessage",
            json!({ "business_connection_id": conn, "chat_id": s.customer.id, "text": "answered" }),
        )
        .await?;
    let fm: frankenstein::types::Message = serde_json::from_value(sent.clone())?;
    let tm: tgbot::types::Message = serde_json::from_value(sent)?;
    assert_eq!(
        fm.sender_business_bot.map(|u| u.id),
        Some(u64::try_from(s.bot.id)?)
    );
    assert_eq!(
        tm.sender_business_bot.map(|u| i64::from(u.id)),
        Some(s.bot.id)
    );
    assert_eq!(fm.business_connection_id.as_deref(), conn.as_str());
    Ok(())
}

/// What a helpdesk on a business connection needs: a customer's photo, received as a
/// business message, can be sent on by the bot into its forum with the bot's own file id
/// (a copy cannot read the business chat), and an operator's album goes back to the
/// customer with `sendMediaGroup` and `business_connection_id`, as the account.
#[tokio::test]
async fn media_travel_both_ways_through_the_bots_own_file_ids() -> R {
    let s = shop().await?;
    let conn = connection_id(&s, &["can_reply"]).await?;
    let forum = s.world.forum("Olga's desk", &s.owner).await?;
    s.owner
        .adds_bot(
            &forum,
            &s.bot,
            Some(hotline_testkit::Group::helpdesk_rights()),
        )
        .await?;
    s.bot.updates().await?;
    s.customer
        .send(
            &s.owner,
            json!({ "media": { "type": "photo", "caption": "this one" } }),
        )
        .await?;
    let ups = s.bot.updates().await?;
    let photo = of_kind(&ups, "business_message")
        .first()
        .and_then(|m| m["photo"].as_array().and_then(|p| p.last()).cloned())
        .expect("the photo reached the bot");
    let file_id = photo["file_id"].as_str().unwrap_or_default().to_string();
    let topic = forum.create_topic("Carl").await?;
    let posted = s
        .bot
        .call(
            "sendPhoto",
            json!({ "chat_id": forum.id, "message_thread_id": topic, "photo": file_id, "caption": "this one" }),
        )
        .await?;
    assert_eq!(posted["caption"], "this one");

    let group_photo = posted["photo"][0]["file_id"].clone();
    let album = s
        .bot
        .call(
            "sendMediaGroup",
            json!({ "business_connection_id": conn, "chat_id": s.customer.id, "media": [
                { "type": "photo", "media": group_photo, "caption": "both colours" },
                { "type": "photo", "media": file_id },
            ] }),
        )
        .await?;
    let items = album.as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 2);
    assert!(items.iter().all(|m| m["from"]["id"] == s.owner.id
        && m["sender_business_bot"]["id"] == s.bot.id
        && m["media_group_id"] == items[0]["media_group_id"]));
    let seen = s.customer.sees(&s.owner).await?;
    assert_eq!(
        seen.len(),
        3,
        "the customer's photo and the album: {seen:#?}"
    );
    assert_eq!(seen[1]["caption"], "both colours");
    Ok(())
}

/// Hotline's Bot API adapter on a business connection, against tgsim: the connection reads
/// back with its owner and rights, a kept message goes to the customer on behalf of the
/// account, and each refusal maps to what Hotline does about it.
#[tokio::test]
async fn the_adapter_answers_as_the_account_and_names_each_refusal() -> R {
    use hotline_telegram::business::{Link, get_connection};
    use hotline_telegram::{BotApi, TgError, resend};

    let s = shop().await?;
    let conn = connection_id(&s, &[]).await?;
    let api = BotApi::new(s.world.http().clone(), s.world.base_url(), &s.bot.token);
    let link = Link::from_json(&api.send(&get_connection(&conn)).await?).expect("a connection");
    assert_eq!(link.owner.0, s.owner.id);
    assert_eq!(link.owner_name, "Olga");
    assert!(link.enabled && !link.rights.reply);

    s.customer
        .send(
            &s.owner,
            json!({ "media": { "type": "photo", "caption": "like this" } }),
        )
        .await?;
    let ups = s.bot.updates().await?;
    let incoming = of_kind(&ups, "business_message")[0].clone();
    let kept = resend::keep(&incoming).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let customer = hotline_core::ChatId(s.customer.id);
    let calls = resend::calls(std::slice::from_ref(&kept), customer);
    let call = calls[0]
        .clone()
        .on_behalf(&conn)
        .expect("sendPhoto takes it");
    assert_eq!(
        api.send(&call).await.err(),
        Some(TgError::BusinessRightMissing),
        "no can_reply yet"
    );
    s.owner
        .connects_business(&s.bot, everyone(), &["can_reply"])
        .await?;
    let sent = api.send(&call).await?;
    assert_eq!(sent["from"]["id"], s.owner.id);
    assert_eq!(
        s.customer.last_seen(&s.owner).await?["caption"],
        "like this"
    );

    s.world.advance_hours(25).await?;
    assert_eq!(
        api.send(&call).await.err(),
        Some(TgError::ReplyWindowClosed)
    );
    s.owner.disconnects_business().await?;
    assert_eq!(
        api.send(&call).await.err(),
        Some(TgError::BusinessConnectionInvalid)
    );
    Ok(())
}
