//! CVSS v2 (FIRST's "Complete Guide to the CVSS Version 2").
//!
//! Every weight is a short decimal, so the equations are evaluated exactly in scaled integers and
//! rounded half up (away from zero) to one decimal, as the guide's `round_to_1_decimal` means:
//! binary floating point would put some results a hair under a half and round them down.

use super::{mandatory, optional, Cvss, CvssError, CvssVersion, Fields, Metric, Rating};

const AV: usize = 0;
const AC: usize = 1;
const AU: usize = 2;
const C: usize = 3;
const I: usize = 4;
const A: usize = 5;
const E: usize = 6;
const RL: usize = 7;
const RC: usize = 8;
const CDP: usize = 9;
const TD: usize = 10;
const CR: usize = 11;
const IR: usize = 12;
const AR: usize = 13;

const IMPACT: &[&str] = &["N", "P", "C"];
const REQUIREMENT: &[&str] = &["ND", "L", "M", "H"];

static METRICS: [Metric; 14] = [
    mandatory("AV", &["L", "A", "N"]),
    mandatory("AC", &["H", "M", "L"]),
    mandatory("Au", &["M", "S", "N"]),
    mandatory("C", IMPACT),
    mandatory("I", IMPACT),
    mandatory("A", IMPACT),
    optional("E", &["ND", "U", "POC", "F", "H"]),
    optional("RL", &["ND", "OF", "TF", "W", "U"]),
    optional("RC", &["ND", "UC", "UR", "C"]),
    optional("CDP", &["ND", "N", "L", "LM", "MH", "H"]),
    optional("TD", &["ND", "N", "L", "M", "H"]),
    optional("CR", REQUIREMENT),
    optional("IR", REQUIREMENT),
    optional("AR", REQUIREMENT),
];

// Weights in thousandths, in the order of the values above.
const AV_W: [i128; 3] = [395, 646, 1000];
const AC_W: [i128; 3] = [350, 610, 710];
const AU_W: [i128; 3] = [450, 560, 704];
const IMPACT_W: [i128; 3] = [0, 275, 660];
const E_W: [i128; 5] = [1000, 850, 900, 950, 1000];
const RL_W: [i128; 5] = [1000, 870, 900, 950, 1000];
const RC_W: [i128; 4] = [1000, 900, 950, 1000];
const CDP_W: [i128; 6] = [0, 0, 100, 300, 400, 500];
const TD_W: [i128; 5] = [1000, 0, 250, 750, 1000];
const REQUIREMENT_W: [i128; 4] = [1000, 500, 1000, 1510];

pub(super) fn score(body: &str) -> Result<Cvss, CvssError> {
    let version = CvssVersion::V2;
    let f = Fields::parse(version, &METRICS, body)?;
    let w =
        |slot: usize, weights: &[i128]| Dec::milli(weights.get(f.get(slot)).copied().unwrap_or(0));

    let (c, i, a) = (w(C, &IMPACT_W), w(I, &IMPACT_W), w(A, &IMPACT_W));
    let exploitability = Dec::int(20)
        .mul(w(AV, &AV_W))
        .mul(w(AC, &AC_W))
        .mul(w(AU, &AU_W));
    let one = Dec::int(1);
    let impact = Dec::new(1041, 2).mul(one.sub(one.sub(c).mul(one.sub(i)).mul(one.sub(a))));
    let base = equation(impact, exploitability);
    let base_score = base.max(Dec::ZERO);

    let temporal = w(E, &E_W).mul(w(RL, &RL_W)).mul(w(RC, &RC_W));
    let temporal_score = f
        .any_defined(&[E, RL, RC])
        .then(|| base_score.mul(temporal).round_1().max(Dec::ZERO));

    let environmental_score = f.any_defined(&[CDP, TD, CR, IR, AR]).then(|| {
        let adjusted_impact = Dec::int(10).min(
            Dec::new(1041, 2).mul(
                one.sub(
                    one.sub(c.mul(w(CR, &REQUIREMENT_W)))
                        .mul(one.sub(i.mul(w(IR, &REQUIREMENT_W))))
                        .mul(one.sub(a.mul(w(AR, &REQUIREMENT_W)))),
                ),
            ),
        );
        // The guide recomputes the base score with the adjusted impact, unclamped.
        let adjusted_temporal = equation(adjusted_impact, exploitability)
            .mul(temporal)
            .round_1();
        let cdp = w(CDP, &CDP_W);
        adjusted_temporal
            .add(Dec::int(10).sub(adjusted_temporal).mul(cdp))
            .mul(w(TD, &TD_W))
            .round_1()
            .max(Dec::ZERO)
    });

    let base_score = base_score.to_f64();
    Ok(Cvss {
        version,
        vector: f.canonical(),
        base_score,
        severity: Rating::from_score(version, base_score),
        temporal_score: temporal_score.map(Dec::to_f64),
        environmental_score: environmental_score.map(Dec::to_f64),
    })
}

