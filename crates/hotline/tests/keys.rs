//! `hotline backup` and `hotline key rotate` through the real binary, with tgsim running in
//! this process: a backup taken during a relay burst is a database `serve` starts on, and a
//! rotated key keeps every connection working while the old one opens nothing.
#![allow(clippy::expect_used, clippy::unwrap_used)] // test fixtures: a failure is the test failing

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Result;
use hotline_store::{OpenMode, SecretBox, Store};
use hotline_testkit::{Bot, Group, Person, World};
use serde_json::Value;

use common::serve::{Served, cli, instance_env};

type Env = Vec<(String, String)>;

/// `env` with `key` set to `value`.
fn with(env: &Env, key: &str, value: &str) -> Env {
    let mut e: Env = env.iter().filter(|(k, _)| k != key).cloned().collect();
    e.push((key.into(), value.into()));
    e
}

/// Runs a CLI command that must succeed; returns its stdout.
async fn ok(env: &Env, args: &[&str]) -> String {
    let (code, out, err) = cli(env, args).await;
    assert_eq!(code, 0, "hotline {args:?}: {out}{err}");
    out
}

/// SIGTERM, as `systemctl stop` sends; a clean exit; the log.
async fn stop(served: Served) -> String {
    let (code, log) = served.stop_with("TERM").await;
    assert_eq!(code, Some(0), "{log}");
    log
}

/// `hotline serve` that must refuse to start (bounded, in case it serves): code, stderr.
async fn serve_refused(env: &Env) -> (i32, String) {
    let (code, out, err) = tokio::time::timeout(Duration::from_secs(120), cli(env, &["serve"]))
        .await
        .expect("serve was meant to refuse, and kept running");
    assert_ne!(code, 0, "serve started: {out}{err}");
    (code, err)
}

fn key_in(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("secret.key")).expect("secret.key")
}

/// A frontend bot administering its own forum, connected with `hotline connection add`.
struct Line {
    bot: Bot,
    forum: Group,
}

async fn line(world: &World, env: &Env, admin: &Person, name: &str) -> Result<Line> {
    let bot = world.bot(&format!("{name}_bot")).await?;
    let forum = world.forum(&format!("{name} support"), admin).await?;
    forum.add_admin(bot.id, Group::helpdesk_rights()).await?;
    let out = ok(
        &with(env, "HOTLINE_CONNECT_TOKEN", &bot.token),
        &[
            "connection",
            "add",
            "--group",
            &forum.id.to_string(),
            "--admin",
            &admin.id.to_string(),
        ],
    )
    .await;
    assert!(out.contains("added"), "{out}");
    Ok(Line { bot, forum })
}

/// The texts the forum's creator sees in its topics.
fn topic_texts(items: &[Value]) -> BTreeSet<String> {
    items
        .iter()
        .filter(|m| m["is_topic_message"] == true)
        .filter_map(|m| m["text"].as_str().map(str::to_string))
        .collect()
}

/// Waits (on tgsim's change notifications, never sleeping) until the forum's topics show
/// every one of `texts`.
async fn forum_shows(
    world: &World,
    viewer: &Person,
    forum: &Group,
    texts: &[String],
) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let done = |items: &[Value]| {
            let seen = topic_texts(items);
            texts.iter().all(|t| seen.contains(t))
        };
        match world.until(viewer.id, forum.id, None, done).await {
            Ok(_) => return Ok(()),
            Err(e) if Instant::now() > deadline => return Err(e),
            Err(_) => {}
        }
    }
}

