//! CVSS v3.0 and v3.1 (FIRST's specification documents, section 7 and Appendix A).
//!
//! The two versions share metrics and weights; they differ in the environmental score's modified
//! impact for a changed scope, and 3.1 defines Roundup so that floating point error cannot push a
//! score over a tenth. That Roundup is used for both: for 3.0 it gives the ceiling the 3.0 text
//! defines on the exact value, where `ceil(x * 10) / 10` on the binary value would not.

use super::{mandatory, optional, Cvss, CvssError, CvssVersion, Fields, Metric, Rating};

const AV: usize = 0;
const AC: usize = 1;
const PR: usize = 2;
const UI: usize = 3;
const S: usize = 4;
const C: usize = 5;
const I: usize = 6;
const A: usize = 7;
const E: usize = 8;
const RL: usize = 9;
const RC: usize = 10;
const CR: usize = 11;
const IR: usize = 12;
const AR: usize = 13;
const MAV: usize = 14;
const MAC: usize = 15;
const MPR: usize = 16;
const MUI: usize = 17;
const MS: usize = 18;
const MC: usize = 19;
const MI: usize = 20;
const MA: usize = 21;

const TEMPORAL: [usize; 3] = [E, RL, RC];
const ENVIRONMENTAL: [usize; 11] = [CR, IR, AR, MAV, MAC, MPR, MUI, MS, MC, MI, MA];

const IMPACT: &[&str] = &["H", "L", "N"];
const REQUIREMENT: &[&str] = &["X", "L", "M", "H"];
// A modified metric's values are `X` followed by its base metric's values in the same order,
// so that value index `i > 0` of the one is value `i - 1` of the other.
const MODIFIED_IMPACT: &[&str] = &["X", "H", "L", "N"];

static METRICS: [Metric; 22] = [
    mandatory("AV", &["N", "A", "L", "P"]),
    mandatory("AC", &["L", "H"]),
    mandatory("PR", &["N", "L", "H"]),
    mandatory("UI", &["N", "R"]),
    mandatory("S", &["U", "C"]),
    mandatory("C", IMPACT),
    mandatory("I", IMPACT),
    mandatory("A", IMPACT),
    optional("E", &["X", "U", "P", "F", "H"]),
    optional("RL", &["X", "O", "T", "W", "U"]),
    optional("RC", &["X", "U", "R", "C"]),
    optional("CR", REQUIREMENT),
    optional("IR", REQUIREMENT),
    optional("AR", REQUIREMENT),
    optional("MAV", &["X", "N", "A", "L", "P"]),
    optional("MAC", &["X", "L", "H"]),
    optional("MPR", &["X", "N", "L", "H"]),
    optional("MUI", &["X", "N", "R"]),
    optional("MS", &["X", "U", "C"]),
    optional("MC", MODIFIED_IMPACT),
    optional("MI", MODIFIED_IMPACT),
    optional("MA", MODIFIED_IMPACT),
];

const AV_W: [f64; 4] = [0.85, 0.62, 0.55, 0.2];
const AC_W: [f64; 2] = [0.77, 0.44];
const PR_UNCHANGED_W: [f64; 3] = [0.85, 0.62, 0.27];
const PR_CHANGED_W: [f64; 3] = [0.85, 0.68, 0.5];
const UI_W: [f64; 2] = [0.85, 0.62];
const IMPACT_W: [f64; 3] = [0.56, 0.22, 0.0];
const E_W: [f64; 5] = [1.0, 0.91, 0.94, 0.97, 1.0];
const RL_W: [f64; 5] = [1.0, 0.95, 0.96, 0.97, 1.0];
const RC_W: [f64; 4] = [1.0, 0.92, 0.96, 1.0];
const REQUIREMENT_W: [f64; 4] = [1.0, 0.5, 1.0, 1.5];

/// The exploitability and impact metrics of one score: the base ones, or the modified ones.
struct Metrics {
    av: usize,
    ac: usize,
    pr: usize,
    ui: usize,
    changed: bool,
    c: usize,
    i: usize,
    a: usize,
}

