//! Reports: how each akimat keeps the statutory terms, for staff (`/reports`, its CSV and
//! XLSX, `GET /api/v1/reports/sla`) and for everyone (`/service-levels`, no personal data:
//! only rates and counts).
//!
//! The figures are `store::reports::Report`, read from the writer's pre-aggregated cells.
//! One table model (`Table`) feeds the page's tables, the CSV and the workbook, so the three
//! cannot disagree. Charts are inline SVG drawn on the server with `plotters` (its SVG
//! backend, fonts measured by `ab_glyph` from the embedded DejaVu Sans): the page needs no
//! script, and the numbers of every chart are in the table beside it.

use std::fmt::Write as _;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use store::reports::{Report, Timeliness};

use crate::edge::AppState;
use crate::edge::auth::{MaybeSession, Staff};
use crate::edge::error::PageError;
use crate::edge::i18n::Tr;
use crate::edge::view::{Who, render};
use crate::shared::period::{ReportQuery, resolve};

/// A table of a report: its title, column heads and rows of text.
pub(crate) struct Table {
    pub(crate) title: String,
    pub(crate) heads: Vec<String>,
    pub(crate) rows: Vec<Vec<String>>,
}

fn percent(t: &Timeliness) -> String {
    t.percent().map_or_else(|| "—".to_owned(), |p| format!("{p:.1}"))
}

fn days(d: Option<i64>) -> String {
    d.map_or_else(|| "—".to_owned(), |d| d.to_string())
}

/// What a stage is called: the state it ran in, or the whole service.
fn stage_name(t: &Tr, key: &str) -> String {
    match key {
        "service" | "submitted" | "registered" | "with-commission" | "decided" => t.t(&format!("report-stage-{key}")),
        other => other.to_owned(),
    }
}

fn service_name(t: &Tr, key: &str) -> String {
    serde_json::from_value::<rules::case::ServiceKind>(serde_json::Value::String(key.to_owned()))
        .map_or_else(|_| key.to_owned(), |s| s.name(t.lang).to_owned())
}

fn akimat_name(t: &Tr, key: &str) -> String {
    rules::akimat::name(key, t.lang)
}

fn outcome_name(t: &Tr, key: &str) -> String {
    t.t(&format!("report-outcome-{key}"))
}

fn ground_name(t: &Tr, key: &str) -> String {
    serde_json::from_value::<rules::case::Ground>(serde_json::Value::String(key.to_owned()))
        .map_or_else(|_| key.to_owned(), |g| g.label(t.lang).to_owned())
}

fn timeliness_table(t: &Tr, title: &str, head: &str, lines: &[Timeliness], name: impl Fn(&str) -> String) -> Table {
    Table {
        title: t.t(title),
        heads: vec![
            t.t(head),
            t.t("report-ended"),
            t.t("report-on-time"),
            t.t("report-on-time-percent"),
            t.t("report-median"),
            t.t("report-p90"),
        ],
        rows: lines
            .iter()
            .map(|l| {
                vec![
                    name(&l.key),
                    l.ended.to_string(),
                    l.on_time.to_string(),
                    percent(l),
                    days(l.median_days),
                    days(l.p90_days),
                ]
            })
            .collect(),
    }
}

fn count_table(
    t: &Tr,
    title: &str,
    head: &str,
    lines: &[store::reports::Count],
    name: impl Fn(&str) -> String,
) -> Table {
    Table {
        title: t.t(title),
        heads: vec![t.t(head), t.t("report-count")],
        rows: lines.iter().map(|c| vec![name(&c.key), c.count.to_string()]).collect(),
    }
}

