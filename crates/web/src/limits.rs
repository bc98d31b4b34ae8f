//! Rate limits: login attempts and the public look-ups (status, verification) per client
//! address.
//!
//! Each node limits in memory with `governor` (GCRA: a burst of the minute's quota, then one
//! request per 1/quota of a minute), which costs nothing per request. On a database other
//! nodes share (PostgreSQL), the request is then also counted there per one-minute window
//! (`store::limits`), so that N nodes behind one balancer still admit one quota, not N.

use std::num::NonZeroU32;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

use crate::AppState;
use crate::i18n::{Tr, negotiate};

/// What is limited, and how much.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Class {
    /// Logging in and registering (pages and API), per address.
    Login,
    /// Public look-ups: status of an application, certificate verification.
    Lookup,
    /// Password attempts on one login, from any address: keyed by the login, not the client.
    Account,
}

impl Class {
    /// How many requests a window admits.
    fn allowance(self) -> NonZeroU32 {
        match self {
            Class::Login => NonZeroU32::new(10),
            Class::Lookup => NonZeroU32::new(60),
            // Ten attempts at once, then one per six minutes: a person who mistyped gets in,
            // a guesser spread over many addresses gets 240 guesses a day, not millions.
            Class::Account => NonZeroU32::new(10),
        }
        .unwrap_or(NonZeroU32::MIN)
    }

    /// The window the allowance is for, in ms: a minute, or an hour for an account.
    fn window_ms(self) -> i64 {
        match self {
            Class::Login | Class::Lookup => 60_000,
            Class::Account => 3_600_000,
        }
    }

    fn quota(self) -> Quota {
        let period =
            std::time::Duration::from_millis(self.window_ms().unsigned_abs() / u64::from(self.allowance().get()));
        Quota::with_period(period)
            .map_or_else(|| Quota::per_minute(self.allowance()), |q| q.allow_burst(self.allowance()))
    }

    fn name(self) -> &'static str {
        match self {
            Class::Login => "login",
            Class::Lookup => "lookup",
            Class::Account => "account",
        }
    }

    fn of(method: &Method, path: &str, query: Option<&str>) -> Option<Class> {
        match (method, path) {
            (&Method::POST, "/login" | "/api/v1/sessions" | "/eds/enter" | "/eds/demo-enter") => Some(Class::Login),
            // Each view of the registration page keeps a challenge in the database.
            (&Method::GET, "/register") => Some(Class::Login),
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
    account: Keyed<C>,
}

impl Default for Limiter {
    fn default() -> Limiter {
        Limiter::with_clock(DefaultClock::default())
    }
}

impl<C: Clock + Clone> Limiter<C> {
    /// Limits read off `clock`.
    pub fn with_clock(clock: C) -> Limiter<C> {
        let keyed = |class: Class| RateLimiter::dashmap_with_clock(class.quota(), clock.clone());
        Limiter { login: keyed(Class::Login), lookup: keyed(Class::Lookup), account: keyed(Class::Account), clock }
    }

    /// `Ok` if the request may go on, or the seconds to wait.
    fn admit(&self, client: &str, class: Class) -> Result<(), u64> {
        let limiter = match class {
            Class::Login => &self.login,
            Class::Lookup => &self.lookup,
            Class::Account => &self.account,
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

/// The window of `len_ms` that `now_ms` falls in, and the seconds left of it.
fn window_of(now_ms: i64, len_ms: i64) -> (i64, u64) {
    let start = now_ms - now_ms.rem_euclid(len_ms);
    (start, u64::try_from((start + len_ms - now_ms + 999) / 1000).unwrap_or(1).max(1))
}

/// Counts the request among every node's; `Err` with the seconds to wait when the window's
/// allowance is spent. A database that cannot answer does not lock people out: this node's
/// own limit still holds.
async fn admit_shared(state: &AppState, key: &str, class: Class) -> Result<(), u64> {
    if !state.store.shares_limits() {
        return Ok(());
    }
    let (window, left) = window_of(jiff::Timestamp::now().as_millisecond(), class.window_ms());
    match state.store.count_request(key, class.name(), window).await {
        Ok(hits) if hits > i64::from(class.allowance().get()) => Err(left),
        Ok(_) => Ok(()),
        Err(e) => {
            tracing::warn!(error = %e, "the shared request count is unavailable; this node's limit alone applies");
            Ok(())
        }
    }
}

/// Admits one request of `class` for `key` (an address, or a login), on this node and then
/// among every node's; `Err` with the seconds to wait.
pub(crate) async fn admit_key(state: &AppState, key: &str, class: Class) -> Result<(), u64> {
    match state.limiter.admit(key, class) {
        Ok(()) => admit_shared(state, key, class).await,
        refused => refused,
    }
}

pub(crate) async fn limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(class) = Class::of(request.method(), request.uri().path(), request.uri().query()) else {
        return next.run(request).await;
    };
    let client = crate::auth::Client::of(request.extensions()).0.unwrap_or_else(|| "local".to_owned());
    match admit_key(&state, &client, class).await {
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
    fn one_login_admits_ten_attempts_then_one_per_six_minutes() {
        let clock = FakeRelativeClock::default();
        let l = Limiter::with_clock(clock.clone());
        for _ in 0..10 {
            assert!(l.admit("aigerim.officer", Class::Account).is_ok());
        }
        assert_eq!(l.admit("aigerim.officer", Class::Account), Err(360));
        clock.advance(Duration::from_secs(360));
        assert!(l.admit("aigerim.officer", Class::Account).is_ok());
        assert!(l.admit("aigerim.officer", Class::Account).is_err());
    }

    #[test]
    fn a_shared_window_is_the_wall_clock_minute() {
        assert_eq!(window_of(120_000, 60_000), (120_000, 60));
        assert_eq!(window_of(179_001, 60_000), (120_000, 1));
        assert_eq!(window_of(150_500, 60_000), (120_000, 30));
        assert_eq!(window_of(3_600_500, 3_600_000), (3_600_000, 3600));
    }
}
