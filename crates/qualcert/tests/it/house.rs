//! The house's mechanical rules (ARCHITECTURE.md, "Code map"; issue 32), checked on the source
//! itself so that they cannot quietly stop being true:
//! - no source file over 1,000 lines;
//! - no function over 100 lines;
//! - no import circle between the modules of a crate.
//!
//! The source is read as text: a module is a file, an import is a `crate::a::b` path naming
//! it. A folder's `mod.rs` and a crate's `lib.rs`/`main.rs` only declare and hand names on, so
//! they stand for no layer of their own and are left out of the graph; a path through a
//! folder's re-export (`crate::case::Case`) is not followed to the file that defines it, so
//! the check is a floor, not the whole picture of the imports.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Longer than this a file is two rooms.
const MOST_LINES: usize = 1_000;
/// Longer than this a function is two steps.
const MOST_FN_LINES: usize = 100;
/// The functions allowed to be longer (none since the route tables were split by folder).
const LONG_ALLOWED: [&str; 0] = [];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Each crate's `src` folder.
fn crates() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(workspace().join("crates"))
        .expect("crates/")
        .flatten()
        .map(|e| e.path().join("src"))
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

#[test]
fn issue_32_no_source_file_is_over_a_thousand_lines() {
    let mut long = Vec::new();
    for src in crates() {
        let mut files = Vec::new();
        sources(&src, &mut files);
        for f in files {
            let n = std::fs::read_to_string(&f).expect("read").lines().count();
            if n > MOST_LINES {
                long.push(format!("{} ({n} lines)", f.display()));
            }
        }
    }
    assert!(long.is_empty(), "split these into a folder of named parts: {long:#?}");
}

#[test]
fn issue_32_no_function_is_over_a_hundred_lines() {
    let mut long = Vec::new();
    for src in crates() {
        let mut files = Vec::new();
        sources(&src, &mut files);
        for f in files {
            let text = std::fs::read_to_string(&f).expect("read");
            let lines: Vec<&str> = text.lines().collect();
            for (i, line) in lines.iter().enumerate() {
                let Some((indent, name)) = fn_start(line) else { continue };
                if line.trim_end().ends_with(';') || LONG_ALLOWED.contains(&name) {
                    continue;
                }
                // The function ends at the first line that closes it at its own indentation.
                let close = format!("{indent}}}");
                let end = lines[i..].iter().position(|l| *l == close).map_or(lines.len(), |n| i + n);
                if end - i + 1 > MOST_FN_LINES {
                    long.push(format!("{}:{} {name} ({} lines)", f.display(), i + 1, end - i + 1));
                }
            }
        }
    }
    assert!(long.is_empty(), "name the steps of these as functions of their own: {long:#?}");
}

/// `Some((indentation, name))` when `line` starts a function.
fn fn_start(line: &str) -> Option<(&str, &str)> {
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    let mut rest = trimmed;
    for prefix in ["pub(crate) ", "pub(super) ", "pub ", "async ", "const ", "unsafe "] {
        rest = rest.strip_prefix(prefix).unwrap_or(rest);
    }
    for prefix in ["async ", "const "] {
        rest = rest.strip_prefix(prefix).unwrap_or(rest);
    }
    let rest = rest.strip_prefix("fn ")?;
    let name = rest.split(|c: char| !c.is_alphanumeric() && c != '_').next()?;
    Some((indent, name))
}

/// The module path of a source file inside its crate (`edge::error`), `None` for a face
/// (`lib.rs`, `main.rs`, a folder's `mod.rs`).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?.with_extension("");
    let parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    match parts.last().map(String::as_str) {
        Some("lib" | "main" | "mod") => None,
        _ => Some(parts.join("::")),
    }
}

/// The modules `text` names through `crate::…` paths, resolved to the longest module that
/// exists (`crate::edge::error::PageError` names `edge::error`); `super::…` paths are read
/// from `parent`, the folder of the module that holds them.
fn imports(text: &str, modules: &BTreeSet<String>, parent: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let sup = if parent.is_empty() { "crate::".to_owned() } else { format!("crate::{parent}::") };
    let text = text.replace("super::", &sup);
    // A `use crate::{a, b::c}` group names each of its members.
    let expanded = text.replace("crate::{", "crate::{ ");
    for (at, _) in expanded.match_indices("crate::") {
        let tail = &expanded[at + "crate::".len()..];
        let paths: Vec<String> = if let Some(group) = tail.strip_prefix("{ ") {
            let inner = group.split('}').next().unwrap_or("");
            inner.split(',').map(|p| p.trim().to_owned()).collect()
        } else {
            let path: String = tail.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
            vec![path]
        };
        for path in paths {
            let segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
            for n in (1..=segments.len()).rev() {
                let candidate = segments[..n].join("::");
                if modules.contains(&candidate) {
                    out.insert(candidate);
                    break;
                }
            }
        }
    }
    out
}

