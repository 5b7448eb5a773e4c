use hotline_testkit::World;
use serde_json::json;

#[tokio::test]
async fn customer_writes_bot_reads_and_answers() -> anyhow::Result<()> {
    let world = World::start().await?;
    let alice = world
        .user_with(json!({"first_name": "Alice", "username": "alice", "language_code": "de"}))
        .await?;
    let bot = world.bot("support_bot").await?;
    alice.start(&bot).await?;
    alice.says(&bot, "hello").await?;
    let updates = bot.updates().await?;
    assert_eq!(updates.len(), 2);
    assert_eq!(updates[0]["message"]["text"], "/start");
    assert_eq!(updates[1]["message"]["text"], "hello");
    assert_eq!(updates[1]["message"]["chat"]["id"], alice.id);
    assert_eq!(updates[1]["message"]["from"]["language_code"], "de");
    let sent = bot.says(alice.id, "hi Alice").await?;
    assert_eq!(sent["chat"]["id"], alice.id);
    let seen = alice.waits_for(&bot, 3).await?;
    assert_eq!(seen[2]["text"], "hi Alice");
    assert_eq!(
        seen[2]["chat"]["id"], bot.id,
        "the user sees the chat named after the bot"
    );
    // Confirmed updates are not returned again.
    assert!(bot.updates().await?.is_empty());
    Ok(())
}