/// Every table of a report, in the page's order.
pub(crate) fn tables(r: &Report, t: &Tr, law: &rules::law::Law) -> Vec<Table> {
    let profession = |k: &str| {
        if k.is_empty() {
            t.t("report-no-profession")
        } else {
            law.profession_name(k, t.lang).map_or_else(|| k.to_owned(), |n| format!("{n} ({k})"))
        }
    };
    let mut out = vec![
        timeliness_table(t, "report-by-stage", "report-stage", &r.stages, |k| stage_name(t, k)),
        timeliness_table(t, "report-by-service", "report-service", &r.services, |k| service_name(t, k)),
    ];
    if r.akimat.is_none() {
        out.push(timeliness_table(t, "report-by-akimat", "report-akimat", &r.akimats, |k| akimat_name(t, k)));
    }
    out.extend([
        count_table(t, "report-filed-by-service", "report-service", &r.filed_by_service, |k| service_name(t, k)),
        count_table(t, "report-filed-by-akimat", "report-akimat", &r.filed_by_akimat, |k| akimat_name(t, k)),
        count_table(t, "report-filed-by-profession", "report-profession", &r.filed_by_profession, profession),
        count_table(t, "report-outcomes", "report-outcome", &r.outcomes, |k| outcome_name(t, k)),
        count_table(t, "report-grounds", "report-ground", &r.grounds, |k| ground_name(t, k)),
        Table {
            title: t.t("report-at-risk"),
            heads: vec![
                t.t("report-akimat"),
                t.t("report-open"),
                t.t("report-half"),
                t.t("report-most"),
                t.t("report-breached"),
            ],
            rows: r
                .at_risk
                .iter()
                .map(|a| {
                    vec![
                        akimat_name(t, &a.akimat),
                        a.open.to_string(),
                        a.half.to_string(),
                        a.most.to_string(),
                        a.breached.to_string(),
                    ]
                })
                .collect(),
        },
    ]);
    out
}

static FONT: std::sync::Once = std::sync::Once::new();

/// A horizontal bar chart as inline SVG: one bar per line with its value written at its end,
/// titled for screen readers (the same numbers are in the table that follows it).
pub(crate) fn bar_chart(title: &str, bars: &[(String, f64)], max: f64, unit: &str) -> String {
    use plotters::prelude::*;
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    FONT.call_once(|| {
        // The DejaVu Sans the PDFs embed: it has Kazakh and Russian letters, so labels are
        // measured right; the browser draws the text in its own fonts.
        let _ = plotters::style::register_font(
            "sans-serif",
            FontStyle::Normal,
            include_bytes!("../../../docs/fonts/DejaVuSans.ttf"),
        );
    });
    let n = bars.len().max(1);
    // Large enough text to read when a phone scales the chart to its column (plotters draws
    // text at about four fifths of the size asked for).
    const FONT_PX: u32 = 18;
    let height = 36 + 34 * n as u32;
    let mut svg = String::new();
    let drawn = (|| -> Result<(), Box<dyn std::error::Error + '_>> {
        let root = SVGBackend::with_string(&mut svg, (440, height)).into_drawing_area();
        root.fill(&WHITE)?;
        let longest = bars.iter().map(|(l, _)| short_label(l, LABEL_CHARS).chars().count()).max().unwrap_or(4) as u32;
        let mut chart = ChartBuilder::on(&root)
            .margin(8)
            .x_label_area_size(26)
            .y_label_area_size(longest * FONT_PX * 55 / 100 + 14)
            .build_cartesian_2d(0f64..max.max(1.0) * 1.2, (0..n as i32).into_segmented())?;
        // The first bar on top, as the table beside it reads.
        let labels: Vec<String> = bars.iter().rev().map(|(l, _)| short_label(l, LABEL_CHARS)).collect();
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .x_labels(6)
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => labels.get(*i as usize).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .x_label_formatter(&|x| format!("{x:.0}"))
            .label_style(("sans-serif", FONT_PX))
            .draw()?;
        let fill = RGBColor(0x1d, 0x70, 0xb8);
        let row = |i: usize| (n - 1 - i) as i32;
        chart.draw_series(
            Histogram::horizontal(&chart)
                .style(fill.filled())
                .margin(5)
                .data(bars.iter().enumerate().map(|(i, (_, v))| (row(i), *v))),
        )?;
        chart.draw_series(bars.iter().enumerate().map(|(i, (_, v))| {
            Text::new(
                format!(" {}{unit}", if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v:.1}") }),
                (*v, SegmentValue::CenterOf(row(i))),
                TextStyle::from(("sans-serif", FONT_PX).into_font()).pos(Pos::new(HPos::Left, VPos::Center)),
            )
        }))?;
        root.present()?;
        Ok(())
    })();
    if drawn.is_err() {
        return String::new();
    }
    // Named for assistive technology, and scaled to the column on a phone.
    let mut named = String::new();
    let _ = write!(named, "<svg role=\"img\" aria-label=\"{}\" preserveAspectRatio=\"xMinYMin meet\" ", escape(title));
    svg.replacen("<svg ", &named, 1)
}

