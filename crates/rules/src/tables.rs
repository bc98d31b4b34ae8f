//! The transition tables as text: every (state, command) pair, allowed (→ next state) or
//! refused (✗ with its citation). ARCHITECTURE.md carries this output, and a test keeps
//! the two identical, so the document cannot drift from the code.

use std::fmt::Write;

use crate::case::{CommandKind, ServiceKind, State, transition};
use crate::certificate::{CertCommandKind, CertState, cert_transition};
use crate::complaint::{ComplaintCommandKind, ComplaintState, Route, complaint_transition};

use crate::text::Lang;

fn cell<S>(r: Result<S, (impl Sized, crate::citation::Citation)>, name: impl Fn(S) -> String) -> String {
    match r {
        Ok(to) => format!("→ {}", name(to)),
        Err((_, c)) => format!("✗ {c}"),
    }
}

/// Every table, as Markdown.
pub fn render() -> String {
    let mut out = String::new();
    for service in ServiceKind::ALL {
        let cmds: Vec<CommandKind> = CommandKind::ALL.to_vec();
        let _ = writeln!(out, "#### Application: {}\n", service.name(Lang::En));
        let _ = writeln!(out, "| state | {} |", cmds.iter().map(|c| c.name()).collect::<Vec<_>>().join(" | "));
        let _ = writeln!(out, "|---|{}", "---|".repeat(cmds.len()));
        for &state in service.states() {
            let cells: Vec<String> = cmds
                .iter()
                .map(|&c| cell(transition(service, state, c), |s: State| s.name(Lang::En).to_owned()))
                .collect();
            let _ = writeln!(out, "| {} | {} |", state.name(Lang::En), cells.join(" | "));
        }
        out.push('\n');
    }
    for route in Route::ALL {
        let title = match route {
            Route::ToAkimat => "addressed to the akimat (Rules §25)",
            Route::ToReviewingBody => "for the reviewing body, through the akimat (Rules §24)",
        };
        let _ = writeln!(out, "#### Complaint {title}\n");
        let cmds = ComplaintCommandKind::ALL;
        let _ = writeln!(out, "| state | {} |", cmds.iter().map(|c| c.name()).collect::<Vec<_>>().join(" | "));
        let _ = writeln!(out, "|---|{}", "---|".repeat(cmds.len()));
        for &state in route.states() {
            let cells: Vec<String> = cmds
                .iter()
                .map(|&c| cell(complaint_transition(route, state, c), |s: ComplaintState| s.name(Lang::En).to_owned()))
                .collect();
            let _ = writeln!(out, "| {} | {} |", state.name(Lang::En), cells.join(" | "));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "#### Certificate\n");
    let cmds = CertCommandKind::ALL;
    let _ = writeln!(out, "| state | {} |", cmds.iter().map(|c| c.name()).collect::<Vec<_>>().join(" | "));
    let _ = writeln!(out, "|---|{}", "---|".repeat(cmds.len()));
    for state in CertState::ALL {
        let cells: Vec<String> = cmds
            .iter()
            .map(|&c| match cert_transition(state, c) {
                Ok(to) => format!("→ {to:?}").to_lowercase(),
                Err(cit) => format!("✗ {cit}"),
            })
            .collect();
        let _ = writeln!(out, "| {} | {} |", format!("{state:?}").to_lowercase(), cells.join(" | "));
    }
    out
}
