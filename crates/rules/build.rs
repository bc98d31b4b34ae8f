//! The Fluent files are compiled into `rules::speech`; rebuild when any of them changes or a
//! new one appears, which the macro that reads them does not tell Cargo.
fn main() {
    println!("cargo:rerun-if-changed=../../locales");
}
