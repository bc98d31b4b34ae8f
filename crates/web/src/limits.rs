//! Rate limits: login attempts and the public look-ups (status, verification) per client
//! address.
//!
//! Each node limits in memory with `governor` (GCRA: a burst of the minute's quota, then one
//! request per 1/quota of a minute), which costs nothing per request. On a database other
//! nodes share (PostgreSQL), the request is then also counted there per one-minute window
//! (`store::limits`), so that N nodes behind one balancer still admit one quota, not N.

use std::net::SocketAddr;
use std::num::NonZeroU32;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

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
    fn per_minute(self) -> NonZeroU32 {
        match self {
            Class::Login => NonZeroU32::new(10),
            Class::Lookup => NonZeroU32::new(60),
        }
        .unwrap_or(NonZeroU32::MIN)
    }

    fn name(self) -> &'static str {
        match self {
            Class::Login => "login",
            Class::Lookup => "lookup",
        }
    }

    fn of(method: &Method, path: &str, query: Option<&str>) -> Option<Class> {
        match (method, path) {
            (&Method::POST, "/login" | "/api/v1/sessions" | "/eds/enter" | "/eds/demo-enter") => Some(Class::Login),
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

type Keyed<C> = RateLimiter<String, DefaultKeyedStateStore<String>, C, NoOpMiddleware<<C as Clock>::Instant>>;

/// This node's limits, one keyed limiter per class; generic over the clock so tests can move
/// time.
pub struct Limiter<C: Clock = DefaultClock> {
    clock: C,
    login: Keyed<C>,
    lookup: Keyed<C>,
}

impl Default for Limiter {
    fn default() -> Limiter {
        Limiter::with_clock(DefaultClock::default())
    }
}

impl<C: Clock + Clone> Limiter<C> {
    /// Limits read off `clock`.
    pub fn with_clock(clock: C) -> Limiter<C> {
        let keyed =
            |class: Class| RateLimiter::dashmap_with_clock(Quota::per_minute(class.per_minute()), clock.clone());
        Limiter { login: keyed(Class::Login), lookup: keyed(Class::Lookup), clock }
    }

    /// `Ok` if the request may go on, or the seconds to wait.
    fn admit(&self, client: &str, class: Class) -> Result<(), u64> {
        let limiter = match class {
            Class::Login => &self.login,
            Class::Lookup => &self.lookup,
        };
        // Clients that have not been seen for a while cost no memory.
        if limiter.len() > 100_000 {
            limiter.retain_recent();
        }
        limiter.check_key(&client.to_owned()).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
        })
    }
}

/// The minute `now_ms` falls in, and the seconds left of it.
fn window_of(now_ms: i64) -> (i64, u64) {
    let start = now_ms - now_ms.rem_euclid(60_000);
    (start, u64::try_from((start + 60_000 - now_ms + 999) / 1000).unwrap_or(1).max(1))
}

/// Counts the request among every node's; `Err` with the seconds to wait when the minute's
/// quota is spent. A database that cannot answer does not lock people out: this node's own
/// limit still holds.
async fn admit_shared(state: &AppState, client: &str, class: Class) -> Result<(), u64> {
    if !state.store.shares_limits() {
        return Ok(());
    }
    let (window, left) = window_of(jiff::Timestamp::now().as_millisecond());
    match state.store.count_request(client, class.name(), window).await {
        Ok(hits) if hits > i64::from(class.per_minute().get()) => Err(left),
        Ok(_) => Ok(()),
        Err(e) => {
            tracing::warn!(error = %e, "the shared request count is unavailable; this node's limit alone applies");
            Ok(())
        }
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
    let admitted = match state.limiter.admit(&client, class) {
        Ok(()) => admit_shared(&state, &client, class).await,
        refused => refused,
    };
    match admitted {
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
    use std::time::Duration;

    use governor::clock::FakeRelativeClock;

    use super::*;

    #[test]
    fn a_quota_admits_its_burst_then_refuses_until_it_refills() {
        let clock = FakeRelativeClock::default();
        let l = Limiter::with_clock(clock.clone());
        for _ in 0..10 {
            assert!(l.admit("1.2.3.4", Class::Login).is_ok());
        }
        assert_eq!(l.admit("1.2.3.4", Class::Login), Err(6), "one login per six seconds after the burst");
        assert!(l.admit("5.6.7.8", Class::Login).is_ok(), "per client");
        assert!(l.admit("1.2.3.4", Class::Lookup).is_ok(), "per class");
        clock.advance(Duration::from_secs(6));
        assert!(l.admit("1.2.3.4", Class::Login).is_ok(), "refilled");
        assert!(l.admit("1.2.3.4", Class::Login).is_err());
    }

    #[test]
    fn a_shared_window_is_the_wall_clock_minute() {
        assert_eq!(window_of(120_000), (120_000, 60));
        assert_eq!(window_of(179_001), (120_000, 1));
        assert_eq!(window_of(150_500), (120_000, 30));
    }
}
