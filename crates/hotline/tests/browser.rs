//! The sandbox in a real browser: `hotline sandbox` (the README's run command) driven through
//! headless Chromium over WebDriver (Debian's `chromium` and `chromium-driver`; `.ci/run`
//! installs them). Without them the tests say so and pass, except under CI, where they fail.
//!
//! Screenshots of the main views are written to `$HOTLINE_SCREENSHOTS` when it is set (the
//! ones in `docs/` come from there).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test fixtures

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

mod common;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

/// A child process killed when the test ends, however it ends.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn find(name: &str, env: &str) -> Option<PathBuf> {
    if let Ok(p) = std::env::var(env) {
        return Some(PathBuf::from(p));
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

/// Chromium and its driver, or `None` (allowed only outside CI).
fn browser() -> Option<(PathBuf, PathBuf)> {
    let chromium = find("chromium", "CHROMIUM").or_else(|| find("chromium-browser", "CHROMIUM"));
    let driver = find("chromedriver", "CHROMEDRIVER");
    match (chromium, driver) {
        (Some(c), Some(d)) => Some((c, d)),
        _ if std::env::var_os("CI").is_some() => {
            panic!("CI must run the browser tests: install chromium and chromium-driver")
        }
        _ => {
            eprintln!(
                "skipping: chromium / chromedriver not installed (apt-get install chromium chromium-driver)"
            );
            None
        }
    }
}

/// The running sandbox: its base URL and what it printed.
struct Sandbox {
    _child: common::Spawned,
    base: String,
    printed: String,
    _dir: tempfile::TempDir,
}

impl Sandbox {
    fn start() -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        let spawned = common::spawn_sandbox(&dir.path().join("data"), true);
        Sandbox {
            base: spawned.base.clone(),
            printed: spawned.printed.clone(),
            _child: spawned,
            _dir: dir,
        }
    }

    /// The user id printed for a person whose label contains `label`.
    fn person(&self, label: &str) -> i64 {
        self.printed
            .lines()
            .find(|l| l.contains(label) && l.contains("user id"))
            .and_then(|l| l.split_whitespace().last())
            .and_then(|id| id.parse().ok())
            .unwrap_or_else(|| panic!("no {label} in:\n{}", self.printed))
    }

    /// (id, token) printed for a bot whose label contains `label`.
    fn bot(&self, label: &str) -> (i64, String) {
        let line = self
            .printed
            .lines()
            .find(|l| l.contains(label) && l.contains("token"))
            .unwrap_or_else(|| panic!("no {label} in:\n{}", self.printed));
        let words: Vec<&str> = line.split_whitespace().collect();
        let at = |w: &str| {
            words
                .iter()
                .position(|x| *x == w)
                .and_then(|i| words.get(i + 1))
                .unwrap()
                .to_string()
        };
        (at("id").parse().unwrap(), at("token"))
    }
}

/// chromedriver on a free port, and a headless Chromium session.
struct Browser {
    client: Client,
    _driver: Killed,
}