/// A circle of `graph`, if it has one.
fn circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(n.to_owned(), 1);
        path.push(n.to_owned());
        for m in graph.get(n).into_iter().flatten() {
            match state.get(m).copied().unwrap_or(0) {
                1 => {
                    let from = path.iter().position(|p| p == m).unwrap_or(0);
                    let mut c = path[from..].to_vec();
                    c.push(m.clone());
                    return Some(c);
                }
                0 => {
                    if let Some(c) = visit(m, graph, state, path) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        path.pop();
        state.insert(n.to_owned(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in graph.keys() {
        if state.get(n).copied().unwrap_or(0) == 0
            && let Some(c) = visit(n, graph, &mut state, &mut Vec::new())
        {
            return Some(c);
        }
    }
    None
}

#[test]
fn issue_32_no_crate_has_an_import_circle() {
    for src in crates() {
        let mut files = Vec::new();
        sources(&src, &mut files);
        let named: Vec<(PathBuf, Option<String>)> = files.iter().map(|f| (f.clone(), module_of(&src, f))).collect();
        let modules: BTreeSet<String> = named.iter().filter_map(|(_, m)| m.clone()).collect();
        let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (file, module) in &named {
            let Some(module) = module else { continue };
            let text = std::fs::read_to_string(file).expect("read");
            // A module's own tests may reach anything; they are not a layer.
            let text = text.split("#[cfg(test)]").next().unwrap_or("");
            // Comments name modules without importing them (doc links).
            let code: String =
                text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
            let parent = module.rsplit_once("::").map_or("", |(p, _)| p);
            let mut to = imports(&code, &modules, parent);
            to.remove(module);
            graph.insert(module.clone(), to);
        }
        assert_eq!(circle(&graph), None, "an import circle in {}", src.display());
    }
}

#[test]
fn the_circle_finder_finds_a_circle() {
    let g: BTreeMap<String, BTreeSet<String>> = [
        ("a".to_owned(), BTreeSet::from(["b".to_owned()])),
        ("b".to_owned(), BTreeSet::from(["c".to_owned()])),
        ("c".to_owned(), BTreeSet::from(["a".to_owned()])),
    ]
    .into();
    assert_eq!(circle(&g), Some(vec!["a".into(), "b".into(), "c".into(), "a".into()]));
    let modules = BTreeSet::from(["edge::error".to_owned(), "edge".to_owned(), "office::case".to_owned()]);
    let found = imports("use crate::edge::error::PageError;\nuse crate::{office::case::Kept, x};", &modules, "");
    assert_eq!(found, BTreeSet::from(["edge::error".to_owned(), "office::case".to_owned()]));
    let found = imports("use super::case::Kept;", &modules, "office");
    assert_eq!(found, BTreeSet::from(["office::case".to_owned()]));
}

/// The web crate's floors, lowest first: a folder imports only folders below it, and the three
/// top folders (pages, the API, the background jobs) none of each other.
const WEB_FLOORS: [&[&str]; 3] = [&["edge"], &["shared"], &["pages", "api", "jobs"]];

fn floor_of(folder: &str) -> Option<usize> {
    WEB_FLOORS.iter().position(|f| f.contains(&folder))
}

#[test]
fn issue_32_web_folders_import_only_downwards() {
    let src = workspace().join("crates/web/src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let modules: BTreeSet<String> = files.iter().filter_map(|f| module_of(&src, f)).collect();
    let mut wrong = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(&src).expect("under src");
        let Some(folder) = rel.iter().next().and_then(|f| f.to_str()).filter(|_| rel.components().count() > 1) else {
            continue;
        };
        let Some(floor) = floor_of(folder) else {
            wrong.push(format!("{}: a folder that is no floor of ARCHITECTURE.md", rel.display()));
            continue;
        };
        let text = std::fs::read_to_string(file).expect("read");
        let text = text.split("#[cfg(test)]").next().unwrap_or("");
        let code: String = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
        let parent = module_of(&src, file)
            .map_or_else(|| folder.to_owned(), |m| m.rsplit_once("::").map_or(String::new(), |(p, _)| p.to_owned()));
        for m in imports(&code, &modules, &parent) {
            let to = m.split("::").next().unwrap_or("");
            if to != folder && floor_of(to).is_none_or(|f| f >= floor) {
                wrong.push(format!("{} imports {m}", rel.display()));
            }
        }
    }
    assert!(wrong.is_empty(), "imports that run up or sideways: {wrong:#?}");
}

/// `(module, function)` of every handler the route tables of `pages` and `api` name.
fn handlers(folder: &str) -> Vec<(String, String)> {
    let table = std::fs::read_to_string(workspace().join(format!("crates/web/src/{folder}/mod.rs"))).expect("mod.rs");
    let mut out = Vec::new();
    for call in ["get(", "post(", "put(", "delete("] {
        for (at, _) in table.match_indices(call) {
            let inner = &table[at + call.len()..];
            let path: String = inner.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
            if let Some((module, function)) = path.split_once("::") {
                out.push((module.to_owned(), function.to_owned()));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[test]
fn issue_32_no_handler_answers_a_bare_response() {
    let mut bare = Vec::new();
    let mut seen = 0;
    for folder in ["pages", "api"] {
        for (module, function) in handlers(folder) {
            let file = workspace().join(format!("crates/web/src/{folder}/{module}.rs"));
            let text = std::fs::read_to_string(&file).expect("handler's file");
            let start = text
                .find(&format!("async fn {function}("))
                .unwrap_or_else(|| panic!("{folder}/{module}.rs has no handler {function}"));
            let signature = text[start..].split(" {\n").next().unwrap_or("");
            seen += 1;
            if signature.trim_end().ends_with("-> Response") {
                bare.push(format!("{folder}/{module}.rs {function}"));
            }
        }
    }
    assert!(seen > 80, "the route tables were read: {seen} handlers");
    assert!(bare.is_empty(), "a handler answers Result<_, PageError|ApiError> or a typed answer: {bare:#?}");
}

#[test]
fn issue_32_the_harness_is_out_of_the_store() {
    let src = workspace().join("crates/store/src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let harness: Vec<String> = files
        .iter()
        .filter(|f| {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            f.ends_with("demo.rs")
                || f.components().any(|c| c.as_os_str() == "scenario")
                || text.contains("fn run_file(")
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(harness.is_empty(), "the scenario runner and the demo live in crates/sim: {harness:#?}");
    assert!(
        workspace().join("crates/sim/src/scenario/mod.rs").is_file()
            && workspace().join("crates/sim/src/demo.rs").is_file()
    );
}

/// The struct or enum that follows each `#[derive(…Deserialize…)]` in `text`, up to its end.
fn deserialized_items(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices("#[derive(") {
        let derive = text[at..].lines().next().unwrap_or("");
        if !derive.contains("Deserialize") {
            continue;
        }
        let body = &text[at..];
        let end = body.find("\n}\n").map_or(body.len(), |e| e + 2);
        out.push(&body[..end]);
    }
    out
}

#[test]
fn issue_32_every_form_is_typed() {
    let src = workspace().join("crates/web/src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let maps = ["HashMap<String, String>", "BTreeMap<String, String>"];
    let mut untyped = Vec::new();
    let mut bodies = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).expect("source");
        let name = file.strip_prefix(&src).unwrap_or(file).display().to_string();
        for map in maps {
            if text.contains(&format!("Form<{map}>")) {
                untyped.push(format!("{name}: a form read into a {map}"));
            }
        }
        for item in deserialized_items(&text) {
            bodies += 1;
            // A form's data-named fields (criteria, documents, members) are `DataFields`, the one
            // map a form may hold; the store's draft keeps answers by name on purpose.
            if maps.iter().any(|m| item.contains(m))
                && !item.contains("struct DataFields")
                && !item.contains("struct Draft")
            {
                untyped.push(format!("{name}: {}", item.lines().nth(1).unwrap_or("").trim()));
            }
        }
    }
    assert!(bodies > 20, "the typed inputs were read: {bodies}");
    let app1 = std::fs::read_to_string(src.join("pages/app1.rs")).expect("App.1's reader");
    assert!(app1.contains("pub(crate) struct Answers"), "App.1 is read into a typed struct");
    assert!(untyped.is_empty(), "every form is typed (data-named fields as DataFields): {untyped:#?}");
}

#[test]
fn issue_32_no_handler_is_over_sixty_lines() {
    let mut long = Vec::new();
    let mut seen = 0;
    for folder in ["pages", "api"] {
        for (module, function) in handlers(folder) {
            let file = workspace().join(format!("crates/web/src/{folder}/{module}.rs"));
            let text = std::fs::read_to_string(&file).expect("handler's file");
            let Some(start) = text.find(&format!("async fn {function}(")) else { continue };
            let lines = text[start..].split("\n}\n").next().unwrap_or("").lines().count() + 1;
            seen += 1;
            if lines > 60 {
                long.push(format!("{folder}/{module}.rs {function} ({lines} lines)"));
            }
        }
    }
    assert!(seen > 80, "the route tables were read: {seen} handlers");
    assert!(long.is_empty(), "a handler reads, calls and renders; its view is built apart: {long:#?}");
}
