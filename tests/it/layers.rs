//! The layering docs/architecture.md describes: the core never reaches for a front
//! end or a terminal library, and the front ends keep to their own libraries.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
    found
}

/// Lines of `src/` files under `dirs` that mention any of `forbidden`.
fn offenders(dirs: &[&str], forbidden: &[&str]) -> Vec<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    for dir in dirs {
        let root = src.join(dir);
        let files = if root.is_dir() {
            rust_files(&root)
        } else {
            vec![root.with_extension("rs")]
        };
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for (n, line) in text.lines().enumerate() {
                if forbidden.iter().any(|f| line.contains(f)) {
                    found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
    }
    found
}

#[test]
fn the_core_knows_no_front_end_and_no_terminal_library() {
    let core = [
        "model",
        "vault_file",
        "storage",
        "app",
        "error",
        "remedy",
        "config",
        "theme",
        "verify",
        "import",
        "qr",
    ];
    let bad = offenders(
        &core,
        &[
            "crate::cli::",
            "crate::cli;",
            "crate::tui",
            "ratatui",
            "crossterm",
            "clap::",
        ],
    );
    assert!(
        bad.is_empty(),
        "the core reaches for a front end:\n{}",
        bad.join("\n")
    );
}

#[test]
fn each_front_end_keeps_to_its_own_library() {
    let bad = offenders(&["cli"], &["ratatui", "crossterm"]);
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    let bad = offenders(&["tui"], &["clap::", "crate::cli::", "crate::cli;"]);
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
