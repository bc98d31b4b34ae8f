//! `/metrics` in the Prometheus text format, through the `metrics` facade and its
//! Prometheus exporter: request latency per route pattern, responses by status class, the
//! writer's batch sizes and durations (recorded in `store`), and its commit counters.
//!
//! The page tells how busy each akimat's routes are, so it is not public: only an
//! administrator's session or bearer token opens it.

use std::sync::OnceLock;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

/// Latency buckets in seconds, from a cached page to a slow signed PDF.
const BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

/// The process's recorder, installed once (several routers in one test process share it).
pub(crate) fn handle() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &BUCKETS)
                .and_then(|b| {
                    b.set_buckets_for_metric(
                        Matcher::Full("qualcert_writer_batch_commands".into()),
                        &[1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0],
                    )
                })
                .ok()?
                .install_recorder()
                .ok()
        })
        .as_ref()
}

/// Installs the recorder before the first request.
pub(crate) fn install() {
    let _ = handle();
}

/// Records one answered request.
pub(crate) fn observe(route: &str, status: u16, seconds: f64) {
    let class = match status {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    };
    metrics::counter!("qualcert_http_responses_total", "class" => class).increment(1);
    metrics::histogram!("qualcert_http_request_seconds", "route" => route.to_owned()).record(seconds);
}
