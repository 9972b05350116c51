//! Evaluating one expression outside any configuration, as `terraform console` does in an
//! empty folder: the entry point of the differential test against Terraform itself.

use crate::model::terraform::eval::Evaluator;
use crate::model::terraform::value::Value;
use crate::model::terraform::Module;
use crate::source::FileId;

/// The value of `text` in an empty module; `Err` when the text is not one HCL expression.
pub fn evaluate_expression(text: &str) -> Result<Value, String> {
    let expr =
        crate::parse::expression(FileId(0), text).ok_or_else(|| format!("not an HCL expression: {text}"))?;
    let module = Module::default();
    Ok(Evaluator::new(&module).eval(&expr))
}
