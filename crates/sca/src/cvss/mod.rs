//! CVSS scores computed from vector strings: v2, v3.0, v3.1 and v4.0.
//!
//! Advisories carry a vector and sometimes a label or a score that disagrees with it; the scanner
//! trusts only the vector and scores it here. Scores agree to the last decimal with FIRST's
//! calculators and the reference `cvss` library (`tests/data/cvss/` holds the comparison):
//!
//! - v2 is computed in exact decimal arithmetic and rounded half up, as the specification's
//!   equations are written, so no binary floating point error can move a score across a tenth.
//! - v3.0 and v3.1 use the Roundup of CVSS 3.1 Appendix A, which rounds to five decimals before
//!   taking the ceiling and so absorbs floating point error; for v3.0 that is the exact ceiling
//!   the 3.0 specification defines (its own calculator's `Math.ceil` turns 4.6 into 4.7).
//! - v4.0 follows FIRST's calculator: macrovector equivalence classes, the table of macrovector
//!   scores, severity distances to the highest vectors of each class, interpolation, rounding.
//!
//! Parsing is strict about names and values (they are case-sensitive in every version) and lenient
//! about order, which advisories do not always respect; [`Cvss::vector`] is the canonical form.

use std::fmt;
use std::str::FromStr;

mod v2;
mod v3;
mod v4;

/// A CVSS version.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum CvssVersion {
    V2,
    V3_0,
    V3_1,
    V4_0,
}

impl CvssVersion {
    pub fn as_str(self) -> &'static str {
        match self {
            CvssVersion::V2 => "2.0",
            CvssVersion::V3_0 => "3.0",
            CvssVersion::V3_1 => "3.1",
            CvssVersion::V4_0 => "4.0",
        }
    }
}

impl fmt::Display for CvssVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The qualitative severity rating of a score.
///
/// v3 and v4 use the five ratings of the specification; v2 has no official rating, so it is
/// rated as NVD does: Low below 4.0 (including 0.0), Medium below 7.0, High above.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Rating {
    None,
    Low,
    Medium,
    High,
    Critical,
}

impl Rating {
    /// The rating of `score` (a score as computed here, with one decimal) in `version`.
    pub fn from_score(version: CvssVersion, score: f64) -> Rating {
        if version == CvssVersion::V2 {
            return if score <= 3.9 {
                Rating::Low
            } else if score <= 6.9 {
                Rating::Medium
            } else {
                Rating::High
            };
        }
        if score <= 0.0 {
            Rating::None
        } else if score <= 3.9 {
            Rating::Low
        } else if score <= 6.9 {
            Rating::Medium
        } else if score <= 8.9 {
            Rating::High
        } else {
            Rating::Critical
        }
    }

    /// The name the CVSS specifications use.
    pub fn as_str(self) -> &'static str {
        match self {
            Rating::None => "None",
            Rating::Low => "Low",
            Rating::Medium => "Medium",
            Rating::High => "High",
            Rating::Critical => "Critical",
        }
    }
}

impl fmt::Display for Rating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<Rating> for gatehouse_core::Severity {
    fn from(rating: Rating) -> Self {
        use gatehouse_core::Severity;
        match rating {
            Rating::None => Severity::Info,
            Rating::Low => Severity::Low,
            Rating::Medium => Severity::Medium,
            Rating::High => Severity::High,
            Rating::Critical => Severity::Critical,
        }
    }
}

/// A parsed and scored CVSS vector.
#[derive(Debug, Clone, PartialEq)]
pub struct Cvss {
    pub version: CvssVersion,
    /// The canonical vector: version prefix (none for v2, as NVD writes it), metrics in the
    /// specification's order, optional metrics left at Not Defined (`X`, `ND`) omitted.
    pub vector: String,
    /// The base score (v4: CVSS-B, from the base metrics alone), with one decimal.
    pub base_score: f64,
    /// The rating of [`Cvss::base_score`].
    pub severity: Rating,
    /// v2 and v3: the temporal score; v4: CVSS-BT (base and threat metrics). `None` when the
    /// vector sets no temporal or threat metric.
    pub temporal_score: Option<f64>,
    /// v2 and v3: the environmental score; v4: CVSS-BE or CVSS-BTE. `None` when the vector sets
    /// no environmental metric.
    pub environmental_score: Option<f64>,
}

impl Cvss {
    /// The rating of the base score.
    pub fn rating(&self) -> Rating {
        self.severity
    }

    /// The score that takes every metric of the vector into account: environmental, else
    /// temporal, else base.
    pub fn score(&self) -> f64 {
        self.environmental_score
            .or(self.temporal_score)
            .unwrap_or(self.base_score)
    }

