//! CVSS v4.0 (FIRST's specification document and its reference calculator).
//!
//! A v4 score is not a formula over weights. The metrics fall into six equivalence classes
//! (EQ1–EQ6) whose levels form a *macrovector*; experts scored every macrovector (the table
//! below). A vector's score is its macrovector's score lowered towards the next lower
//! macrovectors in proportion to how far the vector is, in severity steps, from the highest
//! vectors of its own macrovector. This mirrors the calculator step by step, in the same
//! floating point operations, so that scores agree to the last decimal.

use super::{
    mandatory, optional, round_half_up_1, Cvss, CvssError, CvssVersion, Fields, Metric, Rating,
};

const AV: usize = 0;
const AC: usize = 1;
const AT: usize = 2;
const PR: usize = 3;
const UI: usize = 4;
const VC: usize = 5;
const VI: usize = 6;
const VA: usize = 7;
const SC: usize = 8;
const SI: usize = 9;
const SA: usize = 10;
const E: usize = 11;
const CR: usize = 12;
const IR: usize = 13;
const AR: usize = 14;
const MAV: usize = 15;
const MAC: usize = 16;
const MAT: usize = 17;
const MPR: usize = 18;
const MUI: usize = 19;
const MVC: usize = 20;
const MVI: usize = 21;
const MVA: usize = 22;
const MSC: usize = 23;
const MSI: usize = 24;
const MSA: usize = 25;

const ENVIRONMENTAL: [usize; 14] = [
    CR, IR, AR, MAV, MAC, MAT, MPR, MUI, MVC, MVI, MVA, MSC, MSI, MSA,
];

const IMPACT: &[&str] = &["H", "L", "N"];
const MODIFIED_IMPACT: &[&str] = &["X", "H", "L", "N"];
const MODIFIED_SUBSEQUENT: &[&str] = &["X", "S", "H", "L", "N"];
const REQUIREMENT: &[&str] = &["X", "H", "M", "L"];

// Specification order; supplemental metrics (Safety onwards) are validated and kept in the
// vector but do not change the score.
static METRICS: [Metric; 32] = [
    mandatory("AV", &["N", "A", "L", "P"]),
    mandatory("AC", &["L", "H"]),
    mandatory("AT", &["N", "P"]),
    mandatory("PR", &["N", "L", "H"]),
    mandatory("UI", &["N", "P", "A"]),
    mandatory("VC", IMPACT),
    mandatory("VI", IMPACT),
    mandatory("VA", IMPACT),
    mandatory("SC", IMPACT),
    mandatory("SI", IMPACT),
    mandatory("SA", IMPACT),
    optional("E", &["X", "A", "P", "U"]),
    optional("CR", REQUIREMENT),
    optional("IR", REQUIREMENT),
    optional("AR", REQUIREMENT),
    optional("MAV", &["X", "N", "A", "L", "P"]),
    optional("MAC", &["X", "L", "H"]),
    optional("MAT", &["X", "N", "P"]),
    optional("MPR", &["X", "N", "L", "H"]),
    optional("MUI", &["X", "N", "P", "A"]),
    optional("MVC", MODIFIED_IMPACT),
    optional("MVI", MODIFIED_IMPACT),
    optional("MVA", MODIFIED_IMPACT),
    optional("MSC", MODIFIED_IMPACT),
    optional("MSI", MODIFIED_SUBSEQUENT),
    optional("MSA", MODIFIED_SUBSEQUENT),
    optional("S", &["X", "N", "P"]),
    optional("AU", &["X", "N", "Y"]),
    optional("R", &["X", "A", "U", "I"]),
    optional("V", &["X", "D", "C"]),
    optional("RE", &["X", "L", "M", "H"]),
    optional("U", &["X", "Clear", "Green", "Amber", "Red"]),
];

