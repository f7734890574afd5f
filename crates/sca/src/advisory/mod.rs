//! The advisory database: the OSV model, importers, the local indexed store, and matching.
//! To be written.
