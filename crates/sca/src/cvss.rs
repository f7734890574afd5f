//! CVSS base scores from vectors. To be written.