pub(super) fn score(body: &str) -> Result<Cvss, CvssError> {
    let version = CvssVersion::V4_0;
    let f = Fields::parse(version, &METRICS, body)?;
    let threat = f.any_defined(&[E]);
    let environmental = f.any_defined(&ENVIRONMENTAL);

    let base_score = score_of(&Values::of(&f, false, false));
    let temporal_score = threat.then(|| score_of(&Values::of(&f, true, false)));
    let environmental_score = environmental.then(|| score_of(&Values::of(&f, threat, true)));

    Ok(Cvss {
        version,
        vector: format!("CVSS:4.0/{}", f.canonical()),
        base_score,
        severity: Rating::from_score(version, base_score),
        temporal_score,
        environmental_score,
    })
}

/// The value of each metric that scoring reads, as its letter: the modified metric where one is
/// set, Attacked for an undefined Exploit Maturity, High for undefined requirements.
struct Values {
    av: u8,
    ac: u8,
    at: u8,
    pr: u8,
    ui: u8,
    vc: u8,
    vi: u8,
    va: u8,
    sc: u8,
    si: u8,
    sa: u8,
    e: u8,
    cr: u8,
    ir: u8,
    ar: u8,
}

impl Values {
    /// The values with threat metrics (`threat`) and environmental metrics (`environmental`)
    /// applied or left at their defaults.
    fn of(f: &Fields, threat: bool, environmental: bool) -> Values {
        let letter = |slot: usize| f.value(slot).bytes().next().unwrap_or(b'X');
        let pick = |slot: usize, base: u8, on: bool| match letter(slot) {
            b'X' => base,
            value if on => value,
            _ => base,
        };
        let modified = |m: usize, b: usize| pick(m, letter(b), environmental);
        Values {
            av: modified(MAV, AV),
            ac: modified(MAC, AC),
            at: modified(MAT, AT),
            pr: modified(MPR, PR),
            ui: modified(MUI, UI),
            vc: modified(MVC, VC),
            vi: modified(MVI, VI),
            va: modified(MVA, VA),
            sc: modified(MSC, SC),
            si: modified(MSI, SI),
            sa: modified(MSA, SA),
            e: pick(E, b'A', threat),
            cr: pick(CR, b'H', environmental),
            ir: pick(IR, b'H', environmental),
            ar: pick(AR, b'H', environmental),
        }
    }

    /// The macrovector: the level of each equivalence class, 0 the most severe.
    fn macrovector(&self) -> [u8; 6] {
        let eq1 = if self.av == b'N' && self.pr == b'N' && self.ui == b'N' {
            0
        } else if (self.av == b'N' || self.pr == b'N' || self.ui == b'N') && self.av != b'P' {
            1
        } else {
            2
        };
        let eq2 = if self.ac == b'L' && self.at == b'N' {
            0
        } else {
            1
        };
        let eq3 = if self.vc == b'H' && self.vi == b'H' {
            0
        } else if self.vc == b'H' || self.vi == b'H' || self.va == b'H' {
            1
        } else {
            2
        };
        let eq4 = if self.si == b'S' || self.sa == b'S' {
            0
        } else if self.sc == b'H' || self.si == b'H' || self.sa == b'H' {
            1
        } else {
            2
        };
        let eq5 = match self.e {
            b'P' => 1,
            b'U' => 2,
            _ => 0,
        };
        let eq6 = if (self.cr == b'H' && self.vc == b'H')
            || (self.ir == b'H' && self.vi == b'H')
            || (self.ar == b'H' && self.va == b'H')
        {
            0
        } else {
            1
        };
        [eq1, eq2, eq3, eq4, eq5, eq6]
    }
}

