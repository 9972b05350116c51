//! The buffers the editor has open: their text as typed, which every check reads instead of
//! the file on disk.

use super::position::{Encoding, LineIndex};
use lsp_types::TextDocumentContentChangeEvent;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub struct Document {
    pub version: i32,
    pub text: String,
}

#[derive(Default)]
pub struct Documents {
    open: BTreeMap<PathBuf, Document>,
}

impl Documents {
    pub fn open(&mut self, path: PathBuf, version: i32, text: String) {
        self.open.insert(path, Document { version, text });
    }

    pub fn close(&mut self, path: &Path) {
        self.open.remove(path);
    }

    pub fn get(&self, path: &Path) -> Option<&Document> {
        self.open.get(path)
    }

    /// Applies the changes in order: a change with a range replaces that range (incremental
    /// sync), one without replaces the whole text (full sync).
    pub fn change(
        &mut self,
        path: &Path,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        encoding: Encoding,
    ) {
        let Some(document) = self.open.get_mut(path) else {
            return;
        };
        for change in changes {
            match change.range {
                None => document.text = change.text,
                Some(range) => {
                    let index = LineIndex::new(&document.text);
                    let start = index.offset(range.start, encoding);
                    let end = index.offset(range.end, encoding).max(start);
                    document.text.replace_range(start..end, &change.text);
                }
            }
        }
        document.version = version;
    }

    /// Every open buffer's text by path: the overlay a check reads.
    pub fn overlay(&self) -> BTreeMap<PathBuf, String> {
        self.open
            .iter()
            .map(|(path, document)| (path.clone(), document.text.clone()))
            .collect()
    }

    pub fn paths(&self) -> impl Iterator<Item = &PathBuf> {
        self.open.keys()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::{Position, Range};

    #[test]
    fn incremental_changes_apply_in_order() {
        let mut documents = Documents::default();
        let path = PathBuf::from("/p/main.tf");
        documents.open(path.clone(), 1, "port = \"😀8080\"\n".into());
        let at = |line, character| Position::new(line, character);
        documents.change(
            &path,
            2,
            vec![
                TextDocumentContentChangeEvent {
                    range: Some(Range::new(at(0, 8), at(0, 10))),
                    range_length: None,
                    text: String::new(),
                },
                TextDocumentContentChangeEvent {
                    range: Some(Range::new(at(0, 7), at(0, 8))),
                    range_length: None,
                    text: String::new(),
                },
            ],
            Encoding::Utf16,
        );
        let document = documents.get(&path).unwrap();
        assert_eq!(document.text, "port = 8080\"\n");
        assert_eq!(document.version, 2);
    }
}