    /// The rating of [`Cvss::score`].
    pub fn score_rating(&self) -> Rating {
        Rating::from_score(self.version, self.score())
    }

    /// v4's name for [`Cvss::score`]: `CVSS-B`, `CVSS-BT`, `CVSS-BE` or `CVSS-BTE`; `None` for
    /// earlier versions, which have no such names.
    pub fn nomenclature(&self) -> Option<&'static str> {
        if self.version != CvssVersion::V4_0 {
            return None;
        }
        Some(
            match (
                self.temporal_score.is_some(),
                self.environmental_score.is_some(),
            ) {
                (false, false) => "CVSS-B",
                (true, false) => "CVSS-BT",
                (false, true) => "CVSS-BE",
                (true, true) => "CVSS-BTE",
            },
        )
    }
}

impl FromStr for Cvss {
    type Err = CvssError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse(s)
    }
}

/// What is wrong with a vector. Strings taken from the input are cut to 64 characters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CvssError {
    #[error("empty CVSS vector")]
    Empty,
    /// Neither a supported `CVSS:x.y/` prefix nor a v2 vector (which has none); holds the
    /// prefix found, or the first field when there is none.
    #[error("unsupported or missing CVSS version prefix `{0}` (expected CVSS:3.0/, CVSS:3.1/, CVSS:4.0/, or a v2 vector)")]
    BadPrefix(String),
    /// A field that is not `METRIC:VALUE`, including the empty field of `//` or a trailing `/`.
    #[error("malformed field `{field}` in CVSS {version} vector (expected METRIC:VALUE)")]
    MalformedField { version: CvssVersion, field: String },
    #[error("unknown metric `{metric}` in CVSS {version} vector")]
    UnknownMetric {
        version: CvssVersion,
        metric: String,
    },
    #[error("invalid value `{value}` for metric `{metric}` in CVSS {version} vector")]
    BadValue {
        version: CvssVersion,
        metric: &'static str,
        value: String,
    },
    #[error("duplicate metric `{metric}` in CVSS {version} vector")]
    DuplicateMetric {
        version: CvssVersion,
        metric: &'static str,
    },
    #[error("missing mandatory metric(s) {} in CVSS {version} vector", .metrics.join(", "))]
    MissingMetric {
        version: CvssVersion,
        metrics: Vec<&'static str>,
    },
}

/// Parses and scores a CVSS vector: `CVSS:4.0/…`, `CVSS:3.1/…`, `CVSS:3.0/…`, or a v2 vector
/// (`AV:N/AC:L/Au:N/C:P/I:P/A:P`, optionally written with a `CVSS:2.0/` prefix). Surrounding
/// whitespace is ignored.
pub fn parse(vector: &str) -> Result<Cvss, CvssError> {
    let vector = vector.trim();
    if vector.is_empty() {
        return Err(CvssError::Empty);
    }
    let Some(rest) = vector.strip_prefix("CVSS:") else {
        // v2 vectors have no prefix. Without one and without v2's `Au` metric, a vector is more
        // likely a v3 or v4 vector that lost its prefix than a v2 vector with unknown metrics.
        if is_v2_like(vector) {
            return v2::score(vector);
        }
        let first = vector.split('/').next().unwrap_or_default();
        return Err(CvssError::BadPrefix(clip(first)));
    };
    let (version, body) = rest.split_once('/').unwrap_or((rest, ""));
    match version {
        "4.0" => v4::score(body),
        "3.1" => v3::score(CvssVersion::V3_1, body),
        "3.0" => v3::score(CvssVersion::V3_0, body),
        "2.0" => v2::score(body),
        _ => Err(CvssError::BadPrefix(clip(&format!("CVSS:{version}")))),
    }
}

/// A v2 vector has `Au`, which no later version has.
fn is_v2_like(vector: &str) -> bool {
    vector
        .split('/')
        .any(|field| field.split(':').next() == Some("Au"))
}

/// Cuts input echoed in errors, so a hostile vector cannot make an error message huge.
fn clip(s: &str) -> String {
    const MAX: usize = 64;
    match s.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}…", &s[..end]),
        None => s.to_string(),
    }
}

/// One metric of a version: its abbreviation, its values in the vector alphabet, and whether a
/// vector must set it. Optional metrics list their Not Defined value (`X` or `ND`) first.
struct Metric {
    key: &'static str,
    values: &'static [&'static str],
    mandatory: bool,
}

