//! Who acts: every event records the actor and the role they acted in.

use serde::{Deserialize, Serialize};

use crate::ids::Iin;
use crate::text::Lang;

/// The roles of the service (REQUIREMENTS.md §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// A foreigner or stateless person, or their representative (Rules §3).
    Applicant,
    /// An officer of the local executive body (Rules §7, §13, §16, §21, §22).
    Officer,
    /// A member or the secretary of the Commission (Rules §8, §9).
    Commission,
    /// The complaint-reviewing body (Rules §24).
    Reviewer,
    /// An administrator of the system.
    Administrator,
    /// The 1411 contact centre (App.2 item 10.1): looks up, never acts.
    Operator,
    /// qualcert itself (an automatic step, such as not accepting an incomplete filing).
    System,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 7] = [
        Role::Applicant,
        Role::Officer,
        Role::Commission,
        Role::Reviewer,
        Role::Administrator,
        Role::Operator,
        Role::System,
    ];

    /// Its name for a person.
    pub fn name(self, lang: Lang) -> &'static str {
        crate::speech::word(
            lang,
            match self {
                Role::Applicant => "role-applicant",
                Role::Officer => "role-officer",
                Role::Commission => "role-commission",
                Role::Reviewer => "role-reviewer",
                Role::Administrator => "role-administrator",
                Role::Operator => "role-operator",
                Role::System => "role-system",
            },
        )
    }
}

/// A person (or the system) acting in a role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// A stable user id.
    pub id: String,
    /// The role acted in.
    pub role: Role,
    /// The akimat an officer or Commission member belongs to.
    pub akimat: Option<crate::akimat::AkimatCode>,
    /// The IIN of an applicant.
    pub iin: Option<Iin>,
}

impl Actor {
    /// qualcert itself.
    pub fn system() -> Actor {
        Actor { id: "system".into(), role: Role::System, akimat: None, iin: None }
    }
}
