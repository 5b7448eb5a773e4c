//! tgsim through its real HTTP interface: forum topics, edits and deletes, chats and members,
//! situational errors, the people-side flows (chat picker, deep links) and bot settings.
//!
//! Every expectation here follows the official Bot API documentation; results that a client
//! library would parse are also run through `frankenstein` and `tgbot` types.

use hotline_testkit::check::{assert_bad_request, assert_error, both, id, refused};
use hotline_testkit::{Bot, Group, Person, World};
use serde_json::{Value, json};

type R = anyhow::Result<()>;

// ----- helpers ---------------------------------------------------------------------------

/// Messages carrying a given (service) field.
fn with_key<'a>(msgs: &'a [Value], key: &str) -> Vec<&'a Value> {
    msgs.iter().filter(|m| m.get(key).is_some()).collect()
}

fn texts(msgs: &[Value]) -> Vec<String> {
    msgs.iter()
        .filter_map(|m| m["text"].as_str().map(str::to_string))
        .collect()
}

fn ids(msgs: &[Value]) -> Vec<i64> {
    msgs.iter().map(|m| id(&m["message_id"])).collect()
}

/// Updates of one kind, in order.
fn of_kind(updates: &[Value], kind: &str) -> Vec<Value> {
    updates
        .iter()
        .filter_map(|u| u.get(kind).cloned())
        .collect()
}

/// Alice's forum with a helpdesk bot that holds `Group::helpdesk_rights()`.
async fn helpdesk(world: &World) -> anyhow::Result<(Person, Bot, Group)> {
    let alice = world.user("Alice").await?;
    let bot = world.bot("desk_bot").await?;
    let forum = world.forum("Support", &alice).await?;
    forum.add_admin(bot.id, Group::helpdesk_rights()).await?;
    Ok((alice, bot, forum))
}

async fn create_topic(bot: &Bot, forum: &Group, name: &str) -> anyhow::Result<i64> {
    let t = bot
        .call(
            "createForumTopic",
            json!({ "chat_id": forum.id, "name": name }),
        )
        .await?;
    Ok(id(&t["message_thread_id"]))
}

fn full_rights(on: &[&str]) -> Value {
    let mut r = json!({
        "is_anonymous": false, "can_manage_chat": false, "can_delete_messages": false,
        "can_manage_video_chats": false, "can_restrict_members": false,
        "can_promote_members": false, "can_change_info": false, "can_invite_users": false,
        "can_post_stories": false, "can_edit_stories": false, "can_delete_stories": false,
        "can_pin_messages": false, "can_manage_topics": false
    });
    for k in on {
        r[*k] = json!(true);
    }
    r
}

// ----- forum topics ----------------------------------------------------------------------

#[tokio::test]
async fn topic_id_is_its_creation_message_and_topic_messages_point_at_it() -> R {
    let world = World::start().await?;
    let (_alice, bot, forum) = helpdesk(&world).await?;
    let bob = world.user("Bob").await?;
    forum.add_member(&bob).await?;

    let topic = bot
        .call(
            "createForumTopic",
            json!({ "chat_id": forum.id, "name": "Ticket #1", "icon_color": 0xFFD67E }),
        )
        .await?;
    let thread = id(&topic["message_thread_id"]);
    assert_eq!(topic["name"], "Ticket #1");
    assert_eq!(topic["icon_color"], 0xFFD67E);
    let (f, t): (frankenstein::types::ForumTopic, tgbot::types::ForumTopic) = both(&topic);
    assert_eq!(i64::from(f.message_thread_id), thread);
    assert_eq!(f.name, "Ticket #1");
    assert_eq!(f.icon_color, 0xFFD67E);
    assert_eq!(t.message_thread_id, thread);
    assert_eq!(tgbot::types::Integer::from(t.icon_color), 0xFFD67E);

    // What the members see: the service message whose id is the topic's id.
    let seen = bob.sees(&forum).await?;
    let created = with_key(&seen, "forum_topic_created");
    assert_eq!(created.len(), 1, "{seen:#?}");
    let c = created[0];
    assert_eq!(id(&c["message_id"]), thread);
    assert_eq!(id(&c["message_thread_id"]), thread);
    assert_eq!(c["is_topic_message"], true);
    assert_eq!(id(&c["from"]["id"]), bot.id);
    assert_eq!(
        c["forum_topic_created"],
        json!({ "name": "Ticket #1", "icon_color": 0xFFD67E })
    );
    assert!(c.get("reply_to_message").is_none());
    let (_, t): (frankenstein::types::Message, tgbot::types::Message) = both(c);
    match t.data {
        tgbot::types::MessageData::ForumTopicCreated(d) => assert_eq!(d.name, "Ticket #1"),
        other => panic!("tgbot sees {other:?}"),
    }

    // The bot writes into the topic.
    let sent = bot
        .call(
            "sendMessage",
            json!({ "chat_id": forum.id, "message_thread_id": thread, "text": "Hello from support" }),
        )
        .await?;
    assert_eq!(id(&sent["message_thread_id"]), thread);
    assert_eq!(sent["is_topic_message"], true);
    assert_eq!(id(&sent["reply_to_message"]["message_id"]), thread);
    assert_eq!(
        sent["reply_to_message"]["forum_topic_created"]["name"],
        "Ticket #1"
    );

    // A member writes into the topic: the bot's update points at the creation message.
    bot.updates().await?;
    let mine = bob.says_in(&forum, thread, "my printer is on fire").await?;
    let ups = bot.updates().await?;
    let msgs = of_kind(&ups, "message");
    assert_eq!(msgs.len(), 1, "{ups:#?}");
    let m = &msgs[0];
    assert_eq!(m["text"], "my printer is on fire");
    assert_eq!(id(&m["message_thread_id"]), thread);
    assert_eq!(m["is_topic_message"], true);
    assert_eq!(id(&m["reply_to_message"]["message_id"]), thread);
    assert!(m["reply_to_message"].get("forum_topic_created").is_some());
    let (f, t): (frankenstein::types::Message, tgbot::types::Message) = both(m);
    assert_eq!(f.message_thread_id.map(i64::from), Some(thread));
    assert_eq!(f.is_topic_message, Some(true));
    assert_eq!(
        f.reply_to_message.map(|r| i64::from(r.message_id)),
        Some(thread)
    );
    assert_eq!(t.message_thread_id, Some(thread));
    assert_eq!(t.is_topic_message, Some(true));
    match t.reply_to {
        Some(tgbot::types::ReplyTo::Message(r)) => assert_eq!(r.id, thread),
        other => panic!("tgbot reply_to: {other:?}"),
    }
    match t.data {
        tgbot::types::MessageData::Text(x) => assert_eq!(x.data, "my printer is on fire"),
        other => panic!("tgbot sees {other:?}"),
    }

    // A reply without message_thread_id lands in the replied message's topic.
    let reply = bot
        .call(
            "sendMessage",
            json!({ "chat_id": forum.id, "text": "on it",
                    "reply_parameters": { "message_id": mine["message_id"] } }),
        )
        .await?;
    assert_eq!(id(&reply["message_thread_id"]), thread);
    assert_eq!(reply["is_topic_message"], true);
    assert_eq!(reply["reply_to_message"]["message_id"], mine["message_id"]);

    let in_topic = bob.sees_topic(&forum, thread).await?;
    assert_eq!(ids(&in_topic)[0], thread);
    assert_eq!(
        texts(&in_topic),
        ["Hello from support", "my printer is on fire", "on it"]
    );

    // General has no thread id.
    let general = bot
        .call(
            "sendMessage",
            json!({ "chat_id": forum.id, "text": "General news" }),
        )
        .await?;
    assert!(general.get("message_thread_id").is_none(), "{general}");
    assert!(general.get("is_topic_message").is_none(), "{general}");
    assert!(general.get("reply_to_message").is_none(), "{general}");
    bob.says(&forum, "hi all").await?;
    let ups = bot.updates().await?;
    let m = &of_kind(&ups, "message")[0];
    assert_eq!(m["text"], "hi all");
    assert!(m.get("message_thread_id").is_none());
    assert!(m.get("is_topic_message").is_none());
    let general_view = bob.sees_topic(&forum, 0).await?;
    assert!(texts(&general_view).contains(&"General news".to_string()));
    assert!(!texts(&general_view).contains(&"on it".to_string()));

    // Passing General's id 1 fails.
    assert_error(
        bot.call(
            "sendMessage",
            json!({ "chat_id": forum.id, "message_thread_id": 1, "text": "x" }),
        )
        .await,
        400,
        "Bad Request: message thread not found",
    );
    // An ordinary message's id is not a topic either.
    assert_error(
        bot.call(
            "sendMessage",
            json!({ "chat_id": forum.id, "message_thread_id": general["message_id"], "text": "x" }),
        )
        .await,
        400,
        "Bad Request: message thread not found",
    );
    Ok(())
}

