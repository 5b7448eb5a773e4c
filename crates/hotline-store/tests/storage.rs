//! The storage contract, run on every backend (SQLite always, PostgreSQL when
//! HOTLINE_TEST_DATABASE_URL is set).

use hotline_core::dialog::{DialogKind, Topic};
use hotline_core::{
    ChatId, ConnectionId, ConnectionStatus, Direction, MessageId, Status, ThreadId, UpdateId,
    UserId,
};
use hotline_store::testing::stores;
use hotline_store::{
    Customer, MapEntry, Member, NewConnection, NewJob, SetupSession, Store, StoreError,
};

fn conn(bot: i64) -> NewConnection {
    NewConnection {
        name: format!("bot {bot}"),
        bot_user_id: UserId(bot),
        bot_username: format!("b{bot}_bot"),
        token_enc: "sealed".into(),
        group_chat_id: ChatId(-100_123),
        plan: "free".into(),
        admin_user_id: Some(UserId(500)),
        group_title: Some("Support".into()),
        api_key_enc: None,
        now_ms: 1_000,
    }
}

async fn each(f: impl AsyncFn(&'static str, Store) -> anyhow::Result<()>) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    for (label, store) in stores(dir.path()).await? {
        f(label, store.clone())
            .await
            .map_err(|e| e.context(format!("backend {label}")))?;
        store.close().await;
    }
    Ok(())
}

#[tokio::test]
async fn connections_are_unique_per_bot_and_follow_group_moves() -> anyhow::Result<()> {
    each(async |_, s| {
        let id = s.connections().add(&conn(7)).await?;
        let dup = s.connections().add(&conn(7)).await;
        assert!(
            matches!(dup, Err(StoreError::Conflict(m)) if m.contains(&format!("connection {id}")))
        );
        let c = s.connections().get(id).await?.expect("stored");
        assert_eq!(
            (c.bot_user_id, c.group_chat_id, c.enabled, c.update_offset),
            (UserId(7), ChatId(-100_123), true, 0)
        );
        let mut tx = s.begin().await?;
        let d = tx
            .dialogs()
            .create(
                id,
                ChatId(42),
                ChatId(-100_123),
                "Alice",
                DialogKind::Private,
                5,
            )
            .await?;
        tx.commit().await?;
        s.connections()
            .move_group(id, ChatId(-100_123), ChatId(-100_999))
            .await?;
        assert_eq!(
            s.connections()
                .get(id)
                .await?
                .expect("stored")
                .group_chat_id,
            ChatId(-100_999)
        );
        assert_eq!(
            s.dialogs().get(d).await?.expect("dialog").group_chat_id,
            ChatId(-100_999)
        );
        s.connections().set_enabled(id, false).await?;
        s.connections()
            .set_status(id, ConnectionStatus::Error, Some("token revoked"))
            .await?;
        let c = s.connections().get(id).await?.expect("stored");
        assert!(!c.enabled);
        assert_eq!(c.status_error.as_deref(), Some("token revoked"));
        s.connections().delete(id).await?;
        assert!(s.connections().get(id).await?.is_none());
        assert!(s.dialogs().get(d).await?.is_none());
        Ok(())
    })
    .await
}