/// The score of `v`, as FIRST's calculator computes it.
fn score_of(v: &Values) -> f64 {
    if [v.vc, v.vi, v.va, v.sc, v.si, v.sa]
        .iter()
        .all(|&x| x == b'N')
    {
        return 0.0;
    }
    let mv = v.macrovector();
    let [eq1, eq2, eq3, eq4, _, eq6] = mv;
    let Some(value) = lookup(mv) else {
        // Every reachable macrovector is in the table; this is only a guard.
        return 0.0;
    };
    let lower = |class: usize| {
        let mut next = mv;
        next[class] += 1;
        lookup(next).unwrap_or(f64::NAN)
    };

    // EQ3 and EQ6 are scored jointly: their next lower macrovector moves one of them, or, from
    // (0, 0), whichever of the two scores higher.
    let score_eq3eq6_next = match (eq3, eq6) {
        (0, 0) => {
            let left = lower(5);
            let right = lower(2);
            if right > left {
                right
            } else {
                left
            }
        }
        (1, 0) => lower(5),
        (0 | 1, 1) => lower(2),
        _ => {
            let mut next = mv;
            next[2] += 1;
            next[5] += 1;
            lookup(next).unwrap_or(f64::NAN)
        }
    };

    // The first of the highest vectors of the macrovector from which `v` is nowhere more severe;
    // as in the calculator, the last one tried if none qualifies.
    let mut d = Distances::default();
    'search: for eq1_max in MAX_EQ1[usize::from(eq1)] {
        for eq2_max in MAX_EQ2[usize::from(eq2)] {
            for eq3eq6_max in max_eq3eq6(eq3, eq6) {
                for eq4_max in MAX_EQ4[usize::from(eq4)] {
                    d = Distances::between(v, eq1_max, eq2_max, eq3eq6_max, eq4_max);
                    if d.all_non_negative() {
                        break 'search;
                    }
                }
            }
        }
    }

    let current_eq1 = d.av + d.pr + d.ui;
    let current_eq2 = d.ac + d.at;
    let current_eq3eq6 = d.vc + d.vi + d.va + d.cr + d.ir + d.ar;
    let current_eq4 = d.sc + d.si + d.sa;

    let step = 0.1;
    let available_eq1 = value - lower(0);
    let available_eq2 = value - lower(1);
    let available_eq3eq6 = value - score_eq3eq6_next;
    let available_eq4 = value - lower(3);
    let available_eq5 = value - lower(4);

    let max_severity_eq1 = f64::from(MAX_SEVERITY_EQ1[usize::from(eq1)]) * step;
    let max_severity_eq2 = f64::from(MAX_SEVERITY_EQ2[usize::from(eq2)]) * step;
    let max_severity_eq3eq6 = f64::from(max_severity_eq3eq6(eq3, eq6)) * step;
    let max_severity_eq4 = f64::from(MAX_SEVERITY_EQ4[usize::from(eq4)]) * step;

    // Classes with no lower macrovector (NaN above) take no part in the mean. EQ5 is a single
    // metric, so every vector of its class is at distance 0 from the highest: it counts in the
    // mean with nothing to add.
    let mut n_existing_lower = 0u32;
    let mut sum = 0.0;
    let classes = [
        (available_eq1, current_eq1, max_severity_eq1),
        (available_eq2, current_eq2, max_severity_eq2),
        (available_eq3eq6, current_eq3eq6, max_severity_eq3eq6),
        (available_eq4, current_eq4, max_severity_eq4),
    ];
    for (available, current, max_severity) in classes {
        if available >= 0.0 {
            n_existing_lower += 1;
            sum += available * (current / max_severity);
        }
    }
    if available_eq5 >= 0.0 {
        n_existing_lower += 1;
    }
    let mean_distance = if n_existing_lower == 0 {
        0.0
    } else {
        sum / f64::from(n_existing_lower)
    };

    let value = (value - mean_distance).clamp(0.0, 10.0);
    // The calculator adds 1e-6 so that values like 8.6 - 7.15 = 1.4499999999999993 round to 1.5.
    round_half_up_1(value + 1e-6)
}