#[tokio::test]
async fn create_forum_topic_checks_chat_rights_name_and_colour() -> R {
    let world = World::start().await?;
    let (alice, bot, forum) = helpdesk(&world).await?;
    let plain = world.supergroup("Plain", &alice).await?;
    plain.add_admin(bot.id, Group::helpdesk_rights()).await?;
    assert_error(
        bot.call(
            "createForumTopic",
            json!({ "chat_id": plain.id, "name": "x" }),
        )
        .await,
        400,
        "Bad Request: the chat is not a forum",
    );

    // Administrators without can_manage_topics, and plain members, are refused.
    let limited = world.bot("limited_bot").await?;
    forum
        .add_admin(
            limited.id,
            json!({ "can_delete_messages": true, "can_pin_messages": true }),
        )
        .await?;
    assert_bad_request(
        limited
            .call(
                "createForumTopic",
                json!({ "chat_id": forum.id, "name": "x" }),
            )
            .await,
        "Bad Request: not enough rights",
    );
    let member = world.bot("member_bot").await?;
    forum.add(member.id, "member").await?;
    assert_bad_request(
        member
            .call(
                "createForumTopic",
                json!({ "chat_id": forum.id, "name": "x" }),
            )
            .await,
        "Bad Request: not enough rights",
    );

    let topics_before = with_key(&alice.sees(&forum).await?, "forum_topic_created").len();
    for name in [String::new(), "x".repeat(129)] {
        assert_bad_request(
            bot.call(
                "createForumTopic",
                json!({ "chat_id": forum.id, "name": name }),
            )
            .await,
            "Bad Request: ",
        );
    }
    assert_bad_request(
        bot.call(
            "createForumTopic",
            json!({ "chat_id": forum.id, "name": "Odd colour", "icon_color": 0x123456 }),
        )
        .await,
        "Bad Request: ",
    );
    assert_eq!(
        with_key(&alice.sees(&forum).await?, "forum_topic_created").len(),
        topics_before,
        "refused calls create nothing"
    );

    // 128 characters is fine, counted in characters, not bytes.
    let long = "ж".repeat(128);
    let t = bot
        .call(
            "createForumTopic",
            json!({ "chat_id": forum.id, "name": long }),
        )
        .await?;
    assert_eq!(t["name"], long);
    let default_colour = id(&t["icon_color"]);
    // Each of the six colours is accepted and echoed.
    let colours = [0x6FB9F0, 0xFFD67E, 0xCB86DB, 0x8EEE98, 0xFF93B2, 0xFB6F5F];
    assert!(colours.contains(&default_colour));
    for c in colours {
        let t = bot
            .call(
                "createForumTopic",
                json!({ "chat_id": forum.id, "name": format!("c{c}"), "icon_color": c }),
            )
            .await?;
        assert_eq!(id(&t["icon_color"]), c);
    }
    Ok(())
}

#[tokio::test]
async fn edit_close_reopen_topics_with_service_messages() -> R {
    let world = World::start().await?;
    let (alice, bot, forum) = helpdesk(&world).await?;
    let bob = world.user("Bob").await?;
    forum.add_member(&bob).await?;
    let other = world.bot("other_bot").await?;
    forum.add(other.id, "member").await?;
    let thread = create_topic(&bot, &forum, "Ticket").await?;

    // Rename.
    assert_eq!(
        bot.call(
            "editForumTopic",
            json!({ "chat_id": forum.id, "message_thread_id": thread, "name": "Ticket (urgent)" }),
        )
        .await?,
        json!(true)
    );
    let last = alice.last_seen(&forum).await?;
    assert_eq!(
        last["forum_topic_edited"],
        json!({ "name": "Ticket (urgent)" })
    );
    assert_eq!(id(&last["message_thread_id"]), thread);
    assert_eq!(last["is_topic_message"], true);
    both::<frankenstein::types::Message, tgbot::types::Message>(&last);
    assert_error(
        bot.call(
            "editForumTopic",
            json!({ "chat_id": forum.id, "message_thread_id": thread, "name": "Ticket (urgent)" }),
        )
        .await,
        400,
        "Bad Request: TOPIC_NOT_MODIFIED",
    );
    bot.call(
        "editForumTopic",
        json!({ "chat_id": forum.id, "message_thread_id": thread, "icon_custom_emoji_id": "5312536423851630001" }),
    )
    .await?;
    assert_eq!(
        alice.last_seen(&forum).await?["forum_topic_edited"],
        json!({ "icon_custom_emoji_id": "5312536423851630001" })
    );

    // Close: a service message in the topic; members can no longer write there.
    assert_eq!(
        bot.call(
            "closeForumTopic",
            json!({ "chat_id": forum.id, "message_thread_id": thread }),
        )
        .await?,
        json!(true)
    );
    let last = alice.last_seen(&forum).await?;
    assert_eq!(last["forum_topic_closed"], json!({}));
    assert_eq!(id(&last["message_thread_id"]), thread);
    assert_error(
        bot.call(
            "closeForumTopic",
            json!({ "chat_id": forum.id, "message_thread_id": thread }),
        )
        .await,
        400,
        "Bad Request: TOPIC_NOT_MODIFIED",
    );
    let err = bob
        .says_in(&forum, thread, "hello?")
        .await
        .expect_err("a member cannot write into a closed topic");
    assert!(err.to_string().contains("TOPIC_CLOSED"), "{err}");
    // A bot with can_manage_topics still can; one without cannot.
    bot.call(
        "sendMessage",
        json!({ "chat_id": forum.id, "message_thread_id": thread, "text": "closing note" }),
    )
    .await?;
    assert_error(
        other
            .call(
                "sendMessage",
                json!({ "chat_id": forum.id, "message_thread_id": thread, "text": "me too" }),
            )
            .await,
        400,
        "Bad Request: TOPIC_CLOSED",
    );
    // A bot that neither created the topic nor manages topics cannot reopen it.
    assert_bad_request(
        other
            .call(
                "reopenForumTopic",
                json!({ "chat_id": forum.id, "message_thread_id": thread }),
            )
            .await,
        "Bad Request: not enough rights",
    );

    // Reopen.
    assert_eq!(
        bot.call(
            "reopenForumTopic",
            json!({ "chat_id": forum.id, "message_thread_id": thread }),
        )
        .await?,
        json!(true)
    );
    let last = alice.last_seen(&forum).await?;
    assert_eq!(last["forum_topic_reopened"], json!({}));
    assert_eq!(id(&last["message_thread_id"]), thread);
    assert_error(
        bot.call(
            "reopenForumTopic",
            json!({ "chat_id": forum.id, "message_thread_id": thread }),
        )
        .await,
        400,
        "Bad Request: TOPIC_NOT_MODIFIED",
    );
    bob.says_in(&forum, thread, "thanks").await?;
    other
        .call(
            "sendMessage",
            json!({ "chat_id": forum.id, "message_thread_id": thread, "text": "me too" }),
        )
        .await?;
    assert_eq!(
        texts(&alice.sees_topic(&forum, thread).await?),
        ["closing note", "thanks", "me too"]
    );

    // A topic closed by a person works the same way.
    forum.topic_action(thread, "close").await?;
    assert!(bob.says_in(&forum, thread, "again?").await.is_err());
    assert_error(
        other
            .call(
                "sendMessage",
                json!({ "chat_id": forum.id, "message_thread_id": thread, "text": "x" }),
            )
            .await,
        400,
        "Bad Request: TOPIC_CLOSED",
    );

    // A bot may close and reopen the topics it created, even without can_manage_topics.
    let creator = world.bot("creator_bot").await?;
    forum
        .add_admin(creator.id, json!({ "can_manage_topics": true }))
        .await?;
    let own = create_topic(&creator, &forum, "Mine").await?;
    forum
        .add_admin(creator.id, json!({ "can_delete_messages": true }))
        .await?;
    creator
        .call(
            "closeForumTopic",
            json!({ "chat_id": forum.id, "message_thread_id": own }),
        )
        .await?;
    creator
        .call(
            "reopenForumTopic",
            json!({ "chat_id": forum.id, "message_thread_id": own }),
        )
        .await?;
    assert_bad_request(
        creator
            .call(
                "closeForumTopic",
                json!({ "chat_id": forum.id, "message_thread_id": thread }),
            )
            .await,
        "Bad Request: ",
    );
    Ok(())
}

#[tokio::test]
async fn deleted_and_archived_topics_refuse_sends() -> R {
    let world = World::start().await?;
    let (alice, bot, forum) = helpdesk(&world).await?;
    let bob = world.user("Bob").await?;
    forum.add_member(&bob).await?;
    let thread = create_topic(&bot, &forum, "To delete").await?;
    bob.says_in(&forum, thread, "inside").await?;

    // deleteForumTopic needs can_delete_messages.
    let manager = world.bot("manager_bot").await?;
    forum
        .add_admin(manager.id, json!({ "can_manage_topics": true }))
        .await?;
    assert_bad_request(
        manager
            .call(
                "deleteForumTopic",
                json!({ "chat_id": forum.id, "message_thread_id": thread }),
            )
            .await,
        "Bad Request: not enough rights",
    );
    assert_eq!(
        bot.call(
            "deleteForumTopic",
            json!({ "chat_id": forum.id, "message_thread_id": thread }),
        )
        .await?,
        json!(true)
    );
    // The topic and everything in it is gone for everyone.
    let seen = alice.sees(&forum).await?;
    assert!(!ids(&seen).contains(&thread));
    assert!(!texts(&seen).contains(&"inside".to_string()));
    assert!(alice.sees_topic(&forum, thread).await?.is_empty());
    assert_error(
        bot.call(
            "sendMessage",
            json!({ "chat_id": forum.id, "message_thread_id": thread, "text": "x" }),
        )
        .await,
        400,
        "Bad Request: message thread not found",
    );
    assert_error(
        bot.call(
            "editForumTopic",
            json!({ "chat_id": forum.id, "message_thread_id": thread, "name": "y" }),
        )
        .await,
        400,
        "Bad Request: message thread not found",
    );
    assert!(bob.says_in(&forum, thread, "hello?").await.is_err());

    // A topic a person deletes.
    let by_person = create_topic(&bot, &forum, "Deleted by Alice").await?;
    forum.topic_action(by_person, "delete").await?;
    assert_error(
        bot.call(
            "sendMessage",
            json!({ "chat_id": forum.id, "message_thread_id": by_person, "text": "x" }),
        )
        .await,
        400,
        "Bad Request: message thread not found",
    );

    // A topic Telegram archived behaves like a deleted one, for bots and for people.
    let archived = create_topic(&bot, &forum, "Old").await?;
    forum.topic_action(archived, "archive").await?;
    assert_error(
        bot.call(
            "sendMessage",
            json!({ "chat_id": forum.id, "message_thread_id": archived, "text": "x" }),
        )
        .await,
        400,
        "Bad Request: message thread not found",
    );
    assert!(bob.says_in(&forum, archived, "hello?").await.is_err());
    Ok(())
}

