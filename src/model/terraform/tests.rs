use super::*;

impl Module {
    /// For tests: a module of one `main.tf` (file 0) and, if given, one `terraform.tfvars`
    /// (file 1), both taken as complete.
    pub(crate) fn from_text(main: &str, tfvars: Option<&str>) -> Module {
        let mut files = vec![TerraformFile {
            id: FileId(0),
            body: crate::parse::terraform(FileId(0), main).0,
            is_tfvars: false,
            complete: true,
        }];
        if let Some(text) = tfvars {
            files.push(TerraformFile {
                id: FileId(1),
                body: crate::parse::terraform(FileId(1), text).0,
                is_tfvars: true,
                complete: true,
            });
        }
        Module::build(".".into(), files)
    }
}

fn module(text: &str) -> Module {
    assert!(crate::parse::terraform(FileId(0), text).1.is_none());
    Module::from_text(text, None)
}

#[test]
fn resources_are_found_by_type_and_name_first_one_winning() {
    let m = module(
        r#"
resource "aws_iam_role" "b" { name = "first-b" }
resource "aws_iam_role" "a" { name = "a" }
resource "aws_iam_policy" "b" { name = "policy-b" }
resource "aws_iam_role" "b" { name = "second-b" }
data "aws_iam_role" "a" { name = "data-a" }
"#,
    );
    let name = |r: Option<&Resource>| match r.and_then(|r| r.attr("name")).map(|a| &a.value.kind) {
        Some(crate::syntax::ExprKind::String(s)) => Some(s.clone()),
        _ => None,
    };
    assert_eq!(name(m.resource("aws_iam_role", "b")).as_deref(), Some("first-b"));
    assert_eq!(name(m.resource("aws_iam_role", "a")).as_deref(), Some("a"));
    assert_eq!(
        name(m.resource("aws_iam_policy", "b")).as_deref(),
        Some("policy-b")
    );
    assert_eq!(
        name(m.data_source("aws_iam_role", "a")).as_deref(),
        Some("data-a")
    );
    assert!(m.resource("aws_iam_role", "c").is_none());
    assert!(m.resource("aws_iam_polic", "b").is_none());
    assert!(m.data_source("aws_iam_role", "b").is_none());
}

#[test]
fn calls_are_found_by_name_in_file_order() {
    let mut m = module("module \"web\" {}\nmodule \"api\" {}\nmodule \"web\" {}\n");
    assert_eq!(m.calls_named("web"), vec![0, 2]);
    assert_eq!(m.calls_named("api"), vec![1]);
    assert!(m.calls_named("db").is_empty());
    // Changed after the build: still answered, by a scan.
    m.calls.remove(0);
    assert_eq!(m.calls_named("web"), vec![1]);
}
