//! The pages of people who log in: the applicant's cabinet, application form and case page;
//! the officer's queue; the Commission's agenda; and the actions on a case, which are exactly
//! the ones the rules allow now to this person (the transition table, the role, the akimat).

pub(crate) mod act;
pub(crate) mod apply;
pub(crate) mod cabinet;
pub(crate) mod case;
pub(crate) mod common;
pub(crate) mod queues;
pub(crate) mod score;