/// The most characters of a bar's label the chart has room for.
const LABEL_CHARS: usize = 24;

/// A bar's label in at most `room` characters, cut between words with "…" (issue 31: never
/// mid-word); the table beside the chart has every label in full. Only a single word longer
/// than the room is cut inside itself.
fn short_label(label: &str, room: usize) -> String {
    if label.chars().count() <= room {
        return label.to_owned();
    }
    let mut kept = String::new();
    for word in label.split_whitespace() {
        let with = if kept.is_empty() { word.to_owned() } else { format!("{kept} {word}") };
        if with.chars().count() + 1 > room {
            break;
        }
        kept = with;
    }
    if kept.is_empty() {
        kept = label.chars().take(room - 1).collect();
    }
    let kept = kept.trim_end_matches([',', ';', ':', '-', '–', '·', ' ']);
    format!("{kept}…")
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A chart with its title, as the page shows it.
pub(crate) struct Chart {
    pub(crate) title: String,
    pub(crate) svg: String,
}

fn charts(r: &Report, t: &Tr) -> Vec<Chart> {
    let rate = |lines: &[Timeliness], name: &dyn Fn(&str) -> String| -> Vec<(String, f64)> {
        lines.iter().filter_map(|l| l.percent().map(|p| (name(&l.key), p))).collect()
    };
    let mut out = Vec::new();
    let mut add = |title_key: &str, bars: Vec<(String, f64)>, max: f64, unit: &str| {
        if bars.is_empty() {
            return;
        }
        let title = t.t(title_key);
        out.push(Chart { svg: bar_chart(&title, &bars, max, unit), title });
    };
    add("report-chart-stages", rate(&r.stages, &|k| stage_name(t, k)), 100.0, "%");
    if r.akimat.is_none() {
        add("report-chart-akimats", rate(&r.akimats, &|k| akimat_name(t, k)), 100.0, "%");
    }
    let outcomes: Vec<(String, f64)> = r.outcomes.iter().map(|c| (outcome_name(t, &c.key), c.count as f64)).collect();
    let most = outcomes.iter().map(|(_, v)| *v).fold(0.0, f64::max);
    add("report-chart-outcomes", outcomes, most, "");
    out
}

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportsPage {
    t: Tr,
    who: Who,
    path: &'static str,
    from: String,
    to: String,
    akimats: Vec<(String, String, bool)>,
    place: String,
    query: String,
    error: Option<String>,
    filed: i64,
    overall: String,
    median: String,
    p90: String,
    charts: Vec<Chart>,
    tables: Vec<Table>,
}

fn query_string(from: Date, to: Date, akimat: Option<&str>) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("from", &from.to_string()).append_pair("to", &to.to_string());
    if let Some(a) = akimat {
        q.append_pair("akimat", a);
    }
    q.finish()
}

/// The staff's report page: the period and akimat chosen, the headline figures, the charts
/// and every table, with links to the same figures as CSV and XLSX.
pub(crate) async fn page(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Query(q): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let law = &state.store.reference().law;
    let (resolved, error) = match resolve(&state, &q, &t) {
        Ok(r) => (r, None),
        Err(message) => {
            let (from, to) = store::reports::default_period(state.today());
            ((from, to, None), Some(message))
        }
    };
    let (from, to, akimat) = resolved;
    // An officer's report opens on their own akimat.
    let akimat = akimat.or_else(|| {
        if q.akimat.is_empty() && q.from.is_empty() { s.user.akimat.as_ref().map(|a| a.to_string()) } else { None }
    });
    let report = state.store.report_of(from, to, akimat.as_deref(), jiff::Timestamp::now()).await?;
    let akimats = law
        .akimats
        .iter()
        .map(|a| {
            (
                a.code.to_string(),
                rules::akimat::name(a.code.as_str(), t.lang),
                akimat.as_deref() == Some(a.code.as_str()),
            )
        })
        .collect();
    let page = ReportsPage {
        from: if error.is_some() { q.from.clone() } else { from.to_string() },
        to: if error.is_some() { q.to.clone() } else { to.to_string() },
        place: akimat.as_deref().map_or_else(|| t.t("report-country"), |a| law.akimat_body(a, t.lang)),
        query: query_string(from, to, akimat.as_deref()),
        akimats,
        error,
        filed: report.filed(),
        overall: percent(&report.overall),
        median: days(report.overall.median_days),
        p90: days(report.overall.p90_days),
        charts: charts(&report, &t),
        tables: tables(&report, &t, law),
        who: Some(s).into(),
        path: "/reports",
        t,
    };
    Ok(render(&page))
}