#[tokio::test]
async fn inbox_is_idempotent_and_advances_the_offset() -> anyhow::Result<()> {
    each(async |_, s| {
        let id = s.connections().add(&conn(8)).await?;
        let batch = vec![
            (UpdateId(100), "{\"a\":1}".to_string()),
            (UpdateId(101), "{\"b\":2}".to_string()),
        ];
        assert_eq!(s.inbox().put(id, &batch, 10).await?, 2);
        // Telegram may deliver the same updates again: nothing doubles.
        assert_eq!(s.inbox().put(id, &batch, 11).await?, 0);
        assert_eq!(s.inbox().update_offset(id).await?, 102);
        // More than one statement's worth, one update twice and some already stored: each
        // new one is stored once and counted once.
        let other = s.connections().add(&conn(9)).await?;
        let mut many: Vec<(UpdateId, String)> = (0..230)
            .map(|i| (UpdateId(500 + i), format!("{{\"n\":{i}}}")))
            .collect();
        many.push((UpdateId(500), "{\"again\":true}".to_string()));
        assert_eq!(s.inbox().put(other, &many[..50], 5).await?, 50);
        assert_eq!(s.inbox().put(other, &many, 6).await?, 180);
        assert_eq!(s.inbox().update_offset(other).await?, 730);
        assert_eq!(s.inbox().pending(other, 1000).await?.len(), 230);
        let pending = s.inbox().pending(id, 10).await?;
        assert_eq!(
            pending.iter().map(|i| i.update_id).collect::<Vec<_>>(),
            vec![UpdateId(100), UpdateId(101)]
        );
        let mut tx = s.begin().await?;
        assert!(tx.inbox().mark_processed(id, UpdateId(100), 20).await?);
        assert!(
            !tx.inbox().mark_processed(id, UpdateId(100), 21).await?,
            "processed exactly once"
        );
        tx.commit().await?;
        // A rolled-back unit of work leaves the update pending.
        let mut tx = s.begin().await?;
        assert!(tx.inbox().mark_processed(id, UpdateId(101), 22).await?);
        drop(tx);
        assert_eq!(s.inbox().pending(id, 10).await?.len(), 1);
        // A batch mark returns only what nobody processed before.
        s.inbox()
            .put(
                id,
                &[
                    (UpdateId(102), "{}".to_string()),
                    (UpdateId(103), "{}".to_string()),
                ],
                23,
            )
            .await?;
        let mut tx = s.begin().await?;
        let mut fresh = tx
            .inbox()
            .mark_processed_batch(id, &[UpdateId(100), UpdateId(102), UpdateId(103)], 24)
            .await?;
        fresh.sort_unstable();
        assert_eq!(fresh, vec![UpdateId(102), UpdateId(103)]);
        assert!(
            tx.inbox()
                .mark_processed_batch(id, &[UpdateId(102)], 25)
                .await?
                .is_empty()
        );
        tx.commit().await?;
        // Bounded: two at most this time, the rest next time.
        assert_eq!(s.inbox().prune(id, 1_000, 2).await?, 2);
        assert_eq!(s.inbox().prune(id, 1_000, 2).await?, 1);
        s.maintain().await?;
        assert_eq!(
            s.inbox().update_offset(id).await?,
            104,
            "the offset survives pruning"
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn customers_dialogs_and_message_maps() -> anyhow::Result<()> {
    each(async |_, s| {
        let id = s.connections().add(&conn(9)).await?;
        let mut tx = s.begin().await?;
        let mut c = Customer {
            connection_id: id,
            chat_id: ChatId(42),
            first_name: "Zoë 👩‍💻".into(),
            last_name: None,
            username: Some("zoe".into()),
            language_code: Some("de".into()),
            first_seen: 1,
            last_seen: 1,
            unreachable: None,
            phone: None,
            start_payload: None,
        };
        tx.customers().upsert(&c).await?;
        c.first_name = "Zoë".into();
        c.last_seen = 5;
        c.first_seen = 5;
        tx.customers().upsert(&c).await?;
        let d = tx
            .dialogs()
            .create(
                id,
                ChatId(42),
                ChatId(-100_123),
                "Zoë",
                DialogKind::Private,
                5,
            )
            .await?;
        assert!(tx.dialogs().for_customer(id, ChatId(42)).await?.is_some());
        tx.commit().await?;
        let stored = s.customers().get(id, ChatId(42)).await?.expect("customer");
        assert_eq!(
            (
                stored.first_name.as_str(),
                stored.first_seen,
                stored.last_seen
            ),
            ("Zoë", 1, 5)
        );
        s.customers()
            .set_unreachable(id, ChatId(42), Some("blocked"))
            .await?;
        assert_eq!(
            s.customers()
                .get(id, ChatId(42))
                .await?
                .expect("c")
                .unreachable
                .as_deref(),
            Some("blocked")
        );

        s.dialogs().set_thread(d, Some(ThreadId(77)), 6).await?;
        let mut tx = s.begin().await?;
        assert_eq!(
            tx.dialogs()
                .by_thread(id, ChatId(-100_123), ThreadId(77))
                .await?
                .map(|x| x.id),
            Some(d)
        );
        let e = MapEntry {
            dialog_id: d,
            customer_chat_id: ChatId(42),
            customer_message_id: MessageId(3),
            group_chat_id: ChatId(-100_123),
            group_message_id: MessageId(80),
            direction: Direction::In,
        };
        tx.maps().put(id, &e, 7).await?;
        tx.commit().await?;
        assert_eq!(
            s.maps()
                .by_group(id, ChatId(-100_123), MessageId(80))
                .await?,
            Some(e.clone())
        );
        // Redelivery into a recreated topic moves the mapping.
        let moved = MapEntry {
            group_message_id: MessageId(95),
            ..e.clone()
        };
        s.maps().put(id, &moved, 8).await?;
        assert_eq!(
            s.maps().by_customer(id, ChatId(42), MessageId(3)).await?,
            Some(moved)
        );
        assert!(
            s.maps()
                .by_group(id, ChatId(-100_123), MessageId(80))
                .await?
                .is_none()
        );
        assert_eq!(s.maps().count(id).await?, 1);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn outbox_lanes_priorities_and_coalescing() -> anyhow::Result<()> {
    each(async |_, s| {
        let id = s.connections().add(&conn(10)).await?;
        let job = |lane: &str, priority, kind: &str, key: Option<&str>| NewJob {
            lane: lane.into(),
            priority,
            kind: kind.into(),
            payload: "{}".into(),
            coalesce_key: key.map(str::to_string),
            not_before: 0,
        };
        let a1 = s
            .outbox()
            .push(id, &job("-100", 0, "copy", None), 1)
            .await?;
        let _a2 = s
            .outbox()
            .push(id, &job("-100", 0, "copy", None), 2)
            .await?;
        let b1 = s.outbox().push(id, &job("42", 0, "copy", None), 3).await?;
        let t1 = s
            .outbox()
            .push(id, &job("-100#titles", 2, "rename", Some("title:5")), 4)
            .await?;
        let t2 = s
            .outbox()
            .push(id, &job("-100#titles", 2, "rename", Some("title:5")), 5)
            .await?;
        assert_eq!(
            s.outbox().len(id).await?,
            4,
            "the older rename was replaced"
        );
        let heads: Vec<_> = s.outbox().heads(id).await?.iter().map(|j| j.id).collect();
        assert_eq!(heads, vec![a1, b1, t2]);
        assert!(!heads.contains(&t1));
        s.outbox().retry(a1, 99, "429").await?;
        let head = s
            .outbox()
            .heads(id)
            .await?
            .into_iter()
            .find(|j| j.id == a1)
            .expect("still head");
        assert_eq!(
            (head.not_before, head.attempts, head.last_error.as_deref()),
            (99, 1, Some("429"))
        );
        s.outbox().update_payload(a1, "{\"thread\":5}").await?;
        s.outbox().done(a1).await?;
        let heads = s.outbox().heads(id).await?;
        assert_eq!(heads[0].kind, "copy");
        assert_ne!(heads[0].id, a1);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn many_completions_commit_in_one_call() -> anyhow::Result<()> {
    each(async |_, s| {
        let id = s.connections().add(&conn(11)).await?;
        let other = s.connections().add(&conn(12)).await?;
        let d = s
            .dialogs()
            .create(
                id,
                ChatId(42),
                ChatId(-100_123),
                "Zoë",
                DialogKind::Private,
                1,
            )
            .await?;
        let job = |lane: &str| NewJob {
            lane: lane.into(),
            priority: 0,
            kind: "copy".into(),
            payload: "{}".into(),
            coalesce_key: None,
            not_before: 0,
        };
        let mut ids = Vec::new();
        for i in 0..250 {
            ids.push(s.outbox().push(id, &job(&format!("topic:{i}")), 1).await?);
        }
        let kept = s.outbox().push(id, &job("topic:0"), 2).await?;
        let foreign = s.outbox().push(other, &job("topic:0"), 2).await?;
        let pair = |customer_message: i64, group_message: i64| MapEntry {
            dialog_id: d,
            customer_chat_id: ChatId(42),
            customer_message_id: MessageId(customer_message),
            group_chat_id: ChatId(-100_123),
            group_message_id: MessageId(group_message),
            direction: Direction::In,
        };
        // 150 pairs (two statements' worth), one customer message paired twice: the
        // later pair wins, as it would one statement at a time.
        let mut pairs: Vec<MapEntry> = (1..=150).map(|m| pair(m, 1000 + m)).collect();
        pairs.push(pair(7, 5000));
        // A job of another connection named by mistake is left alone.
        let mut done = ids.clone();
        done.push(foreign);
        s.outbox().complete(id, &pairs, &done, 9).await?;
        assert_eq!(s.maps().count(id).await?, 150);
        assert_eq!(
            s.maps()
                .by_customer(id, ChatId(42), MessageId(7))
                .await?
                .map(|e| e.group_message_id),
            Some(MessageId(5000))
        );
        assert_eq!(
            s.maps()
                .by_customer(id, ChatId(42), MessageId(150))
                .await?
                .map(|e| e.group_message_id),
            Some(MessageId(1150))
        );
        let left: Vec<_> = s.outbox().heads(id).await?.iter().map(|j| j.id).collect();
        assert_eq!(left, vec![kept]);
        assert_eq!(s.outbox().len(other).await?, 1);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_business_frontend_is_recorded_and_replaced_without_a_settings_change()
-> anyhow::Result<()> {
    each(async |_, s| {
        let id = s.connections().add(&conn(12)).await?;
        let c = s.connections().get(id).await?.expect("stored");
        assert_eq!((c.kind.as_str(), c.business.as_deref()), ("bot", None));
        let v0 = s.connections().settings_version(id).await?;
        s.connections().set_business(id, r#"{"id":"a"}"#).await?;
        s.connections().set_business(id, r#"{"id":"b"}"#).await?;
        let c = s.connections().get(id).await?.expect("stored");
        assert_eq!(
            (c.kind.as_str(), c.business.as_deref()),
            ("business", Some(r#"{"id":"b"}"#))
        );
        assert_eq!(s.connections().settings_version(id).await?, v0);
        assert!(matches!(
            s.connections()
                .set_business(ConnectionId(9_999), "{}")
                .await,
            Err(StoreError::Conflict(_))
        ));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn settings_changes_bump_the_version_and_roles_round_trip() -> anyhow::Result<()> {
    each(async |_, s| {
        let id = s.connections().add(&conn(11)).await?;
        let c = s.connections().get(id).await?.expect("stored");
        assert_eq!(
            (
                c.admin_user_id,
                c.language.as_str(),
                c.default_role.as_str()
            ),
            (Some(UserId(500)), "en", "operator")
        );
        let v0 = s
            .connections()
            .settings_version(id)
            .await?
            .expect("version");
        s.connections()
            .set_params(id, r#"{"AUTOCLOSE":"24"}"#)
            .await?;
        s.connections().set_plan(id, "paid").await?;
        s.connections().set_language(id, "ru").await?;
        s.connections().set_default_role(id, "observer").await?;
        s.members()
            .set_role(id, UserId(7), Some("supervisor"))
            .await?;
        s.members()
            .set_role(id, UserId(8), Some("observer"))
            .await?;
        s.members().set_role(id, UserId(8), Some("admin")).await?;
        s.members().set_role(id, UserId(7), None).await?;
        assert_eq!(s.connections().settings_version(id).await?, Some(v0 + 8));
        let c = s.connections().get(id).await?.expect("stored");
        assert_eq!(
            (
                c.params.as_str(),
                c.plan.as_str(),
                c.language.as_str(),
                c.default_role.as_str()
            ),
            (r#"{"AUTOCLOSE":"24"}"#, "paid", "ru", "observer")
        );
        assert_eq!(
            s.members().roles(id).await?,
            vec![(UserId(8), "admin".to_string())]
        );
        assert!(matches!(
            s.connections()
                .set_plan(ConnectionId(id.0 + 100), "paid")
                .await,
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(
            s.connections()
                .settings_version(ConnectionId(id.0 + 100))
                .await?,
            None
        );
        // Inside a unit of work (/ban): the same counter moves.
        let mut tx = s.begin().await?;
        let (v, params) = tx.connections().params_now(id).await?.expect("stored");
        assert_eq!((v, params.as_str()), (v0 + 8, r#"{"AUTOCLOSE":"24"}"#));
        assert!(tx.connections().set_params_if(id, v, "{}").await?);
        tx.commit().await?;
        assert_eq!(s.connections().settings_version(id).await?, Some(v0 + 9));
        // Compare and set: a change read before another one landed writes nothing.
        assert!(
            !s.connections()
                .set_params_if(id, v0 + 8, r#"{"AUTOCLOSE":"1"}"#)
                .await?
        );
        assert!(
            !s.members()
                .set_role_if(id, v0 + 8, UserId(9), Some("admin"))
                .await?
        );
        assert_eq!(s.connections().get(id).await?.expect("stored").params, "{}");
        assert_eq!(
            s.members().roles(id).await?,
            vec![(UserId(8), "admin".to_string())]
        );
        assert!(
            s.connections()
                .set_params_if(id, v0 + 9, r#"{"AUTOCLOSE":"1"}"#)
                .await?
        );
        assert!(
            s.members()
                .set_role_if(id, v0 + 10, UserId(9), Some("admin"))
                .await?
        );
        assert_eq!(s.connections().settings_version(id).await?, Some(v0 + 11));
        assert!(matches!(
            s.members()
                .set_role_if(ConnectionId(id.0 + 100), 1, UserId(9), None)
                .await,
            Err(StoreError::Conflict(_))
        ));
        s.connections().delete(id).await?;
        assert!(s.members().roles(id).await?.is_empty());
        Ok(())
    })
    .await
}

#[tokio::test]
async fn dialog_state_and_autoclose_candidates() -> anyhow::Result<()> {
    each(async |_, s| {
        let id = s.connections().add(&conn(12)).await?;
        let mut tx = s.begin().await?;
        let mut ids = Vec::new();
        for chat in [1, 2, 3, 4] {
            ids.push(
                tx.dialogs()
                    .create(
                        id,
                        ChatId(chat),
                        ChatId(-100_123),
                        "x",
                        DialogKind::Private,
                        5,
                    )
                    .await?,
            );
        }
        let fresh = tx.dialogs().get(ids[0]).await?.expect("dialog");
        assert_eq!(
            (fresh.status, fresh.topic, fresh.kind),
            (Status::Closed, Topic::NotCreated, DialogKind::Private)
        );
        assert_eq!(
            (fresh.welcomed, fresh.openings, fresh.last_answer_ms),
            (false, 0, None)
        );
        // 1: answered at 100; 2: answered at 100 but the customer wrote after; 3: answered
        // at 900; 4: waiting.
        let states = [
            (Status::Answered, Some(50), Some(100)),
            (Status::Answered, Some(150), Some(100)),
            (Status::Answered, None, Some(900)),
            (Status::Waiting, Some(100), Some(50)),
        ];
        for (d, (status, customer, answer)) in ids.iter().zip(states) {
            let mut row = tx.dialogs().get(*d).await?.expect("dialog");
            row.status = status;
            row.topic = Topic::Exists;
            row.last_customer_ms = customer;
            row.last_answer_ms = answer;
            row.welcomed = true;
            row.openings = 2;
            tx.dialogs().save_state(&row, 10).await?;
        }
        tx.commit().await?;
        let stored = s.dialogs().get(ids[0]).await?.expect("dialog");
        assert_eq!(
            (
                stored.topic,
                stored.welcomed,
                stored.openings,
                stored.updated_at
            ),
            (Topic::Exists, true, 2, 10)
        );
        let due: Vec<_> = s
            .dialogs()
            .autoclose_candidates(id, 500)
            .await?
            .iter()
            .map(|d| d.id)
            .collect();
        assert_eq!(due, vec![ids[0]]);
        let due: Vec<_> = s
            .dialogs()
            .autoclose_candidates(id, 900)
            .await?
            .iter()
            .map(|d| d.id)
            .collect();
        assert_eq!(due, vec![ids[0], ids[2]]);
        assert_eq!(s.dialogs().oldest_answer(id).await?, Some(100));
        assert_eq!(
            s.dialogs().oldest_answer(ConnectionId(id.0 + 1)).await?,
            None
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn setup_sessions_members_and_admin_lists() -> anyhow::Result<()> {
    each(async |_, store| {
        let a = store.connections().add(&conn(1)).await?;
        let b = store.connections().add(&conn(2)).await?;
        store
            .members()
            .set_role(b, UserId(600), Some("admin"))
            .await?;
        store
            .members()
            .set_role(a, UserId(600), Some("operator"))
            .await?;
        let ids = |v: Vec<hotline_store::Connection>| v.iter().map(|c| c.id).collect::<Vec<_>>();
        assert_eq!(
            ids(store.connections().of_admin(UserId(500)).await?),
            vec![a, b]
        );
        assert_eq!(
            ids(store.connections().of_admin(UserId(600)).await?),
            vec![b],
            "operators administer nothing"
        );
        assert!(store.connections().of_admin(UserId(700)).await?.is_empty());

        assert_eq!(store.setups().get(UserId(500)).await?, None);
        let mut s = SetupSession {
            user_id: UserId(500),
            language: None,
            state: r#"{"await":"token"}"#.into(),
        };
        store.setups().save(&s, 10).await?;
        s.language = Some("de".into());
        s.state = r#"{"await":"group","code":"x1"}"#.into();
        store.setups().save(&s, 11).await?;
        assert_eq!(store.setups().get(UserId(500)).await?, Some(s.clone()));
        assert_eq!(
            store.setups().containing(r#""await":"group""#).await?,
            vec![s]
        );

        assert_eq!(store.kv().get("setup_offset").await?, None);
        store.kv().set("setup_offset", "5").await?;
        store.kv().set("setup_offset", "9").await?;
        assert_eq!(store.kv().get("setup_offset").await?.as_deref(), Some("9"));

        let m = Member {
            user_id: UserId(600),
            username: Some("Oleg_Ops".into()),
            first_name: "Oleg".into(),
        };
        store.members().seen(a, &m, 5).await?;
        assert_eq!(
            store.members().by_username(a, "oleg_ops").await?,
            Some(m.clone())
        );
        assert_eq!(
            store.members().by_username(b, "oleg_ops").await?,
            None,
            "per connection"
        );
        assert_eq!(store.members().get(a, UserId(600)).await?, Some(m));

        store.connections().set_api_key(a, "sealed-key").await?;
        assert_eq!(
            store
                .connections()
                .get(a)
                .await?
                .and_then(|c| c.api_key_enc)
                .as_deref(),
            Some("sealed-key")
        );
        assert!(matches!(
            store
                .connections()
                .set_api_key(ConnectionId(999), "k")
                .await,
            Err(StoreError::Conflict(_))
        ));
        store.connections().delete(a).await?;
        assert_eq!(store.members().get(a, UserId(600)).await?, None);
        Ok(())
    })
    .await
}