impl Browser {
    async fn start(chromium: &PathBuf, driver: &PathBuf) -> Browser {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Killed(
            Command::new(driver)
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("chromedriver starts"),
        );
        let url = format!("http://127.0.0.1:{port}");
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": chromium,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,860", "--lang=en-US"],
            }),
        );
        // chromedriver needs a moment to listen: retry the connection until it answers.
        let mut last = None;
        for _ in 0..100 {
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => {
                    return Browser {
                        client,
                        _driver: driver,
                    };
                }
                Err(e) => {
                    last = Some(e);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
        panic!("chromedriver did not answer: {last:?}");
    }

    /// Opens the UI as `user`.
    async fn open_as(&self, base: &str, user: i64) {
        self.client
            .goto(&format!("{base}/ui#as={user}"))
            .await
            .unwrap();
        self.client
            .wait()
            .for_element(Locator::Css("[data-testid=chat]"))
            .await
            .expect("the chat list shows");
    }

    async fn click(&self, css: &str) {
        self.click_on(Locator::Css(css), css).await;
    }

    /// Clicks the first displayed match. The UI re-renders on every change of the world, so
    /// an element can go stale between finding and clicking it: find it again then.
    async fn click_on(&self, locator: Locator<'_>, what: &str) {
        let mut last = String::new();
        for _ in 0..50 {
            let found = self
                .client
                .wait()
                .at_most(Duration::from_secs(20))
                .for_element(locator)
                .await;
            let el = match found {
                Ok(el) => el,
                Err(e) => {
                    self.evidence().await;
                    panic!("no {what}: {e}")
                }
            };
            if !el.is_displayed().await.unwrap_or(false) {
                last = "not displayed".into();
            } else {
                match el.click().await {
                    Ok(()) => return,
                    Err(e) => last = e.to_string(),
                }
            }
            // Let the page settle (a render is in progress), then look again.
            let _ = self
                .client
                .execute(
                    "return await new Promise(r => requestAnimationFrame(() => r(1)))",
                    vec![],
                )
                .await;
        }
        self.evidence().await;
        panic!("could not click {what}: {last}");
    }

    /// Waits for an element matching `xpath` (by text, typically).
    async fn sees(&self, xpath: &str) {
        let found = self
            .client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::XPath(xpath))
            .await
            .map_err(|e| format!("never saw {xpath}: {e}"));
        if let Err(e) = found {
            self.evidence().await;
            panic!("{e}");
        }
    }

    async fn open_chat(&self, chat: i64) {
        self.click(&format!("[data-testid=chat][data-chat-id='{chat}']"))
            .await;
        // A bot never started shows a Start button first.
        if let Ok(start) = self
            .client
            .find(Locator::Css("[data-testid=start-bot]"))
            .await
            && start.is_displayed().await.unwrap_or(false)
        {
            start.click().await.unwrap();
        }
    }

    async fn type_and_send(&self, text: &str) {
        self.click("textarea[data-testid=composer]").await;
        let composer = self
            .client
            .find(Locator::Css("textarea[data-testid=composer]"))
            .await
            .unwrap();
        composer.send_keys(text).await.unwrap();
        self.click("button[data-testid=send]").await;
    }

    /// What the page showed when a step failed: a screenshot and the page's text, in the
    /// test's temporary directory (named in the failure output).
    async fn evidence(&self) {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-failures");
        let _ = std::fs::create_dir_all(&dir);
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0);
        if let Ok(png) = self.client.screenshot().await {
            let _ = std::fs::write(dir.join(format!("{stamp}.png")), png);
        }
        if let Ok(html) = self.client.source().await {
            let _ = std::fs::write(dir.join(format!("{stamp}.html")), html);
        }
        eprintln!("page evidence saved in {}/{stamp}.*", dir.display());
    }

    async fn screenshot(&self, name: &str) {
        let Ok(dir) = std::env::var("HOTLINE_SCREENSHOTS") else {
            return;
        };
        let png = self.client.screenshot().await.unwrap();
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(PathBuf::from(dir).join(format!("{name}.png")), png).unwrap();
    }
}

fn message_with(text: &str) -> String {
    format!("//*[@data-testid='message'][contains(., \"{text}\")]")
}

/// A customer writes in the UI; the operator sees a new topic with the message and answers;
/// the answer appears in the customer's chat.
#[tokio::test]
async fn a_customer_message_opens_a_topic_and_the_answer_comes_back() {
    let Some((chromium, driver)) = browser() else {
        return;
    };
    let sandbox = Sandbox::start();
    let maria = sandbox.person("customer María");
    let oleg = sandbox.person("operator Oleg");
    let (frontend, _) = sandbox.bot("frontend bot");
    let forum: i64 = sandbox
        .printed
        .lines()
        .find(|l| l.starts_with("Forum group"))
        .and_then(|l| l.split_whitespace().last())
        .and_then(|id| id.parse().ok())
        .expect("forum id");
    let b = Browser::start(&chromium, &driver).await;

    b.open_as(&sandbox.base, maria).await;
    b.open_chat(frontend).await;
    b.type_and_send("Hola, necesito ayuda con mi pedido").await;
    b.sees(&message_with("Hola, necesito ayuda con mi pedido"))
        .await;
    // The WELCOME arrives, with the free plan's "powered by Hotline" line.
    b.sees(&message_with("Hotline")).await;
    b.screenshot("customer-chat").await;

    b.open_as(&sandbox.base, oleg).await;
    b.open_chat(forum).await;
    b.sees("//*[@data-testid='topic'][contains(., 'María')]")
        .await;
    b.click_topic_named("María").await;
    b.sees(&message_with("Hola, necesito ayuda con mi pedido"))
        .await;
    b.type_and_send("¡Hola María! Ya lo miramos.").await;
    b.sees(&message_with("¡Hola María! Ya lo miramos.")).await;
    // Delivered: the topic turns 🟨.
    b.sees("//*[@data-testid='topic'][contains(., '🟨')]").await;
    b.screenshot("operator-topic").await;
    // The AUTOCLOSE demo: the world panel moves the clock 49 hours; Hotline's clock follows
    // and the topic closes ⬛.
    let hours = b
        .client
        .find(Locator::Css("input[data-testid=advance-hours]"))
        .await
        .unwrap();
    hours.clear().await.unwrap();
    hours.send_keys("49").await.unwrap();
    b.click("button[data-testid=advance]").await;
    b.sees("//*[@data-testid='topic'][contains(., '⬛')]").await;

    b.open_as(&sandbox.base, maria).await;
    b.open_chat(frontend).await;
    b.sees(&message_with("¡Hola María! Ya lo miramos.")).await;
    b.client.close().await.unwrap();
}

