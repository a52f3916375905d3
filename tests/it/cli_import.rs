//! `aspen import` (issue 23), through the real binary: each tool's export written
//! here in that tool's documented column layout, with decoys (ordinary logins, an
//! Apple ID password, TOTP secrets, a Google app password, which has Apple's shape)
//! that must never be imported.
#![allow(clippy::unwrap_used, clippy::disallowed_methods)]

use crate::common;

use std::path::{Path, PathBuf};

use common::{Env, asp};
use predicates::str::contains;

/// Three app-specific passwords among forty logins, as 1Password 8 exports them.
fn one_password_export(env: &Env) -> PathBuf {
    let mut csv = String::from("Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes\n");
    csv.push_str("Thunderbird,,me@icloud.com,abcd-efgh-ijkl-mnop,,false,false,,IMAP for the laptop\n");
    csv.push_str(
        "YouCanBook.me,https://youcanbook.me,me@icloud.com,bcde fghi jklm nopq,,false,false,,calendar sync\n",
    );
    csv.push_str("\"iCloud app-specific: SmoothSync\",https://www.icloud.com,kid@icloud.com,cdefghijklmnopqr,,false,false,,\"contacts and\ncalendars\"\n");
    // Decoys: the Apple ID's own password, a TOTP secret, a Google app password.
    csv.push_str("Apple ID,https://appleid.apple.com,me@icloud.com,Tr0ub4dor&3xyz,otpauth://totp/Apple?secret=JBSWY3DPEHPK3PXP,false,false,,\n");
    csv.push_str("Authenticator backup,,me@example.com,JBSWY3DPEHPK3PXP,,false,false,,TOTP secret\n");
    csv.push_str(
        "Gmail app password,https://myaccount.google.com,me@gmail.com,qrst uvwx yzab cdef,,false,false,,\n",
    );
    for n in 0..34 {
        csv.push_str(&format!(
            "Site {n},https://site{n}.example.com,user{n},P@ss-{n}-w0rd!,otpauth://totp/x{n}?secret=ABCDEFGH{n},false,false,,\n"
        ));
    }
    let path = env.path("1password.csv");
    std::fs::write(&path, csv).unwrap();
    path
}

fn import(env: &Env, file: &Path, from: &str, extra: &[&str]) -> assert_cmd::assert::Assert {
    let mut args = vec!["import", file.to_str().unwrap(), "--from", from];
    args.extend_from_slice(extra);
    env.aspen(&args).assert()
}

