//! Key loading, the key check and rotation, crash points included (see the module doc).
use super::rotate::reseal;
use super::*;
use hotline_core::{ChatId, UserId};
use hotline_store::{NewConnection, SetupSession};
use serde_json::Value;
use std::path::{Path, PathBuf};

struct Case {
    dir: tempfile::TempDir,
    settings: Settings,
    store: Store,
    /// `encryption_key`, when configured.
    configured: Option<String>,
}

/// A data directory keeping its key in `secret.key` (= `key`), and a database with one
/// connection and one setup session in a flow, sealed with `key`.
async fn case(key: &str) -> Case {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = Settings::for_tests(dir.path(), "http://127.0.0.1:1");
    settings.encryption_key = String::new();
    std::fs::write(dir.path().join(KEY_FILE), key).unwrap();
    let store = Store::open(&settings.database_url).await.unwrap();
    let b = SecretBox::from_base64(key).unwrap();
    store
        .connections()
        .add(&NewConnection {
            name: "one".into(),
            bot_user_id: UserId(7),
            bot_username: "one_bot".into(),
            token_enc: b.seal("7:TOKEN"),
            group_chat_id: ChatId(-1001),
            plan: "free".into(),
            admin_user_id: None,
            group_title: None,
            api_key_enc: Some(b.seal("api-key")),
            now_ms: 0,
        })
        .await
        .unwrap();
    let state = serde_json::json!({
        "await": "group", "bot_id": 8, "bot_username": "two_bot",
        "token_enc": b.seal("8:PENDING"), "code": "c", "admin_name": "A",
    });
    store
        .setups()
        .save(
            &SetupSession {
                user_id: UserId(42),
                language: None,
                state: state.to_string(),
            },
            0,
        )
        .await
        .unwrap();
    Case {
        dir,
        settings,
        store,
        configured: None,
    }
}

impl Case {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    fn read(&self, name: &str) -> Option<String> {
        std::fs::read_to_string(self.path(name)).ok()
    }
    async fn token(&self) -> String {
        self.store.connections().all().await.unwrap()[0]
            .token_enc
            .clone()
    }
    async fn pending(&self) -> String {
        let s = self.store.setups().get(UserId(42)).await.unwrap().unwrap();
        let v: Value = serde_json::from_str(&s.state).unwrap();
        v["token_enc"].as_str().unwrap().to_string()
    }
    /// The settings as a new process reads them (a key from a file is not configured).
    fn fresh(&self) -> Settings {
        let mut s = self.settings.clone();
        s.encryption_key = self.configured.clone().unwrap_or_default();
        s
    }
    async fn load(&mut self, access: Access) -> Result<SecretBox, KeyError> {
        instance_key(&mut self.fresh(), &self.store, access).await
    }
    async fn rotate(&mut self, to: Option<&Path>) -> Result<Rotation, KeyError> {
        rotate(&mut self.fresh(), &self.store, to).await
    }
}

fn key() -> (String, SecretBox) {
    let k = SecretBox::generate_key();
    let b = SecretBox::from_base64(&k).unwrap();
    (k, b)
}

#[tokio::test]
async fn rotation_reseals_everything_and_keeps_the_old_key() {
    let (k1, b1) = key();
    let mut c = case(&k1).await;
    let r = c.rotate(None).await.unwrap();
    assert_eq!(r.resealed, 3, "token, API key, the pending token");
    let k2 = c.read(KEY_FILE).unwrap();
    assert_ne!(k2, k1);
    assert_eq!(c.read(OLD_KEY_FILE).unwrap(), k1);
    assert!(c.read(NEW_KEY_FILE).is_none());
    let b2 = SecretBox::from_base64(&k2).unwrap();
    assert_eq!(b2.open(&c.token().await).unwrap(), "7:TOKEN");
    assert!(b1.open(&c.token().await).is_err());
    assert_eq!(b2.open(&c.pending().await).unwrap(), "8:PENDING");
    #[cfg(unix)]
    for f in [KEY_FILE, OLD_KEY_FILE] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(c.path(f)).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{f}");
    }
    // The rotated key opens the check; the old one is refused at once.
    assert_eq!(
        c.load(Access::Owner)
            .await
            .unwrap()
            .open(&c.token().await)
            .unwrap(),
        "7:TOKEN"
    );
    std::fs::write(c.path(KEY_FILE), &k1).unwrap();
    assert!(matches!(
        c.load(Access::Owner).await,
        Err(KeyError::WrongKey(_))
    ));
    std::fs::write(c.path(KEY_FILE), &k2).unwrap();
    // A second rotation keeps the first old key aside.
    c.rotate(None).await.unwrap();
    assert_eq!(c.read(OLD_KEY_FILE).unwrap(), k2);
    assert_eq!(c.read("secret.key.old.1").unwrap(), k1);
}