/// The admin connects the spare bot through the setup bot's UI: token, then the group
/// picker shown by the spare bot itself.
#[tokio::test]
async fn an_admin_connects_the_spare_bot_through_the_setup_bot() {
    let Some((chromium, driver)) = browser() else {
        return;
    };
    let sandbox = Sandbox::start();
    let alice = sandbox.person("admin Alice");
    let (setup, _) = sandbox.bot("setup bot");
    let (_, token) = sandbox.bot("spare bot");
    let b = Browser::start(&chromium, &driver).await;

    b.open_as(&sandbox.base, alice).await;
    b.open_chat(setup).await;
    b.click("button[data-testid=inline-button][data-callback='new']")
        .await;
    b.click("button[data-testid=inline-button][data-callback='new:bot']")
        .await;
    b.sees(&message_with("Send me the token")).await;
    b.type_and_send(&token).await;
    b.sees(&message_with("accepted")).await;
    b.screenshot("setup-bot").await;
    // "Pick the group": the spare bot's chat opens with /start CODE, and it shows the picker.
    b.click(
        "button[data-testid=inline-button][data-url^='https://t.me/spare_helpdesk_bot?start=']",
    )
    .await;
    b.click("button[data-testid=reply-button]").await;
    b.click("[data-testid=pick-chat]").await;
    b.open_chat(setup).await;
    b.sees(&message_with("Connected!")).await;
    b.client.close().await.unwrap();
}

impl Browser {
    async fn click_topic_named(&self, name: &str) {
        let xpath = format!("//*[@data-testid='topic'][contains(., '{name}')]");
        self.click_on(Locator::XPath(&xpath), &xpath).await;
    }
}

/// Telegram Business in the world panel: a person buys Premium, connects a chatbot with
/// Business Mode to their account, and a customer writing to them in the UI reaches the bot
/// as a `business_message`.
#[tokio::test]
async fn a_person_connects_a_business_chatbot_and_a_customer_reaches_it() {
    let Some((chromium, driver)) = browser() else {
        return;
    };
    let sandbox = Sandbox::start();
    let alice = sandbox.person("admin Alice");
    let maria = sandbox.person("customer María");
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let created: serde_json::Value = http
        .post(format!("{}/control/bots", sandbox.base))
        .json(&json!({ "username": "alice_shop_bot", "business": true }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let bot = created["result"]["id"].as_i64().expect("bot id");
    let b = Browser::start(&chromium, &driver).await;

    b.open_as(&sandbox.base, alice).await;
    b.click("button[data-testid=business-premium]").await;
    b.click("button[data-testid=business-connect]").await;
    b.sees("//*[@data-testid='business-connected'][contains(., '@alice_shop_bot')]")
        .await;

    b.open_as(&sandbox.base, maria).await;
    b.open_chat(alice).await;
    b.type_and_send("Is the blue one in stock?").await;
    b.sees(&message_with("Is the blue one in stock?")).await;
    b.client.close().await.unwrap();

    let pending: serde_json::Value = http
        .get(format!("{}/control/bots/{bot}/updates", sandbox.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let updates = pending["result"].as_array().cloned().unwrap_or_default();
    let connected = updates
        .iter()
        .find_map(|u| u.get("business_connection"))
        .expect("the bot was told of the connection");
    assert_eq!(connected["user"]["id"], alice);
    assert_eq!(connected["rights"]["can_reply"], true);
    let message = updates
        .iter()
        .find_map(|u| u.get("business_message"))
        .expect("the customer's message reached the bot");
    assert_eq!(message["text"], "Is the blue one in stock?");
    assert_eq!(message["chat"]["id"], maria);
    assert_eq!(message["business_connection_id"], connected["id"]);
}
