//! Accounts, sessions and CSRF. Passwords are hashed with Argon2id; sessions live in the
//! database (any app node can serve any request) behind an `HttpOnly; Secure; SameSite=Lax`
//! cookie, and the database keeps only the SHA-256 of each session token, so a copy of the
//! database opens no session. Forms carry a CSRF token, checked by `csrf::guard`.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use axum::extract::FromRequestParts;
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use rules::Role;
use store::User;

use crate::edge::AppState;
use crate::edge::error::PageError;
use crate::edge::random::token;
use crate::edge::session::{
    Client, DEVICE_COOKIE, SESSION_MS, SeenSession, Session, session_of, session_set_cookie, stored_key, urlencode,
};

/// An Argon2id hash of a password, in PHC format.
pub fn hash_password(password: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| e.to_string())?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| e.to_string())
}

/// Whether `password` matches a stored hash.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A hash of no one's password, checked when the login is unknown so that an unknown login
/// costs the same Argon2 work as a known one: the time of the answer does not tell whether
/// an account exists.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$gZiV/M1gPc22ElAH/Jh1Hw$CWOrkoo7oJBQ/iyh7uJ0LO2aLEfrHwTWllSAxT0zRno";

/// Checks a password against the stored hash of `login`, if any, off the async runtime
/// (Argon2 takes tens of milliseconds of CPU, which would stall every other request on the
/// thread).
pub(crate) async fn check_password(password: String, stored: Option<String>) -> Result<bool, PageError> {
    // An account registered by EDS has no password (an empty hash): it costs the same work
    // as an unknown login, and opens to no password.
    let stored = stored.filter(|h| PasswordHash::new(h).is_ok());
    let known = stored.is_some();
    let hash = stored.unwrap_or_else(|| DUMMY_HASH.to_owned());
    let ok = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(|e| PageError::ours(StatusCode::INTERNAL_SERVER_ERROR, &e))?;
    Ok(ok && known)
}

/// Hashes a new password off the async runtime.
pub(crate) async fn hash_password_blocking(password: String) -> Result<String, PageError> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| PageError::ours(StatusCode::INTERNAL_SERVER_ERROR, &e))?
        .map_err(|e| PageError::ours(StatusCode::SERVICE_UNAVAILABLE, &e))
}

/// The session of a request, or none.
pub(crate) struct MaybeSession(pub(crate) Option<Session>);

impl FromRequestParts<AppState> for MaybeSession {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<MaybeSession, PageError> {
        // The CSRF guard has looked it up already for every page.
        if let Some(SeenSession(s)) = parts.extensions.get::<SeenSession>() {
            return Ok(MaybeSession(s.clone()));
        }
        Ok(MaybeSession(session_of(&parts.headers, state).await?))
    }
}

/// A logged-in person; anyone else is sent to the login page.
pub(crate) struct LoggedIn(pub(crate) Session);

impl FromRequestParts<AppState> for LoggedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<LoggedIn, Response> {
        match MaybeSession::from_request_parts(parts, state).await.map_err(IntoResponse::into_response)? {
            MaybeSession(Some(s)) => Ok(LoggedIn(s)),
            MaybeSession(None) => {
                let back = parts.uri.path_and_query().map_or("/", |p| p.as_str());
                let target = format!("/login?next={}", urlencode(back));
                Err(Redirect::to(&target).into_response())
            }
        }
    }
}

/// What a login attempt comes to.
#[derive(Debug)]
pub(crate) enum Verdict {
    /// The password is this account's.
    Admitted(User),
    /// Wrong login or password: one answer for both, so nobody learns which logins exist.
    Refused,
    /// The right password of a disabled account. Said only after the password matched, so it
    /// tells nothing to someone who does not know it.
    Disabled,
    /// Too many attempts on this login; the seconds to wait.
    Throttled(u64),
}

/// Checks a login and password. Failed attempts slow the next ones down
/// (`limits::Guesses`): per address and login, and per login from anywhere, except for a
/// browser the account logged in from before (its device mark), so strangers' failures do not
/// lock the owner out. Successes are never counted. Unknown logins are counted like known
/// ones and cost the same Argon2 work as known ones (a dummy hash), so neither the limit nor
/// the time of the answer tells which logins exist. A failed attempt on an existing account
/// goes into the audit log.
pub(crate) async fn authenticate(
    state: &AppState,
    login: &str,
    password: String,
    client: &Client,
) -> Result<Verdict, PageError> {
    let login = login.trim();
    let now = jiff::Timestamp::now().as_millisecond();
    let account = state.store.account_by_login(login).await?;
    let known = account.as_ref().is_some_and(|a| {
        client.1.is_some() && device_mark(&a.user.login, &a.password_hash).as_deref() == client.1.as_deref()
    });
    if let Err(wait) = state.limiter.guesses.check(client.address(), login, known, now) {
        tracing::info!("login throttled after failed attempts");
        return Ok(Verdict::Throttled(wait));
    }
    let matched = check_password(password, account.as_ref().map(|a| a.password_hash.clone())).await?;
    if matched {
        state.limiter.guesses.succeeded(client.address(), login);
    } else {
        state.limiter.guesses.failed(client.address(), login, now);
    }
    Ok(match account {
        Some(a) if matched && a.disabled_ms.is_some() => {
            crate::edge::audit_log::note(state, None, "login-refused-disabled", Some(&a.user.id), "", client).await?;
            Verdict::Disabled
        }
        Some(a) if matched => Verdict::Admitted(a.user),
        Some(a) => {
            crate::edge::audit_log::note(state, None, "login-failed", Some(&a.user.id), "", client).await?;
            Verdict::Refused
        }
        None => Verdict::Refused,
    })
}

