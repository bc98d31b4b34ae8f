//! Demo accounts for `qualcert serve --demo`: one person per role, so a newcomer can walk an
//! application from filing to certificate. The applicant is demo applicant 0, whose cases the
//! demo data already holds. The Commission's members and Astana's officer have IINs bound, as
//! if each had bound their EDS, so they can sign the minutes and, the officer as Astana's
//! authorised person, the results with a demo key (`signing::demo_signature`).

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

/// The IIN of Astana's demo officer, who binds their EDS and is the akimat's authorised
/// person: they sign its results (Rules §13).
pub fn officer_iin() -> rules::Iin {
    sim::demo::demo_iin(900_100)
}

/// The IIN of demo Commission member `i` (0-based): a valid IIN outside the demo applicants'.
pub fn member_iin(i: usize) -> rules::Iin {
    sim::demo::demo_iin(900_000 + i as u64)
}

/// The demo's accounts with their passwords: two applicants, Astana's officer and three
/// Commission members, the reviewer and the administrator.
fn demo_accounts() -> Vec<(User, &'static str)> {
    let applicant = sim::demo::demo_iin(0);
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
        // A second applicant, so what one person may not see of another's can be tried.
        (
            User {
                id: "demo-applicant-2".into(),
                login: sim::demo::demo_iin(1).to_string(),
                role: Role::Applicant,
                akimat: None,
                iin: Some(sim::demo::demo_iin(1)),
                name: "Petrova Anna".into(),
            },
            "demo-applicant",
        ),
        (
            User {
                id: "demo-officer-astana".into(),
                login: "officer.astana".into(),
                role: Role::Officer,
                akimat: Some("astana".into()),
                iin: Some(officer_iin()),
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
        let iin = member_iin(i);
        accounts.push((
            User {
                id: format!("demo-member-astana-{}", i + 1),
                login: format!("member{}.astana", i + 1),
                role: Role::Commission,
                akimat: Some("astana".into()),
                iin: Some(iin),
                name: (*name).into(),
            },
            "demo-member",
        ));
    }
    accounts
}

/// Creates the demo accounts (those that exist are left as they are) and returns their logins.
pub async fn create_demo_users(store: &Store) -> Result<Vec<DemoLogin>, StoreError> {
    let accounts = demo_accounts();
    let mut logins = Vec::new();
    for (user, password) in accounts {
        let hash = crate::edge::auth::hash_password(password).map_err(StoreError::Config)?;
        let now = jiff::Timestamp::now().as_millisecond();
        match store.create_user(&user, &hash, now).await {
            // Astana's results from now on are signed by its officer's own EDS, so the demo
            // walks the law's path; the other akimats sign with their system key. Only when
            // the account is made, so an administrator's later choice stands.
            Ok(()) if user.id == "demo-officer-astana" => {
                store.set_authorised_signer("astana", Some(&user.id), "demo-admin", now).await?;
            }
            // The demo applicants' names in their parts, as a certificate would have given
            // them, so their forms are pre-filled as a registered person's are.
            Ok(()) if user.role == Role::Applicant => {
                let parts = match user.id.as_str() {
                    "demo-applicant" => Some(("Karimov", "Bakhtiyor")),
                    "demo-applicant-2" => Some(("Petrova", "Anna")),
                    _ => None,
                };
                if let Some((surname, given)) = parts {
                    let parts = store::NameParts {
                        surname: surname.to_owned(),
                        given_names: given.to_owned(),
                        patronymic: None,
                    };
                    store.set_name_parts(&user.id, &parts).await?;
                }
            }
            Ok(()) | Err(StoreError::Duplicate(_)) => {}
            Err(e) => return Err(e),
        }
        logins.push(DemoLogin { role: user.role, login: user.login, password });
    }
    Ok(logins)
}