/// The report's tables as CSV, one block per table with its title, in the reader's language.
pub(crate) fn csv(r: &Report, t: &Tr, law: &rules::law::Law) -> String {
    let cell = |s: &str| {
        if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_owned() }
    };
    let mut out = String::new();
    let _ = writeln!(out, "{},{},{}", cell(&t.t("report-period")), r.from, r.to);
    for table in tables(r, t, law) {
        let _ = writeln!(out);
        let _ = writeln!(out, "{}", cell(&table.title));
        let _ = writeln!(out, "{}", table.heads.iter().map(|h| cell(h)).collect::<Vec<_>>().join(","));
        for row in &table.rows {
            let _ = writeln!(out, "{}", row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(","));
        }
    }
    out
}

/// The report's tables as an XLSX workbook: one sheet per table, numbers as numbers.
pub(crate) fn xlsx(r: &Report, t: &Tr, law: &rules::law::Law) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (i, table) in tables(r, t, law).iter().enumerate() {
        let sheet = book.add_worksheet();
        // A sheet's name is at most 31 characters and unique.
        let name: String =
            format!("{} {}", i + 1, table.title).chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
        sheet.set_name(name.trim())?;
        sheet.write_string_with_format(0, 0, &table.title, &bold)?;
        sheet.write_string(1, 0, format!("{} — {}", r.from, r.to))?;
        for (c, head) in table.heads.iter().enumerate() {
            sheet.write_string_with_format(3, c as u16, head, &bold)?;
        }
        for (row, line) in table.rows.iter().enumerate() {
            for (c, value) in line.iter().enumerate() {
                let (row, col) = (4 + row as u32, c as u16);
                match value.parse::<f64>() {
                    Ok(n) if c > 0 => sheet.write_number(row, col, n)?,
                    _ => sheet.write_string(row, col, value)?,
                };
            }
        }
        sheet.set_column_width(0, 40)?;
    }
    book.save_to_buffer()
}

