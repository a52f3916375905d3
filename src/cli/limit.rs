//! The command line's words for an Apple ID past Apple's 25: more active than Apple
//! allows (compare with Apple's page, revoke), or more waiting to be regenerated than
//! would fit beside the active ones (revoke first).

use crate::model::Slots;
use crate::text::escape_control;

/// The warning for `s`, when it is past Apple's limit either way (without "warning: ").
pub fn warning(s: &Slots) -> Option<String> {
    let id = escape_control(&s.apple_id);
    if s.over_limit() {
        let waiting = if s.to_regenerate > 0 {
            format!(" ({} more wait to be regenerated)", s.to_regenerate)
        } else {
            String::new()
        };
        return Some(format!(
            "{id}: {} active, Apple allows {}{waiting}: compare with Apple's page \
             (`aspen audit --apple-id {id}`) and revoke what it no longer lists or no app \
             uses (`aspen revoke LABEL`)",
            s.active, s.limit
        ));
    }
    s.regeneration_overflows().then(|| {
        format!(
            "{id} has {} active and {} waiting to be regenerated: regenerating them all \
             would need {} of Apple's {} slots; revoke what is no longer used first \
             (`aspen revoke LABEL`)",
            s.active,
            s.to_regenerate,
            s.active + s.to_regenerate,
            s.limit
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SLOT_LIMIT;

    fn slots(active: usize, to_regenerate: usize) -> Slots {
        Slots {
            apple_id: "me@icloud.com".to_owned(),
            name: String::new(),
            mail: None,
            last_audit: None,
            active,
            to_regenerate,
            limit: SLOT_LIMIT,
            free: SLOT_LIMIT.saturating_sub(active),
        }
    }

    #[test]
    fn over_the_limit_says_what_apple_allows_and_what_to_do() {
        let w = warning(&slots(26, 0)).unwrap();
        assert!(
            w.starts_with("me@icloud.com: 26 active, Apple allows 25: "),
            "{w}"
        );
        assert!(w.contains("aspen audit --apple-id me@icloud.com"), "{w}");
        assert!(w.contains("aspen revoke"), "{w}");
        assert!(!w.contains("regenerat"), "{w}");
        let w = warning(&slots(23, 3)).unwrap();
        assert!(
            w.contains("regenerating them all would need 26 of Apple's 25 slots"),
            "{w}"
        );
        assert!(warning(&slots(25, 0)).is_none());
        assert!(warning(&slots(22, 3)).is_none());
    }
}
