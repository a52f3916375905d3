//! Reading secrets: hidden from the terminal, or from a file or stdin for scripts.

use std::io::BufRead;
use std::path::Path;

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::secret::SecretString;

/// Asks on the terminal without echo.
pub fn hidden(prompt: &str, what: &'static str) -> Result<SecretString> {
    let typed = rpassword::prompt_password(prompt).map_err(|_| Error::NoTerminal { what })?;
    let typed = SecretString::new(typed);
    if typed.is_empty() {
        return Err(Error::Empty { what });
    }
    Ok(typed)
}

/// The first line of a file, without its line ending.
pub fn first_line_of(path: &Path, what: &'static str) -> Result<SecretString> {
    let bytes =
        crate::storage::files::read_regular(path, crate::storage::MAX_SMALL_FILE_BYTES, "passphrase file")
            .map_err(|e| e.into_error("read", path))?;
    let text = Zeroizing::new(bytes);
    let text = std::str::from_utf8(&text)
        .map_err(|_| Error::Refused(format!("{} is not UTF-8 text", crate::text::shown_path(path))))?;
    let line = text.lines().next().unwrap_or("");
    if line.is_empty() {
        return Err(Error::Empty { what });
    }
    Ok(SecretString::from(line))
}

/// One line from stdin (for `--password-stdin`).
pub fn stdin_line(what: &'static str) -> Result<SecretString> {
    let mut line = Zeroizing::new(String::new());
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Error::io("read", Path::new("<stdin>"), e))?;
    let trimmed = line.trim_end_matches(['\n', '\r']);
    if trimmed.is_empty() {
        return Err(Error::Empty { what });
    }
    Ok(SecretString::from(trimmed))
}

/// Warns on stderr when zxcvbn rates a new passphrase below "safely unguessable".
pub fn warn_if_weak(passphrase: &SecretString) {
    let estimate = zxcvbn::zxcvbn(passphrase.expose(), &["aspen", "apple", "icloud"]);
    let score = u8::from(estimate.score());
    if score >= 3 {
        return;
    }
    crate::say!(
        "warning: this passphrase is weak (strength {score} of 4); the vault is only as strong as it."
    );
    if let Some(feedback) = estimate.feedback() {
        if let Some(w) = feedback.warning() {
            crate::say!("         {w}");
        }
        for s in feedback.suggestions() {
            crate::say!("         {s}");
        }
    }
}

/// Asks a yes/no question on the terminal; anything but y/yes is no.
pub fn confirm(question: &str) -> Result<bool> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() {
        return Err(Error::Refused(format!(
            "{question} needs confirming: run it on a terminal, or add --yes"
        )));
    }
    crate::say_inline!("{question} [y/N] ");
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Error::io("read", Path::new("<stdin>"), e))?;
    Ok(matches!(answer.trim().to_lowercase().as_str(), "y" | "yes"))
}

/// Asks for one visible line on the terminal (not a secret), without its line end.
pub fn line(question: &str) -> Result<String> {
    crate::say_inline!("{question}");
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Error::io("read", Path::new("<stdin>"), e))?;
    Ok(answer.trim_end_matches(['\n', '\r']).to_owned())
}

/// Asks a yes/no question that has no default: Enter alone asks again, so a stray
/// key press never records an answer (an audit's "not listed" revokes).
pub fn yes_no(question: &str) -> Result<bool> {
    loop {
        let answer = line(&format!("{question} [y/n] "))?;
        match answer.trim().to_lowercase().as_str() {
            "y" | "yes" => return Ok(true),
            "n" | "no" => return Ok(false),
            _ => crate::say!("Answer y or n."),
        }
    }
}
