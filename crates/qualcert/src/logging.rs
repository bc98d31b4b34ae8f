//! Logs of `qualcert serve`: to stderr, readable on a terminal, one JSON object per line
//! with `QUALCERT_LOG_FORMAT=json` (for a log collector), at the level `RUST_LOG` sets
//! (`info` unless told, with sqlx's statement chatter at `warn`).

use tracing_subscriber::EnvFilter;

/// Installs the subscriber once for the process.
pub(crate) fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let json = std::env::var("QUALCERT_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let installed = if json {
        builder.json().with_current_span(true).with_span_list(false).try_init()
    } else {
        builder.with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr())).try_init()
    };
    // A second install (a test that serves twice in one process) keeps the first.
    let _ = installed;
}