#[test]
fn three_app_specific_passwords_among_forty_logins_in_one_import() {
    let env = Env::with_vault();
    let file = one_password_export(&env);
    let before = env.vault_bytes();

    // The preview (a dry run off a terminal): exactly the three, with their slots.
    let out = import(&env, &file, "1password", &["--created", "2026-03-01"])
        .success()
        .stderr(contains("Dry run: nothing was written"))
        .get_output()
        .stdout
        .clone();
    let preview = String::from_utf8(out).unwrap();
    assert!(
        preview.contains("Read 40 logins from the 1Password export"),
        "{preview}"
    );
    assert!(preview.contains("To add (3):"), "{preview}");
    for label in ["Thunderbird", "YouCanBook.me", "iCloud app-specific: SmoothSync"] {
        assert!(preview.contains(label), "{label}: {preview}");
    }
    assert!(
        preview.contains("me@icloud.com: 0 active now, 2 after the import (23 free)"),
        "{preview}"
    );
    assert!(
        preview.contains("kid@icloud.com: 0 active now, 1 after the import (24 free)"),
        "{preview}"
    );
    assert!(
        preview.contains("\"Apple ID\": its password does not have the shape"),
        "{preview}"
    );
    assert!(
        preview.contains("myaccount.google.com, whose app passwords look the same"),
        "{preview}"
    );
    assert!(preview.contains("35 other logins"), "{preview}");
    for secret in ["abcd", "bcde", "cdef", "Tr0ub4dor", "JBSWY3DP", "qrst", "P@ss"] {
        assert!(
            !preview.contains(secret),
            "the preview shows a password: {preview}"
        );
    }
    assert_eq!(env.vault_bytes(), before, "a dry run writes nothing");

    // Confirmed (--yes, as a script does): the three are in aspen.
    import(&env, &file, "1password", &["--created", "2026-03-01", "--yes"])
        .success()
        .stdout(contains("To add (3):"))
        .stderr(contains("Imported 3 app-specific passwords"));
    let list = env.json(&["list", "--json"]);
    let entries = list.as_array().unwrap();
    assert_eq!(entries.len(), 3);
    let smooth = entries
        .iter()
        .find(|e| e["label"] == "iCloud app-specific: SmoothSync")
        .unwrap();
    assert_eq!(smooth["apple_id"], "kid@icloud.com");
    assert_eq!(smooth["created"], "2026-03-01");
    assert_eq!(smooth["uses"], serde_json::json!(["calendar", "contacts"]));
    assert_eq!(smooth["notes"], "contacts and\ncalendars");
    assert_eq!(env.stdout(&["reveal", "YouCanBook.me"]), "bcde-fghi-jklm-nopq\n");
    assert_eq!(env.stdout(&["reveal", "Thunderbird"]), "abcd-efgh-ijkl-mnop\n");
    let thunderbird = entries.iter().find(|e| e["label"] == "Thunderbird").unwrap();
    assert_eq!(thunderbird["apps"], serde_json::json!(["Thunderbird"]));
    assert_eq!(thunderbird["uses"], serde_json::json!(["mail"]));

    // The same file again adds nothing and writes nothing.
    let after = env.vault_bytes();
    import(&env, &file, "1password", &["--created", "2026-03-01", "--yes"])
        .success()
        .stdout(contains("\"Thunderbird\": already in aspen"))
        .stderr(contains("Nothing to import"));
    assert_eq!(env.vault_bytes(), after);
}

#[test]
fn without_a_date_or_an_apple_id_a_row_is_left_out_with_the_reason() {
    let env = Env::with_vault();
    let file = one_password_export(&env);
    import(&env, &file, "1password", &["--yes"])
        .success()
        .stdout(contains(
            "the export gives no date for it; give the date Apple shows with --created",
        ))
        .stderr(contains("Nothing to import"));
    let csv = "Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes\n\
               Spark,,,abcd-efgh-ijkl-mnop,,false,false,,\n";
    let file = env.path("no-user.csv");
    std::fs::write(&file, csv).unwrap();
    import(&env, &file, "1password", &["--created", "2026-01-01"])
        .success()
        .stdout(contains(
            "its user name is not an Apple ID; name the Apple ID with --apple-id",
        ));
    import(
        &env,
        &file,
        "1password",
        &["--created", "2026-01-01", "--apple-id", "Me@iCloud.com", "--yes"],
    )
    .success()
    .stderr(contains(
        "Imported 1 app-specific password: \"Spark\" (me@icloud.com)",
    ));
}