const fn mandatory(key: &'static str, values: &'static [&'static str]) -> Metric {
    Metric {
        key,
        values,
        mandatory: true,
    }
}

const fn optional(key: &'static str, values: &'static [&'static str]) -> Metric {
    Metric {
        key,
        values,
        mandatory: false,
    }
}

/// The metrics of a vector body: for each metric of `table`, the index of its value in
/// [`Metric::values`], `None` when the vector does not set it.
struct Fields<'t> {
    table: &'t [Metric],
    values: Vec<Option<usize>>,
}

impl<'t> Fields<'t> {
    /// Splits `body` (the vector without its prefix) and checks every field against `table`.
    fn parse(version: CvssVersion, table: &'t [Metric], body: &str) -> Result<Self, CvssError> {
        let mut values = vec![None; table.len()];
        if !body.is_empty() {
            for field in body.split('/') {
                let Some((key, value)) = field.split_once(':') else {
                    return Err(CvssError::MalformedField {
                        version,
                        field: clip(field),
                    });
                };
                if key.is_empty() || value.contains(':') {
                    return Err(CvssError::MalformedField {
                        version,
                        field: clip(field),
                    });
                }
                let Some(slot) = table.iter().position(|m| m.key == key) else {
                    return Err(CvssError::UnknownMetric {
                        version,
                        metric: clip(key),
                    });
                };
                let metric = &table[slot];
                let Some(index) = metric.values.iter().position(|v| *v == value) else {
                    return Err(CvssError::BadValue {
                        version,
                        metric: metric.key,
                        value: clip(value),
                    });
                };
                if values[slot].is_some() {
                    return Err(CvssError::DuplicateMetric {
                        version,
                        metric: metric.key,
                    });
                }
                values[slot] = Some(index);
            }
        }
        let missing: Vec<&'static str> = table
            .iter()
            .zip(&values)
            .filter(|(m, v)| m.mandatory && v.is_none())
            .map(|(m, _)| m.key)
            .collect();
        if !missing.is_empty() {
            return Err(CvssError::MissingMetric {
                version,
                metrics: missing,
            });
        }
        Ok(Fields { table, values })
    }

    /// The value index of metric `slot`; optional metrics that are absent read as Not Defined
    /// (index 0), mandatory ones are always present after [`Fields::parse`].
    fn get(&self, slot: usize) -> usize {
        self.values.get(slot).copied().flatten().unwrap_or(0)
    }

    /// The value of metric `slot` as written in vectors.
    fn value(&self, slot: usize) -> &'static str {
        let values = self.table.get(slot).map_or(&[][..], |m| m.values);
        values.get(self.get(slot)).copied().unwrap_or("")
    }

    /// Whether the vector sets any of `slots` to something other than Not Defined.
    fn any_defined(&self, slots: &[usize]) -> bool {
        slots.iter().any(|&slot| {
            let m = &self.table[slot];
            !m.mandatory && self.values[slot].is_some_and(|i| i != 0)
        })
    }

    /// The canonical vector body: specification order, Not Defined optional metrics omitted.
    fn canonical(&self) -> String {
        let mut out = String::new();
        for (m, v) in self.table.iter().zip(&self.values) {
            let Some(index) = *v else { continue };
            if !m.mandatory && index == 0 {
                continue;
            }
            if !out.is_empty() {
                out.push('/');
            }
            out.push_str(m.key);
            out.push(':');
            out.push_str(m.values[index]);
        }
        out
    }
}

/// Rounds half up to one decimal, exactly: the decimal value of the binary `x` decides, as with
/// Python's `Decimal(x).quantize(Decimal("0.1"), ROUND_HALF_UP)` that FIRST's v4 reference code
/// uses, not `x * 10` (which can itself round across a half). For `x` in `[0, 16)`; others clamp.
fn round_half_up_1(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return 0.0;
    }
    if x >= 16.0 {
        return (x * 10.0).round() / 10.0;
    }
    let bits = x.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i64;
    let fraction = u128::from(bits & ((1u64 << 52) - 1));
    // x = mantissa * 2^-shift, with shift > 0 because x < 16.
    let (mantissa, shift) = if exponent == 0 {
        (fraction, 1074)
    } else {
        (fraction | (1u128 << 52), 1075 - exponent)
    };
    if shift >= 120 {
        // Below 2^-67: far under the half of the first decimal.
        return 0.0;
    }
    // floor(10x + 1/2) = floor((20 * mantissa + 2^shift) / 2^(shift + 1)); fits: < 2^122.
    let tenths = (20 * mantissa + (1u128 << shift)) >> (shift + 1);
    tenths as f64 / 10.0
}

#[cfg(test)]
mod tests;
