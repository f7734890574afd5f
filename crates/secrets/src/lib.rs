//! Secret scanning.
