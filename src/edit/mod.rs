//! Edit builders that fixes share: text that keeps a file's layout as `terraform fmt` leaves
//! it, and statements added to an IAM policy in the style it is written in.

pub mod fmt;
pub mod json;
pub mod layout;
pub mod policy;