/// Severity distances of each metric from a highest vector: positive when `v` is less severe.
#[derive(Default)]
struct Distances {
    av: f64,
    pr: f64,
    ui: f64,
    ac: f64,
    at: f64,
    vc: f64,
    vi: f64,
    va: f64,
    sc: f64,
    si: f64,
    sa: f64,
    cr: f64,
    ir: f64,
    ar: f64,
}

impl Distances {
    fn between(v: &Values, eq1: &[u8; 3], eq2: &[u8; 2], eq3eq6: &[u8; 6], eq4: &[u8; 3]) -> Self {
        let [av, pr, ui] = *eq1;
        let [ac, at] = *eq2;
        let [vc, vi, va, cr, ir, ar] = *eq3eq6;
        let [sc, si, sa] = *eq4;
        Distances {
            av: level_av(v.av) - level_av(av),
            pr: level_pr(v.pr) - level_pr(pr),
            ui: level_ui(v.ui) - level_ui(ui),
            ac: level_ac(v.ac) - level_ac(ac),
            at: level_at(v.at) - level_at(at),
            vc: level_impact(v.vc) - level_impact(vc),
            vi: level_impact(v.vi) - level_impact(vi),
            va: level_impact(v.va) - level_impact(va),
            sc: level_subsequent(v.sc) - level_subsequent(sc),
            si: level_subsequent(v.si) - level_subsequent(si),
            sa: level_subsequent(v.sa) - level_subsequent(sa),
            cr: level_requirement(v.cr) - level_requirement(cr),
            ir: level_requirement(v.ir) - level_requirement(ir),
            ar: level_requirement(v.ar) - level_requirement(ar),
        }
    }

    fn all_non_negative(&self) -> bool {
        [
            self.av, self.pr, self.ui, self.ac, self.at, self.vc, self.vi, self.va, self.sc,
            self.si, self.sa, self.cr, self.ir, self.ar,
        ]
        .iter()
        .all(|&d| d >= 0.0)
    }
}

// Severity levels of metric values, in steps of 0.1 from the most severe.
fn level_av(v: u8) -> f64 {
    match v {
        b'A' => 0.1,
        b'L' => 0.2,
        b'P' => 0.3,
        _ => 0.0,
    }
}

fn level_pr(v: u8) -> f64 {
    match v {
        b'L' => 0.1,
        b'H' => 0.2,
        _ => 0.0,
    }
}

fn level_ui(v: u8) -> f64 {
    match v {
        b'P' => 0.1,
        b'A' => 0.2,
        _ => 0.0,
    }
}

fn level_ac(v: u8) -> f64 {
    if v == b'H' {
        0.1
    } else {
        0.0
    }
}

fn level_at(v: u8) -> f64 {
    if v == b'P' {
        0.1
    } else {
        0.0
    }
}

fn level_impact(v: u8) -> f64 {
    match v {
        b'L' => 0.1,
        b'N' => 0.2,
        _ => 0.0,
    }
}

/// Subsequent-system impact; Safety (only through MSI and MSA) is above High.
fn level_subsequent(v: u8) -> f64 {
    match v {
        b'S' => 0.0,
        b'H' => 0.1,
        b'L' => 0.2,
        _ => 0.3,
    }
}

fn level_requirement(v: u8) -> f64 {
    match v {
        b'M' => 0.1,
        b'L' => 0.2,
        _ => 0.0,
    }
}

// The highest vectors of each level of each class (FIRST calculator's `max_composed.js`).
/// EQ1: (AV, PR, UI).
const MAX_EQ1: [&[[u8; 3]]; 3] = [
    &[*b"NNN"],
    &[*b"ANN", *b"NLN", *b"NNP"],
    &[*b"PNN", *b"ALP"],
];
/// EQ2: (AC, AT).
const MAX_EQ2: [&[[u8; 2]]; 2] = [&[*b"LN"], &[*b"HN", *b"LP"]];
/// EQ4: (SC, SI, SA).
const MAX_EQ4: [&[[u8; 3]]; 3] = [&[*b"HSS"], &[*b"HHH"], &[*b"LLL"]];

