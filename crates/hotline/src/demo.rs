//! The sandbox's demo world: a support team, a few customers, a setup bot, a frontend bot
//! that is administrator of the team's forum group, and a spare bot to connect by hand.

use std::fmt::Write as _;

use tgsim::Sim;
use tgsim::updates;
use tgsim::world::{ChatKey, ChatType, Member, MemberStatus, Rights, User};

#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Demo {
    pub people: Vec<(String, i64)>,
    pub bots: Vec<(String, i64, String)>,
    pub forum: i64,
    /// The forum's creator, who owns the demo connection.
    pub admin: i64,
    /// Customers who wrote before the sandbox's first start (see [`SHOPPERS`]): with them a
    /// broadcast has an audience. Older saves have none.
    #[serde(default)]
    pub shoppers: Vec<(i64, String)>,
}

/// The customers who already wrote to the frontend bot when the demo begins, with what
/// they wrote: (first name, last name, username, language, message).
const SHOPPERS: [(&str, &str, &str, &str, &str); 5] = [
    (
        "Lukas",
        "Becker",
        "lukas_b",
        "de",
        "Hallo! Wann kommt meine Bestellung #4821 an?",
    ),
    (
        "Emma",
        "Wilson",
        "emmaw",
        "en",
        "Hi, can I still change the delivery address?",
    ),
    (
        "Ivan",
        "Petrov",
        "ivan_p",
        "ru",
        "Здравствуйте! Можно оплатить картой при получении?",
    ),
    (
        "Lucía",
        "Fernández",
        "lucia_f",
        "es",
        "¿Tienen esta chaqueta en talla M?",
    ),
    (
        "Noah",
        "Klein",
        "noahk",
        "de",
        "Danke, das Paket ist angekommen!",
    ),
];

fn person(first: &str, last: &str, username: &str, lang: &str) -> User {
    User {
        id: 0,
        is_bot: false,
        first_name: first.into(),
        last_name: Some(last.into()).filter(|s: &String| !s.is_empty()),
        username: Some(username.into()),
        language_code: Some(lang.into()),
        is_premium: false,
        hides_forwards: false,
        deactivated: false,
        contacts: Default::default(),
    }
}

/// Builds the demo world directly in the emulator.
pub fn populate(sim: &Sim) -> Demo {
    let mut w = sim.world();
    let mut people = Vec::new();
    let mut add = |w: &mut tgsim::World, label: &str, u: User| -> i64 {
        let id = w.create_user(u).unwrap_or_default();
        people.push((label.to_string(), id));
        id
    };
    let admin = add(
        &mut w,
        "admin Alice",
        person("Alice", "Admin", "alice_admin", "en"),
    );
    let op1 = add(
        &mut w,
        "operator Oleg",
        person("Oleg", "Operator", "oleg_ops", "ru"),
    );
    let op2 = add(
        &mut w,
        "operator Dana",
        person("Dana", "Operator", "dana_ops", "de"),
    );
    add(
        &mut w,
        "customer María",
        person("María", "García", "maria_g", "es"),
    );
    add(&mut w, "customer Kenji", person("Kenji", "", "kenji", "en"));
    let mut hidden = person("Hidden", "Forwarder", "hidden_fwd", "en");
    hidden.hides_forwards = true;
    add(&mut w, "customer with hidden forwards", hidden);
    let mut shoppers = Vec::new();
    for (first, last, username, lang, text) in SHOPPERS {
        let id = add(
            &mut w,
            &format!("customer {first} (wrote earlier)"),
            person(first, last, username, lang),
        );
        shoppers.push((id, text.to_string()));
    }

    let mut bots = Vec::new();
    for (label, username, first) in [
        ("setup bot", "hotline_setup_bot", "Hotline Setup"),
        ("frontend bot", "acme_support_bot", "Acme Support"),
        ("spare bot", "spare_helpdesk_bot", "Spare Helpdesk"),
    ] {
        if let Ok((id, token)) = w.create_bot(username, first, None, false, true) {
            bots.push((label.to_string(), id, token));
        }
    }
    let forum = w
        .create_chat(ChatType::Supergroup, "Acme Support Team", None, true, admin)
        .unwrap_or_default();
    let key = ChatKey::Group(forum);
    for op in [op1, op2] {
        updates::join(&mut w, key, op, Member::new(MemberStatus::Member), admin);
    }
    if let Some((_, frontend, _)) = bots.get(1) {
        let mut m = Member::new(MemberStatus::Administrator);
        m.rights = Rights::from_json(&serde_json::json!({
            "can_manage_topics": true, "can_delete_messages": true,
            "can_pin_messages": true, "can_restrict_members": true, "can_invite_users": true
        }));
        updates::join(&mut w, key, *frontend, m, admin);
    }
    Demo {
        people,
        bots,
        forum,
        admin,
        shoppers,
    }
}