fn sqlite(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

async fn column(url: &str, sql: &str) -> Vec<String> {
    hotline_store::testing::column(url, sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// The texts of the customer messages a database received (its inbox).
async fn received(url: &str) -> Vec<String> {
    column(url, "SELECT payload FROM inbox ORDER BY update_id")
        .await
        .iter()
        .filter_map(|p| serde_json::from_str::<Value>(p).ok())
        .filter_map(|u| u["message"]["text"].as_str().map(str::to_string))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_during_a_burst_is_a_database_serve_starts_on() -> Result<()> {
    let world = World::start().await?;
    let tmp = tempfile::tempdir()?;
    let env = instance_env(tmp.path(), world.base_url());
    ok(&env, &["migrate"]).await;
    let admin = world.user("Alice").await?;
    let acme = line(&world, &env, &admin, "acme").await?;
    let mut customers = Vec::new();
    for name in ["Cora", "Dan", "Eve"] {
        let c = world.user(name).await?;
        c.start(&acme.bot).await?;
        customers.push((name, c));
    }
    let text = |name: &str, i: usize| format!("{name} {i}");
    let serving = Served::start(&env).await;

    // The first half of the burst is relayed before the backup starts...
    for i in 1..=6 {
        for (name, c) in &customers {
            c.says(&acme.bot, &text(name, i)).await?;
        }
    }
    let first: Vec<String> = (1..=6)
        .flat_map(|i| customers.iter().map(move |(n, _)| text(n, i)))
        .collect();
    forum_shows(&world, &admin, &acme.forum, &first).await?;
    // ...the second half is sent while it runs.
    let copy = tmp.path().join("backup.db");
    let copy_arg = copy.display().to_string();
    let send = async {
        for i in 7..=12 {
            for (name, c) in &customers {
                c.says(&acme.bot, &text(name, i)).await?;
            }
        }
        anyhow::Ok(())
    };
    let backup_args = ["backup", copy_arg.as_str()];
    let (sent, (code, out, err)) = tokio::join!(send, cli(&env, &backup_args));
    sent?;
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains(&format!("backup written to {copy_arg} (")),
        "{out}"
    );
    assert!(out.contains("instance key is not in the backup"), "{out}");
    let all: Vec<String> = (1..=12)
        .flat_map(|i| customers.iter().map(move |(n, _)| text(n, i)))
        .collect();
    forum_shows(&world, &admin, &acme.forum, &all).await?;
    stop(serving).await;

    // The copy is a snapshot: its inbox is a prefix of the live one, every message pair in
    // it is in the live database, and every message stored before it began is in it.
    let live = sqlite(&tmp.path().join("hotline.db"));
    let backup = sqlite(&copy);
    let ids = "SELECT CAST(update_id AS TEXT) FROM inbox ORDER BY update_id";
    let (ids_backup, ids_live) = (column(&backup, ids).await, column(&live, ids).await);
    assert!(
        ids_live.starts_with(&ids_backup),
        "the backup's inbox is not a prefix of the live one"
    );
    let got = received(&backup).await;
    for t in &first {
        assert!(
            got.contains(t),
            "{t} was stored before the backup but is not in it"
        );
    }
    for (name, _) in &customers {
        let mine: Vec<&String> = got.iter().filter(|t| t.starts_with(name)).collect();
        let expected: Vec<String> = (1..=mine.len()).map(|i| text(name, i)).collect();
        assert_eq!(
            mine,
            expected.iter().collect::<Vec<_>>(),
            "{name}: in order, no gap"
        );
    }
    let pairs = "SELECT CAST(customer_message_id AS TEXT) || ':' || CAST(group_message_id AS TEXT) FROM message_map";
    let live_pairs: BTreeSet<String> = column(&live, pairs).await.into_iter().collect();
    let backup_pairs = column(&backup, pairs).await;
    // A lane's next copy starts only after the previous one's pair is committed: with each
    // customer's sixth message on screen, their first five pairs were stored.
    assert!(
        backup_pairs.len() >= first.len() - customers.len(),
        "{backup_pairs:?}"
    );
    assert!(backup_pairs.iter().all(|p| live_pairs.contains(p)));
    let dialogs = "SELECT CAST(COUNT(*) AS TEXT) FROM dialogs";
    assert_eq!(column(&backup, dialogs).await, ["3"]);

    // `serve` starts on the copy and relays a new message.
    let restored = Served::start(&with(&env, "HOTLINE_DATABASE_URL", &backup)).await;
    let (_, cora) = &customers[0];
    cora.says(&acme.bot, "after the restore").await?;
    forum_shows(&world, &admin, &acme.forum, &["after the restore".into()]).await?;
    stop(restored).await;

    // An existing path is never overwritten.
    let before = std::fs::read(&copy)?;
    let (code, _, err) = cli(&env, &["backup", &copy_arg]).await;
    assert_eq!(code, 1);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(std::fs::read(&copy)?, before);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotated_key_keeps_every_connection_working() -> Result<()> {
    rotation_on(None).await?;
    match hotline_store::testing::postgres_admin_url() {
        Some(admin) => {
            rotation_on(Some(hotline_store::testing::fresh_postgres(&admin).await?)).await
        }
        None => {
            eprintln!("note: HOTLINE_TEST_DATABASE_URL is not set; PostgreSQL rotation skipped");
            Ok(())
        }
    }
}

/// Two connections, a rotation between two runs of serve, on SQLite (`None`) or the
/// PostgreSQL database `url`.
async fn rotation_on(url: Option<String>) -> Result<()> {
    let world = World::start().await?;
    let tmp = tempfile::tempdir()?;
    let mut env = instance_env(tmp.path(), world.base_url());
    let db = match url {
        Some(u) => {
            env = with(&env, "HOTLINE_DATABASE_URL", &u);
            u
        }
        None => sqlite(&tmp.path().join("hotline.db")),
    };
    ok(&env, &["migrate"]).await;
    let admin = world.user("Alice").await?;
    let lines = [
        line(&world, &env, &admin, "acme").await?,
        line(&world, &env, &admin, "globex").await?,
    ];
    let mut customers = Vec::new();
    for (l, name) in lines.iter().zip(["Cora", "Dan"]) {
        let c = world.user(name).await?;
        c.start(&l.bot).await?;
        customers.push(c);
    }
    let serving = Served::start(&env).await;
    for (i, (l, c)) in lines.iter().zip(&customers).enumerate() {
        c.says(&l.bot, &format!("before {i}")).await?;
        forum_shows(&world, &admin, &l.forum, &[format!("before {i}")]).await?;
    }
    // Refused while serve runs, and nothing changes.
    let old = key_in(tmp.path());
    let (code, out, err) = cli(&env, &["key", "rotate"]).await;
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("stop serve first"), "{err}");
    assert_eq!(key_in(tmp.path()), old);
    assert!(!tmp.path().join("secret.key.new").exists());
    let mut logs = stop(serving).await;

    let (code, out, err) = cli(&env, &["key", "rotate"]).await;
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("re-encrypted 4 stored secrets"), "{out}");
    let new = key_in(tmp.path());
    assert_ne!(new, old);
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("secret.key.old"))?,
        old
    );
    assert!(!tmp.path().join("secret.key.new").exists());
    #[cfg(unix)]
    for f in ["secret.key", "secret.key.old"] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(tmp.path().join(f))?.permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{f}");
    }
    logs.push_str(&out);
    logs.push_str(&err);

    // The old key opens none of the stored tokens; the new one opens them all.
    let store = Store::open_with(&db, OpenMode::AsIs).await?;
    let (old_box, new_box) = (SecretBox::from_base64(&old)?, SecretBox::from_base64(&new)?);
    let conns = store.connections().all().await?;
    assert_eq!(conns.len(), 2);
    for (c, l) in conns.iter().zip(&lines) {
        assert!(old_box.open(&c.token_enc).is_err());
        assert_eq!(new_box.open(&c.token_enc)?, l.bot.token);
        assert!(old_box.open(c.api_key_enc.as_deref().unwrap()).is_err());
    }
    store.close().await;

    let serving = Served::start(&env).await;
    for (i, (l, c)) in lines.iter().zip(&customers).enumerate() {
        c.says(&l.bot, &format!("after {i}")).await?;
        forum_shows(&world, &admin, &l.forum, &[format!("after {i}")]).await?;
    }
    logs.push_str(&stop(serving).await);

    // The old key in its place: serve refuses to start and says what to do.
    std::fs::write(tmp.path().join("secret.key"), &old)?;
    let (code, err) = serve_refused(&env).await;
    assert_eq!(code, 1);
    assert!(
        err.contains("the instance key does not open this database's secrets")
            && err.contains("secret.key.old"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "one clear error: {err}");
    logs.push_str(&err);
    for key in [&old, &new] {
        assert!(!logs.contains(key.trim()), "a key was printed");
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_configured_key_is_rotated_into_a_file() -> Result<()> {
    let world = World::start().await?;
    let tmp = tempfile::tempdir()?;
    let old = SecretBox::generate_key();
    let env = with(
        &instance_env(tmp.path(), world.base_url()),
        "HOTLINE_ENCRYPTION_KEY",
        &old,
    );
    ok(&env, &["migrate"]).await;
    let admin = world.user("Alice").await?;
    let acme = line(&world, &env, &admin, "acme").await?;
    let cora = world.user("Cora").await?;
    cora.start(&acme.bot).await?;

    let (code, _, err) = cli(&env, &["key", "rotate"]).await;
    assert_eq!(code, 1);
    assert!(err.contains("--new-key-file"), "{err}");
    let file = tmp.path().join("next.key");
    let file_arg = file.display().to_string();
    let (code, out, err) = cli(&env, &["key", "rotate", "--new-key-file", &file_arg]).await;
    assert_eq!(code, 0, "{out}{err}");
    let new = std::fs::read_to_string(&file)?;
    SecretBox::from_base64(&new)?;
    assert!(out.contains("put its content in encryption_key"), "{out}");
    assert!(!out.contains(new.trim()) && !err.contains(new.trim()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&file)?.permissions().mode() & 0o777,
            0o600
        );
    }
    assert!(
        !tmp.path().join("secret.key").exists(),
        "no key file appears"
    );

    // Still the old value: refused, naming the file to use.
    let (_, err) = serve_refused(&env).await;
    assert!(err.contains(&file_arg), "{err}");
    let serving = Served::start(&with(&env, "HOTLINE_ENCRYPTION_KEY", new.trim())).await;
    cora.says(&acme.bot, "after").await?;
    forum_shows(&world, &admin, &acme.forum, &["after".into()]).await?;
    stop(serving).await;
    Ok(())
}