/// EQ3 and EQ6 together: (VC, VI, VA, CR, IR, AR).
fn max_eq3eq6(eq3: u8, eq6: u8) -> &'static [[u8; 6]] {
    const L00: &[[u8; 6]] = &[*b"HHHHHH"];
    const L01: &[[u8; 6]] = &[*b"HHLMMH", *b"HHHMMM"];
    const L10: &[[u8; 6]] = &[*b"LHHHHH", *b"HLHHHH"];
    const L11: &[[u8; 6]] = &[*b"LHLHMH", *b"LHHHMM", *b"HLHMHM", *b"HLLMHH", *b"LLHHHM"];
    const L21: &[[u8; 6]] = &[*b"LLLHHH"];
    match (eq3, eq6) {
        (0, 0) => L00,
        (0, 1) => L01,
        (1, 0) => L10,
        (1, 1) => L11,
        (2, 1) => L21,
        _ => &[],
    }
}

// The number of severity steps from the highest to the lowest vector of each level
// (`max_severity.js`).
const MAX_SEVERITY_EQ1: [u8; 3] = [1, 4, 5];
const MAX_SEVERITY_EQ2: [u8; 2] = [1, 2];
const MAX_SEVERITY_EQ4: [u8; 3] = [6, 5, 4];

fn max_severity_eq3eq6(eq3: u8, eq6: u8) -> u8 {
    match (eq3, eq6) {
        (0, 0) => 7,
        (0, 1) => 6,
        (1, _) => 8,
        _ => 10,
    }
}

/// The score of a macrovector, `None` for levels out of range or the impossible EQ3 2 with
/// EQ6 0.
fn lookup(mv: [u8; 6]) -> Option<f64> {
    let [eq1, eq2, eq3, eq4, eq5, eq6] = mv.map(usize::from);
    if eq1 > 2 || eq2 > 1 || eq3 > 2 || eq4 > 2 || eq5 > 2 || eq6 > 1 {
        return None;
    }
    let index = ((((eq1 * 2 + eq2) * 3 + eq3) * 3 + eq4) * 3 + eq5) * 2 + eq6;
    MACROVECTOR_SCORES
        .get(index)
        .copied()
        .filter(|score| !score.is_nan())
}