#[test]
fn bitwarden_json_and_csv_with_their_dates_and_trash() {
    let env = Env::with_vault();
    let json = r#"{"encrypted": false, "folders": [], "items": [
      {"id": "1", "type": 1, "reprompt": 0, "name": "Outlook", "notes": null, "favorite": false,
       "login": {"uris": [{"match": null, "uri": "imap.mail.me.com"}], "username": "me@icloud.com",
                 "password": "mnop-qrst-uvwx-yzab", "totp": null},
       "collectionIds": null, "revisionDate": "2026-05-02T09:00:00.000Z",
       "creationDate": "2026-05-01T22:30:00.000Z", "deletedDate": null},
      {"id": "2", "type": 1, "name": "Old mail app", "deletedDate": "2026-06-01T00:00:00.000Z",
       "creationDate": "2026-01-01T00:00:00.000Z",
       "login": {"username": "me@icloud.com", "password": "nopq-rstu-vwxy-zabc"}},
      {"id": "3", "type": 1, "name": "Bank", "creationDate": "2026-01-01T00:00:00.000Z",
       "login": {"username": "me", "password": "hunter2", "totp": "JBSWY3DPEHPK3PXP"}},
      {"id": "4", "type": 2, "name": "Recovery key", "notes": "abcd-efgh-ijkl-mnop", "secureNote": {"type": 0}}
    ]}"#;
    let file = env.path("bitwarden.json");
    std::fs::write(&file, json).unwrap();
    import(&env, &file, "bitwarden", &["--yes"])
        .success()
        .stdout(contains("item 2, \"Old mail app\": it is in Bitwarden's trash"))
        .stderr(contains(
            "Imported 1 app-specific password: \"Outlook\" (me@icloud.com)",
        ));
    let shown = env.json(&["show", "Outlook", "--json"]);
    assert_eq!(shown["created"], "2026-05-01");
    assert_eq!(shown["uses"], serde_json::json!(["mail"]));
    assert_eq!(env.labels(&[]), ["Outlook"]);

    let csv = "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n\
               ,,note,My note,abcd-efgh-ijkl-mnop,,0,,,,\n\
               ,,login,Fantastical,,,0,https://caldav.icloud.com,me@icloud.com,pqrs-tuvw-xyza-bcde,\n\
               ,,login,GitHub,,,0,https://github.com,octocat,gh-pass-123,JBSWY3DPEHPK3PXP\n";
    let file = env.path("bitwarden.csv");
    std::fs::write(&file, csv).unwrap();
    import(&env, &file, "bitwarden", &["--created", "2026-06-01", "--yes"])
        .success()
        .stderr(contains("Imported 1 app-specific password: \"Fantastical\""));
    assert_eq!(env.labels(&[]), ["Fantastical", "Outlook"]);

    std::fs::write(
        &file,
        r#"{"encrypted": true, "encKeyValidation_DO_NOT_EDIT": "2.x", "data": "2.y"}"#,
    )
    .unwrap();
    import(&env, &file, "bitwarden", &[])
        .code(2)
        .stderr(contains("password-protected (encrypted) export"));
}

#[test]
fn keepassxc_with_its_created_dates_and_recycle_bin() {
    let env = Env::with_vault();
    let csv = "\"Group\",\"Title\",\"Username\",\"Password\",\"URL\",\"Notes\",\"TOTP\",\"Icon\",\"Last Modified\",\"Created\"\n\
               \"Root/Apple\",\"Thunderbird\",\"me@icloud.com\",\"abcd-efgh-ijkl-mnop\",\"\",\"\",\"\",\"0\",\"2026-04-02T08:00:00Z\",\"2026-04-01T07:56:20Z\"\n\
               \"Root/Recycle Bin\",\"Old Spark\",\"me@icloud.com\",\"bcde-fghi-jklm-nopq\",\"\",\"\",\"\",\"0\",\"2026-02-01T00:00:00Z\",\"2026-01-01T00:00:00Z\"\n\
               \"Root/Work\",\"FTP\",\"ftpuser\",\"SguPZBKdRyxWzvXRWy6U\",\"\",\"\",\"otpauth://totp/x?secret=JBSWY3DPEHPK3PXP\",\"0\",\"2024-10-20T07:56:58Z\",\"2024-10-20T07:56:20Z\"\n";
    let file = env.path("keepassxc.csv");
    std::fs::write(&file, csv).unwrap();
    import(&env, &file, "keepassxc", &["--yes"])
        .success()
        .stdout(contains("\"Old Spark\": it is in KeePassXC's recycle bin"))
        .stdout(contains("1 other login is not an app-specific password"))
        .stderr(contains("Imported 1 app-specific password: \"Thunderbird\""));
    assert_eq!(
        env.json(&["show", "Thunderbird", "--json"])["created"],
        "2026-04-01"
    );
}