#[tokio::test]
async fn pins_in_topics_and_unpin_all_forum_topic_messages() -> R {
    let world = World::start().await?;
    let (alice, bot, forum) = helpdesk(&world).await?;
    let thread = create_topic(&bot, &forum, "Pins").await?;
    let general = bot.says(forum.id, "General rules").await?;
    let g = id(&general["message_id"]);
    bot.call(
        "pinChatMessage",
        json!({ "chat_id": forum.id, "message_id": g }),
    )
    .await?;
    let mut in_topic = Vec::new();
    for text in ["first", "second"] {
        let m = bot
            .call(
                "sendMessage",
                json!({ "chat_id": forum.id, "message_thread_id": thread, "text": text }),
            )
            .await?;
        let mid = id(&m["message_id"]);
        bot.call(
            "pinChatMessage",
            json!({ "chat_id": forum.id, "message_id": mid }),
        )
        .await?;
        in_topic.push(mid);
    }
    // The pin service messages sit in the topic of the pinned message.
    let pins = alice.sees_topic(&forum, thread).await?;
    let pins = with_key(&pins, "pinned_message");
    assert_eq!(pins.len(), 2);
    assert_eq!(id(&pins[1]["pinned_message"]["message_id"]), in_topic[1]);
    let chat = bot.call("getChat", json!({ "chat_id": forum.id })).await?;
    assert_eq!(id(&chat["pinned_message"]["message_id"]), in_topic[1]);

    let limited = world.bot("limited_bot").await?;
    forum
        .add_admin(limited.id, json!({ "can_manage_topics": true }))
        .await?;
    assert_bad_request(
        limited
            .call(
                "unpinAllForumTopicMessages",
                json!({ "chat_id": forum.id, "message_thread_id": thread }),
            )
            .await,
        "Bad Request: not enough rights",
    );
    assert_eq!(
        bot.call(
            "unpinAllForumTopicMessages",
            json!({ "chat_id": forum.id, "message_thread_id": thread }),
        )
        .await?,
        json!(true)
    );
    // Only the General pin remains.
    let chat = bot.call("getChat", json!({ "chat_id": forum.id })).await?;
    assert_eq!(id(&chat["pinned_message"]["message_id"]), g);
    assert_error(
        bot.call(
            "unpinAllForumTopicMessages",
            json!({ "chat_id": forum.id, "message_thread_id": 999_999 }),
        )
        .await,
        400,
        "Bad Request: message thread not found",
    );
    Ok(())
}

#[tokio::test]
async fn general_topic_close_and_reopen() -> R {
    let world = World::start().await?;
    let (alice, bot, forum) = helpdesk(&world).await?;
    let bob = world.user("Bob").await?;
    forum.add_member(&bob).await?;
    let limited = world.bot("limited_bot").await?;
    forum
        .add_admin(limited.id, json!({ "can_delete_messages": true }))
        .await?;
    assert_bad_request(
        limited
            .call("closeGeneralForumTopic", json!({ "chat_id": forum.id }))
            .await,
        "Bad Request: not enough rights",
    );
    assert_eq!(
        bot.call("closeGeneralForumTopic", json!({ "chat_id": forum.id }))
            .await?,
        json!(true)
    );
    let last = alice.last_seen(&forum).await?;
    assert!(last.get("forum_topic_closed").is_some(), "{last}");
    assert!(last.get("message_thread_id").is_none(), "{last}");
    assert_error(
        bot.call("closeGeneralForumTopic", json!({ "chat_id": forum.id }))
            .await,
        400,
        "Bad Request: TOPIC_NOT_MODIFIED",
    );
    assert!(bob.says(&forum, "anyone?").await.is_err());
    assert_error(
        limited.says(forum.id, "x").await,
        400,
        "Bad Request: TOPIC_CLOSED",
    );
    bot.says(forum.id, "General is read-only for now").await?;

    assert_eq!(
        bot.call("reopenGeneralForumTopic", json!({ "chat_id": forum.id }))
            .await?,
        json!(true)
    );
    assert!(
        alice
            .last_seen(&forum)
            .await?
            .get("forum_topic_reopened")
            .is_some()
    );
    assert_error(
        bot.call("reopenGeneralForumTopic", json!({ "chat_id": forum.id }))
            .await,
        400,
        "Bad Request: TOPIC_NOT_MODIFIED",
    );
    bob.says(&forum, "open again").await?;
    limited.says(forum.id, "me too").await?;

    // Not a forum.
    let plain = world.supergroup("Plain", &alice).await?;
    plain.add_admin(bot.id, Group::helpdesk_rights()).await?;
    assert_error(
        bot.call("closeGeneralForumTopic", json!({ "chat_id": plain.id }))
            .await,
        400,
        "Bad Request: the chat is not a forum",
    );
    Ok(())
}

#[tokio::test]
async fn forum_topic_icon_stickers_are_custom_emoji_usable_as_icons() -> R {
    let world = World::start().await?;
    let (_alice, bot, forum) = helpdesk(&world).await?;
    let stickers = bot.call("getForumTopicIconStickers", json!({})).await?;
    let list = stickers.as_array().expect("an array");
    assert!(!list.is_empty());
    for s in list {
        assert_eq!(s["type"], "custom_emoji");
        assert!(s["custom_emoji_id"].as_str().is_some_and(|x| !x.is_empty()));
        assert!(s["file_id"].as_str().is_some());
    }
    let (f, t): (
        Vec<frankenstein::stickers::Sticker>,
        Vec<tgbot::types::Sticker>,
    ) = both(&stickers);
    assert_eq!(f.len(), list.len());
    assert_eq!(t.len(), list.len());
    let emoji = list[0]["custom_emoji_id"].as_str().unwrap_or_default();
    let topic = bot
        .call(
            "createForumTopic",
            json!({ "chat_id": forum.id, "name": "With icon", "icon_custom_emoji_id": emoji }),
        )
        .await?;
    assert_eq!(topic["icon_custom_emoji_id"], emoji);
    let (f, t): (frankenstein::types::ForumTopic, tgbot::types::ForumTopic) = both(&topic);
    assert_eq!(f.icon_custom_emoji_id.as_deref(), Some(emoji));
    assert_eq!(t.icon_custom_emoji_id.as_deref(), Some(emoji));
    Ok(())
}

// ----- edits -----------------------------------------------------------------------------

/// Alice started the bot; the bot sends her a photo and has a document's file id.
async fn private_chat(world: &World) -> anyhow::Result<(Person, Bot)> {
    let alice = world.user("Alice").await?;
    let bot = world.bot("edit_bot").await?;
    alice.start(&bot).await?;
    Ok((alice, bot))
}

#[tokio::test]
async fn edits_change_what_the_user_sees() -> R {
    let world = World::start().await?;
    let (alice, bot) = private_chat(&world).await?;
    let keyboard = json!({ "inline_keyboard": [[{ "text": "OK", "callback_data": "ok" }]] });
    let sent = bot
        .call(
            "sendMessage",
            json!({ "chat_id": alice.id, "text": "v1", "reply_markup": keyboard }),
        )
        .await?;
    let mid = id(&sent["message_id"]);
    assert!(sent.get("edit_date").is_none());

    // editMessageText without reply_markup replaces the text and removes the keyboard.
    let edited = bot
        .call(
            "editMessageText",
            json!({ "chat_id": alice.id, "message_id": mid, "text": "v2" }),
        )
        .await?;
    assert_eq!(edited["text"], "v2");
    assert!(edited["edit_date"].as_i64().is_some(), "{edited}");
    assert!(edited.get("reply_markup").is_none(), "{edited}");
    let (f, t): (frankenstein::types::Message, tgbot::types::Message) = both(&edited);
    assert!(f.edit_date.is_some());
    assert!(t.edit_date.is_some());
    let seen = alice.last_seen(&bot).await?;
    assert_eq!(id(&seen["message_id"]), mid);
    assert_eq!(seen["text"], "v2");
    assert!(seen["edit_date"].as_i64().is_some());
    assert!(seen.get("reply_markup").is_none(), "{seen}");

    // An identical edit.
    assert_bad_request(
        bot.call(
            "editMessageText",
            json!({ "chat_id": alice.id, "message_id": mid, "text": "v2" }),
        )
        .await,
        "Bad Request: message is not modified: ",
    );

    // editMessageReplyMarkup adds, keeps and removes the keyboard.
    bot.call(
        "editMessageReplyMarkup",
        json!({ "chat_id": alice.id, "message_id": mid, "reply_markup": keyboard }),
    )
    .await?;
    assert_eq!(alice.last_seen(&bot).await?["reply_markup"], keyboard);
    assert_bad_request(
        bot.call(
            "editMessageReplyMarkup",
            json!({ "chat_id": alice.id, "message_id": mid, "reply_markup": keyboard }),
        )
        .await,
        "Bad Request: message is not modified: ",
    );
    // Same text with the same keyboard is not a modification either.
    assert_bad_request(
        bot.call(
            "editMessageText",
            json!({ "chat_id": alice.id, "message_id": mid, "text": "v2", "reply_markup": keyboard }),
        )
        .await,
        "Bad Request: message is not modified: ",
    );
    bot.call(
        "editMessageReplyMarkup",
        json!({ "chat_id": alice.id, "message_id": mid }),
    )
    .await?;
    assert!(alice.last_seen(&bot).await?.get("reply_markup").is_none());

    // Someone else's message.
    let hers = alice.says(&bot, "my own words").await?;
    assert_error(
        bot.call(
            "editMessageText",
            json!({ "chat_id": alice.id, "message_id": hers["message_id"], "text": "bot words" }),
        )
        .await,
        400,
        "Bad Request: message can't be edited",
    );
    assert_eq!(alice.last_seen(&bot).await?["text"], "my own words");
    assert_error(
        bot.call(
            "editMessageText",
            json!({ "chat_id": alice.id, "message_id": 424_242, "text": "x" }),
        )
        .await,
        400,
        "Bad Request: message to edit not found",
    );
    Ok(())
}

