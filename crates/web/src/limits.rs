//! Rate limits: login attempts and the public look-ups (status, verification) per client
//! address, in fixed one-minute windows. In memory, per app node: enough to stop guessing
//! from one address; a shared limit across nodes would live in the database.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::i18n::{Tr, negotiate};

/// What is limited, and how much per minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Class {
    /// Logging in (pages and API).
    Login,
    /// Public look-ups: status of an application, certificate verification.
    Lookup,
}

impl Class {
    fn per_minute(self) -> u32 {
        match self {
            Class::Login => 10,
            Class::Lookup => 60,
        }
    }

    fn of(method: &Method, path: &str, query: Option<&str>) -> Option<Class> {
        match (method, path) {
            (&Method::POST, "/login" | "/api/v1/sessions") => Some(Class::Login),
            (&Method::POST, "/status" | "/api/v1/status" | "/verify" | "/api/v1/signatures/verify") => {
                Some(Class::Lookup)
            }
            (&Method::GET, "/verify") if query.is_some_and(|q| q.contains("number=")) => Some(Class::Lookup),
            // Verifying a certificate by number; its files need a session and are not guesses.
            (&Method::GET, p) if p.strip_prefix("/api/v1/certificates/").is_some_and(|n| !n.contains('/')) => {
                Some(Class::Lookup)
            }
            _ => None,
        }
    }
}

/// Counters per (client, class) for the current window.
#[derive(Debug, Default)]
pub struct Limiter {
    windows: Mutex<HashMap<(String, Class), (Instant, u32)>>,
}

impl Limiter {
    /// `Ok` if the request may go on, or the seconds to wait.
    fn admit(&self, client: &str, class: Class, now: Instant) -> Result<(), u64> {
        let mut w = self.windows.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if w.len() > 100_000 {
            w.retain(|_, (start, _)| now.duration_since(*start) < Duration::from_secs(60));
        }
        let entry = w.entry((client.to_owned(), class)).or_insert((now, 0));
        if now.duration_since(entry.0) >= Duration::from_secs(60) {
            *entry = (now, 0);
        }
        if entry.1 >= class.per_minute() {
            return Err(60u64.saturating_sub(now.duration_since(entry.0).as_secs()).max(1));
        }
        entry.1 += 1;
        Ok(())
    }
}

pub(crate) async fn limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(class) = Class::of(request.method(), request.uri().path(), request.uri().query()) else {
        return next.run(request).await;
    };
    let client = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "local".to_owned(), |c| c.0.ip().to_string());
    match state.limiter.admit(&client, class, Instant::now()) {
        Ok(()) => next.run(request).await,
        Err(wait) => {
            let accept = request.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
            let t = Tr::new(negotiate(None, None, accept));
            let message = t.ta("error-rate-limited", &[("seconds", wait.to_string())]);
            let mut response = if request.uri().path().starts_with("/api/") {
                crate::api::problem(
                    StatusCode::TOO_MANY_REQUESTS,
                    "rate-limited",
                    &t.t("problem-rate-limited"),
                    message,
                    None,
                )
            } else {
                (StatusCode::TOO_MANY_REQUESTS, message).into_response()
            };
            if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_admits_its_quota_then_refuses_until_it_passes() {
        let l = Limiter::default();
        let t0 = Instant::now();
        for _ in 0..10 {
            assert!(l.admit("1.2.3.4", Class::Login, t0).is_ok());
        }
        assert!(l.admit("1.2.3.4", Class::Login, t0).is_err());
        assert!(l.admit("5.6.7.8", Class::Login, t0).is_ok(), "per client");
        assert!(l.admit("1.2.3.4", Class::Lookup, t0).is_ok(), "per class");
        assert!(l.admit("1.2.3.4", Class::Login, t0 + Duration::from_secs(61)).is_ok(), "a new window");
    }
}