/// How a session is carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SessionKind {
    /// The `qc_session` cookie.
    Browser,
    /// An `Authorization: Bearer` token.
    Api,
}

impl SessionKind {
    fn name(self) -> &'static str {
        match self {
            SessionKind::Browser => "browser",
            SessionKind::Api => "api",
        }
    }
}

/// Opens a session for `user`: its token (for the cookie or the bearer header) and its CSRF
/// token. The database keeps only the token's hash. The login goes into the audit log.
pub(crate) async fn open_session(
    state: &AppState,
    user: &User,
    kind: SessionKind,
    client: &Client,
) -> Result<(String, String), PageError> {
    let id = token().map_err(|e| PageError::ours(StatusCode::SERVICE_UNAVAILABLE, &e))?;
    let csrf = token().map_err(|e| PageError::ours(StatusCode::SERVICE_UNAVAILABLE, &e))?;
    state
        .store
        .create_session(
            &stored_key(&id),
            kind.name(),
            &user.id,
            &csrf,
            jiff::Timestamp::now().as_millisecond(),
            SESSION_MS,
        )
        .await?;
    crate::edge::audit_log::note(state, Some(user), "login", Some(&user.id), kind.name(), client).await?;
    tracing::info!(user = %user.id, role = ?user.role, "session opened");
    Ok((id, csrf))
}

/// Starts a browser session for `user` and redirects to `next`.
pub(crate) async fn start_session(
    state: &AppState,
    user: &User,
    next: &str,
    client: &Client,
) -> Result<Response, PageError> {
    let (id, _) = open_session(state, user, SessionKind::Browser, client).await?;
    let mut response = Redirect::to(safe_next(next, user.role)).into_response();
    response.headers_mut().append(SET_COOKIE, session_set_cookie(&id));
    mark_device(state, user, &mut response).await?;
    Ok(response)
}

/// A browser's mark for the account `login`: an HMAC keyed by the account's password hash, so
/// it needs no storage, cannot be made without the server's records, and ends when the
/// password changes. A correct password from a browser with its mark passes the account's
/// backoff that strangers' failures set (`limits::Guesses`).
pub(crate) fn device_mark(login: &str, password_hash: &str) -> Option<String> {
    use hmac::{KeyInit, Mac};
    if password_hash.is_empty() {
        return None;
    }
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(password_hash.as_bytes()).ok()?;
    mac.update(b"device:");
    mac.update(login.to_lowercase().as_bytes());
    Some(hex::encode(&mac.finalize().into_bytes()[..16]))
}

/// The cookie that marks this browser as the account's known device (a year).
pub(crate) fn device_set_cookie(mark: &str) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{DEVICE_COOKIE}={mark}; Path=/login; HttpOnly; Secure; SameSite=Strict; Max-Age=31536000"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Marks the browser of a session just opened for `user` (by password or by EDS) as a known
/// device of the account, when the account has a password to log in with.
pub(crate) async fn mark_device(state: &AppState, user: &User, response: &mut Response) -> Result<(), PageError> {
    if let Some(account) = state.store.account(&user.id).await?
        && let Some(mark) = device_mark(&user.login, &account.password_hash)
    {
        response.headers_mut().append(SET_COOKIE, device_set_cookie(&mark));
    }
    Ok(())
}

/// A logged-in administrator. Anyone else logged in gets 403; nobody logged in is sent to the
/// login page. Every administrator's handler takes this, so none can forget the check.
pub(crate) struct Admin(pub(crate) Session);

impl FromRequestParts<AppState> for Admin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Admin, Response> {
        let LoggedIn(s) = LoggedIn::from_request_parts(parts, state).await?;
        if s.user.role != Role::Administrator {
            return Err(PageError::forbidden().into_response());
        }
        Ok(Admin(s))
    }
}

/// A logged-in officer with their akimat. Everyone else logged in gets 403. The officer's
/// workspace pages take this, so none can forget the check.
pub(crate) struct Officer(pub(crate) Session, pub(crate) rules::AkimatCode);

impl FromRequestParts<AppState> for Officer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Officer, Response> {
        let LoggedIn(s) = LoggedIn::from_request_parts(parts, state).await?;
        match (s.user.role, s.user.akimat.clone()) {
            (Role::Officer, Some(akimat)) => Ok(Officer(s, akimat)),
            _ => Err(PageError::forbidden().into_response()),
        }
    }
}