#[tokio::test]
async fn caption_and_media_edits() -> R {
    let world = World::start().await?;
    let (alice, bot) = private_chat(&world).await?;
    // Alice sends a photo and a document; the bot reuses its file ids.
    alice
        .send(&bot, json!({ "media": { "type": "photo" } }))
        .await?;
    alice
        .send(
            &bot,
            json!({ "media": { "type": "document", "file_name": "report.pdf", "mime_type": "application/pdf" } }),
        )
        .await?;
    let ups = bot.updates().await?;
    let msgs = of_kind(&ups, "message");
    let photo_id = msgs[1]["photo"]
        .as_array()
        .and_then(|a| a.last())
        .map(|p| p["file_id"].clone())
        .expect("photo sizes");
    let doc_id = msgs[2]["document"]["file_id"].clone();

    let sent = bot
        .call(
            "sendPhoto",
            json!({ "chat_id": alice.id, "photo": photo_id, "caption": "c1" }),
        )
        .await?;
    let mid = id(&sent["message_id"]);
    assert_error(
        bot.call(
            "editMessageText",
            json!({ "chat_id": alice.id, "message_id": mid, "text": "text?" }),
        )
        .await,
        400,
        "Bad Request: there is no text in the message to edit",
    );

    let edited = bot
        .call(
            "editMessageCaption",
            json!({ "chat_id": alice.id, "message_id": mid, "caption": "c2" }),
        )
        .await?;
    assert_eq!(edited["caption"], "c2");
    assert!(edited["edit_date"].as_i64().is_some());
    let seen = alice.last_seen(&bot).await?;
    assert_eq!(seen["caption"], "c2");
    assert!(seen["photo"].is_array());
    assert!(seen["edit_date"].as_i64().is_some());
    assert_bad_request(
        bot.call(
            "editMessageCaption",
            json!({ "chat_id": alice.id, "message_id": mid, "caption": "c2" }),
        )
        .await,
        "Bad Request: message is not modified: ",
    );

    // The photo becomes a document.
    let edited = bot
        .call(
            "editMessageMedia",
            json!({ "chat_id": alice.id, "message_id": mid,
                    "media": { "type": "document", "media": doc_id, "caption": "now a report" } }),
        )
        .await?;
    assert!(edited.get("photo").is_none(), "{edited}");
    assert_eq!(edited["document"]["file_name"], "report.pdf");
    both::<frankenstein::types::Message, tgbot::types::Message>(&edited);
    let seen = alice.last_seen(&bot).await?;
    assert_eq!(id(&seen["message_id"]), mid);
    assert!(seen.get("photo").is_none(), "{seen}");
    assert_eq!(seen["document"]["file_name"], "report.pdf");
    assert_eq!(seen["caption"], "now a report");
    Ok(())
}

#[tokio::test]
async fn bot_edits_have_no_time_limit_by_default() -> R {
    let world = World::start().await?;
    world.freeze_clock().await?;
    let (alice, bot) = private_chat(&world).await?;
    let sent = bot.says(alice.id, "old").await?;
    world.advance_hours(49).await?;
    let edited = bot
        .call(
            "editMessageText",
            json!({ "chat_id": alice.id, "message_id": sent["message_id"], "text": "still editable" }),
        )
        .await?;
    assert_eq!(edited["text"], "still editable");
    assert_eq!(alice.last_seen(&bot).await?["text"], "still editable");
    Ok(())
}

#[tokio::test]
async fn a_configured_edit_window_refuses_late_edits() -> R {
    let world = World::start_with(tgsim::Config {
        edit_window_hours: Some(48),
        ..tgsim::Config::default()
    })
    .await?;
    world.freeze_clock().await?;
    let (alice, bot) = private_chat(&world).await?;
    let sent = bot.says(alice.id, "old").await?;
    world.advance_hours(47).await?;
    bot.call(
        "editMessageText",
        json!({ "chat_id": alice.id, "message_id": sent["message_id"], "text": "edited in time" }),
    )
    .await?;
    world.advance_hours(2).await?;
    assert_error(
        bot.call(
            "editMessageText",
            json!({ "chat_id": alice.id, "message_id": sent["message_id"], "text": "too late" }),
        )
        .await,
        400,
        "Bad Request: message can't be edited",
    );
    assert_eq!(alice.last_seen(&bot).await?["text"], "edited in time");
    Ok(())
}

#[tokio::test]
async fn a_user_edit_reaches_the_bot_as_edited_message() -> R {
    let world = World::start().await?;
    let (alice, bot) = private_chat(&world).await?;
    let m = alice.says(&bot, "helo").await?;
    bot.updates().await?;
    alice.edits(&bot, id(&m["message_id"]), "hello").await?;
    let ups = bot.updates().await?;
    assert_eq!(ups.len(), 1, "{ups:#?}");
    let e = &ups[0]["edited_message"];
    assert_eq!(e["message_id"], m["message_id"]);
    assert_eq!(e["text"], "hello");
    assert!(e["edit_date"].as_i64().is_some());
    assert_eq!(id(&e["chat"]["id"]), alice.id);
    let (f, t): (frankenstein::types::Message, tgbot::types::Message) = both(e);
    assert_eq!(f.text.as_deref(), Some("hello"));
    assert!(t.edit_date.is_some());
    let (f, _): (frankenstein::updates::Update, tgbot::types::Update) = both(&ups[0]);
    assert!(matches!(
        f.content,
        frankenstein::updates::UpdateContent::EditedMessage(_)
    ));
    Ok(())
}

// ----- deletes ---------------------------------------------------------------------------

#[tokio::test]
async fn delete_message_within_48_hours_only() -> R {
    let world = World::start().await?;
    world.freeze_clock().await?;
    let (alice, bot) = private_chat(&world).await?;
    let a = bot.says(alice.id, "to delete").await?;
    let b = bot.says(alice.id, "too old").await?;
    world.advance_hours(47).await?;
    assert_eq!(
        bot.call(
            "deleteMessage",
            json!({ "chat_id": alice.id, "message_id": a["message_id"] }),
        )
        .await?,
        json!(true)
    );
    assert!(!texts(&alice.sees(&bot).await?).contains(&"to delete".to_string()));
    assert_error(
        bot.call(
            "deleteMessage",
            json!({ "chat_id": alice.id, "message_id": a["message_id"] }),
        )
        .await,
        400,
        "Bad Request: message to delete not found",
    );
    world.advance_hours(2).await?;
    assert_error(
        bot.call(
            "deleteMessage",
            json!({ "chat_id": alice.id, "message_id": b["message_id"] }),
        )
        .await,
        400,
        "Bad Request: message can't be deleted for everyone",
    );
    assert!(texts(&alice.sees(&bot).await?).contains(&"too old".to_string()));
    // Incoming messages in a private chat are the bot's to delete too.
    let hers = alice.says(&bot, "please forget this").await?;
    bot.call(
        "deleteMessage",
        json!({ "chat_id": alice.id, "message_id": hers["message_id"] }),
    )
    .await?;
    assert!(!texts(&alice.sees(&bot).await?).contains(&"please forget this".to_string()));
    Ok(())
}

#[tokio::test]
async fn deleting_others_messages_in_a_supergroup_needs_can_delete_messages() -> R {
    let world = World::start().await?;
    let alice = world.user("Alice").await?;
    let bob = world.user("Bob").await?;
    let group = world.supergroup("Ops", &alice).await?;
    group.add_member(&bob).await?;
    let member = world.bot("member_bot").await?;
    group.add(member.id, "member").await?;
    let pinner = world.bot("pinner_bot").await?;
    group
        .add_admin(pinner.id, json!({ "can_pin_messages": true }))
        .await?;
    let cleaner = world.bot("cleaner_bot").await?;
    group
        .add_admin(cleaner.id, json!({ "can_delete_messages": true }))
        .await?;

    let m = bob.says(&group, "spam").await?;
    for b in [&member, &pinner] {
        assert_error(
            b.call(
                "deleteMessage",
                json!({ "chat_id": group.id, "message_id": m["message_id"] }),
            )
            .await,
            400,
            "Bad Request: message can't be deleted",
        );
    }
    assert!(texts(&alice.sees(&group).await?).contains(&"spam".to_string()));
    // Its own message, any bot may delete.
    let own = member.says(group.id, "mine").await?;
    member
        .call(
            "deleteMessage",
            json!({ "chat_id": group.id, "message_id": own["message_id"] }),
        )
        .await?;
    cleaner
        .call(
            "deleteMessage",
            json!({ "chat_id": group.id, "message_id": m["message_id"] }),
        )
        .await?;
    let seen = texts(&alice.sees(&group).await?);
    assert!(!seen.contains(&"spam".to_string()), "{seen:?}");
    assert!(!seen.contains(&"mine".to_string()), "{seen:?}");
    Ok(())
}

#[tokio::test]
async fn topic_creation_message_cannot_be_deleted_and_delete_messages_skips_missing() -> R {
    let world = World::start().await?;
    let (alice, bot, forum) = helpdesk(&world).await?;
    let thread = create_topic(&bot, &forum, "Keep").await?;
    assert_error(
        bot.call(
            "deleteMessage",
            json!({ "chat_id": forum.id, "message_id": thread }),
        )
        .await,
        400,
        "Bad Request: message can't be deleted",
    );
    assert!(ids(&alice.sees(&forum).await?).contains(&thread));

    let a = id(&bot.says(forum.id, "a").await?["message_id"]);
    bot.says(forum.id, "b").await?;
    let c = id(&bot.says(forum.id, "c").await?["message_id"]);
    assert_eq!(
        bot.call(
            "deleteMessages",
            json!({ "chat_id": forum.id, "message_ids": [a, c, 777_777] }),
        )
        .await?,
        json!(true)
    );
    let seen = texts(&alice.sees(&forum).await?);
    assert!(!seen.contains(&"a".to_string()));
    assert!(seen.contains(&"b".to_string()));
    assert!(!seen.contains(&"c".to_string()));
    Ok(())
}