#[test]
fn the_passwords_app_and_safari_csv() {
    let env = Env::with_vault();
    let csv = "Title,URL,Username,Password,Notes,OTPAuth\n\
               imap.mail.me.com (me@icloud.com),https://imap.mail.me.com,me@icloud.com,efgh-ijkl-mnop-qrst,Mail on the Linux desktop,\n\
               example.com (me),https://example.com,me,Xy7!secret,,otpauth://totp/Example:me?secret=JBSWY3DPEHPK3PXP&issuer=Example\n";
    let file = env.path("Passwords.csv");
    std::fs::write(&file, csv).unwrap();
    for from in ["apple-passwords", "safari"] {
        import(&env, &file, from, &["--created", "2026-02-02"])
            .success()
            .stdout(contains("imap.mail.me.com (me@icloud.com)"));
    }
    import(
        &env,
        &file,
        "apple-passwords",
        &["--created", "2026-02-02", "--yes"],
    )
    .success()
    .stderr(contains("Imported 1 app-specific password"));
}

#[test]
fn the_vaults_rules_decide_and_are_shown_in_the_preview() {
    let env = Env::with_vault();
    // A label taken with another password; a full Apple ID; a reset that revokes.
    env.add("Mail", "me@icloud.com", "Mail", &asp(100), "2026-01-01");
    for n in 0..25 {
        env.add(
            &format!("Full {n}"),
            "full@icloud.com",
            "App",
            &asp(n),
            "2026-01-01",
        );
    }
    env.add("Kid mail", "kid@icloud.com", "Mail", &asp(101), "2026-01-01");
    env.aspen(&["reset", "--apple-id", "kid@icloud.com", "--date", "2026-03-01"])
        .assert()
        .success();
    let csv = format!(
        "label,apple_id,password,created,apps,uses\n\
         Mail,me@icloud.com,{},2026-02-01,Mail,mail\n\
         One too many,full@icloud.com,{},2026-02-01,App,\n\
         Before the reset,kid@icloud.com,{},2026-02-01,Calendar app,calendar\n\
         \"Hidden\u{202e}label\",me@icloud.com,{},2026-02-01,App,\n\
         Fine,me@icloud.com,{},2026-02-01,App; Other app,mail;contacts\n",
        asp(200),
        asp(201),
        asp(202),
        asp(203),
        asp(204)
    );
    let file = env.path("mine.csv");
    std::fs::write(&file, csv).unwrap();
    let before = env.vault_bytes();
    let out = import(&env, &file, "csv", &[])
        .success()
        .get_output()
        .stdout
        .clone();
    let preview = String::from_utf8(out).unwrap();
    assert!(
        preview.contains("aspen has an entry labelled \"Mail\" for me@icloud.com already"),
        "{preview}"
    );
    assert!(
        preview.contains("full@icloud.com would have more than Apple's 25"),
        "{preview}"
    );
    assert!(
        preview.contains("revoked by the reset of 2026-03-01"),
        "{preview}"
    );
    assert!(preview.contains("Hidden\\u{202e}label"), "escaped: {preview}");
    assert!(!preview.contains('\u{202e}'), "{preview}");
    assert_eq!(env.vault_bytes(), before);
    import(&env, &file, "csv", &["--yes"])
        .success()
        .stderr(contains("Imported 2 app-specific passwords"))
        .stderr(contains("recorded as revoked by that reset"));
    let fine = env.json(&["show", "Fine", "--json"]);
    assert_eq!(fine["apps"], serde_json::json!(["App", "Other app"]));
    assert_eq!(fine["uses"], serde_json::json!(["mail", "contacts"]));
}

#[test]
fn one_password_in_two_rows_is_one_entry() {
    let env = Env::with_vault();
    let csv = "Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes\n\
               Thunderbird,,me@icloud.com,abcd-efgh-ijkl-mnop,,false,false,,\n\
               K-9 Mail,,me@icloud.com,abcdefghijklmnop,,false,false,,\n";
    let file = env.path("twice.csv");
    std::fs::write(&file, csv).unwrap();
    import(&env, &file, "1password", &["--created", "2026-01-01", "--yes"])
        .success()
        .stdout(contains("the same password as \"Thunderbird\""))
        .stdout(contains("me@icloud.com: 0 active now, 1 after the import"));
    let shown = env.json(&["show", "Thunderbird", "--json"]);
    assert_eq!(shown["apps"], serde_json::json!(["Thunderbird", "K-9 Mail"]));
}

