//! The storage contract, run on every backend (SQLite always, PostgreSQL when
//! HOTLINE_TEST_DATABASE_URL is set).

use hotline_store::testing::stores;
use hotline_store::{
    Customer, MapEntry, Member, NewConnection, NewJob, SetupSession, Store, StoreError,
};

fn conn(bot: i64) -> NewConnection {
    NewConnection {
        name: format!("bot {bot}"),
        bot_user_id: bot,
        bot_username: format!("b{bot}_bot"),
        token_enc: "sealed".into(),
        group_chat_id: -100_123,
        plan: "free".into(),
        admin_user_id: Some(500),
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
        let id = s.add_connection(&conn(7)).await?;
        let dup = s.add_connection(&conn(7)).await;
        assert!(
            matches!(dup, Err(StoreError::Conflict(m)) if m.contains(&format!("connection {id}")))
        );
        let c = s.connection(id).await?.expect("stored");
        assert_eq!(
            (c.bot_user_id, c.group_chat_id, c.enabled, c.update_offset),
            (7, -100_123, true, 0)
        );
        let mut tx = s.begin().await?;
        let d = tx
            .create_dialog(id, 42, -100_123, "Alice", "private", 5)
            .await?;
        tx.commit().await?;
        s.move_group(id, -100_123, -100_999).await?;
        assert_eq!(
            s.connection(id).await?.expect("stored").group_chat_id,
            -100_999
        );
        assert_eq!(s.dialog(d).await?.expect("dialog").group_chat_id, -100_999);
        s.set_enabled(id, false).await?;
        s.set_status(id, "error", Some("token revoked")).await?;
        let c = s.connection(id).await?.expect("stored");
        assert!(!c.enabled);
        assert_eq!(c.status_error.as_deref(), Some("token revoked"));
        s.delete_connection(id).await?;
        assert!(s.connection(id).await?.is_none());
        assert!(s.dialog(d).await?.is_none());
        Ok(())
    })
    .await
}