#[tokio::test]
async fn a_user_deleting_a_message_sends_the_bot_nothing() -> R {
    let world = World::start().await?;
    let (alice, bot, forum) = helpdesk(&world).await?;
    let bob = world.user("Bob").await?;
    forum.add_member(&bob).await?;
    alice.start(&bot).await?;

    // Private chat.
    let m = alice.says(&bot, "oops").await?;
    bot.updates().await?;
    alice.deletes(&bot, &[id(&m["message_id"])]).await?;
    assert!(bot.updates().await?.is_empty());
    assert!(!texts(&alice.sees(&bot).await?).contains(&"oops".to_string()));
    assert_error(
        bot.call(
            "deleteMessage",
            json!({ "chat_id": alice.id, "message_id": m["message_id"] }),
        )
        .await,
        400,
        "Bad Request: message to delete not found",
    );

    // Group: the message disappears for the other members; the (admin) bot hears nothing.
    let m = bob.says(&forum, "wrong chat, sorry").await?;
    assert!(texts(&alice.sees(&forum).await?).contains(&"wrong chat, sorry".to_string()));
    bot.updates().await?;
    bob.deletes(&forum, &[id(&m["message_id"])]).await?;
    assert!(bot.updates().await?.is_empty());
    assert!(!texts(&alice.sees(&forum).await?).contains(&"wrong chat, sorry".to_string()));
    Ok(())
}

#[tokio::test]
async fn set_message_reaction_validates_reactions() -> R {
    let world = World::start().await?;
    let (alice, bot) = private_chat(&world).await?;
    let m = alice.says(&bot, "thanks!").await?;
    let mid = m["message_id"].clone();
    assert_eq!(
        bot.call(
            "setMessageReaction",
            json!({ "chat_id": alice.id, "message_id": mid, "reaction": [{ "type": "emoji", "emoji": "👍" }] }),
        )
        .await?,
        json!(true)
    );
    assert_error(
        bot.call(
            "setMessageReaction",
            json!({ "chat_id": alice.id, "message_id": mid, "reaction": [{ "type": "emoji", "emoji": "🦖" }] }),
        )
        .await,
        400,
        "Bad Request: REACTION_INVALID",
    );
    assert_error(
        bot.call(
            "setMessageReaction",
            json!({ "chat_id": alice.id, "message_id": mid,
                    "reaction": [{ "type": "emoji", "emoji": "👍" }, { "type": "emoji", "emoji": "🔥" }] }),
        )
        .await,
        400,
        "Bad Request: REACTIONS_TOO_MANY",
    );
    assert_eq!(
        bot.call(
            "setMessageReaction",
            json!({ "chat_id": alice.id, "message_id": mid, "reaction": [] }),
        )
        .await?,
        json!(true)
    );
    Ok(())
}

// ----- chats and members -----------------------------------------------------------------

#[tokio::test]
async fn get_chat_returns_chat_full_info() -> R {
    let world = World::start().await?;
    let (alice, bot, forum) = helpdesk(&world).await?;
    let info = bot.call("getChat", json!({ "chat_id": forum.id })).await?;
    assert_eq!(id(&info["id"]), forum.id);
    assert_eq!(info["type"], "supergroup");
    assert_eq!(info["title"], "Support");
    assert_eq!(info["is_forum"], true);
    assert!(info["accent_color_id"].as_i64().is_some(), "{info}");
    assert!(info["max_reaction_count"].as_i64().is_some(), "{info}");
    let (f, t): (
        frankenstein::types::ChatFullInfo,
        tgbot::types::ChatFullInfo,
    ) = both(&info);
    assert_eq!(f.id, forum.id);
    assert_eq!(f.is_forum, Some(true));
    assert_eq!(f.title.as_deref(), Some("Support"));
    assert_eq!(t.id, forum.id);
    assert_eq!(t.is_forum, Some(true));

    alice.start(&bot).await?;
    let private = bot.call("getChat", json!({ "chat_id": alice.id })).await?;
    assert_eq!(private["type"], "private");
    assert_eq!(private["first_name"], "Alice");
    let (f, _): (
        frankenstein::types::ChatFullInfo,
        tgbot::types::ChatFullInfo,
    ) = both(&private);
    assert_eq!(f.first_name.as_deref(), Some("Alice"));

    assert_error(
        bot.call("getChat", json!({ "chat_id": -100_123_456 }))
            .await,
        400,
        "Bad Request: chat not found",
    );
    Ok(())
}

#[tokio::test]
async fn get_chat_member_in_every_status() -> R {
    let world = World::start().await?;
    let (alice, bot, forum) = helpdesk(&world).await?;
    let bob = world.user("Bob").await?;
    forum.add_member(&bob).await?;
    let carol = world.user("Carol").await?;
    let dave = world.user("Dave").await?;
    forum.add_member(&dave).await?;
    forum.kick(dave.id).await?;
    let erin = world.user("Erin").await?;
    forum.add(erin.id, "restricted").await?;
    let frank = world.user("Frank").await?;
    forum
        .add_admin(
            frank.id,
            json!({ "can_delete_messages": true, "can_pin_messages": true }),
        )
        .await?;

    let member = |who: i64| {
        let bot = bot.clone();
        let chat = forum.id;
        async move {
            bot.call("getChatMember", json!({ "chat_id": chat, "user_id": who }))
                .await
        }
    };
    type F = frankenstein::types::ChatMember;
    type T = tgbot::types::ChatMember;

    let owner = member(alice.id).await?;
    assert_eq!(owner["status"], "creator");
    assert_eq!(id(&owner["user"]["id"]), alice.id);
    assert_eq!(owner["is_anonymous"], false);
    let (f, t): (F, T) = both(&owner);
    assert!(matches!(f, F::Creator(_)));
    assert!(matches!(t, T::Creator(_)));

    let me = member(bot.id).await?;
    assert_eq!(me["status"], "administrator");
    assert_eq!(me["user"]["is_bot"], true);
    for (right, on) in [
        ("can_manage_topics", true),
        ("can_delete_messages", true),
        ("can_pin_messages", true),
        ("can_restrict_members", true),
        ("can_invite_users", true),
        ("can_manage_chat", true),
        ("can_change_info", false),
        ("can_promote_members", false),
        ("can_manage_video_chats", false),
    ] {
        assert_eq!(me[right], on, "{right} in {me}");
    }
    assert_eq!(me["can_be_edited"], false);
    assert!(
        me.get("can_post_messages").is_none(),
        "channel-only right in a supergroup: {me}"
    );
    let (f, t): (F, T) = both(&me);
    match f {
        F::Administrator(a) => {
            assert_eq!(a.can_manage_topics, Some(true));
            assert!(a.can_delete_messages);
            assert!(!a.can_change_info);
        }
        other => panic!("frankenstein: {other:?}"),
    }
    match t {
        T::Administrator(a) => {
            assert_eq!(a.can_manage_topics, Some(true));
            assert!(a.can_restrict_members);
        }
        other => panic!("tgbot: {other:?}"),
    }

    let m = member(bob.id).await?;
    assert_eq!(m["status"], "member");
    let (f, t): (F, T) = both(&m);
    assert!(matches!(f, F::Member(_)));
    assert!(matches!(t, T::Member { .. }));

    let left = member(carol.id).await?;
    assert_eq!(left["status"], "left");
    assert_eq!(id(&left["user"]["id"]), carol.id);
    let (f, t): (F, T) = both(&left);
    assert!(matches!(f, F::Left(_)));
    assert!(matches!(t, T::Left(_)));

    let kicked = member(dave.id).await?;
    assert_eq!(kicked["status"], "kicked");
    assert_eq!(kicked["until_date"], 0);
    let (f, t): (F, T) = both(&kicked);
    assert!(matches!(f, F::Kicked(_)));
    assert!(matches!(t, T::Kicked(_)));

    let restricted = member(erin.id).await?;
    assert_eq!(restricted["status"], "restricted");
    assert_eq!(restricted["is_member"], true);
    let (f, t): (F, T) = both(&restricted);
    assert!(matches!(f, F::Restricted(_)));
    assert!(matches!(t, T::Restricted(_)));

    let human_admin = member(frank.id).await?;
    assert_eq!(human_admin["status"], "administrator");
    assert_eq!(human_admin["can_pin_messages"], true);
    assert_eq!(human_admin["can_manage_topics"], false);
    both::<F, T>(&human_admin);

    // Administrators: the humans, not the bots.
    let admins = bot
        .call("getChatAdministrators", json!({ "chat_id": forum.id }))
        .await?;
    let mut admin_ids: Vec<i64> = admins
        .as_array()
        .expect("array")
        .iter()
        .map(|m| id(&m["user"]["id"]))
        .collect();
    admin_ids.sort_unstable();
    let mut expected = vec![alice.id, frank.id];
    expected.sort_unstable();
    assert_eq!(admin_ids, expected);
    let (f, t): (Vec<F>, Vec<T>) = both(&admins);
    assert_eq!(f.len(), 2);
    assert_eq!(t.len(), 2);

    // alice, bot, bob, erin (restricted but present), frank.
    assert_eq!(
        bot.call("getChatMemberCount", json!({ "chat_id": forum.id }))
            .await?,
        json!(5)
    );
    Ok(())
}

