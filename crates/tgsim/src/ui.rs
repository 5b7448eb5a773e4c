//! The sandbox web UI: a small Telegram-Web-like client over the control API, through which a
//! person in a browser acts as any user of the emulated world.
//!
//! The page (`GET /ui`) and its script and style sheet are compiled in, so the UI works
//! offline. Besides the plain control API it uses three helpers mounted under `/control`:
//!
//! - `GET /control/events`: server-sent events, one `change` event (data: the world's version)
//!   whenever the world changed, at most one per [`COALESCE`], and a `panel` event when the
//!   host panel changed; the page re-fetches what it shows on each.
//! - `GET /control/panel`: the JSON object the embedding program sets with
//!   [`Sim::set_panel`](crate::Sim::set_panel); tgsim does not interpret it.
//! - `GET /control/dialogs?as=ID`: a person's chat list as Telegram shows it (bots and the
//!   groups the person is in, with their last messages and forum topics).
//!
//! `GET /ui/samples/{name}` serves small sample files to send as media, and
//! `GET /ui/file/{file_id}` the bytes behind a file id any viewer received, so pictures show.
//!
//! To try it without Hotline: `cargo run -p tgsim --example ui_demo`, then open
//! `http://127.0.0.1:8088/ui`.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::watch;

use crate::Sim;
use crate::render;
use crate::world::{ADMIN_RIGHTS, Chat, ChatKey, Message, Sender, World};

const INDEX_HTML: &str = include_str!("../ui/index.html");
const APP_JS: &str = include_str!("../ui/app.js");
const APP_CSS: &str = include_str!("../ui/app.css");

/// Sample files the composer sends as media: (name, content type, bytes).
pub const SAMPLES: &[(&str, &str, &[u8])] = &[
    (
        "photo.png",
        "image/png",
        include_bytes!("../ui/samples/photo.png"),
    ),
    (
        "photo2.png",
        "image/png",
        include_bytes!("../ui/samples/photo2.png"),
    ),
    (
        "sticker.png",
        "image/png",
        include_bytes!("../ui/samples/sticker.png"),
    ),
    (
        "voice.ogg",
        "audio/ogg",
        include_bytes!("../ui/samples/voice.ogg"),
    ),
    (
        "invoice.pdf",
        "application/pdf",
        include_bytes!("../ui/samples/invoice.pdf"),
    ),
];

/// Bursts of world changes are reported as one event per this interval at most.
pub const COALESCE: Duration = Duration::from_millis(100);

type Shared = State<Arc<Sim>>;

/// `/ui`, its assets, samples and files.
pub fn router() -> Router<Arc<Sim>> {
    Router::new()
        .route("/ui", get(index))
        .route("/ui/", get(index))
        .route("/ui/app.js", get(app_js))
        .route("/ui/app.css", get(app_css))
        .route("/ui/samples/{name}", get(sample))
        .route("/ui/file/{file_id}", get(file))
}

/// The UI's helpers, nested under `/control` with the control API.
pub fn control_routes() -> Router<Arc<Sim>> {
    Router::new()
        .route("/events", get(events))
        .route("/panel", get(panel))
        .route("/dialogs", get(dialogs))
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

async fn index() -> Response {
    asset("text/html; charset=utf-8", INDEX_HTML)
}

async fn app_js() -> Response {
    asset("text/javascript; charset=utf-8", APP_JS)
}

async fn app_css() -> Response {
    asset("text/css; charset=utf-8", APP_CSS)
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        axum::Json(json!({ "ok": false, "error": "not found" })),
    )
        .into_response()
}

async fn sample(Path(name): Path<String>) -> Response {
    match SAMPLES.iter().find(|(n, _, _)| *n == name) {
        Some((_, ct, bytes)) => {
            (StatusCode::OK, [(header::CONTENT_TYPE, *ct)], *bytes).into_response()
        }
        None => not_found(),
    }
}

/// The bytes behind a file id, whichever bot or person it was issued to.
async fn file(State(sim): Shared, Path(file_id): Path<String>) -> Response {
    let Some((_, index)) = render::decode_file_id(&file_id) else {
        return not_found();
    };
    let w = sim.world();
    let Some(f) = w.file(index) else {
        return not_found();
    };
    let ct = f.mime_type.clone().unwrap_or_else(|| {
        match f.kind.as_str() {
            "photo" => "image/jpeg",
            "voice" => "audio/ogg",
            "sticker" => "image/webp",
            _ => "application/octet-stream",
        }
        .to_string()
    });
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, ct),
            (header::CACHE_CONTROL, "max-age=3600".to_string()),
        ],
        f.bytes.clone(),
    )
        .into_response()
}

