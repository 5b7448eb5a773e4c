//! The HTTP face: routing, body decoding, faults, flood limits, the traffic log.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use tokio::net::TcpListener;

use crate::Sim;
use crate::error::ApiError;
use crate::faults::{FaultKind, FaultRule};
use crate::methods::{self, Handler};
use crate::params::{Param, Params, Upload};

pub async fn serve(listener: TcpListener, sim: Arc<Sim>) {
    let limit = sim.world().config.max_upload_bytes() + (1 << 20);
    let app = Router::new()
        .nest("/control", crate::control::router())
        .merge(crate::ui::router())
        .fallback(dispatch)
        .layer(DefaultBodyLimit::max(limit))
        .with_state(sim.clone());
    let shutdown = sim.shutdown.clone();
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(async move { shutdown.cancelled().await })
        .await;
    if let Err(e) = served {
        tracing::error!("tgsim server stopped: {e}");
    }
}

fn json_response(status: u16, body: &Value) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        code,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

fn error_response(e: &ApiError) -> Response {
    json_response(e.code, &e.body())
}

async fn dispatch(State(sim): State<Arc<Sim>>, req: Request) -> Response {
    let path = req.uri().path().to_string();
    if let Some(rest) = path.strip_prefix("/file/bot") {
        return download(&sim, rest);
    }
    if let Some(rest) = path.strip_prefix("/bot") {
        let (token, method) = rest.split_once('/').unwrap_or((rest, ""));
        return bot_api(sim.clone(), token.to_string(), method.to_string(), req).await;
    }
    if path == "/" {
        return (StatusCode::OK, "tgsim: Telegram Bot API emulator. Bot API at /bot{token}/{method}, control API at /control/.\n").into_response();
    }
    error_response(&ApiError::not_found())
}

fn download(sim: &Sim, rest: &str) -> Response {
    let Some((token, file_path)) = rest.split_once('/') else {
        return error_response(&ApiError::not_found());
    };
    let w = sim.world();
    let Some(&bot) = w.tokens.get(token) else {
        return error_response(&ApiError::unauthorized());
    };
    match methods::files::resolve_download(&w, bot, file_path) {
        Some(f) => {
            let ct = f
                .mime_type
                .clone()
                .unwrap_or_else(|| "application/octet-stream".into());
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, ct)],
                f.bytes.clone(),
            )
                .into_response()
        }
        None => error_response(&ApiError::not_found()),
    }
}

async fn read_params(req: Request) -> Result<Params, ApiError> {
    let mut params = Params::new();
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let query = req.uri().query().map(str::to_string);
    if content_type.starts_with("multipart/form-data") {
        let mut mp = Multipart::from_request(req, &())
            .await
            .map_err(|e| ApiError::bad_request(format!("can't parse multipart body: {e}")))?;
        loop {
            let field = match mp.next_field().await {
                Ok(Some(f)) => f,
                Ok(None) => break,
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    return Err(ApiError::new(413, "Request Entity Too Large"));
                }
                Err(e) => {
                    return Err(ApiError::bad_request(format!(
                        "can't parse multipart body: {e}"
                    )));
                }
            };
            let name = field.name().unwrap_or_default().to_string();
            let file_name = field.file_name().map(str::to_string);
            let ct = field.content_type().map(str::to_string);
            let bytes = field.bytes().await.map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::new(413, "Request Entity Too Large")
                } else {
                    ApiError::bad_request(format!("can't parse multipart body: {e}"))
                }
            })?;
            if file_name.is_some() {
                params.insert(
                    name,
                    Param::File(Upload {
                        file_name,
                        content_type: ct,
                        bytes,
                    }),
                );
            } else {
                params.insert(
                    name,
                    Param::Text(String::from_utf8_lossy(&bytes).into_owned()),
                );
            }
        }
    } else {
        let body: Bytes = axum::body::to_bytes(req.into_body(), usize::MAX)
            .await
            .map_err(|_| ApiError::new(413, "Request Entity Too Large"))?;
        if content_type.starts_with("application/json") && !body.iter().all(u8::is_ascii_whitespace)
        {
            match serde_json::from_slice::<Value>(&body) {
                Ok(Value::Object(o)) => params.add_json_object(o),
                _ => return Err(ApiError::bad_request("can't parse JSON object")),
            }
        } else if content_type.starts_with("application/x-www-form-urlencoded") {
            params.add_form(&body);
        }
    }
    if let Some(q) = query {
        params.add_query(&q);
    }
    Ok(params)
}