impl Metrics {
    fn exploitability(&self) -> f64 {
        let pr = if self.changed {
            PR_CHANGED_W
        } else {
            PR_UNCHANGED_W
        };
        8.22 * weight(&AV_W, self.av)
            * weight(&AC_W, self.ac)
            * weight(&pr, self.pr)
            * weight(&UI_W, self.ui)
    }

    /// `Roundup(Minimum[(Impact + Exploitability), 10])`, times 1.08 for a changed scope; 0 when
    /// the impact is not positive.
    fn score(&self, impact: f64) -> f64 {
        if impact <= 0.0 {
            return 0.0;
        }
        let sum = impact + self.exploitability();
        if self.changed {
            roundup((1.08 * sum).min(10.0))
        } else {
            roundup(sum.min(10.0))
        }
    }
}

pub(super) fn score(version: CvssVersion, body: &str) -> Result<Cvss, CvssError> {
    let f = Fields::parse(version, &METRICS, body)?;
    let base = Metrics {
        av: f.get(AV),
        ac: f.get(AC),
        pr: f.get(PR),
        ui: f.get(UI),
        changed: f.get(S) == 1,
        c: f.get(C),
        i: f.get(I),
        a: f.get(A),
    };

    let iss = 1.0
        - (1.0 - weight(&IMPACT_W, base.c))
            * (1.0 - weight(&IMPACT_W, base.i))
            * (1.0 - weight(&IMPACT_W, base.a));
    let impact = if base.changed {
        7.52 * (iss - 0.029) - 3.25 * (iss - 0.02).powf(15.0)
    } else {
        6.42 * iss
    };
    let base_score = base.score(impact);

    let temporal = |score: f64| {
        roundup(
            score * weight(&E_W, f.get(E)) * weight(&RL_W, f.get(RL)) * weight(&RC_W, f.get(RC)),
        )
    };
    let temporal_score = f.any_defined(&TEMPORAL).then(|| temporal(base_score));

    let environmental_score = f.any_defined(&ENVIRONMENTAL).then(|| {
        // A modified metric left at X takes its base metric's value.
        let modified = |m: usize, b: usize| match f.get(m) {
            0 => f.get(b),
            i => i - 1,
        };
        let env = Metrics {
            av: modified(MAV, AV),
            ac: modified(MAC, AC),
            pr: modified(MPR, PR),
            ui: modified(MUI, UI),
            changed: modified(MS, S) == 1,
            c: modified(MC, C),
            i: modified(MI, I),
            a: modified(MA, A),
        };
        let miss = (1.0
            - (1.0 - weight(&IMPACT_W, env.c) * weight(&REQUIREMENT_W, f.get(CR)))
                * (1.0 - weight(&IMPACT_W, env.i) * weight(&REQUIREMENT_W, f.get(IR)))
                * (1.0 - weight(&IMPACT_W, env.a) * weight(&REQUIREMENT_W, f.get(AR))))
        .min(0.915);
        let modified_impact = match (env.changed, version) {
            (false, _) => 6.42 * miss,
            (true, CvssVersion::V3_0) => 7.52 * (miss - 0.029) - 3.25 * (miss - 0.02).powf(15.0),
            (true, _) => 7.52 * (miss - 0.029) - 3.25 * (miss * 0.9731 - 0.02).powf(13.0),
        };
        temporal(env.score(modified_impact))
    });

    Ok(Cvss {
        version,
        vector: format!("CVSS:{version}/{}", f.canonical()),
        base_score,
        severity: Rating::from_score(version, base_score),
        temporal_score,
        environmental_score,
    })
}

fn weight(weights: &[f64], index: usize) -> f64 {
    weights.get(index).copied().unwrap_or(0.0)
}

/// CVSS 3.1 Appendix A: the smallest number with one decimal that is at least `x`, computed on
/// `x` rounded to five decimals so that binary error (4.000000000000001) does not round up.
pub(super) fn roundup(x: f64) -> f64 {
    let int_input = (x * 100_000.0).round() as i64;
    if int_input % 10_000 == 0 {
        int_input as f64 / 100_000.0
    } else {
        (int_input / 10_000 + 1) as f64 / 10.0
    }
}
