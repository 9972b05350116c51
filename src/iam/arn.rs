//! ARN fields: which field a policy pins while the required scope leaves it
//! unknown, so that an inconclusive answer says why.

use std::fmt;

use super::evaluation::lex_policy;
use super::glob::{intersects, Scope};
use super::outcome::Doubt;
use super::pattern::{Pattern, Segment};
use super::statement::Resources;

/// The ARN fields that never contain `:` and are commonly interpolated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArnField {
    Partition,
    Service,
    Region,
    Account,
}

impl fmt::Display for ArnField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ArnField::Partition => "partition",
            ArnField::Service => "service",
            ArnField::Region => "region",
            ArnField::Account => "account",
        })
    }
}

/// Names the ARN field a policy pins while the scope leaves it unknown, so
/// the user learns *why* the answer is open.
pub(super) fn doubt_for(resources: &Resources, scope: &Scope) -> Doubt {
    let Resources::Resource(patterns) = resources else {
        return Doubt::Undecided;
    };
    let wanted = arn_fields(scope.pattern);
    let fields = [
        ArnField::Partition,
        ArnField::Service,
        ArnField::Region,
        ArnField::Account,
    ];
    // Only patterns that could match at all explain the doubt.
    let plausible = patterns
        .iter()
        .filter(|p| intersects(&lex_policy(std::slice::from_ref(*p))[0], &scope.union));
    for p in plausible {
        let have = arn_fields(p);
        for (k, field) in fields.iter().enumerate().map(|(k, f)| (k + 1, *f)) {
            let unknown = wanted.get(k).is_some_and(|w| w[..] == [Segment::Unknown]);
            let pinned = match have.get(k).map(|h| &h[..]) {
                Some([Segment::Lit(v)]) if !v.contains(['*', '?']) => Some(v),
                _ => None,
            };
            if let (true, Some(v)) = (unknown, pinned) {
                let value = v.clone();
                return Doubt::FixedField { field, value };
            }
        }
    }
    Doubt::Undecided
}

fn arn_fields(p: &Pattern) -> Vec<Vec<Segment>> {
    let mut fields = vec![Vec::new()];
    for seg in &p.segments {
        match seg {
            Segment::Unknown => fields.last_mut().unwrap().push(Segment::Unknown),
            Segment::Lit(t) => {
                for (n, piece) in t.split(':').enumerate() {
                    if n > 0 {
                        fields.push(Vec::new());
                    }
                    if !piece.is_empty() {
                        fields.last_mut().unwrap().push(Segment::lit(piece));
                    }
                }
            }
        }
    }
    fields
}
