//! Random tokens for sessions, CSRF and error ids, from the operating system only.

/// A random token: 32 bytes from the operating system, hex. No fallback to anything
/// guessable: without the OS source there is no token.
pub(crate) fn token() -> Result<String, String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| format!("the operating system's random source failed: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}