fn download(body: Vec<u8>, media: &'static str, name: String) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

/// The report a download asks for; the caller's `Staff` extractor has checked who asks.
async fn staff_report(state: &AppState, t: &Tr, q: &ReportQuery) -> Result<Report, PageError> {
    let (from, to, akimat) =
        resolve(state, q, t).map_err(|_| PageError::with(StatusCode::BAD_REQUEST, "report-error-period"))?;
    Ok(state.store.report_of(from, to, akimat.as_deref(), jiff::Timestamp::now()).await?)
}

fn file_name(r: &Report, ext: &str) -> String {
    format!("qualcert-sla-{}-{}-{}.{ext}", r.akimat.as_deref().unwrap_or("kz"), r.from, r.to)
}

/// `GET /reports/sla.csv`.
pub(crate) async fn csv_file(
    State(state): State<AppState>,
    t: Tr,
    Staff(_): Staff,
    Query(q): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let r = staff_report(&state, &t, &q).await?;
    let body = csv(&r, &t, &state.store.reference().law);
    Ok(download(body.into_bytes(), "text/csv; charset=utf-8", file_name(&r, "csv")))
}

/// `GET /reports/sla.xlsx`.
pub(crate) async fn xlsx_file(
    State(state): State<AppState>,
    t: Tr,
    Staff(_): Staff,
    Query(q): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let r = staff_report(&state, &t, &q).await?;
    let body = xlsx(&r, &t, &state.store.reference().law)
        .map_err(|e| PageError::ours(StatusCode::INTERNAL_SERVER_ERROR, &e))?;
    Ok(download(body, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", file_name(&r, "xlsx")))
}

#[derive(Template)]
#[template(path = "service_levels.html")]
struct ServiceLevels {
    t: Tr,
    who: Who,
    path: &'static str,
    from: String,
    to: String,
    chart: String,
    /// Per akimat: name, ended, on-time rate, median days, open cases overdue today.
    lines: Vec<(String, String, String, String, String)>,
}

/// How many days the public page looks back.
const PUBLIC_DAYS: i64 = 90;

/// The public service-level page: per akimat, the share of services given within their
/// statutory term and the median working days, over the last 90 days. Counts and rates only.
pub(crate) async fn public(
    State(state): State<AppState>,
    t: Tr,
    MaybeSession(s): MaybeSession,
) -> Result<Response, PageError> {
    let to = state.today();
    let from = to.checked_sub(jiff::Span::new().days(PUBLIC_DAYS - 1)).unwrap_or(to);
    let cells = state.store.report_cells(from, to, None).await?;
    let report = Report::build(from, to, None, &cells, Vec::new());
    // Open cases past their due day count too (issue 31): a rate of finished cases alone
    // would look best where cases are left waiting.
    let open = state.store.at_risk(None, jiff::Timestamp::now()).await?;
    let law = &state.store.reference().law;
    let mut lines: Vec<(String, String, String, String, String)> = law
        .akimats
        .iter()
        .map(|a| {
            let line = report.akimats.iter().find(|l| l.key == a.code.as_str()).cloned().unwrap_or_default();
            let overdue = open.iter().find(|o| o.akimat == a.code.as_str()).map_or(0, |o| o.breached);
            (
                rules::akimat::name(a.code.as_str(), t.lang),
                line.ended.to_string(),
                percent(&line),
                days(line.median_days),
                overdue.to_string(),
            )
        })
        .collect();
    lines.sort();
    let bars: Vec<(String, f64)> =
        report.akimats.iter().filter_map(|l| l.percent().map(|p| (akimat_name(&t, &l.key), p))).collect();
    let chart =
        if bars.is_empty() { String::new() } else { bar_chart(&t.t("report-chart-akimats"), &bars, 100.0, "%") };
    let page = ServiceLevels {
        from: rules::text::date_for(t.lang, from),
        to: rules::text::date_for(t.lang, to),
        chart,
        lines,
        who: s.into(),
        path: "/service-levels",
        t,
    };
    Ok(render(&page))
}

/// The report as CSV in `lang`, for `qualcert report sla --format csv`.
pub fn report_csv(r: &Report, lang: rules::Lang, law: &rules::law::Law) -> String {
    csv(r, &Tr::new(lang), law)
}

/// The report as aligned text tables in `lang`, for `qualcert report sla`.
pub fn report_text(r: &Report, lang: rules::Lang, law: &rules::law::Law) -> String {
    let t = Tr::new(lang);
    let mut out = String::new();
    let place = r.akimat.as_deref().map_or_else(|| t.t("report-country"), |a| law.akimat_body(a, lang));
    let _ = writeln!(out, "{} — {place}: {} … {}", t.t("report-title"), r.from, r.to);
    for table in tables(r, &t, law) {
        let _ = writeln!(out, "\n{}", table.title);
        if table.rows.is_empty() {
            let _ = writeln!(out, "  {}", t.t("report-none"));
            continue;
        }
        let width = |i: usize| {
            table.rows.iter().map(|r| r[i].chars().count()).chain([table.heads[i].chars().count()]).max().unwrap_or(0)
        };
        let widths: Vec<usize> = (0..table.heads.len()).map(width).collect();
        let line = |cells: &[String]| {
            cells
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(i, (c, w))| {
                    let pad = w.saturating_sub(c.chars().count());
                    if i == 0 { format!("{c}{}", " ".repeat(pad)) } else { format!("{}{c}", " ".repeat(pad)) }
                })
                .collect::<Vec<_>>()
                .join("  ")
        };
        let _ = writeln!(out, "  {}", line(&table.heads));
        for row in &table.rows {
            let _ = writeln!(out, "  {}", line(row));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::short_label;

    #[test]
    fn issue_31_chart_labels_are_cut_between_words() {
        assert_eq!(short_label("Astana", 24), "Astana");
        assert_eq!(short_label("Акимат города Астаны, отдел занятости", 24), "Акимат города Астаны…");
        assert_eq!(short_label("Шымкент қаласының әкімдігі жұмыспен қамту", 24), "Шымкент қаласының…");
        assert_eq!(short_label("Abcdefghijklmnopqrstuvwxyzabc", 10), "Abcdefghi…");
    }
}
