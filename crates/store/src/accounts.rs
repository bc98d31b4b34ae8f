//! Accounts and sessions for the web service: plain rows, not domain events (nothing the law
//! decides). Password hashes are made and checked by the web layer; this module stores them.

use rules::{Actor, Iin, Role};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Store, StoreError};

/// A person who logs in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    /// Stable id.
    pub id: String,
    /// Login (an applicant's IIN).
    pub login: String,
    /// Role.
    pub role: Role,
    /// The akimat of an officer or Commission member.
    pub akimat: Option<rules::akimat::AkimatCode>,
    /// The person's IIN, only once proven by their EDS (a signature whose certificate names
    /// it): an applicant's from registration, a staff member's when they bind their EDS. An
    /// IIN typed into a form is never this.
    pub iin: Option<Iin>,
    /// Full name, for the pages.
    pub name: String,
}

impl User {
    /// The user as the rules see them.
    pub fn actor(&self) -> Actor {
        Actor { id: self.id.clone(), role: self.role, akimat: self.akimat.clone(), iin: self.iin.clone() }
    }
}

fn role_of(s: &str) -> Result<Role, StoreError> {
    serde_json::from_value(serde_json::Value::String(s.to_owned()))
        .map_err(|e| StoreError::Corrupt(format!("role {s:?}: {e}")))
}

pub(crate) fn user(row: &AnyRow) -> Result<User, StoreError> {
    Ok(User {
        id: row.try_get("id")?,
        login: row.try_get("login")?,
        role: role_of(&row.try_get::<String, _>("role")?)?,
        akimat: row.try_get::<Option<String>, _>("akimat")?.map(Into::into),
        // An IIN never proven (typed at registration before identity by EDS) opens nothing.
        iin: match row.try_get::<Option<i64>, _>("iin_proven_ms")? {
            Some(_) => row
                .try_get::<Option<String>, _>("iin")?
                .map(|s| Iin::parse(&s))
                .transpose()
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            None => None,
        },
        name: row.try_get("name")?,
    })
}