#[tokio::test]
async fn ban_and_unban_chat_member() -> R {
    let world = World::start().await?;
    let alice = world.user("Alice").await?;
    let bob = world.user("Bob").await?;
    let carol = world.user("Carol").await?;
    let bot = world.bot("mod_bot").await?;
    let lobby = world.supergroup("Lobby", &alice).await?;
    lobby.add_admin(bot.id, Group::helpdesk_rights()).await?;
    lobby.add_member(&bob).await?;
    lobby.add_member(&carol).await?;
    let weak = world.bot("weak_bot").await?;
    lobby
        .add_admin(weak.id, json!({ "can_delete_messages": true }))
        .await?;
    let status = |who: i64| {
        let bot = bot.clone();
        let chat = lobby.id;
        async move {
            bot.call("getChatMember", json!({ "chat_id": chat, "user_id": who }))
                .await
                .map(|m| m["status"].as_str().unwrap_or_default().to_string())
        }
    };

    bob.says(&lobby, "buy my stuff").await?;
    assert_error(
        weak.call(
            "banChatMember",
            json!({ "chat_id": lobby.id, "user_id": bob.id }),
        )
        .await,
        400,
        "Bad Request: not enough rights to restrict/unrestrict chat member",
    );
    assert_error(
        bot.call(
            "banChatMember",
            json!({ "chat_id": lobby.id, "user_id": alice.id }),
        )
        .await,
        400,
        "Bad Request: can't remove chat owner",
    );
    assert_eq!(
        bot.call(
            "banChatMember",
            json!({ "chat_id": lobby.id, "user_id": bob.id }),
        )
        .await?,
        json!(true)
    );
    assert_eq!(status(bob.id).await?, "kicked");
    let seen = alice.sees(&lobby).await?;
    let left = with_key(&seen, "left_chat_member");
    assert_eq!(
        id(&left.last().expect("left")["left_chat_member"]["id"]),
        bob.id
    );
    // revoke_messages (always on in supergroups) takes the chat away from the banned user;
    // the others still see what he wrote.
    assert!(texts(&seen).contains(&"buy my stuff".to_string()));
    assert!(bob.sees(&lobby).await.is_err());
    assert!(bob.says(&lobby, "let me in").await.is_err());

    // unbanChatMember lifts the ban without bringing the user back.
    assert_eq!(
        bot.call(
            "unbanChatMember",
            json!({ "chat_id": lobby.id, "user_id": bob.id, "only_if_banned": true }),
        )
        .await?,
        json!(true)
    );
    assert_eq!(status(bob.id).await?, "left");
    lobby.add_member(&bob).await?;
    assert_eq!(status(bob.id).await?, "member");

    // only_if_banned leaves a present member alone; without it, the member is removed.
    bot.call(
        "unbanChatMember",
        json!({ "chat_id": lobby.id, "user_id": carol.id, "only_if_banned": true }),
    )
    .await?;
    assert_eq!(status(carol.id).await?, "member");
    bot.call(
        "unbanChatMember",
        json!({ "chat_id": lobby.id, "user_id": carol.id }),
    )
    .await?;
    assert_eq!(status(carol.id).await?, "left");
    Ok(())
}

#[tokio::test]
async fn leave_chat() -> R {
    let world = World::start().await?;
    let (alice, bot, forum) = helpdesk(&world).await?;
    bot.updates().await?;
    assert_eq!(
        bot.call("leaveChat", json!({ "chat_id": forum.id }))
            .await?,
        json!(true)
    );
    let last = alice.last_seen(&forum).await?;
    assert_eq!(id(&last["left_chat_member"]["id"]), bot.id);
    let ups = bot.updates().await?;
    let mine = of_kind(&ups, "my_chat_member");
    assert_eq!(mine.len(), 1, "{ups:#?}");
    assert_eq!(mine[0]["new_chat_member"]["status"], "left");
    assert_eq!(mine[0]["old_chat_member"]["status"], "administrator");
    both::<frankenstein::types::ChatMemberUpdated, tgbot::types::ChatMemberUpdated>(&mine[0]);
    assert_error(
        bot.says(forum.id, "still here?").await,
        403,
        "Forbidden: bot is not a member of the supergroup chat",
    );
    Ok(())
}

#[tokio::test]
async fn pin_and_unpin_chat_message() -> R {
    let world = World::start().await?;
    let alice = world.user("Alice").await?;
    let bot = world.bot("pin_bot").await?;
    let group = world.supergroup("Board", &alice).await?;
    group.add_admin(bot.id, Group::helpdesk_rights()).await?;
    let weak = world.bot("weak_bot").await?;
    group
        .add_admin(weak.id, json!({ "can_delete_messages": true }))
        .await?;
    let m = bot.says(group.id, "Read the rules").await?;
    let mid = id(&m["message_id"]);
    assert_error(
        weak.call(
            "pinChatMessage",
            json!({ "chat_id": group.id, "message_id": mid }),
        )
        .await,
        400,
        "Bad Request: not enough rights to manage pinned messages in the chat",
    );
    assert_eq!(
        bot.call(
            "pinChatMessage",
            json!({ "chat_id": group.id, "message_id": mid }),
        )
        .await?,
        json!(true)
    );
    let last = alice.last_seen(&group).await?;
    assert_eq!(id(&last["pinned_message"]["message_id"]), mid);
    assert_eq!(last["pinned_message"]["text"], "Read the rules");
    assert_eq!(id(&last["from"]["id"]), bot.id);
    both::<frankenstein::types::Message, tgbot::types::Message>(&last);

    let info = bot.call("getChat", json!({ "chat_id": group.id })).await?;
    assert_eq!(id(&info["pinned_message"]["message_id"]), mid);
    let (f, t): (
        frankenstein::types::ChatFullInfo,
        tgbot::types::ChatFullInfo,
    ) = both(&info);
    assert_eq!(f.pinned_message.map(|p| i64::from(p.message_id)), Some(mid));
    assert_eq!(t.pinned_message.map(|p| p.id), Some(mid));

    assert_eq!(
        bot.call(
            "unpinChatMessage",
            json!({ "chat_id": group.id, "message_id": mid }),
        )
        .await?,
        json!(true)
    );
    let info = bot.call("getChat", json!({ "chat_id": group.id })).await?;
    assert!(info.get("pinned_message").is_none(), "{info}");
    assert_bad_request(
        bot.call(
            "pinChatMessage",
            json!({ "chat_id": group.id, "message_id": 987_654 }),
        )
        .await,
        "Bad Request: ",
    );
    Ok(())
}

#[tokio::test]
async fn the_pinned_message_is_the_most_recent_by_sending_date() -> R {
    let world = World::start().await?;
    let alice = world.user("Alice").await?;
    let bot = world.bot("pin_bot").await?;
    let group = world.supergroup("Board", &alice).await?;
    group.add_admin(bot.id, Group::helpdesk_rights()).await?;
    let older = id(&bot.says(group.id, "older").await?["message_id"]);
    let newer = id(&bot.says(group.id, "newer").await?["message_id"]);
    // Pinned newest first, then the older one.
    for m in [newer, older] {
        bot.call(
            "pinChatMessage",
            json!({ "chat_id": group.id, "message_id": m }),
        )
        .await?;
    }
    let pinned = |v: Value| v.get("pinned_message").map(|p| id(&p["message_id"]));
    let info = bot.call("getChat", json!({ "chat_id": group.id })).await?;
    assert_eq!(pinned(info), Some(newer));
    // Without message_id, the most recent pinned message (by sending date) is unpinned.
    bot.call("unpinChatMessage", json!({ "chat_id": group.id }))
        .await?;
    let info = bot.call("getChat", json!({ "chat_id": group.id })).await?;
    assert_eq!(pinned(info), Some(older));
    bot.call("unpinChatMessage", json!({ "chat_id": group.id }))
        .await?;
    let info = bot.call("getChat", json!({ "chat_id": group.id })).await?;
    assert_eq!(pinned(info), None);
    Ok(())
}

#[tokio::test]
async fn create_chat_invite_link() -> R {
    let world = World::start().await?;
    let (_alice, bot, forum) = helpdesk(&world).await?;
    let weak = world.bot("weak_bot").await?;
    forum
        .add_admin(weak.id, json!({ "can_pin_messages": true }))
        .await?;
    assert_bad_request(
        weak.call("createChatInviteLink", json!({ "chat_id": forum.id }))
            .await,
        "Bad Request: not enough rights",
    );
    let link = bot
        .call(
            "createChatInviteLink",
            json!({ "chat_id": forum.id, "name": "Operators", "member_limit": 5 }),
        )
        .await?;
    let url = link["invite_link"].as_str().expect("invite_link");
    assert!(url.starts_with("https://t.me/+"), "{url}");
    assert!(url.len() > "https://t.me/+".len());
    assert_eq!(id(&link["creator"]["id"]), bot.id);
    assert_eq!(link["creates_join_request"], false);
    assert_eq!(link["is_primary"], false);
    assert_eq!(link["is_revoked"], false);
    assert_eq!(link["name"], "Operators");
    assert_eq!(link["member_limit"], 5);
    let (f, t): (
        frankenstein::types::ChatInviteLink,
        tgbot::types::ChatInviteLink,
    ) = both(&link);
    assert_eq!(f.invite_link, url);
    assert_eq!(f.member_limit, Some(5));
    assert_eq!(t.invite_link, url);
    assert_eq!(t.name.as_deref(), Some("Operators"));
    let other = bot
        .call("createChatInviteLink", json!({ "chat_id": forum.id }))
        .await?;
    assert_ne!(other["invite_link"], link["invite_link"]);
    Ok(())
}

// ----- errors by situation ---------------------------------------------------------------

#[tokio::test]
async fn blocked_and_deactivated_users_are_forbidden() -> R {
    let world = World::start().await?;
    let alice = world.user("Alice").await?;
    let bob = world.user("Bob").await?;
    let bot = world.bot("err_bot").await?;
    alice.start(&bot).await?;
    bob.start(&bot).await?;
    bot.updates().await?;

    alice.blocks(&bot).await?;
    assert_error(
        bot.says(alice.id, "hello?").await,
        403,
        "Forbidden: bot was blocked by the user",
    );
    let ups = bot.updates().await?;
    let mine = of_kind(&ups, "my_chat_member");
    assert_eq!(mine.len(), 1, "{ups:#?}");
    assert_eq!(mine[0]["new_chat_member"]["status"], "kicked");
    assert_eq!(mine[0]["chat"]["type"], "private");
    alice.unblocks(&bot).await?;
    bot.says(alice.id, "welcome back").await?;

    bob.deactivates().await?;
    assert_error(
        bot.says(bob.id, "hello?").await,
        403,
        "Forbidden: user is deactivated",
    );
    Ok(())
}

