//! Demo accounts for `qualcert serve --demo`: one person per role, so a newcomer can walk an
//! application from filing to certificate. The applicant is demo applicant 0, whose cases the
//! demo data already holds.

use rules::Role;
use store::{Store, StoreError, User};

/// A demo login to print.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    /// Role.
    pub role: Role,
    /// Login.
    pub login: String,
    /// Password.
    pub password: &'static str,
}

/// Creates the demo accounts (those that exist are left as they are) and returns their logins.
pub async fn create_demo_users(store: &Store) -> Result<Vec<DemoLogin>, StoreError> {
    let applicant = store::demo::demo_iin(0);
    let mut accounts: Vec<(User, &'static str)> = vec![
        (
            User {
                id: "demo-applicant".into(),
                login: applicant.to_string(),
                role: Role::Applicant,
                akimat: None,
                iin: Some(applicant),
                name: "Karimov Bakhtiyor".into(),
            },
            "demo-applicant",
        ),
        (
            User {
                id: "demo-officer-astana".into(),
                login: "officer.astana".into(),
                role: Role::Officer,
                akimat: Some("astana".into()),
                iin: None,
                name: "Aigerim Officer".into(),
            },
            "demo-officer",
        ),
        (
            User {
                id: "demo-reviewer".into(),
                login: "reviewer".into(),
                role: Role::Reviewer,
                akimat: None,
                iin: None,
                name: "Complaint Reviewer".into(),
            },
            "demo-reviewer",
        ),
        (
            User {
                id: "demo-admin".into(),
                login: "admin".into(),
                role: Role::Administrator,
                akimat: None,
                iin: None,
                name: "Administrator".into(),
            },
            "demo-admin",
        ),
    ];
    for (i, name) in ["Serik Member", "Dana Member", "Timur Member"].iter().enumerate() {
        accounts.push((
            User {
                id: format!("demo-member-astana-{}", i + 1),
                login: format!("member{}.astana", i + 1),
                role: Role::Commission,
                akimat: Some("astana".into()),
                iin: None,
                name: (*name).into(),
            },
            "demo-member",
        ));
    }
    let mut logins = Vec::new();
    for (user, password) in accounts {
        let hash = crate::auth::hash_password(password).map_err(StoreError::Config)?;
        match store.create_user(&user, &hash, jiff::Timestamp::now().as_millisecond()).await {
            Ok(()) | Err(StoreError::Duplicate(_)) => {}
            Err(e) => return Err(e),
        }
        logins.push(DemoLogin { role: user.role, login: user.login, password });
    }
    Ok(logins)
}
