//! Retention: what Hotline keeps only for a while. Processed inbox updates are deleted
//! after `retention_inbox_hours` (the poll offset stays on the connection; pending and
//! set-aside updates are kept), message pairs after `retention_message_map_days` (0 keeps
//! them; an edit, reply or `/del` of an older message then no longer reaches the other
//! side). Deletes go in bounded batches so that a large table never holds the write lock
//! for long; the runtime's upkeep runs [`prune`] every ten minutes.

use hotline_core::ConnectionId;
use hotline_store::Store;

use crate::Settings;

/// Rows deleted per statement.
const BATCH: i64 = 5_000;

/// What one pass deleted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pruned {
    pub inbox: u64,
    pub message_map: u64,
}

/// One retention pass over every connection, as of `now_ms`.
pub async fn prune(
    store: &Store,
    settings: &Settings,
    now_ms: i64,
) -> hotline_store::Result<Pruned> {
    let mut total = Pruned::default();
    let inbox_before = now_ms.saturating_sub(hours_ms(settings.retention_inbox_hours));
    let map_before = (settings.retention_message_map_days > 0).then(|| {
        now_ms.saturating_sub(hours_ms(
            settings.retention_message_map_days.saturating_mul(24),
        ))
    });
    for c in store.connections().all().await? {
        let p = prune_connection(store, c.id, inbox_before, map_before).await?;
        total.inbox += p.inbox;
        total.message_map += p.message_map;
    }
    if total != Pruned::default() {
        tracing::info!(
            inbox = total.inbox,
            message_map = total.message_map,
            "retention: deleted old processed updates and message pairs"
        );
    }
    Ok(total)
}

async fn prune_connection(
    store: &Store,
    id: ConnectionId,
    inbox_before: i64,
    map_before: Option<i64>,
) -> hotline_store::Result<Pruned> {
    let mut p = Pruned::default();
    loop {
        let n = store.inbox().prune(id, inbox_before, BATCH).await?;
        p.inbox += n;
        if n < BATCH.unsigned_abs() {
            break;
        }
    }
    if let Some(before) = map_before {
        loop {
            let n = store.maps().prune(id, before, BATCH).await?;
            p.message_map += n;
            if n < BATCH.unsigned_abs() {
                break;
            }
        }
    }
    Ok(p)
}

fn hours_ms(hours: u64) -> i64 {
    i64::try_from(hours.saturating_mul(3_600_000)).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use hotline_core::{ChatId, Direction, MessageId, UpdateId, UserId};
    use hotline_store::testing::stores;
    use hotline_store::{MapEntry, NewConnection};

    use super::*;

    const DAY: i64 = 24 * 3_600_000;

    #[tokio::test]
    async fn old_rows_go_and_the_rest_stays_on_every_backend() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let mut settings = Settings::for_tests(dir.path(), "http://127.0.0.1:1");
        settings.retention_inbox_hours = 48;
        settings.retention_message_map_days = 30;
        let now = 400 * DAY;
        for (label, store) in stores(dir.path()).await? {
            let id = store
                .connections()
                .add(&NewConnection {
                    name: "bot".into(),
                    bot_user_id: UserId(7),
                    bot_username: "b_bot".into(),
                    token_enc: "sealed".into(),
                    group_chat_id: ChatId(-1_001),
                    plan: "free".into(),
                    admin_user_id: None,
                    group_title: None,
                    api_key_enc: None,
                    now_ms: 0,
                })
                .await?;
            // Updates: processed 3 days ago (goes), processed 1 day ago (stays), and one
            // received long ago but never processed (stays: it is still to be done).
            let ups: Vec<(UpdateId, String)> =
                (1..=3).map(|i| (UpdateId(i), "{}".to_string())).collect();
            store.inbox().put(id, &ups, now - 10 * DAY).await?;
            let mut tx = store.begin().await?;
            tx.inbox()
                .mark_processed(id, UpdateId(1), now - 3 * DAY)
                .await?;
            tx.inbox()
                .mark_processed(id, UpdateId(2), now - DAY)
                .await?;
            tx.commit().await?;
            // 12,000 pairs 31 days old (more than two batches) and one 29 days old.
            let pair = |m: i64| MapEntry {
                dialog_id: hotline_core::DialogId(1),
                customer_chat_id: ChatId(42),
                customer_message_id: MessageId(m),
                group_chat_id: ChatId(-1_001),
                group_message_id: MessageId(m + 100_000),
                direction: Direction::In,
            };
            let old: Vec<MapEntry> = (1..=12_000).map(pair).collect();
            store
                .outbox()
                .complete(id, &old, &[], now - 31 * DAY)
                .await?;
            store
                .outbox()
                .complete(id, &[pair(99_999)], &[], now - 29 * DAY)
                .await?;

            let pruned = prune(&store, &settings, now).await?;
            assert_eq!(
                pruned,
                Pruned {
                    inbox: 1,
                    message_map: 12_000
                },
                "{label}"
            );
            let pending: Vec<UpdateId> = store
                .inbox()
                .pending(id, 10)
                .await?
                .iter()
                .map(|i| i.update_id)
                .collect();
            assert_eq!(pending, vec![UpdateId(3)], "{label}");
            assert_eq!(store.maps().count(id).await?, 1, "{label}");
            assert!(
                store
                    .maps()
                    .by_customer(id, ChatId(42), MessageId(99_999))
                    .await?
                    .is_some(),
                "{label}"
            );
            // A second pass finds nothing; 0 days keeps pairs forever.
            assert_eq!(prune(&store, &settings, now).await?, Pruned::default());
            settings.retention_message_map_days = 0;
            let far = now + 1_000 * DAY;
            assert_eq!(
                prune(&store, &settings, far).await?.message_map,
                0,
                "{label}"
            );
            settings.retention_message_map_days = 30;
            store.close().await;
        }
        Ok(())
    }
}