#[tokio::test]
async fn inbox_is_idempotent_and_advances_the_offset() -> anyhow::Result<()> {
    each(async |_, s| {
        let id = s.add_connection(&conn(8)).await?;
        let batch = vec![
            (100, "{\"a\":1}".to_string()),
            (101, "{\"b\":2}".to_string()),
        ];
        assert_eq!(s.inbox_put(id, &batch, 10).await?, 2);
        // Telegram may deliver the same updates again: nothing doubles.
        assert_eq!(s.inbox_put(id, &batch, 11).await?, 0);
        assert_eq!(s.update_offset(id).await?, 102);
        let pending = s.inbox_pending(id, 10).await?;
        assert_eq!(
            pending.iter().map(|i| i.update_id).collect::<Vec<_>>(),
            vec![100, 101]
        );
        let mut tx = s.begin().await?;
        assert!(tx.mark_processed(id, 100, 20).await?);
        assert!(
            !tx.mark_processed(id, 100, 21).await?,
            "processed exactly once"
        );
        tx.commit().await?;
        // A rolled-back unit of work leaves the update pending.
        let mut tx = s.begin().await?;
        assert!(tx.mark_processed(id, 101, 22).await?);
        drop(tx);
        assert_eq!(s.inbox_pending(id, 10).await?.len(), 1);
        // A batch mark returns only what nobody processed before.
        s.inbox_put(id, &[(102, "{}".to_string()), (103, "{}".to_string())], 23)
            .await?;
        let mut tx = s.begin().await?;
        let mut fresh = tx.mark_processed_batch(id, &[100, 102, 103], 24).await?;
        fresh.sort_unstable();
        assert_eq!(fresh, vec![102, 103]);
        assert!(tx.mark_processed_batch(id, &[102], 25).await?.is_empty());
        tx.commit().await?;
        assert_eq!(s.inbox_prune(id, 1_000).await?, 3);
        s.maintain().await?;
        assert_eq!(
            s.update_offset(id).await?,
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
        let id = s.add_connection(&conn(9)).await?;
        let mut tx = s.begin().await?;
        let mut c = Customer {
            connection_id: id,
            chat_id: 42,
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
        tx.upsert_customer(&c).await?;
        c.first_name = "Zoë".into();
        c.last_seen = 5;
        c.first_seen = 5;
        tx.upsert_customer(&c).await?;
        let d = tx
            .create_dialog(id, 42, -100_123, "Zoë", "private", 5)
            .await?;
        assert!(tx.dialog_for_customer(id, 42).await?.is_some());
        tx.commit().await?;
        let stored = s.customer(id, 42).await?.expect("customer");
        assert_eq!(
            (
                stored.first_name.as_str(),
                stored.first_seen,
                stored.last_seen
            ),
            ("Zoë", 1, 5)
        );
        s.set_unreachable(id, 42, Some("blocked")).await?;
        assert_eq!(
            s.customer(id, 42).await?.expect("c").unreachable.as_deref(),
            Some("blocked")
        );

        s.set_dialog_thread(d, Some(77), 6).await?;
        let mut tx = s.begin().await?;
        assert_eq!(
            tx.dialog_by_thread(id, -100_123, 77).await?.map(|x| x.id),
            Some(d)
        );
        let e = MapEntry {
            dialog_id: d,
            customer_chat_id: 42,
            customer_message_id: 3,
            group_chat_id: -100_123,
            group_message_id: 80,
            direction: "in".into(),
        };
        tx.map_put(id, &e, 7).await?;
        tx.commit().await?;
        assert_eq!(s.map_by_group(id, -100_123, 80).await?, Some(e.clone()));
        // Redelivery into a recreated topic moves the mapping.
        let moved = MapEntry {
            group_message_id: 95,
            ..e.clone()
        };
        s.map_put(id, &moved, 8).await?;
        assert_eq!(s.map_by_customer(id, 42, 3).await?, Some(moved));
        assert!(s.map_by_group(id, -100_123, 80).await?.is_none());
        assert_eq!(s.map_count(id).await?, 1);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn outbox_lanes_priorities_and_coalescing() -> anyhow::Result<()> {
    each(async |_, s| {
        let id = s.add_connection(&conn(10)).await?;
        let job = |lane: &str, priority, kind: &str, key: Option<&str>| NewJob {
            lane: lane.into(),
            priority,
            kind: kind.into(),
            payload: "{}".into(),
            coalesce_key: key.map(str::to_string),
            not_before: 0,
        };
        let a1 = s.outbox_push(id, &job("-100", 0, "copy", None), 1).await?;
        let _a2 = s.outbox_push(id, &job("-100", 0, "copy", None), 2).await?;
        let b1 = s.outbox_push(id, &job("42", 0, "copy", None), 3).await?;
        let t1 = s
            .outbox_push(id, &job("-100#titles", 2, "rename", Some("title:5")), 4)
            .await?;
        let t2 = s
            .outbox_push(id, &job("-100#titles", 2, "rename", Some("title:5")), 5)
            .await?;
        assert_eq!(s.outbox_len(id).await?, 4, "the older rename was replaced");
        let heads: Vec<i64> = s.outbox_heads(id).await?.iter().map(|j| j.id).collect();
        assert_eq!(heads, vec![a1, b1, t2]);
        assert!(!heads.contains(&t1));
        s.outbox_retry(a1, 99, "429").await?;
        let head = s
            .outbox_heads(id)
            .await?
            .into_iter()
            .find(|j| j.id == a1)
            .expect("still head");
        assert_eq!(
            (head.not_before, head.attempts, head.last_error.as_deref()),
            (99, 1, Some("429"))
        );
        s.outbox_update_payload(a1, "{\"thread\":5}").await?;
        s.outbox_done(a1).await?;
        let heads = s.outbox_heads(id).await?;
        assert_eq!(heads[0].kind, "copy");
        assert_ne!(heads[0].id, a1);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn settings_changes_bump_the_version_and_roles_round_trip() -> anyhow::Result<()> {
    each(async |_, s| {
        let id = s.add_connection(&conn(11)).await?;
        let c = s.connection(id).await?.expect("stored");
        assert_eq!(
            (
                c.admin_user_id,
                c.language.as_str(),
                c.default_role.as_str()
            ),
            (Some(500), "en", "operator")
        );
        let v0 = s.settings_version(id).await?.expect("version");
        s.set_params(id, r#"{"AUTOCLOSE":"24"}"#).await?;
        s.set_plan(id, "paid").await?;
        s.set_language(id, "ru").await?;
        s.set_default_role(id, "observer").await?;
        s.set_role(id, 7, Some("supervisor")).await?;
        s.set_role(id, 8, Some("observer")).await?;
        s.set_role(id, 8, Some("admin")).await?;
        s.set_role(id, 7, None).await?;
        assert_eq!(s.settings_version(id).await?, Some(v0 + 8));
        let c = s.connection(id).await?.expect("stored");
        assert_eq!(
            (
                c.params.as_str(),
                c.plan.as_str(),
                c.language.as_str(),
                c.default_role.as_str()
            ),
            (r#"{"AUTOCLOSE":"24"}"#, "paid", "ru", "observer")
        );
        assert_eq!(s.roles(id).await?, vec![(8, "admin".to_string())]);
        assert!(matches!(
            s.set_plan(id + 100, "paid").await,
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(s.settings_version(id + 100).await?, None);
        // Inside a unit of work (/ban): the same counter moves.
        let mut tx = s.begin().await?;
        let (v, params) = tx.params_now(id).await?.expect("stored");
        assert_eq!((v, params.as_str()), (v0 + 8, r#"{"AUTOCLOSE":"24"}"#));
        assert!(tx.set_params_if(id, v, "{}").await?);
        tx.commit().await?;
        assert_eq!(s.settings_version(id).await?, Some(v0 + 9));
        // Compare and set: a change read before another one landed writes nothing.
        assert!(!s.set_params_if(id, v0 + 8, r#"{"AUTOCLOSE":"1"}"#).await?);
        assert!(!s.set_role_if(id, v0 + 8, 9, Some("admin")).await?);
        assert_eq!(s.connection(id).await?.expect("stored").params, "{}");
        assert_eq!(s.roles(id).await?, vec![(8, "admin".to_string())]);
        assert!(s.set_params_if(id, v0 + 9, r#"{"AUTOCLOSE":"1"}"#).await?);
        assert!(s.set_role_if(id, v0 + 10, 9, Some("admin")).await?);
        assert_eq!(s.settings_version(id).await?, Some(v0 + 11));
        assert!(matches!(
            s.set_role_if(id + 100, 1, 9, None).await,
            Err(StoreError::Conflict(_))
        ));
        s.delete_connection(id).await?;
        assert!(s.roles(id).await?.is_empty());
        Ok(())
    })
    .await
}

#[tokio::test]
async fn dialog_state_and_autoclose_candidates() -> anyhow::Result<()> {
    each(async |_, s| {
        let id = s.add_connection(&conn(12)).await?;
        let mut tx = s.begin().await?;
        let mut ids = Vec::new();
        for chat in [1, 2, 3, 4] {
            ids.push(
                tx.create_dialog(id, chat, -100_123, "x", "private", 5)
                    .await?,
            );
        }
        let fresh = tx.dialog(ids[0]).await?.expect("dialog");
        assert_eq!(
            (
                fresh.status.as_str(),
                fresh.topic.as_str(),
                fresh.kind.as_str()
            ),
            ("closed", "none", "private")
        );
        assert_eq!(
            (fresh.welcomed, fresh.openings, fresh.last_answer_ms),
            (false, 0, None)
        );
        // 1: answered at 100; 2: answered at 100 but the customer wrote after; 3: answered
        // at 900; 4: waiting.
        let states = [
            ("answered", Some(50), Some(100)),
            ("answered", Some(150), Some(100)),
            ("answered", None, Some(900)),
            ("waiting", Some(100), Some(50)),
        ];
        for (d, (status, customer, answer)) in ids.iter().zip(states) {
            let mut row = tx.dialog(*d).await?.expect("dialog");
            row.status = status.into();
            row.topic = "exists".into();
            row.last_customer_ms = customer;
            row.last_answer_ms = answer;
            row.welcomed = true;
            row.openings = 2;
            tx.save_dialog_state(&row, 10).await?;
        }
        tx.commit().await?;
        let stored = s.dialog(ids[0]).await?.expect("dialog");
        assert_eq!(
            (
                stored.topic.as_str(),
                stored.welcomed,
                stored.openings,
                stored.updated_at
            ),
            ("exists", true, 2, 10)
        );
        let due: Vec<i64> = s
            .autoclose_candidates(id, 500)
            .await?
            .iter()
            .map(|d| d.id)
            .collect();
        assert_eq!(due, vec![ids[0]]);
        let due: Vec<i64> = s
            .autoclose_candidates(id, 900)
            .await?
            .iter()
            .map(|d| d.id)
            .collect();
        assert_eq!(due, vec![ids[0], ids[2]]);
        assert_eq!(s.oldest_answer(id).await?, Some(100));
        assert_eq!(s.oldest_answer(id + 1).await?, None);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn setup_sessions_members_and_admin_lists() -> anyhow::Result<()> {
    each(async |_, store| {
        let a = store.add_connection(&conn(1)).await?;
        let b = store.add_connection(&conn(2)).await?;
        store.set_role(b, 600, Some("admin")).await?;
        store.set_role(a, 600, Some("operator")).await?;
        let ids = |v: Vec<hotline_store::Connection>| v.iter().map(|c| c.id).collect::<Vec<_>>();
        assert_eq!(ids(store.connections_of(500).await?), vec![a, b]);
        assert_eq!(
            ids(store.connections_of(600).await?),
            vec![b],
            "operators administer nothing"
        );
        assert!(store.connections_of(700).await?.is_empty());

        assert_eq!(store.setup_session(500).await?, None);
        let mut s = SetupSession {
            user_id: 500,
            language: None,
            state: r#"{"await":"token"}"#.into(),
        };
        store.save_setup_session(&s, 10).await?;
        s.language = Some("de".into());
        s.state = r#"{"await":"group","code":"x1"}"#.into();
        store.save_setup_session(&s, 11).await?;
        assert_eq!(store.setup_session(500).await?, Some(s.clone()));
        assert_eq!(
            store.setup_sessions_with(r#""await":"group""#).await?,
            vec![s]
        );

        assert_eq!(store.kv_get("setup_offset").await?, None);
        store.kv_set("setup_offset", "5").await?;
        store.kv_set("setup_offset", "9").await?;
        assert_eq!(store.kv_get("setup_offset").await?.as_deref(), Some("9"));

        let m = Member {
            user_id: 600,
            username: Some("Oleg_Ops".into()),
            first_name: "Oleg".into(),
        };
        store.member_seen(a, &m, 5).await?;
        assert_eq!(
            store.member_by_username(a, "oleg_ops").await?,
            Some(m.clone())
        );
        assert_eq!(
            store.member_by_username(b, "oleg_ops").await?,
            None,
            "per connection"
        );
        assert_eq!(store.member(a, 600).await?, Some(m));

        store.set_api_key(a, "sealed-key").await?;
        assert_eq!(
            store
                .connection(a)
                .await?
                .and_then(|c| c.api_key_enc)
                .as_deref(),
            Some("sealed-key")
        );
        assert!(matches!(
            store.set_api_key(999, "k").await,
            Err(StoreError::Conflict(_))
        ));
        store.delete_connection(a).await?;
        assert_eq!(store.member(a, 600).await?, None);
        Ok(())
    })
    .await
}
