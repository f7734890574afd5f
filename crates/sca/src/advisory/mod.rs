//! The advisory database: the OSV model ([`osv`]), importers ([`import`], with native formats
//! converted to OSV by [`rustsec`] and [`convert`]), the local indexed store ([`store`]),
//! matching ([`matcher`]) and downloads from mirrors ([`fetch`]).

pub mod convert;
pub mod fetch;
pub mod import;
pub mod matcher;
pub mod osv;
pub mod rustsec;
pub mod store;
