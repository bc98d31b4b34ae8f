//! The transition tables: every pair allowed or refused with a citation; no waiting state
//! without a lawful exit; ARCHITECTURE.md shows exactly what the code does.

use rules::case::{CommandKind, ServiceKind, State, transition};
use rules::certificate::{CertCommandKind, CertState, cert_transition};
use rules::complaint::{ComplaintCommandKind, ComplaintState, Route, complaint_transition};

#[test]
fn every_pair_is_allowed_or_refused_with_a_citation() {
    for service in ServiceKind::ALL {
        for state in State::ALL {
            if !service.states().contains(&state) {
                continue;
            }
            let mut exits = 0;
            for cmd in CommandKind::ALL {
                match transition(service, state, cmd) {
                    Ok(_) => exits += 1,
                    Err((_, citation)) => {
                        assert!(!citation.as_str().trim().is_empty(), "{service:?} {state:?} {cmd:?}")
                    }
                }
            }
            assert_eq!(state.is_terminal(), exits == 0, "{service:?} {state:?}: a waiting state has a lawful exit");
        }
    }
    for route in Route::ALL {
        for state in ComplaintState::ALL {
            let exits =
                ComplaintCommandKind::ALL.iter().filter(|&&c| complaint_transition(route, state, c).is_ok()).count();
            if route.states().contains(&state) {
                assert_eq!(state.is_terminal(), exits == 0, "{route:?} {state:?}");
            }
        }
    }
    for state in CertState::ALL {
        for cmd in CertCommandKind::ALL {
            if let Err(c) = cert_transition(state, cmd) {
                assert!(!c.as_str().is_empty());
            }
        }
    }
}

/// R4.1 to R4.8 in one picture: the issue path is register, forward, decide, issue.
#[test]
fn r4_1_issue_path_through_the_table() {
    let path = [
        (State::Submitted, CommandKind::Register, State::Registered),
        (State::Registered, CommandKind::Forward, State::WithCommission),
        (State::WithCommission, CommandKind::RecordDecision, State::Decided),
        (State::Decided, CommandKind::Issue, State::Completed),
    ];
    for (from, cmd, to) in path {
        assert_eq!(transition(ServiceKind::Issue, from, cmd), Ok(to));
    }
}

const BEGIN: &str = "<!-- transition-tables:begin -->";
const END: &str = "<!-- transition-tables:end -->";

/// The tables in ARCHITECTURE.md are the code's. `QUALCERT_WRITE_TABLES=1 cargo test` rewrites
/// them after a change to the tables.
#[test]
fn architecture_md_shows_the_tables() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ARCHITECTURE.md");
    let doc = std::fs::read_to_string(&path).expect("ARCHITECTURE.md");
    let (Some(b), Some(e)) = (doc.find(BEGIN), doc.find(END)) else {
        panic!("ARCHITECTURE.md lacks the table markers")
    };
    let rendered = format!("{BEGIN}\n{}{END}", rules::tables::render());
    let current = &doc[b..e + END.len()];
    if std::env::var_os("QUALCERT_WRITE_TABLES").is_some() {
        std::fs::write(&path, doc.replace(current, &rendered)).expect("write");
        return;
    }
    assert_eq!(current, rendered, "run QUALCERT_WRITE_TABLES=1 cargo test -p rules --test law to refresh");
}