/// Adds an account's row; `Err(Duplicate)` when the login is taken.
pub(crate) async fn insert_user(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user: &User,
    password_hash: &str,
    now_ms: i64,
) -> Result<(), StoreError> {
    let role = crate::tags::tag_of(&user.role, "");
    let result = sqlx::query(
        "INSERT INTO users (id, login, password_hash, role, akimat, iin, name, created_ms, iin_proven_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(user.id.clone())
    .bind(user.login.clone())
    .bind(password_hash.to_owned())
    .bind(role)
    .bind(user.akimat.as_ref().map(ToString::to_string))
    .bind(user.iin.as_ref().map(ToString::to_string))
    .bind(user.name.clone())
    .bind(now_ms)
    .bind(user.iin.as_ref().map(|_| now_ms))
    .execute(&mut **tx)
    .await;
    match result {
        Ok(_) => Ok(()),
        Err(e) if crate::db::is_unique_violation(&e) => Err(StoreError::Duplicate(user.login.clone())),
        Err(e) => Err(e.into()),
    }
}

/// The handle of the session whose key is `id`.
pub fn session_handle(id: &str) -> &str {
    id.get(..16).unwrap_or(id)
}

impl Store {
    /// Creates an account; `Err(Duplicate)` when the login is taken. Its IIN, if any, is
    /// recorded as proven now: the caller has verified the EDS that names it.
    pub async fn create_user(&self, user: &User, password_hash: &str, now_ms: i64) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await?;
        insert_user(&mut tx, user, password_hash, now_ms).await?;
        tx.commit().await?;
        Ok(())
    }

    /// An account and its password hash, by login.
    pub async fn user_by_login(&self, login: &str) -> Result<Option<(User, String)>, StoreError> {
        let row = sqlx::query(
            "SELECT id, login, password_hash, role, akimat, iin, iin_proven_ms, name FROM users WHERE login = $1",
        )
        .bind(login.to_owned())
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| Ok((user(&r)?, r.try_get::<String, _>("password_hash")?))).transpose()
    }

    /// Records that `user_id`'s EDS names `iin` (verified by the caller): their IIN is proven.
    /// `Duplicate` when the same person's IIN is already bound to another account of this
    /// role and akimat: one person, one account there, so one signature is one vote.
    pub async fn bind_iin(&self, user_id: &str, iin: &Iin, now_ms: i64) -> Result<(), StoreError> {
        let done = sqlx::query("UPDATE users SET iin = $1, iin_proven_ms = $2 WHERE id = $3")
            .bind(iin.to_string())
            .bind(now_ms)
            .bind(user_id.to_owned())
            .execute(self.pool())
            .await;
        match done {
            Ok(_) => Ok(()),
            Err(e) if crate::db::is_unique_violation(&e) => {
                Err(StoreError::Duplicate(format!("IIN already bound to another account of this role ({user_id})")))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// The first EDS entry into an account registered with a typed IIN that nothing proved:
    /// whoever typed that IIN may not be its owner, so the account's password and every
    /// session and token end before the proven person gets it, in one transaction. The caller
    /// records it in the audit log.
    pub async fn reclaim_unproven(&self, user_id: &str, iin: &Iin, now_ms: i64) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id.to_owned()).execute(&mut *tx).await?;
        sqlx::query("UPDATE users SET password_hash = '', iin = $1, iin_proven_ms = $2 WHERE id = $3")
            .bind(iin.to_string())
            .bind(now_ms)
            .bind(user_id.to_owned())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Keeps a person's name in its parts as their certificate gave them (replacing what was
    /// kept before: the latest certificate is the truth).
    pub async fn set_name_parts(&self, user_id: &str, parts: &NameParts) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO user_names (user_id, surname, given_names, patronymic) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (user_id) DO UPDATE SET surname = excluded.surname, given_names = excluded.given_names, patronymic = excluded.patronymic",
        )
        .bind(user_id.to_owned())
        .bind(parts.surname.clone())
        .bind(parts.given_names.clone())
        .bind(parts.patronymic.clone())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// A person's name in its parts, when a certificate gave them.
    pub async fn name_parts(&self, user_id: &str) -> Result<Option<NameParts>, StoreError> {
        let row = sqlx::query("SELECT surname, given_names, patronymic FROM user_names WHERE user_id = $1")
            .bind(user_id.to_owned())
            .fetch_optional(self.pool())
            .await?;
        Ok(match row {
            Some(r) => Some(NameParts {
                surname: r.try_get("surname")?,
                given_names: r.try_get("given_names")?,
                patronymic: r.try_get("patronymic")?,
            }),
            None => None,
        })
    }

    /// The accounts whose proven IIN is `iin`, the applicant's own (login = IIN) first.
    pub async fn users_by_iin(&self, iin: &Iin) -> Result<Vec<User>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, login, role, akimat, iin, iin_proven_ms, name FROM users WHERE iin = $1 AND iin_proven_ms IS NOT NULL ORDER BY CASE WHEN login = $1 THEN 0 ELSE 1 END, login",
        )
        .bind(iin.to_string())
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(user).collect()
    }

    /// Keeps a one-time challenge for `purpose` until `expires_ms`, and forgets the challenges
    /// that expired a day ago or more.
    pub async fn put_challenge(
        &self,
        id: &str,
        purpose: &str,
        content: &str,
        now_ms: i64,
        expires_ms: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM challenges WHERE expires_ms < $1")
            .bind(now_ms - 86_400_000)
            .execute(self.pool())
            .await?;
        sqlx::query(
            "INSERT INTO challenges (id, purpose, content, created_ms, expires_ms) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id.to_owned())
        .bind(purpose.to_owned())
        .bind(content.to_owned())
        .bind(now_ms)
        .bind(expires_ms)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Takes the challenge `id` for `purpose`: its content, once, if it has not expired. A
    /// second take, a wrong purpose or an expired challenge gives `None`.
    pub async fn take_challenge(&self, id: &str, purpose: &str, now_ms: i64) -> Result<Option<String>, StoreError> {
        let row = sqlx::query(
            "UPDATE challenges SET used_ms = $1 WHERE id = $2 AND purpose = $3 AND used_ms IS NULL AND expires_ms > $1 RETURNING content",
        )
        .bind(now_ms)
        .bind(id.to_owned())
        .bind(purpose.to_owned())
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| r.try_get::<String, _>("content").map_err(Into::into)).transpose()
    }

    /// The content of challenge `id` for `purpose` while it can still be taken, without
    /// taking it (the demo signs it first).
    pub async fn challenge(&self, id: &str, purpose: &str, now_ms: i64) -> Result<Option<String>, StoreError> {
        let row = sqlx::query(
            "SELECT content FROM challenges WHERE id = $1 AND purpose = $2 AND used_ms IS NULL AND expires_ms > $3",
        )
        .bind(id.to_owned())
        .bind(purpose.to_owned())
        .bind(now_ms)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| r.try_get::<String, _>("content").map_err(Into::into)).transpose()
    }

    /// Every account, by role and login.
    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        let rows =
            sqlx::query("SELECT id, login, role, akimat, iin, iin_proven_ms, name FROM users ORDER BY role, login")
                .fetch_all(self.pool())
                .await?;
        rows.iter().map(user).collect()
    }

    /// The Commission's members at an akimat: its accounts with the Commission role.
    pub async fn commission_members(&self, akimat: &str) -> Result<Vec<User>, StoreError> {
        let rows = sqlx::query("SELECT id, login, role, akimat, iin, iin_proven_ms, name FROM users WHERE akimat = $1 AND role = 'commission' ORDER BY login")
            .bind(akimat.to_owned())
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(user).collect()
    }

    /// Starts a session of `kind` (`browser` or `api`). Its handle, which names it in lists,
    /// is the start of `id`: `id` is already a hash of the secret token, and half of it gives
    /// nothing towards the token.
    pub async fn create_session(
        &self,
        id: &str,
        kind: &str,
        user_id: &str,
        csrf: &str,
        now_ms: i64,
        ttl_ms: i64,
    ) -> Result<(), StoreError> {
        // Through the writer's group commit: a login under load costs no fsync of its own.
        self.keep(crate::side::Side::Session {
            id: id.to_owned(),
            handle: session_handle(id).to_owned(),
            kind: kind.to_owned(),
            user_id: user_id.to_owned(),
            csrf: csrf.to_owned(),
            created_ms: now_ms,
            expires_ms: now_ms + ttl_ms,
        })
        .await
    }

    /// The user and CSRF token of a live session.
    pub async fn session(&self, id: &str, now_ms: i64) -> Result<Option<(User, String)>, StoreError> {
        let row = sqlx::query(
            "SELECT u.id AS id, u.login AS login, u.role AS role, u.akimat AS akimat, u.iin AS iin, u.iin_proven_ms AS iin_proven_ms, u.name AS name, s.csrf AS csrf \
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1 AND s.expires_ms > $2 AND u.disabled_ms IS NULL",
        )
        .bind(id.to_owned())
        .bind(now_ms)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| Ok((user(&r)?, r.try_get::<String, _>("csrf")?))).transpose()
    }

    /// Ends a session.
    pub async fn delete_session(&self, id: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE id = $1").bind(id.to_owned()).execute(self.pool()).await?;
        Ok(())
    }

    /// Saves (or replaces) a draft of an application: opaque content, written durably.
    pub async fn save_draft(&self, user_id: &str, service: &str, content: &str, now_ms: i64) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO drafts (user_id, service, content, updated_ms) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (user_id, service) DO UPDATE SET content = excluded.content, updated_ms = excluded.updated_ms",
        )
        .bind(user_id.to_owned())
        .bind(service.to_owned())
        .bind(content.to_owned())
        .bind(now_ms)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// A saved draft.
    pub async fn draft(&self, user_id: &str, service: &str) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT content FROM drafts WHERE user_id = $1 AND service = $2")
            .bind(user_id.to_owned())
            .bind(service.to_owned())
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| Ok(r.try_get::<String, _>(0)?)).transpose()
    }

    /// The services a person has drafts for, with when they were saved (ms).
    pub async fn drafts_of(&self, user_id: &str) -> Result<Vec<(String, i64)>, StoreError> {
        let rows = sqlx::query("SELECT service, updated_ms FROM drafts WHERE user_id = $1 ORDER BY updated_ms DESC")
            .bind(user_id.to_owned())
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(|r| Ok((r.try_get::<String, _>(0)?, r.try_get::<i64, _>(1)?))).collect()
    }

    /// Deletes a draft (after the application is filed).
    pub async fn delete_draft(&self, user_id: &str, service: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM drafts WHERE user_id = $1 AND service = $2")
            .bind(user_id.to_owned())
            .bind(service.to_owned())
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The certificates of a holder, by number.
    pub async fn certificates_of(&self, iin: &Iin) -> Result<Vec<rules::certificate::Certificate>, StoreError> {
        let rows = sqlx::query("SELECT snapshot FROM certificates WHERE holder_iin = $1 ORDER BY number")
            .bind(iin.to_string())
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(|r| crate::codec::parse(&r.try_get::<String, _>(0)?)).collect()
    }
}

/// A person's name in its parts: the surname and the given names as whole strings of any
/// number of words, and the patronymic where there is one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NameParts {
    /// Family name.
    pub surname: String,
    /// Given names; may be empty.
    pub given_names: String,
    /// Patronymic.
    pub patronymic: Option<String>,
}