#[tokio::test]
async fn a_kicked_or_absent_bot_is_forbidden() -> R {
    let world = World::start().await?;
    let alice = world.user("Alice").await?;
    let bot = world.bot("kick_bot").await?;
    let sg = world.supergroup("Super", &alice).await?;
    sg.add(bot.id, "member").await?;
    bot.says(sg.id, "hi").await?;
    sg.kick(bot.id).await?;
    assert_error(
        bot.says(sg.id, "hi again").await,
        403,
        "Forbidden: bot was kicked from the supergroup chat",
    );
    let basic = world.group("Basic", &alice).await?;
    basic.add(bot.id, "member").await?;
    basic.kick(bot.id).await?;
    assert_error(
        bot.says(basic.id, "hi").await,
        403,
        "Forbidden: bot was kicked from the group chat",
    );
    let other = world.supergroup("Other", &alice).await?;
    other.add(bot.id, "member").await?;
    other.add(bot.id, "left").await?;
    let e = refused(bot.says(other.id, "hi").await);
    assert_eq!(e.code, 403, "{e:?}");
    assert_eq!(
        e.description,
        "Forbidden: bot is not a member of the supergroup chat"
    );
    Ok(())
}

#[tokio::test]
async fn a_migrated_group_points_to_its_supergroup() -> R {
    let world = World::start().await?;
    let alice = world.user("Alice").await?;
    let bot = world.bot("mig_bot").await?;
    let group = world.group("Team", &alice).await?;
    group.add(bot.id, "member").await?;
    bot.says(group.id, "before").await?;
    bot.updates().await?;
    let sg = group.migrate().await?;
    assert_ne!(sg.id, group.id);

    let e = assert_error(
        bot.says(group.id, "after").await,
        400,
        "Bad Request: group chat was upgraded to a supergroup chat",
    );
    assert_eq!(
        e.parameters,
        Some(json!({ "migrate_to_chat_id": sg.id })),
        "{e:?}"
    );
    let e = assert_error(
        bot.call("getChat", json!({ "chat_id": group.id })).await,
        400,
        "Bad Request: group chat was upgraded to a supergroup chat",
    );
    assert_eq!(e.parameters, Some(json!({ "migrate_to_chat_id": sg.id })));

    // The bot hears about the migration on both sides.
    let ups = bot.updates().await?;
    let msgs = of_kind(&ups, "message");
    assert!(
        msgs.iter()
            .any(|m| m["migrate_to_chat_id"] == json!(sg.id) && id(&m["chat"]["id"]) == group.id),
        "{ups:#?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m["migrate_from_chat_id"] == json!(group.id) && id(&m["chat"]["id"]) == sg.id),
        "{ups:#?}"
    );

    let sent = bot.says(sg.id, "after").await?;
    assert_eq!(sent["chat"]["type"], "supergroup");
    assert_eq!(alice.last_seen(&sg).await?["text"], "after");
    let info = bot.call("getChat", json!({ "chat_id": sg.id })).await?;
    assert_eq!(info["type"], "supergroup");
    assert_eq!(info["title"], "Team");
    Ok(())
}

#[tokio::test]
async fn channel_posts_need_can_post_messages() -> R {
    let world = World::start().await?;
    let alice = world.user("Alice").await?;
    let channel = world.channel("News", &alice).await?;
    let editor = world.bot("editor_bot").await?;
    channel
        .add_admin(editor.id, json!({ "can_delete_messages": true }))
        .await?;
    assert_error(
        editor.says(channel.id, "breaking").await,
        400,
        "Bad Request: need administrator rights in the channel chat",
    );
    let poster = world.bot("poster_bot").await?;
    channel
        .add_admin(poster.id, json!({ "can_post_messages": true }))
        .await?;
    let post = poster.says(channel.id, "breaking").await?;
    assert_eq!(post["chat"]["type"], "channel");
    assert_eq!(id(&post["sender_chat"]["id"]), channel.id);
    assert_eq!(alice.last_seen(&channel).await?["text"], "breaking");
    let member = poster
        .call(
            "getChatMember",
            json!({ "chat_id": channel.id, "user_id": poster.id }),
        )
        .await?;
    assert_eq!(member["can_post_messages"], true);
    assert!(member.get("can_manage_topics").is_none(), "{member}");
    both::<frankenstein::types::ChatMember, tgbot::types::ChatMember>(&member);
    Ok(())
}

// ----- people flows ----------------------------------------------------------------------

fn picker(request_id: i64) -> Value {
    json!({
        "keyboard": [[{
            "text": "Choose your support forum",
            "request_chat": {
                "request_id": request_id,
                "chat_is_channel": false,
                "chat_is_forum": true,
                "user_administrator_rights": full_rights(&["can_manage_topics", "can_promote_members"]),
                "bot_administrator_rights": full_rights(&["can_manage_topics", "can_delete_messages", "can_pin_messages"]),
                "request_title": true
            }
        }]],
        "one_time_keyboard": true,
        "resize_keyboard": true
    })
}

#[tokio::test]
async fn setup_chat_picker_makes_the_bot_an_admin_with_the_requested_rights() -> R {
    let world = World::start().await?;
    let alice = world.user("Alice").await?;
    let bot = world.bot("setup_bot").await?;
    let forum = world.forum("Helpdesk", &alice).await?;
    alice.start(&bot).await?;
    bot.updates().await?;

    let prompt = bot
        .call(
            "sendMessage",
            json!({ "chat_id": alice.id, "text": "Pick the forum", "reply_markup": picker(7) }),
        )
        .await?;
    assert!(
        prompt.get("reply_markup").is_none(),
        "reply keyboards are not part of the Message: {prompt}"
    );
    let shown = alice.last_seen(&bot).await?;
    assert_eq!(
        shown["reply_keyboard"]["keyboard"][0][0]["request_chat"]["request_id"],
        7
    );

    alice
        .shares_chat(&bot, id(&prompt["message_id"]), 7, &forum)
        .await?;
    let ups = bot.updates().await?;
    let msgs = of_kind(&ups, "message");
    let shared = msgs
        .iter()
        .find(|m| m.get("chat_shared").is_some())
        .unwrap_or_else(|| panic!("no chat_shared in {ups:#?}"));
    assert_eq!(shared["chat_shared"]["request_id"], 7);
    assert_eq!(id(&shared["chat_shared"]["chat_id"]), forum.id);
    assert_eq!(shared["chat_shared"]["title"], "Helpdesk");
    assert_eq!(id(&shared["chat"]["id"]), alice.id);
    assert_eq!(id(&shared["from"]["id"]), alice.id);
    let (f, t): (frankenstein::types::Message, tgbot::types::Message) = both(shared);
    assert_eq!(f.chat_shared.map(|c| c.chat_id), Some(forum.id));
    match t.data {
        tgbot::types::MessageData::ChatShared(c) => {
            assert_eq!(c.chat_id, forum.id);
            assert_eq!(c.request_id, 7);
        }
        other => panic!("tgbot sees {other:?}"),
    }
    let mine = of_kind(&ups, "my_chat_member");
    assert_eq!(mine.len(), 1, "{ups:#?}");
    assert_eq!(mine[0]["new_chat_member"]["status"], "administrator");
    assert_eq!(id(&mine[0]["chat"]["id"]), forum.id);
    both::<frankenstein::types::ChatMemberUpdated, tgbot::types::ChatMemberUpdated>(&mine[0]);

    let me = bot
        .call(
            "getChatMember",
            json!({ "chat_id": forum.id, "user_id": bot.id }),
        )
        .await?;
    assert_eq!(me["status"], "administrator");
    for (right, on) in [
        ("can_manage_topics", true),
        ("can_delete_messages", true),
        ("can_pin_messages", true),
        ("can_restrict_members", false),
        ("can_invite_users", false),
        ("can_change_info", false),
        ("can_promote_members", false),
        ("can_manage_video_chats", false),
    ] {
        assert_eq!(me[right], on, "{right} in {me}");
    }
    // And the bot can work in the forum right away.
    create_topic(&bot, &forum, "First ticket").await?;
    Ok(())
}

#[tokio::test]
async fn the_chat_picker_refuses_chats_that_do_not_fit() -> R {
    let world = World::start().await?;
    let alice = world.user("Alice").await?;
    let bob = world.user("Bob").await?;
    let bot = world.bot("setup_bot").await?;
    let plain = world.supergroup("Plain", &alice).await?;
    let channel = world.channel("News", &alice).await?;
    let forum = world.forum("Someone else's", &alice).await?;
    forum.add_member(&bob).await?;
    alice.start(&bot).await?;
    bob.start(&bot).await?;

    let to_alice = bot
        .call(
            "sendMessage",
            json!({ "chat_id": alice.id, "text": "Pick", "reply_markup": picker(1) }),
        )
        .await?;
    let mid = id(&to_alice["message_id"]);
    assert!(alice.shares_chat(&bot, mid, 1, &plain).await.is_err());
    assert!(alice.shares_chat(&bot, mid, 1, &channel).await.is_err());
    assert!(alice.shares_chat(&bot, mid, 2, &forum).await.is_err());

    // Bob is only a member of that forum: he lacks the rights the button asks for.
    let to_bob = bot
        .call(
            "sendMessage",
            json!({ "chat_id": bob.id, "text": "Pick", "reply_markup": picker(1) }),
        )
        .await?;
    assert!(
        bob.shares_chat(&bot, id(&to_bob["message_id"]), 1, &forum)
            .await
            .is_err()
    );
    bot.updates().await?;
    let not_member = bot
        .call(
            "getChatMember",
            json!({ "chat_id": forum.id, "user_id": bot.id }),
        )
        .await;
    assert!(not_member.is_err(), "the bot was not added: {not_member:?}");
    assert!(
        !alice
            .sees(&bot)
            .await?
            .iter()
            .any(|m| m.get("chat_shared").is_some())
    );
    Ok(())
}