/// The expert scores of the 270 macrovectors (`cvss_lookup.js`), indexed by
/// EQ1 EQ2 EQ3 EQ4 EQ5 EQ6; each row is one EQ1 EQ2 EQ3 EQ4 with EQ5 EQ6 = 00 01 10 11 20 21.
#[rustfmt::skip]
const MACROVECTOR_SCORES: [f64; 324] = [
    10.0, 9.9, 9.8, 9.5, 9.5, 9.2, // 0000..
    10.0, 9.6, 9.3, 8.7, 9.1, 8.1, // 0001..
    9.3, 9.0, 8.9, 8.0, 8.1, 6.8, // 0002..
    9.8, 9.5, 9.5, 9.2, 9.0, 8.4, // 0010..
    9.3, 9.2, 8.9, 8.1, 8.1, 6.5, // 0011..
    8.8, 8.0, 7.8, 7.0, 6.9, 4.8, // 0012..
    f64::NAN, 9.2, f64::NAN, 8.2, f64::NAN, 7.2, // 0020..
    f64::NAN, 7.9, f64::NAN, 6.9, f64::NAN, 5.0, // 0021..
    f64::NAN, 6.9, f64::NAN, 5.5, f64::NAN, 2.7, // 0022..
    9.9, 9.7, 9.5, 9.2, 9.2, 8.5, // 0100..
    9.5, 9.1, 9.0, 8.3, 8.4, 7.1, // 0101..
    9.2, 8.1, 8.2, 7.1, 7.2, 5.3, // 0102..
    9.5, 9.3, 9.2, 8.5, 8.5, 7.3, // 0110..
    9.2, 8.2, 8.0, 7.2, 7.0, 5.9, // 0111..
    8.4, 7.0, 7.1, 5.2, 5.0, 3.0, // 0112..
    f64::NAN, 8.6, f64::NAN, 7.5, f64::NAN, 5.2, // 0120..
    f64::NAN, 7.1, f64::NAN, 5.2, f64::NAN, 2.9, // 0121..
    f64::NAN, 6.3, f64::NAN, 2.9, f64::NAN, 1.7, // 0122..
    9.8, 9.5, 9.4, 8.7, 9.1, 8.1, // 1000..
    9.4, 8.9, 8.6, 7.4, 7.7, 6.4, // 1001..
    8.7, 7.5, 7.4, 6.3, 6.3, 4.9, // 1002..
    9.4, 8.9, 8.8, 7.7, 7.6, 6.7, // 1010..
    8.6, 7.6, 7.4, 5.8, 5.9, 5.0, // 1011..
    7.2, 5.7, 5.7, 5.2, 5.2, 2.5, // 1012..
    f64::NAN, 8.3, f64::NAN, 7.0, f64::NAN, 5.4, // 1020..
    f64::NAN, 6.5, f64::NAN, 5.8, f64::NAN, 2.6, // 1021..
    f64::NAN, 5.3, f64::NAN, 2.1, f64::NAN, 1.3, // 1022..
    9.5, 9.0, 8.8, 7.6, 7.6, 7.0, // 1100..
    9.0, 7.7, 7.5, 6.2, 6.1, 5.3, // 1101..
    7.7, 6.6, 6.8, 5.9, 5.2, 3.0, // 1102..
    8.9, 7.8, 7.6, 6.7, 6.2, 5.8, // 1110..
    7.4, 5.9, 5.7, 5.7, 4.7, 2.3, // 1111..
    6.1, 5.2, 5.7, 2.9, 2.4, 1.6, // 1112..
    f64::NAN, 7.1, f64::NAN, 5.9, f64::NAN, 3.0, // 1120..
    f64::NAN, 5.8, f64::NAN, 2.6, f64::NAN, 1.5, // 1121..
    f64::NAN, 2.3, f64::NAN, 1.3, f64::NAN, 0.6, // 1122..
    9.3, 8.7, 8.6, 7.2, 7.5, 5.8, // 2000..
    8.6, 7.4, 7.4, 6.1, 5.6, 3.4, // 2001..
    7.0, 5.4, 5.2, 4.0, 4.0, 2.2, // 2002..
    8.5, 7.5, 7.4, 5.5, 6.2, 5.1, // 2010..
    7.2, 5.7, 5.5, 4.1, 4.6, 1.9, // 2011..
    5.3, 3.6, 3.4, 1.9, 1.9, 0.8, // 2012..
    f64::NAN, 6.4, f64::NAN, 5.1, f64::NAN, 2.0, // 2020..
    f64::NAN, 4.7, f64::NAN, 2.1, f64::NAN, 1.1, // 2021..
    f64::NAN, 2.4, f64::NAN, 0.9, f64::NAN, 0.4, // 2022..
    8.8, 7.5, 7.3, 5.3, 6.0, 5.0, // 2100..
    7.3, 5.5, 5.9, 4.0, 4.1, 2.0, // 2101..
    5.4, 4.3, 4.5, 2.2, 2.0, 1.1, // 2102..
    7.5, 5.5, 5.8, 4.5, 4.0, 2.1, // 2110..
    6.1, 5.1, 4.8, 1.8, 2.0, 0.9, // 2111..
    4.6, 1.8, 1.7, 0.7, 0.8, 0.2, // 2112..
    f64::NAN, 5.3, f64::NAN, 2.4, f64::NAN, 1.4, // 2120..
    f64::NAN, 2.4, f64::NAN, 1.2, f64::NAN, 0.5, // 2121..
    f64::NAN, 1.0, f64::NAN, 0.3, f64::NAN, 0.1, // 2122..
];
