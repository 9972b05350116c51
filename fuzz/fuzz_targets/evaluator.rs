//! Any text as one Terraform module, and every expression in it through the evaluator:
//! references, locals chains, function calls, templates and jsondecode of whatever the fuzzer
//! writes. No panic, no unbounded recursion, and every origin inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use meshlint::model::terraform::eval::Evaluator;
use meshlint::model::terraform::{Module, TerraformFile};
use meshlint::parse;
use meshlint::source::FileId;
use meshlint::syntax::{Body, Expr};

fuzz_target!(|data: &[u8]| {
    let decoded = parse::decode(data.to_vec());
    let (body, error) = parse::terraform(FileId(0), &decoded.text);
    let mut expressions = Vec::new();
    collect(&body, &mut expressions);
    let file = TerraformFile { id: FileId(0), body, is_tfvars: false, complete: error.is_none() };
    let module = Module::build(".".into(), vec![file]);
    let evaluator = Evaluator::new(&module);
    for expr in &expressions {
        let value = evaluator.eval(expr);
        for origin in &value.origins {
            assert!(origin.span.start <= origin.span.end && origin.span.end <= decoded.text.len());
        }
    }
});

/// Every attribute value of the file, nested blocks included (cloned: the module takes the body).
fn collect(body: &Body, out: &mut Vec<Expr>) {
    out.extend(body.attributes.iter().map(|a| a.value.clone()));
    for block in &body.blocks {
        collect(&block.body, out);
    }
}
