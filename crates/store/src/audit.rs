//! Looking after accounts: passwords, disabling, sessions, and the audit log that records each
//! such change. A change and its audit row are written in one transaction, so the log never
//! misses a change that happened nor records one that did not.

use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::accounts::user;
use crate::{Store, StoreError, User};

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    /// Random id.
    pub id: String,
    /// When (ms since the epoch).
    pub at_ms: i64,
    /// The account that acted; `None` for someone not logged in (a failed login, say).
    pub actor: Option<String>,
    /// What was done: a code such as `password-reset`, worded per language by the pages.
    pub action: String,
    /// The account acted on, if any.
    pub subject: Option<String>,
    /// Particulars: a role, an akimat, a count. Never a password or a token.
    pub detail: String,
    /// The client's address, when known.
    pub address: Option<String>,
}

/// Which lines of the audit log to read.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Lines where this account acted or was acted on; empty for everyone.
    pub person: String,
    /// From this instant (ms), inclusive.
    pub from_ms: i64,
    /// Up to this instant (ms), exclusive; 0 for no end.
    pub to_ms: i64,
    /// At most this many lines, newest first.
    pub limit: i64,
}

/// What the login check and the administrator need of an account.
#[derive(Debug, Clone)]
pub struct Account {
    /// The account.
    pub user: User,
    /// Argon2id hash in PHC form; empty for an account registered by EDS without a password.
    pub password_hash: String,
    /// When the administrator disabled it.
    pub disabled_ms: Option<i64>,
}

/// A live session as its owner sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionInfo {
    /// Names the session without giving away its token.
    pub handle: String,
    /// `browser` (a cookie) or `api` (a bearer token).
    pub kind: String,
    /// Started (ms).
    pub created_ms: i64,
    /// Ends (ms).
    pub expires_ms: i64,
}

fn account(row: &AnyRow) -> Result<Account, StoreError> {
    Ok(Account {
        user: user(row)?,
        password_hash: row.try_get("password_hash")?,
        disabled_ms: row.try_get("disabled_ms")?,
    })
}

fn entry(row: &AnyRow) -> Result<AuditEntry, StoreError> {
    Ok(AuditEntry {
        id: row.try_get("id")?,
        at_ms: row.try_get("at_ms")?,
        actor: row.try_get("actor")?,
        action: row.try_get("action")?,
        subject: row.try_get("subject")?,
        detail: row.try_get("detail")?,
        address: row.try_get("address")?,
    })
}

