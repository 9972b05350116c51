//! The glob machinery itself: intersection, containment, holes, and
//! adversarial patterns in quadratic time.

use std::time::{Duration, Instant};

use super::super::glob::{intersects, lex, subsumes, Class, Scope, Tok};
use super::*;

fn toks(p: &str) -> Vec<Tok> {
    lex(&Pattern::parse(p), false, Class::Any, Tok::Many(Class::NoColon))
}

#[test]
fn glob_intersection_edge_cases() {
    let meet = |a: &str, b: &str| intersects(&toks(a), &toks(b));
    assert!(meet("a*", "*b"));
    assert!(meet("a?c", "*c"));
    assert!(meet("*", ""));
    assert!(meet("a*b*c", "*bbb*"));
    assert!(!meet("a*", "b*"));
    assert!(!meet("*a", "*b"));
    assert!(!meet("?", ""));
    assert!(!meet("??", "?"));
    assert!(!meet("a*b", "a*c"));
    // An interpolation in a policy never spans ':'.
    assert!(meet("x:${v}:y", "x:abc:y"));
    assert!(!meet("x:${v}:y", "x:a:b:y"));
}

#[test]
fn glob_containment_edge_cases() {
    let within = |outer: &str, inner: &str| subsumes(&toks(outer), &toks(inner));
    assert!(within("*?", "?*"));
    assert!(within("?*", "*?"));
    assert!(within("**", "*"));
    assert!(within("*", "a?b*"));
    assert!(within("a*c", "ab*bc"));
    assert!(!within("?", "*"));
    assert!(!within("a*", "*"));
    assert!(!within("*?", "*"));
    assert!(!within("${v}", "*"));
    assert!(within("*", "${v}"));
}

#[test]
fn holes_only_pass_where_any_value_would() {
    let pattern = Pattern::parse("x:${v}:y");
    let scope = Scope::new(&pattern);
    let hits = |p: &str| intersects(&toks(p), &scope.exact);
    assert!(hits("x:*:y") && hits("x:${w}:y") && hits("*"));
    assert!(!hits("x:us-east-1:y"));
    assert!(intersects(&toks("x:us-east-1:y"), &scope.union));
}

#[test]
fn adversarial_patterns_finish_quickly() {
    let policy = "*a".repeat(1500) + "*b";
    let resource = "a".repeat(3000);
    let start = Instant::now();
    assert!(!intersects(&toks(&policy), &toks(&resource)));
    assert!(intersects(&toks(&policy), &toks(&(resource.clone() + "b"))));
    assert!(!subsumes(&toks(&policy), &toks(&(resource + "*"))));
    let req = Requirement::new(
        "ecs:DescribeTasks",
        Pattern::parse(&format!("arn:{}", "a".repeat(2000))),
    );
    let st = [allow(
        1,
        &[&("*e".repeat(500) + "*")],
        &[&format!("arn:{}", "*a".repeat(1000))],
    )];
    assert_eq!(
        check(&st, &req),
        not_allowed(NotAllowedReason::NoStatementForAction)
    );
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "took {:?}",
        start.elapsed()
    );
}