#[tokio::test]
async fn startgroup_admin_deep_link_adds_the_bot_as_admin() -> R {
    let world = World::start().await?;
    let alice = world.user("Alice").await?;
    let bob = world.user("Bob").await?;
    let bot = world.bot("join_bot").await?;
    let forum = world.forum("Desk", &alice).await?;
    forum.add_member(&bob).await?;

    assert!(
        bob.adds_bot(&forum, &bot, Some(json!({ "can_manage_topics": true })))
            .await
            .is_err(),
        "a plain member cannot appoint administrators"
    );
    let member = alice
        .adds_bot(
            &forum,
            &bot,
            Some(json!({ "can_manage_topics": true, "can_pin_messages": true })),
        )
        .await?;
    assert_eq!(member["status"], "administrator");
    let ups = bot.updates().await?;
    let mine = of_kind(&ups, "my_chat_member");
    assert_eq!(mine.len(), 1, "{ups:#?}");
    assert_eq!(mine[0]["old_chat_member"]["status"], "left");
    assert_eq!(mine[0]["new_chat_member"]["status"], "administrator");
    assert_eq!(mine[0]["new_chat_member"]["can_manage_topics"], true);
    assert_eq!(id(&mine[0]["from"]["id"]), alice.id);
    both::<frankenstein::types::ChatMemberUpdated, tgbot::types::ChatMemberUpdated>(&mine[0]);
    let me = bot
        .call(
            "getChatMember",
            json!({ "chat_id": forum.id, "user_id": bot.id }),
        )
        .await?;
    assert_eq!(me["can_manage_topics"], true);
    assert_eq!(me["can_pin_messages"], true);
    assert_eq!(me["can_delete_messages"], false);
    assert!(
        with_key(&alice.sees(&forum).await?, "new_chat_members")
            .iter()
            .any(|m| id(&m["new_chat_members"][0]["id"]) == bot.id)
    );
    Ok(())
}

#[tokio::test]
async fn start_deep_link_payloads() -> R {
    let world = World::start().await?;
    let alice = world.user("Alice").await?;
    let bot = world.bot("link_bot").await?;
    alice.start_with(&bot, "ticket-42_x").await?;
    let ups = bot.updates().await?;
    let m = &of_kind(&ups, "message")[0];
    assert_eq!(m["text"], "/start ticket-42_x");
    assert_eq!(
        m["entities"][0],
        json!({ "type": "bot_command", "offset": 0, "length": 6 })
    );
    let longest = "A".repeat(64);
    alice.start_with(&bot, &longest).await?;
    assert_eq!(
        of_kind(&bot.updates().await?, "message")[0]["text"],
        format!("/start {longest}")
    );
    assert!(alice.start_with(&bot, &"A".repeat(65)).await.is_err());
    assert!(alice.start_with(&bot, "bad payload!").await.is_err());
    assert!(alice.start_with(&bot, "ümlaut").await.is_err());
    assert!(bot.updates().await?.is_empty());
    Ok(())
}

// ----- bot settings ----------------------------------------------------------------------

#[tokio::test]
async fn my_commands_per_scope_and_language() -> R {
    let world = World::start().await?;
    let alice = world.user("Alice").await?;
    let bot = world.bot("cmd_bot").await?;
    let forum = world.forum("Desk", &alice).await?;
    let default = json!([{ "command": "start", "description": "Start" }]);
    let private_de = json!([{ "command": "hilfe", "description": "Hilfe" }]);
    let chat_scope = json!({ "type": "chat", "chat_id": forum.id });
    let in_chat = json!([{ "command": "close", "description": "Close the ticket" }]);

    bot.call("setMyCommands", json!({ "commands": default }))
        .await?;
    bot.call(
        "setMyCommands",
        json!({ "commands": private_de, "scope": { "type": "all_private_chats" }, "language_code": "de" }),
    )
    .await?;
    bot.call(
        "setMyCommands",
        json!({ "commands": in_chat, "scope": chat_scope }),
    )
    .await?;

    assert_eq!(bot.call("getMyCommands", json!({})).await?, default);
    assert_eq!(
        bot.call(
            "getMyCommands",
            json!({ "scope": { "type": "all_private_chats" }, "language_code": "de" }),
        )
        .await?,
        private_de
    );
    assert_eq!(
        bot.call(
            "getMyCommands",
            json!({ "scope": { "type": "all_private_chats" } })
        )
        .await?,
        json!([])
    );
    assert_eq!(
        bot.call("getMyCommands", json!({ "scope": chat_scope }))
            .await?,
        in_chat
    );
    let (f, t): (
        Vec<frankenstein::types::BotCommand>,
        Vec<tgbot::types::BotCommand>,
    ) = both(&in_chat);
    assert_eq!(f[0].command, "close");
    assert_eq!(t.len(), 1);

    assert_error(
        bot.call(
            "setMyCommands",
            json!({ "commands": [{ "command": "Bad-Cmd", "description": "nope" }] }),
        )
        .await,
        400,
        "Bad Request: BOT_COMMAND_INVALID",
    );
    assert_eq!(bot.call("getMyCommands", json!({})).await?, default);

    bot.call(
        "deleteMyCommands",
        json!({ "scope": { "type": "all_private_chats" }, "language_code": "de" }),
    )
    .await?;
    assert_eq!(
        bot.call(
            "getMyCommands",
            json!({ "scope": { "type": "all_private_chats" }, "language_code": "de" }),
        )
        .await?,
        json!([])
    );
    assert_eq!(bot.call("getMyCommands", json!({})).await?, default);
    bot.call("deleteMyCommands", json!({})).await?;
    assert_eq!(bot.call("getMyCommands", json!({})).await?, json!([]));
    Ok(())
}

#[tokio::test]
async fn my_description_per_language() -> R {
    let world = World::start().await?;
    let bot = world.bot("desc_bot").await?;
    bot.call(
        "setMyDescription",
        json!({ "description": "We answer within a day." }),
    )
    .await?;
    bot.call(
        "setMyDescription",
        json!({ "description": "Wir antworten binnen eines Tages.", "language_code": "de" }),
    )
    .await?;
    assert_eq!(
        bot.call("getMyDescription", json!({})).await?,
        json!({ "description": "We answer within a day." })
    );
    let de = bot
        .call("getMyDescription", json!({ "language_code": "de" }))
        .await?;
    assert_eq!(
        de,
        json!({ "description": "Wir antworten binnen eines Tages." })
    );
    both::<frankenstein::types::BotDescription, tgbot::types::BotDescription>(&de);
    bot.call("setMyDescription", json!({ "description": "" }))
        .await?;
    assert_eq!(
        bot.call("getMyDescription", json!({})).await?,
        json!({ "description": "" })
    );
    Ok(())
}

#[tokio::test]
async fn log_out_locks_the_bot_out_for_ten_minutes() -> R {
    let world = World::start().await?;
    world.freeze_clock().await?;
    let bot = world.bot("out_bot").await?;
    bot.call("getMe", json!({})).await?;
    assert_eq!(bot.call("logOut", json!({})).await?, json!(true));
    assert_error(bot.call("getMe", json!({})).await, 401, "Unauthorized");
    world.advance_ms(9 * 60 * 1000).await?;
    assert_error(bot.call("getMe", json!({})).await, 401, "Unauthorized");
    world.advance_ms(61 * 1000).await?;
    let me = bot.call("getMe", json!({})).await?;
    assert_eq!(id(&me["id"]), bot.id);
    Ok(())
}

#[tokio::test]
async fn close_is_refused_in_the_first_ten_minutes() -> R {
    let world = World::start().await?;
    world.freeze_clock().await?;
    let bot = world.bot("close_bot").await?;
    bot.call("getMe", json!({})).await?;
    let e = refused(bot.call("close", json!({})).await);
    assert_eq!(e.status, 429, "{e:?}");
    assert_eq!(e.code, 429);
    let retry = e
        .parameters
        .as_ref()
        .and_then(|p| p["retry_after"].as_i64())
        .expect("retry_after");
    assert!((1..=600).contains(&retry), "{e:?}");
    assert_eq!(
        e.description,
        format!("Too Many Requests: retry after {retry}")
    );
    world.advance_ms(10 * 60 * 1000).await?;
    assert_eq!(bot.call("close", json!({})).await?, json!(true));
    Ok(())
}

/// The control API (not the Bot API) shows each message's millisecond date, and `/stats`
/// counts the messages stored in private chats and groups: what load generators time
/// copies and wait on.
#[tokio::test]
async fn control_api_shows_millisecond_dates_and_counts_messages() -> R {
    let world = World::start().await?;
    let (alice, bot) = private_chat(&world).await?;
    let before = world.stats().await?;
    let sent = alice
        .send(&bot, json!({ "text": "hello", "ms": true }))
        .await?;
    let date_ms = sent["date_ms"]
        .as_i64()
        .expect("date_ms in the /send answer");
    assert_eq!(date_ms / 1000, sent["date"].as_i64().unwrap_or_default());
    let seen = world
        .control_get(&format!("/timeline?as={}&chat={}&ms=1", alice.id, bot.id))
        .await?;
    let last = seen.as_array().and_then(|s| s.last()).cloned();
    assert_eq!(last.map(|m| m["date_ms"].clone()), Some(json!(date_ms)));
    // Unless asked, what the control API shows is the Bot API's Message as is.
    let plain = alice.sees(&bot).await?;
    assert!(
        plain.iter().all(|m| m.get("date_ms").is_none()),
        "{plain:?}"
    );
    let again = alice.says(&bot, "again").await?;
    assert!(again.get("date_ms").is_none(), "{again}");
    let after = world.stats().await?;
    assert_eq!(
        after["messages"]["private"].as_u64(),
        before["messages"]["private"].as_u64().map(|n| n + 2)
    );
    assert_eq!(after["messages"]["groups"], before["messages"]["groups"]);

    // What the bot receives is the Bot API's Message, without the emulator's field.
    let updates = bot.call("getUpdates", json!({})).await?;
    let last = updates
        .as_array()
        .and_then(|u| u.last())
        .cloned()
        .unwrap_or_default();
    assert_eq!(last["message"]["text"], "again");
    assert!(last["message"].get("date_ms").is_none(), "{last}");
    Ok(())
}