async fn insert(tx: &mut sqlx::Transaction<'_, sqlx::Any>, e: &AuditEntry) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit (id, at_ms, actor, action, subject, detail, address) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(e.id.clone())
    .bind(e.at_ms)
    .bind(e.actor.clone())
    .bind(e.action.clone())
    .bind(e.subject.clone())
    .bind(e.detail.clone())
    .bind(e.address.clone())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// Adds a line to the audit log on its own (for what changes nothing else: a login).
    pub async fn audit(&self, e: &AuditEntry) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await?;
        insert(&mut tx, e).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The audit log, newest first.
    pub async fn audit_log(&self, f: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
        let to = if f.to_ms == 0 { i64::MAX } else { f.to_ms };
        let rows = sqlx::query(
            "SELECT id, at_ms, actor, action, subject, detail, address FROM audit \
             WHERE at_ms >= $1 AND at_ms < $2 AND ($3 = '' OR actor = $3 OR subject = $3) \
             ORDER BY at_ms DESC, id LIMIT $4",
        )
        .bind(f.from_ms)
        .bind(to)
        .bind(f.person.clone())
        .bind(f.limit.max(1))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(entry).collect()
    }

    /// An account with its password hash and whether it is disabled, by login.
    pub async fn account_by_login(&self, login: &str) -> Result<Option<Account>, StoreError> {
        let row = sqlx::query(
            "SELECT id, login, password_hash, role, akimat, iin, iin_proven_ms, name, disabled_ms FROM users WHERE login = $1",
        )
        .bind(login.to_owned())
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(account).transpose()
    }

    /// An account by id.
    pub async fn account(&self, id: &str) -> Result<Option<Account>, StoreError> {
        let row = sqlx::query(
            "SELECT id, login, password_hash, role, akimat, iin, iin_proven_ms, name, disabled_ms FROM users WHERE id = $1",
        )
        .bind(id.to_owned())
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(account).transpose()
    }

    /// Every account, by role and login.
    pub async fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, login, password_hash, role, akimat, iin, iin_proven_ms, name, disabled_ms FROM users ORDER BY role, login",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(account).collect()
    }

    /// Creates an account and records it in the audit log; `Err(Duplicate)` when the login is
    /// taken. Its IIN, if any, is recorded as proven now: the caller has verified the EDS that
    /// names it.
    pub async fn create_account(&self, user: &User, password_hash: &str, e: &AuditEntry) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await?;
        crate::accounts::insert_user(&mut tx, user, password_hash, e.at_ms).await?;
        insert(&mut tx, e).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Replaces an account's password hash and ends its sessions except `keep` (the handle of
    /// the session that changed it, if any): whoever knew the old password is logged out.
    /// `false` when there is no such account.
    pub async fn set_password(
        &self,
        user_id: &str,
        hash: &str,
        keep: Option<&str>,
        e: &AuditEntry,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool().begin().await?;
        let n = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash.to_owned())
            .bind(user_id.to_owned())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Ok(false);
        }
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND handle <> $2")
            .bind(user_id.to_owned())
            .bind(keep.unwrap_or("").to_owned())
            .execute(&mut *tx)
            .await?;
        insert(&mut tx, e).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Disables an account (`Some(when)`) and ends its sessions, or enables it again (`None`).
    /// `false` when there is no such account or it is already so.
    pub async fn set_disabled(
        &self,
        user_id: &str,
        disabled_ms: Option<i64>,
        e: &AuditEntry,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool().begin().await?;
        let n = match disabled_ms {
            Some(at) => sqlx::query("UPDATE users SET disabled_ms = $1 WHERE id = $2 AND disabled_ms IS NULL")
                .bind(at)
                .bind(user_id.to_owned())
                .execute(&mut *tx)
                .await?
                .rows_affected(),
            None => sqlx::query("UPDATE users SET disabled_ms = NULL WHERE id = $1 AND disabled_ms IS NOT NULL")
                .bind(user_id.to_owned())
                .execute(&mut *tx)
                .await?
                .rows_affected(),
        };
        if n == 0 {
            return Ok(false);
        }
        if disabled_ms.is_some() {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id.to_owned()).execute(&mut *tx).await?;
        }
        insert(&mut tx, e).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// An account's live sessions, newest first.
    pub async fn sessions_of(&self, user_id: &str, now_ms: i64) -> Result<Vec<SessionInfo>, StoreError> {
        let rows = sqlx::query(
            "SELECT handle, kind, created_ms, expires_ms FROM sessions WHERE user_id = $1 AND expires_ms > $2 AND handle IS NOT NULL ORDER BY created_ms DESC",
        )
        .bind(user_id.to_owned())
        .bind(now_ms)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(SessionInfo {
                    handle: r.try_get("handle")?,
                    kind: r.try_get("kind")?,
                    created_ms: r.try_get("created_ms")?,
                    expires_ms: r.try_get("expires_ms")?,
                })
            })
            .collect()
    }

    /// Ends `user_id`'s sessions: the one named `handle`, or every one but `keep`, or all.
    /// Returns how many ended; nothing is recorded when none did.
    pub async fn end_sessions(&self, user_id: &str, which: Ending<'_>, e: &AuditEntry) -> Result<u64, StoreError> {
        let mut tx = self.pool().begin().await?;
        let n = match which {
            Ending::One(handle) => sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND handle = $2")
                .bind(user_id.to_owned())
                .bind(handle.to_owned())
                .execute(&mut *tx)
                .await?
                .rows_affected(),
            Ending::AllBut(keep) => sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND handle <> $2")
                .bind(user_id.to_owned())
                .bind(keep.to_owned())
                .execute(&mut *tx)
                .await?
                .rows_affected(),
            Ending::All => sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id.to_owned())
                .execute(&mut *tx)
                .await?
                .rows_affected(),
        };
        if n > 0 {
            let e = AuditEntry { detail: n.to_string(), ..e.clone() };
            insert(&mut tx, &e).await?;
        }
        tx.commit().await?;
        Ok(n)
    }
}

/// Which of a person's sessions to end.
#[derive(Debug, Clone, Copy)]
pub enum Ending<'a> {
    /// The one with this handle.
    One(&'a str),
    /// All but the one with this handle (the one in use).
    AllBut(&'a str),
    /// Every one.
    All,
}