#[test]
fn a_hostile_export_is_refused_with_a_clear_message_and_nothing_written() {
    use std::os::unix::fs::symlink;
    let env = Env::with_vault();
    env.add("Mail", "me@icloud.com", "Mail", &asp(1), "2026-01-01");
    let before = env.vault_bytes();
    let good = one_password_export(&env);

    let link = env.path("link.csv");
    symlink(&good, &link).unwrap();
    import(&env, &link, "1password", &["--yes"])
        .code(2)
        .stderr(contains("it is a symbolic link, not a regular file"));

    let fifo = env.path("fifo.csv");
    rustix::fs::mkfifoat(rustix::fs::CWD, &fifo, rustix::fs::Mode::from_raw_mode(0o600)).unwrap();
    import(&env, &fifo, "1password", &["--yes"])
        .code(2)
        .stderr(contains("it is a named pipe (FIFO)"));

    let huge = env.path("huge.csv");
    let f = std::fs::File::create(&huge).unwrap();
    f.set_len(16 * 1024 * 1024 + 1).unwrap();
    import(&env, &huge, "1password", &["--yes"])
        .code(2)
        .stderr(contains("larger than 16 MiB"));

    let latin1 = env.path("latin1.csv");
    std::fs::write(&latin1, b"Title,Password\nCaf\xe9,abcd-efgh-ijkl-mnop\n").unwrap();
    import(&env, &latin1, "1password", &["--yes"])
        .code(2)
        .stderr(contains("it is not UTF-8 text"));

    let wrong = env.path("wrong.csv");
    std::fs::write(&wrong, "Name,Secret\nx,y\n").unwrap();
    import(&env, &wrong, "keepassxc", &["--yes"])
        .code(2)
        .stderr(contains("it has no \"title\" column"));
    import(&env, &good, "bitwarden", &["--yes"])
        .code(2)
        .stderr(contains("no \"name\" column"));

    let escapes = env.path("escapes.csv");
    std::fs::write(
        &escapes,
        "Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes\n\
         \"\x1b]0;pwned\x07Evil\",,me@icloud.com,qrst-uvwx-yzab-cdef,,false,false,,\n",
    )
    .unwrap();
    let out = import(&env, &escapes, "1password", &["--created", "2026-01-01", "--yes"])
        .success()
        .get_output()
        .clone();
    let all = [out.stdout, out.stderr].concat();
    assert!(!all.contains(&0x1b), "an escape reached the terminal");
    assert!(
        String::from_utf8_lossy(&all).contains("\\u{1b}]0;pwned"),
        "{}",
        String::from_utf8_lossy(&all)
    );
    assert_eq!(env.vault_bytes(), before);
    assert_eq!(env.labels(&[]), ["Mail"]);
}

/// One app-specific password among other logins is said in the singular.
#[test]
fn one_found_is_said_in_the_singular() {
    let env = Env::with_vault();
    let csv = "Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes\n\
               Thunderbird,,me@icloud.com,abcd-efgh-ijkl-mnop,,false,false,,\n\
               Bank,https://bank.example,me,hunter2hunter2,,false,false,,\n";
    let path = env.path("one.csv");
    std::fs::write(&path, csv).unwrap();
    import(&env, &path, "1password", &["--created", "2026-03-01"])
        .success()
        .stdout(contains("; 1 looks like an app-specific password."));
}

/// A login left out for a letter Apple does not use is said so without the letter:
/// it is a character of a password, perhaps an ordinary one among the decoys.
#[test]
fn a_foreign_letter_in_a_password_is_not_printed() {
    let env = Env::with_vault();
    let csv = "Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes\n\
               \"iCloud app-specific: Thunderbird\",https://www.icloud.com,me@icloud.com,abcd-efgh-ijkl-mnöp,,false,false,,\n";
    let path = env.path("foreign.csv");
    std::fs::write(&path, csv).unwrap();
    let out = import(&env, &path, "1password", &["--created", "2026-03-01"])
        .success()
        .get_output()
        .clone();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("a letter Apple does not use"), "{said}");
    assert!(!said.contains('ö'), "{said}");
}
