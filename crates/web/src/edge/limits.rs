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

use crate::edge::AppState;
use crate::edge::i18n::{Tr, negotiate};

/// The largest document a person may upload: the store's limit, stated once.
pub(crate) const FILE_BYTES: usize = store::blobs::DEFAULT_MAX_BYTES;

/// The largest form: every document the checklists can ask for at its largest, and the
/// answers around them. The router enforces it on every body (`lib.rs`), once.
pub(crate) const FORM_BYTES: usize = rules::documents::DocumentKind::ALL.len() * FILE_BYTES + 1024 * 1024;

/// What is limited, and how much.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Class {
    /// Logging in and registering (pages and API), per address.
    Login,
    /// Public look-ups: status of an application, certificate verification.
    Lookup,
}

impl Class {
    /// How many requests a window admits.
    fn allowance(self) -> NonZeroU32 {
        match self {
            Class::Login => NonZeroU32::new(10),
            Class::Lookup => NonZeroU32::new(60),
        }
        .unwrap_or(NonZeroU32::MIN)
    }

    /// The window the allowance is for, in ms: a minute.
    fn window_ms(self) -> i64 {
        60_000
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
    /// Failed password attempts.
    pub(crate) guesses: Guesses,
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
        Limiter { login: keyed(Class::Login), lookup: keyed(Class::Lookup), guesses: Guesses::default(), clock }
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

/// Failed password attempts, counted per address and login and per login; successes are never
/// counted, so logging in often costs nothing. After a few failures each next attempt waits,
/// twice as long each time (to 15 minutes): per address and login after 10, which slows the one
/// guessing; per login from anywhere after 10, which slows a guesser spread over many
/// addresses, but which a correct password from the owner's known browser passes, so
/// strangers cannot lock the owner out. A key is forgotten an hour after its last failure.
/// Kept in this node's memory: the per-address limits already bound each client, and a
/// shared count would cost a database write per failure.
#[derive(Debug, Default)]
pub(crate) struct Guesses {
    tallies: std::sync::Mutex<std::collections::HashMap<String, Tally>>,
}

#[derive(Debug, Clone, Copy)]
struct Tally {
    failures: u32,
    last_ms: i64,
}

impl Guesses {
    /// Failures allowed per address and login before the waits begin.
    const PAIR_FREE: u32 = 10;
    /// Failures allowed per login from any address before the waits begin.
    const LOGIN_FREE: u32 = 10;
    /// The first wait, in seconds; each further failure doubles it.
    const FIRST_WAIT_S: u64 = 6;
    /// The longest wait.
    const MAX_WAIT_S: u64 = 15 * 60;
    /// How long a key's failures are remembered after the last.
    const FORGET_MS: i64 = 3_600_000;

    fn keys(address: &str, login: &str) -> (String, String) {
        let login = login.trim().to_lowercase();
        (format!("{address}|{login}"), format!("*|{login}"))
    }

    fn wait(tallies: &std::collections::HashMap<String, Tally>, key: &str, free: u32, now_ms: i64) -> Option<u64> {
        let t = tallies.get(key).filter(|t| now_ms - t.last_ms < Self::FORGET_MS)?;
        let over = t.failures.checked_sub(free)?;
        let wait_s = Self::FIRST_WAIT_S.saturating_mul(1 << over.min(16)).min(Self::MAX_WAIT_S);
        let left_ms = t.last_ms + i64::try_from(wait_s * 1000).unwrap_or(i64::MAX) - now_ms;
        (left_ms > 0).then(|| u64::try_from((left_ms + 999) / 1000).unwrap_or(1).max(1))
    }

    /// `Err(seconds to wait)` when an attempt on `login` from `address` must wait; `known`
    /// when the browser carries the account's device mark.
    pub(crate) fn check(&self, address: &str, login: &str, known: bool, now_ms: i64) -> Result<(), u64> {
        let (pair, any) = Self::keys(address, login);
        let tallies = self.tallies.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let by_pair = Self::wait(&tallies, &pair, Self::PAIR_FREE, now_ms);
        let by_login = if known { None } else { Self::wait(&tallies, &any, Self::LOGIN_FREE, now_ms) };
        match by_pair.max(by_login) {
            Some(wait) => Err(wait),
            None => Ok(()),
        }
    }

    /// Counts a failed attempt.
    pub(crate) fn failed(&self, address: &str, login: &str, now_ms: i64) {
        let (pair, any) = Self::keys(address, login);
        let mut tallies = self.tallies.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if tallies.len() > 100_000 {
            tallies.retain(|_, t| now_ms - t.last_ms < Self::FORGET_MS);
        }
        for key in [pair, any] {
            let t = tallies.entry(key).or_insert(Tally { failures: 0, last_ms: now_ms });
            if now_ms - t.last_ms >= Self::FORGET_MS {
                t.failures = 0;
            }
            t.failures = t.failures.saturating_add(1);
            t.last_ms = now_ms;
        }
    }

    /// A correct password from `address`: that address's failures on the login are forgotten
    /// (not the login's failures from elsewhere).
    pub(crate) fn succeeded(&self, address: &str, login: &str) {
        let (pair, _) = Self::keys(address, login);
        self.tallies.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(&pair);
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
    let client = crate::edge::session::Client::of(request.extensions()).0.unwrap_or_else(|| "local".to_owned());
    match admit_key(&state, &client, class).await {
        Ok(()) => next.run(request).await,
        Err(wait) => {
            let accept = request.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
            let t = Tr::new(negotiate(None, None, accept));
            let message = t.ta("error-rate-limited", &[("seconds", wait.to_string())]);
            let mut response = if request.uri().path().starts_with("/api/") {
                crate::edge::problem::problem(
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

    /// Issue 30 item 5: strangers' failures from many addresses slow the login down for
    /// unknown browsers, never for the owner's known one; successes are never counted.
    #[test]
    fn strangers_failures_do_not_lock_the_owner_out_and_successes_do_not_count() {
        let g = Guesses::default();
        let t0 = 1_000_000_i64;
        for n in 0..10 {
            assert!(g.check(&format!("10.0.0.{n}"), "aigerim.officer", false, t0).is_ok());
            g.failed(&format!("10.0.0.{n}"), "aigerim.officer", t0);
        }
        assert_eq!(g.check("10.9.9.9", "Aigerim.Officer ", false, t0), Err(6), "an unknown browser waits");
        assert!(g.check("10.9.9.9", "aigerim.officer", true, t0).is_ok(), "the owner's browser passes");
        assert!(g.check("10.9.9.9", "aigerim.officer", false, t0 + 6_000).is_ok(), "the wait ends");
        // A hundred successes are never counted.
        let h = Guesses::default();
        for _ in 0..100 {
            assert!(h.check("10.0.0.1", "owner", false, t0).is_ok());
            h.succeeded("10.0.0.1", "owner");
        }
        assert!(h.check("10.0.0.1", "owner", false, t0).is_ok());
    }

    #[test]
    fn one_address_guessing_waits_twice_as_long_each_time_and_is_forgotten_after_an_hour() {
        let g = Guesses::default();
        let t0 = 5_000_000_i64;
        for _ in 0..Guesses::PAIR_FREE {
            assert!(g.check("1.2.3.4", "x", true, t0).is_ok());
            g.failed("1.2.3.4", "x", t0);
        }
        assert_eq!(g.check("1.2.3.4", "x", true, t0), Err(6), "the pair's own limit binds even a known browser");
        g.failed("1.2.3.4", "x", t0 + 6_000);
        assert_eq!(g.check("1.2.3.4", "x", true, t0 + 6_000), Err(12));
        assert!(g.check("5.6.7.8", "x", true, t0 + 6_000).is_ok(), "another address is not slowed");
        assert!(g.check("1.2.3.4", "x", true, t0 + 6_000 + Guesses::FORGET_MS).is_ok());
        g.succeeded("1.2.3.4", "x");
        assert!(g.check("1.2.3.4", "x", true, t0 + 6_000).is_ok(), "a success forgets the pair");
    }

    #[test]
    fn a_shared_window_is_the_wall_clock_minute() {
        assert_eq!(window_of(120_000, 60_000), (120_000, 60));
        assert_eq!(window_of(179_001, 60_000), (120_000, 1));
        assert_eq!(window_of(150_500, 60_000), (120_000, 30));
        assert_eq!(window_of(3_600_500, 3_600_000), (3_600_000, 3600));
    }
}