/// A logged-in applicant: the pages a person files from take this. Staff get 403, since they
/// never file in their own name.
pub(crate) struct Applicant(pub(crate) Session);

impl FromRequestParts<AppState> for Applicant {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Applicant, Response> {
        let LoggedIn(s) = LoggedIn::from_request_parts(parts, state).await?;
        if s.user.role != Role::Applicant {
            return Err(PageError::forbidden().into_response());
        }
        Ok(Applicant(s))
    }
}

/// A logged-in Commission member with their akimat: the agenda takes this.
pub(crate) struct Member(pub(crate) Session, pub(crate) rules::AkimatCode);

impl FromRequestParts<AppState> for Member {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Member, Response> {
        let LoggedIn(s) = LoggedIn::from_request_parts(parts, state).await?;
        match (s.user.role, s.user.akimat.clone()) {
            (Role::Commission, Some(akimat)) => Ok(Member(s, akimat)),
            _ => Err(PageError::forbidden().into_response()),
        }
    }
}

/// A logged-in member of the complaint-reviewing body.
pub(crate) struct Reviewer(pub(crate) Session);

impl FromRequestParts<AppState> for Reviewer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Reviewer, Response> {
        let LoggedIn(s) = LoggedIn::from_request_parts(parts, state).await?;
        if s.user.role != Role::Reviewer {
            return Err(PageError::forbidden().into_response());
        }
        Ok(Reviewer(s))
    }
}

/// A logged-in member of staff (any role but applicant): who may read the reports, which
/// are counts and rates with no person in them.
pub(crate) struct Staff(pub(crate) Session);

impl FromRequestParts<AppState> for Staff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Staff, Response> {
        let LoggedIn(s) = LoggedIn::from_request_parts(parts, state).await?;
        if s.user.role == Role::Applicant {
            return Err(PageError::forbidden().into_response());
        }
        Ok(Staff(s))
    }
}

/// Where a role lands after login.
pub(crate) fn home_of(role: Role) -> &'static str {
    match role {
        Role::Applicant => "/cabinet",
        Role::Officer => "/officer",
        Role::Commission => "/commission",
        Role::Reviewer => "/reviewer",
        Role::Administrator => "/admin",
        Role::Operator | Role::System => "/",
    }
}

/// Only a path on this site is followed after login, never another site. Browsers read
/// `/\evil` and `/%09/evil` (a tab, which they drop) as `//evil`, another host, so a path
/// whose decoded form has a backslash, a control character or a second leading slash is
/// refused too.
fn safe_next(next: &str, role: Role) -> &str {
    fn decoded(s: &str) -> Vec<u8> {
        let b = s.as_bytes();
        let mut out = Vec::with_capacity(b.len());
        let mut i = 0;
        while i < b.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            match (b[i], b.get(i + 1).copied().and_then(hex), b.get(i + 2).copied().and_then(hex)) {
                (b'%', Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                }
                (c, ..) => {
                    out.push(c);
                    i += 1;
                }
            }
        }
        out
    }
    let d = decoded(next);
    let local = d.first() == Some(&b'/')
        && !matches!(d.get(1), Some(b'/' | b'\\'))
        && !d.iter().any(|c| *c == b'\\' || c.is_ascii_control())
        && !next.contains("://");
    if local { next } else { home_of(role) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_hashes_verify_and_differ() {
        let a = hash_password("correct horse battery").expect("hash");
        let b = hash_password("correct horse battery").expect("hash");
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "salted");
        assert!(verify_password("correct horse battery", &a));
        assert!(!verify_password("Correct horse battery", &a));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn the_dummy_hash_costs_what_a_real_one_does() {
        let dummy = PasswordHash::new(DUMMY_HASH).expect("a valid PHC string");
        let real_hash = hash_password("x").expect("hash");
        let real = PasswordHash::new(&real_hash).expect("hash");
        assert_eq!(dummy.algorithm, real.algorithm);
        assert_eq!(dummy.params, real.params, "same Argon2 parameters, same work");
        assert!(!verify_password("x", DUMMY_HASH));
    }

    #[test]
    fn next_is_local_only() {
        assert_eq!(safe_next("/cases/Z-1", Role::Applicant), "/cases/Z-1");
        assert_eq!(safe_next("https://evil.example", Role::Applicant), "/cabinet");
        assert_eq!(safe_next("//evil.example", Role::Officer), "/officer");
        for evil in ["/\\evil", "/%09/evil", "/%5Cevil", "/%2F/evil", "\\\\evil", "/\t/evil", "evil"] {
            assert_eq!(safe_next(evil, Role::Applicant), "/cabinet", "{evil}");
        }
        assert_eq!(safe_next("/cases/Z-1?lang=ru", Role::Applicant), "/cases/Z-1?lang=ru");
        assert_eq!(token().map(|t| t.len()), Ok(64));
    }
}
