//! The setup bot's own Bot API calls (built by `hotline_telegram::requests`): sending and
//! editing a screen in place, answering a button press; a few 429s are waited out.

use std::time::Duration;

use anyhow::Result;
use serde_json::Value;

use hotline_core::{ChatId, MessageId};
use hotline_telegram::TgError;
use hotline_telegram::requests::{self, Markup, Request};

use super::SetupBot;
use super::screens::Screen;

impl SetupBot {
    /// A Bot API call of the setup bot, waiting out a few 429s.
    pub(in crate::setup) async fn call(&self, r: &Request) -> Result<Value, TgError> {
        let mut tries = 0;
        loop {
            match self.api.send(r).await {
                Err(TgError::RetryAfter(s)) if tries < 3 => {
                    tries += 1;
                    tokio::time::sleep(Duration::from_secs(s.min(30))).await;
                }
                other => return other,
            }
        }
    }

    pub(in crate::setup) async fn send(&self, chat: i64, screen: &Screen) -> Result<()> {
        let mut r = requests::send_message(ChatId(chat), &screen.text).no_preview();
        if let Some(m) = screen.markup() {
            r = r.markup(&m);
        }
        self.call(&r).await?;
        Ok(())
    }

    pub(in crate::setup) async fn send_text(&self, chat: i64, text: String) -> Result<()> {
        self.send(
            chat,
            &Screen {
                text,
                keyboard: Vec::new(),
            },
        )
        .await
    }

    /// Shows `screen` in place of the message `message_id`; sends it anew when Telegram
    /// cannot edit that message any more.
    pub(in crate::setup) async fn show(
        &self,
        chat: i64,
        message_id: Option<i64>,
        screen: &Screen,
    ) -> Result<()> {
        let Some(message_id) = message_id else {
            return self.send(chat, screen).await;
        };
        let r = requests::edit_message_text(ChatId(chat), MessageId(message_id), &screen.text)
            .no_preview()
            .markup(&screen.markup().unwrap_or(Markup::Inline(Vec::new())));
        match self.call(&r).await {
            Ok(_) | Err(TgError::NotModified) => Ok(()),
            Err(TgError::MessageNotFound(_) | TgError::BadRequest(_)) => {
                self.send(chat, screen).await
            }
            Err(e) => Err(e.into()),
        }
    }

    pub(in crate::setup) async fn answer(&self, callback_id: &str, alert: Option<String>) {
        let r = requests::answer_callback(callback_id, alert.as_deref());
        if let Err(e) = self.call(&r).await {
            tracing::debug!("setup bot: answerCallbackQuery failed: {e}");
        }
    }
}
