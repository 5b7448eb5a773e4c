//! Runs the dialog state machine (`hotline_core::dialog`) against stored dialogs: loads the
//! state, applies one event, saves the next state and turns the effects into outbox jobs —
//! all inside the caller's transaction, so a status change and the calls that show it commit
//! together or not at all.

use hotline_core::dialog::{self, CloseCause, Effect, Event, Lifecycle};
use hotline_i18n::{Args, Key, Lang, tr_args};
use hotline_store::{Dialog, Tx};

use crate::card;
use crate::config::ConnConfig;
use crate::ctx::ConnCtx;
use crate::jobs::Job;

/// The state machine's view of a stored dialog.
pub fn core_state(d: &Dialog) -> dialog::Dialog {
    dialog::Dialog {
        kind: d.kind,
        status: d.status,
        topic: d.topic,
        last_customer_message_ms: d.last_customer_ms,
        last_operator_answer_ms: d.last_answer_ms,
        welcomed: d.welcomed,
    }
}

fn write_back(row: &mut Dialog, s: &dialog::Dialog) {
    row.kind = s.kind;
    row.status = s.status;
    row.topic = s.topic;
    row.last_customer_ms = s.last_customer_message_ms;
    row.last_answer_ms = s.last_operator_answer_ms;
    row.welcomed = s.welcomed;
}

/// How stale the stored time of the latest customer message may get. It only matters while
/// the dialog is 🟨 (AUTOCLOSE), and a customer message always leaves 🟨; skipping the
/// rewrite on every message of a busy dialog halves the writes per relayed message.
const LAST_CUSTOMER_PRECISION_MS: i64 = 60_000;

fn needs_saving(stored: &Dialog, next: &Dialog) -> bool {
    if stored == next {
        return false;
    }
    let only_customer_time = Dialog {
        last_customer_ms: stored.last_customer_ms,
        ..next.clone()
    } == *stored;
    let drift = match (stored.last_customer_ms, next.last_customer_ms) {
        (Some(a), Some(b)) => b - a,
        _ => i64::MAX,
    };
    !(only_customer_time && drift < LAST_CUSTOMER_PRECISION_MS)
}

/// What the caller adds to an event.
#[derive(Debug, Default)]
pub struct Extras {
    /// The copy of the customer's message (for `Relay` and `RecordOnly`) and when it may go.
    pub copy: Option<(Job, i64)>,
    /// Who closed the dialog (`/close`).
    pub closed_by: Option<String>,
    /// The customer's name for WELCOME's `{title}`.
    pub customer_name: Option<String>,
    /// The customer's Telegram language (for the branding line).
    pub customer_lang: Option<String>,
}

/// Applies `event` to the dialog `row` (as read inside `tx`); returns the effects performed.
pub async fn apply(
    ctx: &ConnCtx,
    tx: &mut Tx,
    cfg: &ConnConfig,
    row: &Dialog,
    event: Event,
    extras: Extras,
    now: i64,
) -> anyhow::Result<Vec<Effect>> {
    let (next, effects) = dialog::apply(core_state(row), event, &cfg.policy);
    let mut saved = row.clone();
    write_back(&mut saved, &next);
    let opened = effects.iter().any(|e| {
        matches!(
            e,
            Effect::Lifecycle(Lifecycle::Created | Lifecycle::Reopened)
        )
    });
    if opened {
        saved.openings += 1;
    }
    if needs_saving(row, &saved) {
        tx.dialogs().save_state(&saved, now).await?;
    }
    let created = effects
        .iter()
        .any(|e| matches!(e, Effect::Lifecycle(Lifecycle::Created)));
    let closed_by = effects.iter().find_map(|e| match e {
        Effect::Lifecycle(Lifecycle::Closed { by }) => Some(*by),
        _ => None,
    });
    let d = row.id.0;
    // With when each may go: the copy of an album item waits for the rest of the album.
    let mut jobs: Vec<(Job, i64)> = Vec::new();
    let mut copy = extras.copy;
    for effect in &effects {
        tracing::debug!(connection = %ctx.id, dialog = d, "{effect}");
        match effect {
            Effect::CreateTopic { .. } => {
                jobs.push((Job::CreateTopic { dialog: d }, now));
                if created {
                    // The team sees who this is before the first message.
                    let customer = tx.customers().get(ctx.id, row.customer_chat_id).await?;
                    if let Some(payload) = customer.as_ref().and_then(|c| c.start_payload.clone()) {
                        let text = tr_args(
                            cfg.lang,
                            Key::NoticeStartPayload,
                            &Args::new().str("payload", payload),
                        );
                        jobs.push((Job::Notice { dialog: d, text }, now));
                    }
                    if cfg.params.auto_info
                        && let Some(c) = customer
                    {
                        // A new dialog has no tags yet.
                        jobs.extend(
                            card::jobs(cfg, &saved, &c, &[])
                                .into_iter()
                                .map(|j| (j, now)),
                        );
                    }
                }
            }
            Effect::Rename(_) => jobs.push((Job::Rename { dialog: d }, now)),
            Effect::ReopenTopic => jobs.push((Job::TopicState { dialog: d }, now)),
            Effect::CloseTopic => {
                let text = match closed_by {
                    Some(CloseCause::Autoclose) => Some(tr_args(
                        cfg.lang,
                        Key::NoticeAutoclosed,
                        &Args::new().num(
                            "hours",
                            i64::from(cfg.policy.autoclose_hours.unwrap_or_default()),
                        ),
                    )),
                    _ => extras.closed_by.clone().map(|name| {
                        tr_args(
                            cfg.lang,
                            Key::NoticeClosedBy,
                            &Args::new().str("name", name),
                        )
                    }),
                };
                if let Some(text) = text {
                    jobs.push((Job::Notice { dialog: d, text }, now));
                }
                jobs.push((Job::TopicState { dialog: d }, now));
            }
            Effect::Relay => {
                jobs.extend(copy.take());
            }
            Effect::RecordOnly => {
                jobs.extend(copy.take().map(|(job, due)| (job.silenced(), due)));
            }
            Effect::NotActivated | Effect::Lifecycle(_) => {}
            Effect::SendWelcome => {
                let lang = Lang::from_telegram(extras.customer_lang.as_deref());
                let branding = branding_line(ctx, lang);
                let name = extras.customer_name.clone().unwrap_or_default();
                if let Some(text) = cfg.stored.welcome_text(
                    cfg.plan,
                    Some(&branding),
                    &crate::format::escape_html(&name),
                ) {
                    let job = Job::SendCustomer {
                        dialog: d,
                        customer: row.customer_chat_id.0,
                        text,
                        html: true,
                    };
                    jobs.push((job, now));
                }
            }
        }
    }
    for (job, due) in jobs {
        tx.outbox().push(ctx.id, &job.to_new(due), now).await?;
    }
    Ok(effects)
}

/// The free plan's line under WELCOME, in the customer's language.
pub fn branding_line(ctx: &ConnCtx, lang: Lang) -> String {
    match &ctx.settings.branding_link {
        Some(link) => tr_args(
            lang,
            Key::BrandingLine,
            &Args::new().str("link", link.clone()),
        ),
        None => hotline_i18n::tr(lang, Key::BrandingLinePlain),
    }
}