impl Demo {
    /// The shoppers press Start and write to the frontend bot, through the emulator's
    /// control API as a person would: Hotline opens their topics as for anyone.
    pub async fn shoppers_write(&self, base: &str) -> anyhow::Result<()> {
        let Some((_, bot, _)) = self.bots.get(1) else {
            return Ok(());
        };
        let http = reqwest::Client::builder().no_proxy().build()?;
        for (user, text) in &self.shoppers {
            for (path, body) in [
                ("start", serde_json::json!({ "user": user, "bot": bot })),
                (
                    "send",
                    serde_json::json!({ "from": user, "chat": bot, "text": text }),
                ),
            ] {
                let v: serde_json::Value = http
                    .post(format!("{base}/control/{path}"))
                    .json(&body)
                    .send()
                    .await?
                    .json()
                    .await?;
                anyhow::ensure!(
                    v.get("ok") == Some(&serde_json::Value::Bool(true)),
                    "the demo's {path}: {v}"
                );
            }
        }
        Ok(())
    }

    /// The banner: who is who, and what each bot is now (`connected`: bot id → its
    /// connection, as the database says at this start).
    pub fn describe(&self, base: &str, resumed: bool, connected: &[(i64, String)]) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "tgsim is running: a Telegram Bot API emulator at {base}");
        let _ = writeln!(
            s,
            "Hotline runs against it with {} connection(s), and the setup bot answers admins.",
            connected.len()
        );
        let _ = writeln!(
            s,
            "{}\n",
            if resumed {
                "Resumed the saved world (start with --fresh for a new one)."
            } else {
                "A fresh demo world."
            }
        );
        let _ = writeln!(s, "People:");
        for (label, id) in &self.people {
            let _ = writeln!(s, "  {label:<32} user id {id}");
        }
        let _ = writeln!(s, "Bots:");
        for (i, (label, id, token)) in self.bots.iter().enumerate() {
            // Older saves carry the state in the label ("spare bot (connect it yourself)").
            let name = label.split(" (").next().unwrap_or(label);
            let state = match connected.iter().find(|(bot, _)| bot == id) {
                Some((_, c)) => format!("{name} ({c})"),
                None if i == 0 => name.to_string(),
                None => format!("{name} (not connected)"),
            };
            let _ = writeln!(s, "  {state:<32} id {id}  token {token}");
        }
        if self
            .bots
            .iter()
            .skip(1)
            .any(|(_, id, _)| !connected.iter().any(|(bot, _)| bot == id))
        {
            let _ = writeln!(
                s,
                "  (connect a bot that is not connected in the setup bot: New connection → Connect bot, and send its token)"
            );
        }
        let _ = writeln!(
            s,
            "Forum group \"Acme Support Team\": chat id {}\n",
            self.forum
        );
        if let (Some((_, customer)), Some((_, bot, _))) = (self.people.get(3), self.bots.get(1)) {
            let _ = writeln!(s, "Try it:");
            let _ = writeln!(
                s,
                "  # a customer presses Start and writes to the frontend bot"
            );
            let _ = writeln!(
                s,
                "  curl -s {base}/control/start -H 'content-type: application/json' -d '{{\"user\":{customer},\"bot\":{bot}}}'"
            );
            let _ = writeln!(
                s,
                "  curl -s {base}/control/send -H 'content-type: application/json' -d '{{\"from\":{customer},\"chat\":{bot},\"text\":\"Hola, necesito ayuda\"}}'"
            );
            let _ = writeln!(
                s,
                "  # Hotline opens a topic for her in the forum and sends the WELCOME; the team sees it:"
            );
            if let Some((_, admin)) = self.people.first() {
                let _ = writeln!(
                    s,
                    "  curl -s '{base}/control/timeline?as={admin}&chat={}'",
                    self.forum
                );
            }
            if let (Some((_, setup, _)), Some((_, admin))) =
                (self.bots.first(), self.people.first())
            {
                let _ = writeln!(
                    s,
                    "  # the admin opens the setup bot (connections, parameters, roles, plans)"
                );
                let _ = writeln!(
                    s,
                    "  curl -s {base}/control/start -H 'content-type: application/json' -d '{{\"user\":{admin},\"bot\":{setup}}}'"
                );
                let _ = writeln!(
                    s,
                    "  curl -s '{base}/control/timeline?as={admin}&chat={setup}'"
                );
            }
            let _ = writeln!(
                s,
                "  # in the forum's General the team has its own commands: /help, /mark (tags: vip, lead, won),\n  #   /mark new NAME, /mark NAME ticker 🔥, /export (customers as CSV and XLSX),\n  #   /template (saved: welcome), /send all welcome (a broadcast to the customers who started the bot,\n  #   with a preview, Start, Pause and a CSV report); in a topic: /mark vip, /send welcome"
            );
            let _ = writeln!(s, "  # the whole world: {base}/control/world");
        }
        s
    }
}
