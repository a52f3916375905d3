//! Standard output and standard error of every command. A reader that stops early
//! (`aspen list | head`) closes the pipe; that ends the command quietly instead of
//! with a panic or an error message. Messages on stderr go through [`say!`]: std's
//! `eprintln!` panics when stderr is closed or full, and a panic is exit 101.

use std::io::{BufWriter, ErrorKind, StdoutLock, Write};
use std::path::Path;

use serde::Serialize;
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// Writes `text` as it is.
pub fn print(text: &str) -> Result<()> {
    write_with(|out| out.write_all(text.as_bytes()))
}

/// A secret and a newline, joined in a buffer that is wiped afterwards.
pub fn secret_line(secret: &str) -> Result<()> {
    let mut line = Zeroizing::new(String::with_capacity(secret.len() + 1));
    line.push_str(secret);
    line.push('\n');
    print(&line)
}

/// Writes `bytes` as they are (an export, a generated completion script).
pub fn print_bytes(bytes: &[u8]) -> Result<()> {
    write_with(|out| out.write_all(bytes))
}

/// Pretty JSON and a newline, streamed: a 10,000-entry list is never held twice.
/// Invisible and direction characters in strings are written as `\uXXXX` escapes:
/// the JSON means the same, and a terminal showing it is not reordered.
pub fn json(value: &impl Serialize) -> Result<()> {
    write_with(|out| {
        let mut ser = serde_json::Serializer::with_formatter(&mut *out, VisibleJson::default());
        value.serialize(&mut ser).map_err(std::io::Error::from)?;
        out.write_all(b"\n")
    })
}

/// serde_json's pretty printer, but escaping what [`crate::text::marked`] flags as
/// hidden (serde_json itself escapes only C0 controls).
#[derive(Default)]
struct VisibleJson(serde_json::ser::PrettyFormatter<'static>);

impl serde_json::ser::Formatter for VisibleJson {
    fn write_string_fragment<W: ?Sized + Write>(&mut self, w: &mut W, fragment: &str) -> std::io::Result<()> {
        if !crate::text::has_hidden(fragment) {
            return w.write_all(fragment.as_bytes());
        }
        for (c, hidden) in crate::text::marked(fragment) {
            if hidden {
                for unit in c.encode_utf16(&mut [0; 2]) {
                    write!(w, "\\u{unit:04x}")?;
                }
            } else {
                w.write_all(c.encode_utf8(&mut [0; 4]).as_bytes())?;
            }
        }
        Ok(())
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// `eprintln!` that cannot panic: when stderr is closed or full the message is lost
/// and the command goes on, its exit status still telling the outcome. Nothing else
/// could be done with the message anyway.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::__say_fmt(::std::format_args!($($arg)*), "\n")
    };
}

/// [`say!`] without the line break: a question the user answers on the same line.
#[macro_export]
macro_rules! say_inline {
    ($($arg:tt)*) => {
        $crate::__say_fmt(::std::format_args!($($arg)*), "")
    };
}

#[doc(hidden)]
pub fn say_fmt(args: std::fmt::Arguments<'_>, end: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err
        .write_fmt(args)
        .and_then(|()| err.write_all(end.as_bytes()))
        .and_then(|()| err.flush());
}

/// Writes through a buffer of a concrete type: serde_json's many small writes are
/// inlined copies into it, not calls through a `dyn Write`.
fn write_with(write: impl FnOnce(&mut BufWriter<StdoutLock<'static>>) -> std::io::Result<()>) -> Result<()> {
    // Stdout is line-buffered: each buffer it is handed goes out in two writes (its
    // lines, then the rest). 64 KiB at a time keeps a 400 KB list to a dozen writes
    // instead of a hundred.
    let mut out = BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    write(&mut out)
        .and_then(|()| out.flush())
        .map_err(|e| match e.kind() {
            ErrorKind::BrokenPipe => Error::OutputClosed,
            _ => Error::io("write", Path::new("<stdout>"), e),
        })
}