#[tokio::test]
async fn a_crash_before_the_commit_leaves_the_old_key() {
    let (k1, b1) = key();
    let mut c = case(&k1).await;
    c.load(Access::Owner).await.unwrap(); // the key check is written
    let (k2, _) = key();
    for leftover in [k2.as_str(), "garbage, half writ"] {
        std::fs::write(c.path(NEW_KEY_FILE), leftover).unwrap();
        // Without the guard nothing is touched.
        assert!(matches!(
            c.load(Access::Shared).await,
            Err(KeyError::Rotating(_))
        ));
        assert!(c.path(NEW_KEY_FILE).exists());
        let b = c.load(Access::Owner).await.unwrap();
        assert_eq!(b.open(&c.token().await).unwrap(), "7:TOKEN");
        assert!(!c.path(NEW_KEY_FILE).exists(), "the unused key is removed");
        assert_eq!(c.read(KEY_FILE).unwrap(), k1);
        assert!(c.read(OLD_KEY_FILE).is_none());
    }
    assert!(b1.open(&c.token().await).is_ok());
}

#[tokio::test]
async fn a_crash_after_the_commit_finishes_the_rotation() {
    for old_kept in [false, true] {
        let (k1, b1) = key();
        let mut c = case(&k1).await;
        let (k2, b2) = key();
        // Steps 1 and 2 done, then the crash (and, the second time, step 3 too).
        std::fs::write(c.path(NEW_KEY_FILE), &k2).unwrap();
        reseal(&c.store, &b1, &b2, "test").await.unwrap();
        if old_kept {
            std::fs::write(c.path(OLD_KEY_FILE), &k1).unwrap();
        }
        assert!(matches!(
            c.load(Access::Shared).await,
            Err(KeyError::Rotating(_))
        ));
        let b = c.load(Access::Owner).await.unwrap();
        assert_eq!(b.open(&c.token().await).unwrap(), "7:TOKEN");
        assert_eq!(c.read(KEY_FILE).unwrap(), k2);
        assert_eq!(c.read(OLD_KEY_FILE).unwrap(), k1);
        assert!(!c.path(NEW_KEY_FILE).exists());
        assert!(
            !c.path("secret.key.old.1").exists(),
            "{old_kept}: kept once"
        );
    }
}

#[tokio::test]
async fn a_secret_that_does_not_open_changes_nothing_and_is_named() {
    let (k1, _) = key();
    let mut c = case(&k1).await;
    let (_, other) = key();
    let id = c.store.connections().all().await.unwrap()[0].id;
    c.store
        .connections()
        .set_api_key(id, &other.seal("x"))
        .await
        .unwrap();
    let before = c.token().await;
    match c.rotate(None).await {
        Err(KeyError::Undecryptable(rows)) => {
            assert_eq!(
                rows,
                ["connection 1 (@one_bot): the API key (connections.api_key_enc)"]
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(c.token().await, before);
    assert_eq!(c.read(KEY_FILE).unwrap(), k1);
    assert!(!c.path(NEW_KEY_FILE).exists());
}

#[tokio::test]
async fn a_lost_key_is_not_replaced_while_secrets_need_it() {
    let (k1, _) = key();
    let mut c = case(&k1).await;
    std::fs::remove_file(c.path(KEY_FILE)).unwrap();
    assert!(matches!(
        c.load(Access::Owner).await,
        Err(KeyError::Missing(_))
    ));
    assert!(!c.path(KEY_FILE).exists());
    // Another key: refused, whether or not a check exists yet.
    let (k2, _) = key();
    std::fs::write(c.path(KEY_FILE), &k2).unwrap();
    assert!(matches!(
        c.load(Access::Owner).await,
        Err(KeyError::WrongKey(_))
    ));
    c.load(Access::Owner).await.unwrap_err();
    // Lost for good: once no connection needs it, a new key is made and recorded.
    std::fs::write(c.path(KEY_FILE), &k1).unwrap();
    c.load(Access::Owner).await.unwrap(); // the check, under k1
    std::fs::remove_file(c.path(KEY_FILE)).unwrap();
    let id = c.store.connections().all().await.unwrap()[0].id;
    c.store.connections().delete(id).await.unwrap();
    let fresh = c.load(Access::Owner).await.unwrap();
    let k3 = c.read(KEY_FILE).unwrap();
    assert_ne!(k3, k1);
    assert!(fresh.open(&fresh.seal("x")).is_ok());
    c.load(Access::Owner).await.unwrap();
}

#[tokio::test]
async fn a_configured_key_rotates_into_a_file() {
    let (k1, b1) = key();
    let mut c = case(&k1).await;
    c.configured = Some(k1.clone());
    assert!(matches!(
        c.rotate(None).await,
        Err(KeyError::NeedsNewKeyFile)
    ));
    let out = c.path("new.key");
    let r = c.rotate(Some(&out)).await.unwrap();
    assert_eq!(r.key_file, out);
    let k2 = std::fs::read_to_string(&out).unwrap();
    let b2 = SecretBox::from_base64(&k2).unwrap();
    assert!(b1.open(&c.token().await).is_err());
    assert_eq!(b2.open(&c.token().await).unwrap(), "7:TOKEN");
    // The old value is refused, naming the file.
    match c.load(Access::Owner).await {
        Err(KeyError::WrongKey(hint)) => assert!(hint.contains("new.key"), "{hint}"),
        other => panic!("{other:?}"),
    }
    c.configured = Some(k2);
    assert!(c.load(Access::Owner).await.is_ok());
    assert!(matches!(
        c.rotate(Some(&out)).await,
        Err(KeyError::Exists(_))
    ));
}
