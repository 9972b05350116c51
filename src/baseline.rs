//! Baseline files: the fingerprints of the findings a repository had when it adopted meshlint
//! (`--write-baseline`), so that a later run (`--baseline`, or `baseline = "…"` in
//! `.meshlint.toml`) reports only new ones. Fingerprints ignore line numbers (see
//! `diagnostics::fingerprints`), so edits elsewhere and moved lines do not bring a finding back.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

const VERSION: u32 = 1;

/// One recorded finding: its fingerprint, and what it was, for people reading the file and
/// for `--show-baseline-stale`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub fingerprint: String,
    pub rule: String,
    pub file: String,
    pub message: String,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Baseline {
    /// By fingerprint.
    pub entries: BTreeMap<String, Entry>,
}

#[derive(Serialize, Deserialize)]
struct File {
    version: u32,
    findings: Vec<Entry>,
}

impl Baseline {
    pub fn new(entries: impl IntoIterator<Item = Entry>) -> Baseline {
        Baseline {
            entries: entries.into_iter().map(|e| (e.fingerprint.clone(), e)).collect(),
        }
    }

    pub fn read(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read baseline {}: {e}", path.display()))?;
        let file: File = serde_json::from_str(&text)
            .map_err(|e| format!("{} is not a meshlint baseline: {e}", path.display()))?;
        if file.version != VERSION {
            return Err(format!(
                "{} is a baseline of version {}; this meshlint reads version {VERSION}",
                path.display(),
                file.version
            ));
        }
        Ok(Baseline::new(file.findings))
    }

    /// Writes the file atomically (a temporary file renamed over it), sorted by file, rule
    /// and fingerprint so that it diffs well in review.
    pub fn write(&self, path: &Path) -> Result<(), String> {
        let mut findings: Vec<Entry> = self.entries.values().cloned().collect();
        findings.sort_by(|a, b| (&a.file, &a.rule, &a.fingerprint).cmp(&(&b.file, &b.rule, &b.fingerprint)));
        let mut text = serde_json::to_string_pretty(&File {
            version: VERSION,
            findings,
        })
        .map_err(|e| e.to_string())?;
        text.push('\n');
        let temporary = path.with_extension("meshlint-tmp");
        std::fs::write(&temporary, text)
            .and_then(|()| std::fs::rename(&temporary, path))
            .map_err(|e| format!("cannot write baseline {}: {e}", path.display()))
    }

    pub fn contains(&self, fingerprint: &str) -> bool {
        self.entries.contains_key(fingerprint)
    }

    /// Adds another baseline's entries (configurations of one run may name several).
    pub fn extend(&mut self, other: Baseline) {
        self.entries.extend(other.entries);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_baselines_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baseline.json");
        let baseline = Baseline::new([Entry {
            fingerprint: "00ff".into(),
            rule: "port-not-string".into(),
            file: "main.tf".into(),
            message: "m".into(),
        }]);
        baseline.write(&path).unwrap();
        assert_eq!(Baseline::read(&path).unwrap(), baseline);
        std::fs::write(&path, "{\"version\": 7, \"findings\": []}").unwrap();
        assert!(Baseline::read(&path).unwrap_err().contains("version 7"));
        std::fs::write(&path, "[]").unwrap();
        assert!(Baseline::read(&path)
            .unwrap_err()
            .contains("not a meshlint baseline"));
    }
}