/// `round_to_1_decimal(((0.6 * Impact) + (0.4 * Exploitability) - 1.5) * f(Impact))`.
fn equation(impact: Dec, exploitability: Dec) -> Dec {
    let f_impact = if impact.units == 0 {
        Dec::ZERO
    } else {
        Dec::new(1176, 3)
    };
    Dec::new(6, 1)
        .mul(impact)
        .add(Dec::new(4, 1).mul(exploitability))
        .sub(Dec::new(15, 1))
        .mul(f_impact)
        .round_1()
}

/// An exact decimal `units / 10^scale`. The v2 equations need at most 21 decimals on values
/// below 100, far inside `i128`.
#[derive(Debug, Clone, Copy)]
struct Dec {
    units: i128,
    scale: u32,
}

impl Dec {
    const ZERO: Dec = Dec::new(0, 0);

    const fn new(units: i128, scale: u32) -> Dec {
        Dec { units, scale }
    }

    const fn int(units: i128) -> Dec {
        Dec::new(units, 0)
    }

    const fn milli(units: i128) -> Dec {
        Dec::new(units, 3)
    }

    fn mul(self, other: Dec) -> Dec {
        Dec::new(self.units * other.units, self.scale + other.scale).trim()
    }

    /// Both operands at the same scale.
    fn aligned(self, other: Dec) -> (i128, i128, u32) {
        let scale = self.scale.max(other.scale);
        let up = |d: Dec| d.units * 10i128.pow(scale - d.scale);
        (up(self), up(other), scale)
    }

    fn add(self, other: Dec) -> Dec {
        let (a, b, scale) = self.aligned(other);
        Dec::new(a + b, scale).trim()
    }

    fn sub(self, other: Dec) -> Dec {
        let (a, b, scale) = self.aligned(other);
        Dec::new(a - b, scale).trim()
    }

    fn min(self, other: Dec) -> Dec {
        let (a, b, _) = self.aligned(other);
        if b < a {
            other
        } else {
            self
        }
    }

    fn max(self, other: Dec) -> Dec {
        let (a, b, _) = self.aligned(other);
        if b > a {
            other
        } else {
            self
        }
    }

    /// Drops trailing zero decimals, keeping scales (and so products) small.
    fn trim(mut self) -> Dec {
        while self.scale > 0 && self.units % 10 == 0 {
            self.units /= 10;
            self.scale -= 1;
        }
        self
    }

    /// Rounds to one decimal, halves away from zero.
    fn round_1(self) -> Dec {
        if self.scale <= 1 {
            return self;
        }
        let divisor = 10i128.pow(self.scale - 1);
        let (quotient, remainder) = (self.units / divisor, self.units % divisor);
        let away = remainder.abs() * 2 >= divisor;
        let tenths = if away {
            quotient + self.units.signum()
        } else {
            quotient
        };
        Dec::new(tenths, 1)
    }

    /// For values with at most one decimal: the nearest `f64`, as `"4.3".parse()` gives.
    fn to_f64(self) -> f64 {
        let d = self.round_1();
        if d.scale == 0 {
            d.units as f64
        } else {
            d.units as f64 / 10.0
        }
    }
}