async fn bot_api(sim: Arc<Sim>, token: String, method: String, req: Request) -> Response {
    let bot = {
        let mut w = sim.world();
        let Some(&bot) = w.tokens.get(&token) else {
            return error_response(&ApiError::unauthorized());
        };
        let now = w.now_ms();
        let b = w.bot_mut(bot);
        if b.logged_out_until_ms.is_some_and(|t| now < t) {
            return error_response(&ApiError::unauthorized());
        }
        b.launched_at_ms.get_or_insert(now);
        bot
    };
    let Some(spec) = methods::lookup(&method) else {
        // Logged like any other call: a client calling a method that does not exist is
        // exactly what the traffic log should show.
        return finish(
            &sim,
            bot,
            &method,
            &Params::new(),
            Err(ApiError::not_found()),
        );
    };
    let params = match read_params(req).await {
        Ok(p) => p,
        Err(e) => return finish(&sim, bot, spec.name, &Params::new(), Err(e)),
    };
    let strict = sim.world().config.strict;
    if strict {
        let unknown = params.unknown(spec.params);
        if let Some(first) = unknown.first() {
            let e = ApiError::bad_request(format!(
                "tgsim strict mode: unknown parameter \"{first}\" for method {} (Telegram would silently ignore it)",
                spec.name
            ));
            return finish(&sim, bot, spec.name, &params, Err(e));
        }
    }
    let verdict = {
        let mut rng = sim
            .fault_rng
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut faults = sim
            .faults
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        faults.judge(bot, spec.name, &mut rng)
    };
    if verdict.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(verdict.delay_ms)).await;
    }
    if let Some(rule) = verdict.failure.as_ref().filter(|r| !r.after) {
        return fault_response(&sim, bot, spec.name, &params, rule);
    }
    let result = match spec.handler {
        Handler::Sync(f) => {
            let mut w = sim.world();
            f(&mut w, bot, &params)
        }
        Handler::GetUpdates => crate::updates::get_updates(&sim, bot, &params).await,
    };
    if result.is_ok() && matches!(spec.name, "setWebhook") {
        let generation = sim
            .world()
            .bots
            .get(&bot)
            .and_then(|b| b.webhook.as_ref())
            .map(|h| h.generation);
        if let Some(g) = generation {
            sim.spawn_webhook_sender(bot, g);
        }
    }
    if verdict.delay_after_ms > 0 {
        tokio::time::sleep(Duration::from_millis(verdict.delay_after_ms)).await;
    }
    if let Some(rule) = verdict.failure.as_ref() {
        return fault_response(&sim, bot, spec.name, &params, rule);
    }
    finish(&sim, bot, spec.name, &params, result)
}

fn fault_response(
    sim: &Sim,
    bot: i64,
    method: &str,
    params: &Params,
    rule: &FaultRule,
) -> Response {
    match rule.kind {
        FaultKind::TooManyRequests => {
            let e = ApiError::too_many_requests(rule.retry_after.unwrap_or(1));
            finish(sim, bot, method, params, Err(e))
        }
        FaultKind::ServerError => {
            let status = rule
                .status
                .filter(|s| (500..600).contains(s))
                .unwrap_or(500);
            if status == 500 {
                return finish(
                    sim,
                    bot,
                    method,
                    params,
                    Err(ApiError::new(500, "Internal Server Error")),
                );
            }
            // Gateways in front of the Bot API answer with HTML, not JSON.
            let code = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
            let reason = code.canonical_reason().unwrap_or("Bad Gateway");
            let html = format!(
                "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
            );
            log(
                sim,
                bot,
                method,
                params,
                &json!({ "status": status, "body": html }),
                status,
            );
            (code, [(header::CONTENT_TYPE, "text/html")], html).into_response()
        }
        FaultKind::Drop => {
            log(sim, bot, method, params, &json!({ "dropped": true }), 0);
            let stream = futures_util::stream::once(async {
                Err::<Bytes, std::io::Error>(std::io::Error::other("tgsim: dropped connection"))
            });
            let mut headers = HeaderMap::new();
            headers.insert(
                header::CONTENT_TYPE,
                header::HeaderValue::from_static("application/json"),
            );
            (StatusCode::OK, headers, Body::from_stream(stream)).into_response()
        }
        FaultKind::Slow => finish(
            sim,
            bot,
            method,
            params,
            Err(ApiError::new(500, "Internal Server Error")),
        ),
    }
}

fn finish(
    sim: &Sim,
    bot: i64,
    method: &str,
    params: &Params,
    result: Result<Value, ApiError>,
) -> Response {
    let (status, body) = match result {
        Ok(v) => (200, json!({ "ok": true, "result": v })),
        Err(e) => (e.code, e.body()),
    };
    log(sim, bot, method, params, &body, status);
    json_response(status, &body)
}

fn log(sim: &Sim, bot: i64, method: &str, params: &Params, response: &Value, status: u16) {
    sim.count(method, status);
    if let Some(r) = &sim.recorder {
        let (bot_name, at_ms) = {
            let w = sim.world();
            (
                w.users.get(&bot).and_then(|u| u.username.clone()),
                w.now_ms(),
            )
        };
        r.append(&json!({
            "at_ms": at_ms,
            "bot": bot_name,
            "method": method,
            "params": params.to_log_json(),
            "response": response,
        }));
    }
}