async fn panel(State(sim): Shared) -> Response {
    axum::Json(json!({ "ok": true, "result": sim.panel() })).into_response()
}

// ----- live events -------------------------------------------------------------------------

struct Watching {
    sim: Arc<Sim>,
    world: watch::Receiver<u64>,
    panel: watch::Receiver<Value>,
    first: bool,
}

enum Next {
    Stop,
    World,
    Panel,
}

fn change_event(version: u64) -> Event {
    Event::default().event("change").data(version.to_string())
}

/// Server-sent events: `change` (data: the world's version) at once, then after every change
/// of the world, at most one per [`COALESCE`]; `panel` when the host panel changed. The stream
/// ends when the emulator shuts down.
async fn events(State(sim): Shared) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let world = sim.world().changes.subscribe();
    let panel = sim.panel.subscribe();
    let state = Watching {
        sim,
        world,
        panel,
        first: true,
    };
    let stream = futures_util::stream::unfold(state, |mut st| async move {
        if st.first {
            st.first = false;
            let version = *st.world.borrow_and_update();
            st.panel.borrow_and_update();
            return Some((Ok(change_event(version)), st));
        }
        // Changes during the pause are not lost: the receivers remember them.
        tokio::select! {
            () = st.sim.shutdown.cancelled() => return None,
            () = tokio::time::sleep(COALESCE) => {}
        }
        let next = tokio::select! {
            () = st.sim.shutdown.cancelled() => Next::Stop,
            r = st.world.changed() => if r.is_ok() { Next::World } else { Next::Stop },
            r = st.panel.changed() => if r.is_ok() { Next::Panel } else { Next::Stop },
        };
        match next {
            Next::Stop => None,
            Next::World => {
                let version = *st.world.borrow_and_update();
                Some((Ok(change_event(version)), st))
            }
            Next::Panel => {
                st.panel.borrow_and_update();
                Some((Ok(Event::default().event("panel").data("{}")), st))
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

// ----- a person's chat list ----------------------------------------------------------------

#[derive(Deserialize)]
struct DialogsQuery {
    #[serde(rename = "as")]
    viewer: i64,
}

/// Up to this many ids of recent messages from others, for unread badges.
const INCOMING_TAIL: usize = 50;

/// A chat's (or a topic's) last message and the ids of the latest messages from others,
/// fed newest first.
#[derive(Default)]
struct Summary<'a> {
    last: Option<&'a Message>,
    incoming: Vec<i64>,
}

impl<'a> Summary<'a> {
    fn feed(&mut self, m: &'a Message, viewer: i64) {
        self.last.get_or_insert(m);
        let own = m.sender == Sender::User(viewer) || m.posted_by == Some(viewer);
        if !own && !m.service && self.incoming.len() < INCOMING_TAIL {
            self.incoming.push(m.id);
        }
    }

    /// (last message as the viewer sees it, incoming ids oldest first, last message's time).
    fn render(mut self, w: &World, viewer: i64) -> (Value, Vec<i64>, i64) {
        self.incoming.reverse();
        match self.last {
            Some(m) => (render::message(w, m, viewer), self.incoming, m.date_ms),
            None => (Value::Null, self.incoming, 0),
        }
    }
}

fn visible(c: &Chat) -> impl DoubleEndedIterator<Item = &Message> {
    c.messages.values().filter(|m| !m.deleted)
}

fn rights_of(c: &Chat, viewer: i64) -> Vec<&'static str> {
    match c.member(viewer) {
        Some(m) if m.status.is_admin() => {
            ADMIN_RIGHTS.iter().copied().filter(|r| m.can(r)).collect()
        }
        _ => Vec::new(),
    }
}

fn group_dialog(w: &World, c: &Chat, viewer: i64) -> (Value, i64) {
    // One pass over the messages, newest first: the chat's summary and each topic's (0 is
    // General).
    let mut all = Summary::default();
    let mut topics: HashMap<i64, Summary> = HashMap::new();
    for m in visible(c).rev() {
        all.feed(m, viewer);
        if c.is_forum {
            let t = if m.is_topic_message {
                m.thread_id.unwrap_or(0)
            } else {
                0
            };
            topics.entry(t).or_default().feed(m, viewer);
        }
    }
    let mut v = render::chat(w, c.key, viewer);
    let (last, incoming, last_ms) = all.render(w, viewer);
    v["last"] = last;
    v["incoming"] = json!(incoming);
    v["status"] = json!(c.status_of(viewer).as_str());
    v["rights"] = json!(rights_of(c, viewer));
    v["members"] = json!(c.members.values().filter(|m| m.status.is_present()).count());
    if c.is_forum {
        let mut topic = |id: i64| topics.remove(&id).unwrap_or_default().render(w, viewer);
        let (glast, gin, gms) = topic(0);
        let mut list = vec![json!({
            "id": 0, "name": "General", "closed": c.general_closed, "icon_color": null,
            "last": glast, "incoming": gin, "last_ms": gms,
        })];
        for t in c.topics.values().filter(|t| !t.deleted) {
            let (tlast, tin, tms) = topic(t.id);
            list.push(json!({
                "id": t.id, "name": t.name, "closed": t.closed, "archived": t.archived,
                "icon_color": t.icon_color, "last": tlast, "incoming": tin, "last_ms": tms,
            }));
        }
        v["topics"] = Value::Array(list);
    }
    (v, last_ms)
}

/// Every bot as a private chat (started or not), every other person, and every group the
/// person is in, most recently active first.
async fn dialogs(State(sim): Shared, Query(q): Query<DialogsQuery>) -> Response {
    let w = sim.world();
    let person = w.users.get(&q.viewer).filter(|u| !u.is_bot);
    if person.is_none() {
        return (
            StatusCode::BAD_REQUEST,
            axum::Json(json!({ "ok": false, "error": "no such user" })),
        )
            .into_response();
    }
    let mut out: Vec<(i64, Value)> = Vec::new();
    for bot in w.bots.keys() {
        let key = ChatKey::Private {
            bot: *bot,
            user: q.viewer,
        };
        let mut v = render::chat(&w, key, q.viewer);
        v["type"] = json!("bot");
        let (started, blocked, last, incoming, last_ms) = match w.chats.get(&key) {
            Some(c) => {
                let mut s = Summary::default();
                for m in visible(c).rev() {
                    s.feed(m, q.viewer);
                    if s.incoming.len() >= INCOMING_TAIL {
                        break;
                    }
                }
                let (last, incoming, ms) = s.render(&w, q.viewer);
                (c.started, c.blocked, last, incoming, ms)
            }
            None => (false, false, Value::Null, Vec::new(), 0),
        };
        v["started"] = json!(started);
        v["blocked"] = json!(blocked);
        v["last"] = last;
        v["incoming"] = json!(incoming);
        out.push((last_ms, v));
    }
    // Every other person: the private chat with them (created by the first message). A
    // person whose account has a business bot connected says so.
    for other in w.users.values() {
        if other.is_bot || other.id == q.viewer || other.id < 1_000_000 || other.deactivated {
            continue;
        }
        let key = ChatKey::personal(q.viewer, other.id);
        let mut v = render::chat(&w, key, q.viewer);
        v["type"] = json!("person");
        v["premium"] = json!(other.is_premium);
        if let Some(c) = w.business_of(other.id) {
            v["business_bot"] = render::user(&w, c.bot);
        }
        let (last, incoming, last_ms) = match w.chats.get(&key) {
            Some(c) => {
                let mut s = Summary::default();
                for m in visible(c).rev() {
                    s.feed(m, q.viewer);
                    if s.incoming.len() >= INCOMING_TAIL {
                        break;
                    }
                }
                s.render(&w, q.viewer)
            }
            None => (Value::Null, Vec::new(), 0),
        };
        v["last"] = last;
        v["incoming"] = json!(incoming);
        out.push((last_ms, v));
    }
    for c in w.chats.values() {
        let ChatKey::Group(_) = c.key else { continue };
        if c.migrated_to.is_some() || !c.is_present(q.viewer) {
            continue;
        }
        let (v, last_ms) = group_dialog(&w, c, q.viewer);
        out.push((last_ms, v));
    }
    // Most recent first; chats without messages keep their order at the end.
    out.sort_by_key(|(ms, _)| std::cmp::Reverse(*ms));
    let list: Vec<Value> = out.into_iter().map(|(_, v)| v).collect();
    axum::Json(json!({ "ok": true, "result": list })).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_are_what_they_claim() {
        for (name, ct, bytes) in SAMPLES {
            let ok = match *ct {
                "image/png" => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
                "audio/ogg" => {
                    bytes.starts_with(b"OggS") && bytes.windows(8).any(|w| w == b"OpusHead")
                }
                "application/pdf" => bytes.starts_with(b"%PDF-"),
                _ => false,
            };
            assert!(ok, "{name} is not {ct}");
        }
    }
}
