//! World operations on people and bots: creating them, looking them up.

use std::collections::{BTreeMap, VecDeque};

use rand::Rng;
use tokio::sync::watch;

use super::{Bot, User, World};
use crate::error::{ApiError, ApiResult};

impl World {
    pub fn username_taken(&self, username: &str) -> bool {
        let u = username.to_lowercase();
        self.users
            .values()
            .any(|x| x.username.as_deref().map(str::to_lowercase) == Some(u.clone()))
            || self
                .chats
                .values()
                .any(|c| c.username.as_deref().map(str::to_lowercase) == Some(u.clone()))
    }

    pub fn create_user(&mut self, mut user: User) -> Result<i64, String> {
        if let Some(u) = &user.username
            && self.username_taken(u)
        {
            return Err(format!("username @{u} is taken"));
        }
        user.id = self.next_user_id;
        user.is_bot = false;
        self.next_user_id += 1;
        let id = user.id;
        self.users.insert(id, user);
        Ok(id)
    }

    pub fn create_bot(
        &mut self,
        username: &str,
        first_name: &str,
        token: Option<String>,
        privacy_off: bool,
        can_join_groups: bool,
    ) -> Result<(i64, String), String> {
        if !username.to_lowercase().ends_with("bot") {
            return Err("a bot's username must end in 'bot'".into());
        }
        if self.username_taken(username) {
            return Err(format!("username @{username} is taken"));
        }
        let id = match &token {
            Some(t) => {
                let (id, secret) = t
                    .split_once(':')
                    .ok_or("a token looks like 123456:ABC-def")?;
                let id: i64 = id
                    .parse()
                    .map_err(|_| "a token starts with the bot's numeric id")?;
                if id <= 0 || secret.len() < 30 || self.users.contains_key(&id) {
                    return Err("the token's bot id is taken or the secret is too short".into());
                }
                id
            }
            None => {
                let id = self.next_bot_id;
                self.next_bot_id += 1;
                id
            }
        };
        let token = match token {
            Some(t) => t,
            None => {
                const ALPHABET: &[u8] =
                    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
                let secret: String = (0..35)
                    .map(|_| ALPHABET[self.rng.random_range(0..ALPHABET.len())] as char)
                    .collect();
                format!("{id}:{secret}")
            }
        };
        if self.tokens.contains_key(&token) {
            return Err("token already exists".into());
        }
        self.users.insert(
            id,
            User {
                id,
                is_bot: true,
                first_name: first_name.to_string(),
                last_name: None,
                username: Some(username.to_string()),
                language_code: None,
                is_premium: false,
                hides_forwards: false,
                deactivated: false,
                contacts: Default::default(),
            },
        );
        // Update ids start at an arbitrary positive number, as on Telegram.
        let first_update = self.rng.random_range(100_000_000..900_000_000);
        self.bots.insert(
            id,
            Bot {
                id,
                token: token.clone(),
                can_join_groups,
                can_read_all_group_messages: privacy_off,
                can_connect_to_business: false,
                pending: VecDeque::new(),
                next_update_id: first_update,
                allowed_updates: None,
                webhook: None,
                signal: watch::channel(0).0,
                poll_generation: 0,
                commands: BTreeMap::new(),
                descriptions: BTreeMap::new(),
                short_descriptions: BTreeMap::new(),
                launched_at_ms: None,
                last_update_ms: None,
                logged_out_until_ms: None,
            },
        );
        self.tokens.insert(token.clone(), id);
        Ok((id, token))
    }

    pub fn user(&self, id: i64) -> ApiResult<&User> {
        self.users
            .get(&id)
            .ok_or_else(|| ApiError::bad_request("user not found"))
    }

    pub fn bot_mut(&mut self, id: i64) -> &mut Bot {
        // Handlers only run for authenticated bots, which are never removed.
        self.bots.entry(id).or_insert_with(|| Bot {
            id,
            token: String::new(),
            can_join_groups: false,
            can_read_all_group_messages: false,
            can_connect_to_business: false,
            pending: VecDeque::new(),
            next_update_id: 1,
            allowed_updates: None,
            webhook: None,
            signal: watch::channel(0).0,
            poll_generation: 0,
            commands: BTreeMap::new(),
            descriptions: BTreeMap::new(),
            short_descriptions: BTreeMap::new(),
            launched_at_ms: None,
            logged_out_until_ms: None,
            last_update_ms: None,
        })
    }

    pub fn is_bot(&self, id: i64) -> bool {
        self.bots.contains_key(&id)
    }

    // ----- chats -------------------------------------------------------------------------
}
