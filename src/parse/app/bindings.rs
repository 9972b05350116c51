//! "One obvious step": a name bound exactly once in the file resolves to the expression it
//! was bound to. A name bound twice (two functions, a reassignment) resolves to nothing, so
//! that a value the code may change is never taken for the one it runs with.

use std::collections::HashMap;
use tree_sitter::Node;

#[derive(Default)]
pub(super) struct Bindings<'t> {
    values: HashMap<String, Vec<Option<Node<'t>>>>,
}

impl<'t> Bindings<'t> {
    /// Records that `name` is bound to `value` (`None`: bound to something not seen, such as
    /// a function parameter or a multi-value call).
    pub fn bind(&mut self, name: &str, value: Option<Node<'t>>) {
        self.values.entry(name.to_string()).or_default().push(value);
    }

    /// The expression `name` is bound to, if it is bound exactly once.
    pub fn single(&self, name: &str) -> Option<Node<'t>> {
        match self.values.get(name)?.as_slice() {
            [value] => *value,
            _ => None,
        }
    }
}
