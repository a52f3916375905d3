//! Process hardening done first thing in `main`: no core dumps (a dump of an
//! unlocked aspen would hold every password in clear) and no ptrace attach by other
//! processes of the same user (`PR_SET_DUMPABLE 0` also forbids that).

use rustix::process::{DumpableBehavior, Resource, Rlimit, set_dumpable_behavior, setrlimit};

/// Applies the hardening; returns what could not be applied, for a warning.
pub fn harden_process() -> Vec<String> {
    let mut failed = Vec::new();
    let no_core = Rlimit {
        current: Some(0),
        maximum: Some(0),
    };
    if let Err(e) = setrlimit(Resource::Core, no_core) {
        failed.push(format!("could not disable core dumps (RLIMIT_CORE): {e}"));
    }
    if let Err(e) = set_dumpable_behavior(DumpableBehavior::NotDumpable) {
        failed.push(format!(
            "could not mark the process non-dumpable (PR_SET_DUMPABLE): {e}"
        ));
    }
    failed
}

#[cfg(test)]
mod tests {
    #[test]
    fn hardening_applies_here() {
        assert!(super::harden_process().is_empty());
        let limits = std::fs::read_to_string("/proc/self/limits").unwrap();
        let core = limits
            .lines()
            .find(|l| l.starts_with("Max core file size"))
            .unwrap();
        let fields: Vec<&str> = core.split_whitespace().collect();
        assert_eq!(&fields[4..6], ["0", "0"], "{core}");
    }
}
