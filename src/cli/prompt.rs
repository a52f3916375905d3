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
    let text = std::str::from_utf8(&text).map_err(|_| crate::refusal::Refusal::NotUtf8Text {
        path: path.to_path_buf(),
    })?;
    let line = text.lines().next().unwrap_or("");
    if line.is_empty() {
        return Err(Error::Empty { what });
    }
    Ok(SecretString::from(line))
}

/// The longest line `--password-stdin` reads: far more than any password, and a
/// bound against a stream that never ends its line.
const MAX_STDIN_LINE: usize = 4096;

/// One line from stdin (for `--password-stdin`), read from the descriptor a byte at
/// a time into a zeroizing buffer. Not through `std::io::stdin()`: its buffer is a
/// static that is never wiped, so the password would stay in it until exit, and it
/// reads ahead, taking input meant for whatever reads stdin next.
pub fn stdin_line(what: &'static str) -> Result<SecretString> {
    use std::io::Read;
    use std::os::fd::AsFd;
    let failed = |e| Error::io("read", Path::new("<stdin>"), e);
    let fd = std::io::stdin().as_fd().try_clone_to_owned().map_err(failed)?;
    let mut stdin = std::fs::File::from(fd);
    // Sized up front, so that it never reallocates and leaves a stray copy.
    let mut line = Zeroizing::new(Vec::with_capacity(MAX_STDIN_LINE));
    let mut byte = Zeroizing::new([0u8; 1]);
    loop {
        match stdin.read(&mut byte[..]) {
            Ok(0) => break,
            Ok(_) if byte[0] == b'\n' => break,
            Ok(_) if line.len() == MAX_STDIN_LINE => {
                return Err(Error::BadInput {
                    what: format!("the {what} on stdin"),
                    problem: format!("it is longer than {MAX_STDIN_LINE} bytes without a line end"),
                });
            }
            Ok(_) => line.push(byte[0]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(failed(e)),
        }
    }
    let text = std::str::from_utf8(&line).map_err(|_| Error::BadInput {
        what: format!("the {what} on stdin"),
        problem: "it is not UTF-8 text".to_owned(),
    })?;
    let trimmed = text.trim_end_matches('\r');
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
    // zxcvbn's advice, each a note as aspen's others are.
    if let Some(feedback) = estimate.feedback() {
        if let Some(w) = feedback.warning() {
            crate::say!("note: {w}");
        }
        for s in feedback.suggestions() {
            crate::say!("note: {s}");
        }
    }
}

/// Asks a yes/no question on the terminal; anything but y/yes is no.
pub fn confirm(question: &str) -> Result<bool> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() {
        return Err(crate::refusal::Refusal::NeedsConfirming {
            question: question.to_owned(),
        }
        .into());
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
