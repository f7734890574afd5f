//! Static analysis: source files are parsed once with tree-sitter ([`lang`]) and checked against
//! rules written in Semgrep's YAML syntax ([`rule`]).

pub mod annotations;
pub mod engine;
pub mod lang;
pub mod rule;
pub mod scan;
mod suppress;
