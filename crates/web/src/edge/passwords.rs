//! What a new password must be. It is long enough, it is not the person's login, IIN or name,
//! and it is not guessable. "Guessable" is judged by zxcvbn: it estimates the guesses an
//! attacker needs, counting common passwords, dictionary words, keyboard rows, dates and
//! repeats, with the person's own login, IIN and name added to its dictionaries. A short list
//! of banned passwords misses "Qwerty123!" and "Astana2026"; zxcvbn does not.

/// The fewest characters a password may have.
pub(crate) const MIN_CHARS: usize = 10;

/// What is wrong with a new password, as the key of its message (with `min` for the length).
pub(crate) fn problem(password: &str, login: &str, iin: Option<&str>, name: &str) -> Option<&'static str> {
    if password.chars().count() < MIN_CHARS {
        return Some("password-too-short");
    }
    let lower = password.to_lowercase();
    let own: Vec<String> = [Some(login), iin].into_iter().flatten().map(str::to_lowercase).collect();
    if own.iter().any(|o| !o.is_empty() && lower.contains(o.as_str())) || is_made_of_name(&lower, name) {
        return Some("password-is-identity");
    }
    let mut inputs: Vec<&str> = vec![login];
    inputs.extend(iin);
    inputs.extend(name.split_whitespace());
    // zxcvbn's score 3 is "safely unguessable": over 10^8 guesses, out of reach of an online
    // attack that the per-account limit slows further, and costly offline against Argon2id.
    match zxcvbn::zxcvbn(password, &inputs).score() {
        zxcvbn::Score::Three | zxcvbn::Score::Four => None,
        _ => Some("password-guessable"),
    }
}

/// Whether a password is the person's name: its words in any order and case, with at most
/// three other letters, digits or signs (`Aigerim Seitkali`, `seitkali.aigerim1`). zxcvbn
/// scores a long name highly though anyone who knows the person would try it first.
fn is_made_of_name(lower: &str, name: &str) -> bool {
    let alnum = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>();
    let mut rest = alnum(lower);
    let mut words: Vec<String> = name.split_whitespace().map(alnum).filter(|w| w.chars().count() >= 2).collect();
    // Longer words first, so a short one inside a longer one does not break it up.
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let before = rest.chars().count();
    for w in &words {
        rest = rest.replace(w.as_str(), "");
    }
    rest.chars().count() < before && rest.chars().count() <= 3
}

/// A password the administrator hands over after a reset: twenty letters and digits from an
/// alphabet without look-alikes (about 99 random bits), in groups of five, easy to read aloud and to type.
pub(crate) fn generated() -> Result<String, String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes).map_err(|e| format!("the operating system's random source failed: {e}"))?;
    let chars: Vec<char> = bytes.iter().map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char).collect();
    Ok(chars.chunks(5).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_is_long_not_the_person_and_not_guessable() {
        let p = |s| problem(s, "aigerim.officer", Some("900100300401"), "Aigerim Officer");
        assert_eq!(p("short1!"), Some("password-too-short"));
        assert_eq!(p("x900100300401y"), Some("password-is-identity"), "the IIN inside");
        assert_eq!(p("AIGERIM.OFFICER77"), Some("password-is-identity"), "the login, any case");
        // Issue 30: the person's full name, in any order, case or punctuation, is their identity.
        for name in ["aigerimofficer", "Aigerim Officer", "officer.AIGERIM!", "Aigerim Officer 26"] {
            assert_eq!(p(name), Some("password-is-identity"), "{name}");
        }
        let q = |s| problem(s, "900100300401", Some("900100300401"), "Seitkali Aigerim Nurlanqyzy");
        assert_eq!(q("Seitkali Aigerim Nurlanqyzy"), Some("password-is-identity"));
        assert_eq!(q("nurlanqyzy-seitkali-aigerim"), Some("password-is-identity"));
        for common in ["password123", "qwertyuiop", "1234567890", "Qwerty123!", "Astana2026"] {
            assert_eq!(p(common), Some("password-guessable"), "{common}");
        }
        for good in ["correct horse battery staple", "tulip-Kestrel-41-margin", "Жаңа құпия сөз бар ма?"]
        {
            assert_eq!(p(good), None, "{good}");
        }
        let a = generated().expect("random");
        assert_eq!(a.len(), 23);
        assert_ne!(a, generated().expect("random"));
        assert_eq!(p(&a), None, "a generated password passes the rules");
    }
}
