use super::*;

fn score(vector: &str) -> Cvss {
    parse(vector).unwrap_or_else(|e| panic!("{vector}: {e}"))
}

fn error(vector: &str) -> CvssError {
    match parse(vector) {
        Ok(cvss) => panic!("{vector} parsed as {cvss:?}"),
        Err(e) => e,
    }
}

const V31: &str = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
const V40: &str = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";
const V2: &str = "AV:N/AC:L/Au:N/C:P/I:P/A:P";

#[test]
fn versions_and_base_scores() {
    let cases = [
        (V2, CvssVersion::V2, 7.5, Rating::High),
        (
            "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            CvssVersion::V3_0,
            9.8,
            Rating::Critical,
        ),
        (V31, CvssVersion::V3_1, 9.8, Rating::Critical),
        (V40, CvssVersion::V4_0, 9.3, Rating::Critical),
        (
            "CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
            CvssVersion::V4_0,
            7.3,
            Rating::High,
        ),
    ];
    for (vector, version, base, rating) in cases {
        let cvss = score(vector);
        assert_eq!(cvss.version, version, "{vector}");
        assert_eq!(cvss.base_score, base, "{vector}");
        assert_eq!(cvss.rating(), rating, "{vector}");
        assert_eq!(cvss.score(), base, "{vector}");
        assert_eq!(cvss.temporal_score, None, "{vector}");
        assert_eq!(cvss.environmental_score, None, "{vector}");
    }
}

#[test]
fn empty_vectors() {
    assert_eq!(error(""), CvssError::Empty);
    assert_eq!(error("  \t\n"), CvssError::Empty);
}

#[test]
fn bad_prefixes() {
    assert_eq!(
        error("CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
        CvssError::BadPrefix("CVSS:3.2".into())
    );
    assert_eq!(error("CVSS:5.0"), CvssError::BadPrefix("CVSS:5.0".into()));
    // Prefixes are case-sensitive, like every part of a vector.
    assert_eq!(
        error("cvss:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
        CvssError::BadPrefix("cvss:3.1".into())
    );
    // A v3 vector that lost its prefix is not mistaken for a broken v2 vector.
    assert_eq!(
        error("AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
        CvssError::BadPrefix("AV:N".into())
    );
}

#[test]
fn malformed_fields() {
    let version = CvssVersion::V3_1;
    let malformed = |field: &str| CvssError::MalformedField {
        version,
        field: field.into(),
    };
    assert_eq!(error(&format!("{V31}/")), malformed(""));
    assert_eq!(
        error("CVSS:3.1/AV:N//AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
        malformed("")
    );
    assert_eq!(error(&format!("{V31}/E")), malformed("E"));
    assert_eq!(error(&format!("{V31}/E:F:X")), malformed("E:F:X"));
    assert_eq!(error(&format!("{V31}/:F")), malformed(":F"));
}

#[test]
fn unknown_metrics() {
    assert_eq!(
        error(&format!("{V31}/XX:Y")),
        CvssError::UnknownMetric {
            version: CvssVersion::V3_1,
            metric: "XX".into()
        }
    );
    // v4 metrics in a v3 vector, v3 metrics in a v4 vector, lowercase names.
    assert_eq!(
        error(&format!("{V31}/AT:N")),
        CvssError::UnknownMetric {
            version: CvssVersion::V3_1,
            metric: "AT".into()
        }
    );
    assert_eq!(
        error(&format!("{V40}/RL:O")),
        CvssError::UnknownMetric {
            version: CvssVersion::V4_0,
            metric: "RL".into()
        }
    );
    assert_eq!(
        error("av:N/AC:L/Au:N/C:P/I:P/A:P"),
        CvssError::UnknownMetric {
            version: CvssVersion::V2,
            metric: "av".into()
        }
    );
}

#[test]
fn bad_values() {
    let bad = |version, metric, value: &str| CvssError::BadValue {
        version,
        metric,
        value: value.into(),
    };
    assert_eq!(
        error("CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
        bad(CvssVersion::V3_1, "AV", "Q")
    );
    assert_eq!(
        error("CVSS:3.1/AV:n/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
        bad(CvssVersion::V3_1, "AV", "n")
    );
    // Not Defined is only a value of optional metrics.
    assert_eq!(
        error("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
        bad(CvssVersion::V3_1, "AV", "X")
    );
    assert_eq!(
        error("AV:N/AC:L/Au:N/C:P/I:P/A:ND"),
        bad(CvssVersion::V2, "A", "ND")
    );
    // Safety exists only for the modified subsequent integrity and availability.
    assert_eq!(
        error("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N"),
        bad(CvssVersion::V4_0, "SI", "S")
    );
    assert_eq!(
        error(&format!("{V40}/MSC:S")),
        bad(CvssVersion::V4_0, "MSC", "S")
    );
    assert_eq!(
        error(&format!("{V40}/U:red")),
        bad(CvssVersion::V4_0, "U", "red")
    );
    assert_eq!(error(&format!("{V40}/E:")), bad(CvssVersion::V4_0, "E", ""));
}

#[test]
fn duplicate_metrics() {
    assert_eq!(
        error(&format!("{V31}/AV:L")),
        CvssError::DuplicateMetric {
            version: CvssVersion::V3_1,
            metric: "AV"
        }
    );
    // Even with the same value, and for optional metrics.
    assert_eq!(
        error(&format!("{V40}/E:A/E:A")),
        CvssError::DuplicateMetric {
            version: CvssVersion::V4_0,
            metric: "E"
        }
    );
    assert_eq!(
        error(&format!("{V2}/E:F/E:ND")),
        CvssError::DuplicateMetric {
            version: CvssVersion::V2,
            metric: "E"
        }
    );
}

#[test]
fn missing_metrics_are_all_named() {
    assert_eq!(
        error("CVSS:3.1/AV:N/AC:L/UI:N/C:H/I:H/A:H"),
        CvssError::MissingMetric {
            version: CvssVersion::V3_1,
            metrics: vec!["PR", "S"]
        }
    );
    for vector in ["CVSS:4.0", "CVSS:4.0/"] {
        let CvssError::MissingMetric { metrics, .. } = error(vector) else {
            panic!("{vector}: expected missing metrics");
        };
        assert_eq!(
            metrics,
            ["AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA"]
        );
    }
    assert_eq!(
        error("AV:N/AC:L/Au:N/C:P/I:P"),
        CvssError::MissingMetric {
            version: CvssVersion::V2,
            metrics: vec!["A"]
        }
    );
    assert_eq!(
        error("CVSS:3.1/E:F/RL:O"),
        CvssError::MissingMetric {
            version: CvssVersion::V3_1,
            metrics: vec!["AV", "AC", "PR", "UI", "S", "C", "I", "A"]
        }
    );
}

#[test]
fn errors_read_well_and_stay_short() {
    let message = error("CVSS:3.1/AV:N/AC:L/UI:N/C:H/I:H/A:H").to_string();
    assert_eq!(
        message,
        "missing mandatory metric(s) PR, S in CVSS 3.1 vector"
    );
    let long = format!("{V31}/{}:X", "é".repeat(10_000));
    let message = error(&long).to_string();
    assert!(message.len() < 300, "{message}");
}

#[test]
fn no_impact_scores_zero() {
    for (vector, rating) in [
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", Rating::None),
        ("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:N/A:N", Rating::None),
        (
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N",
            Rating::None,
        ),
        // v2 has no None rating; NVD rates 0.0 Low.
        ("AV:N/AC:L/Au:N/C:N/I:N/A:N", Rating::Low),
    ] {
        let cvss = score(vector);
        assert_eq!(cvss.base_score, 0.0, "{vector}");
        assert_eq!(cvss.severity, rating, "{vector}");
    }
    // Environmental metrics that remove every impact.
    let cvss = score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H/MC:N/MI:N/MA:N");
    assert_eq!(cvss.base_score, 10.0);
    assert_eq!(cvss.environmental_score, Some(0.0));
    let cvss = score(&format!("{V40}/MVC:N/MVI:N/MVA:N"));
    assert_eq!(cvss.base_score, 9.3);
    assert_eq!(cvss.environmental_score, Some(0.0));
    assert_eq!(cvss.score_rating(), Rating::None);
}

#[test]
fn scope_changed() {
    // Changed scope raises PR weights and multiplies by 1.08 before rounding up.
    assert_eq!(
        score("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N").base_score,
        6.4
    );
    assert_eq!(
        score("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:N").base_score,
        5.4
    );
    assert_eq!(
        score("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N").base_score,
        6.1
    );
    // Capped at 10 after the multiplication.
    assert_eq!(
        score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H").base_score,
        10.0
    );
    assert_eq!(
        score("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H").base_score,
        9.9
    );
    // 3.0 and 3.1 differ in the modified impact of a changed scope.
    let env = "AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H/CR:H/IR:H/AR:H";
    assert_eq!(
        score(&format!("CVSS:3.0/{env}")).environmental_score,
        Some(10.0)
    );
    assert_eq!(
        score(&format!("CVSS:3.1/{env}")).environmental_score,
        Some(10.0)
    );
    let env = "AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H/CR:M/IR:M/AR:M";
    assert_eq!(
        score(&format!("CVSS:3.0/{env}")).environmental_score,
        Some(9.9)
    );
    assert_eq!(
        score(&format!("CVSS:3.1/{env}")).environmental_score,
        Some(10.0)
    );
}

#[test]
fn roundup_is_the_exact_ceiling() {
    assert_eq!(v3::roundup(4.0), 4.0);
    assert_eq!(v3::roundup(4.000000000000001), 4.0);
    assert_eq!(v3::roundup(4.02), 4.1);
    assert_eq!(v3::roundup(4.00001), 4.1);
    assert_eq!(v3::roundup(9.999999999999998), 10.0);
    // 5.0 * 0.92 is 4.6000000000000005 in binary; FIRST's v3.0 calculator shows 4.7, the
    // specification's exact arithmetic 4.6.
    let cvss = score("CVSS:3.0/AV:P/AC:H/PR:L/UI:N/S:C/C:L/I:L/A:N/E:H/RC:U/IR:L/AR:M/MPR:N/MUI:N/MS:U/MC:H/MI:H");
    assert_eq!(cvss.environmental_score, Some(4.6));
}

#[test]
fn half_up_rounding_is_decided_by_the_decimal_value() {
    assert_eq!(round_half_up_1(0.05), 0.1); // 0.05000000000000000277
    assert_eq!(round_half_up_1(1.45), 1.4); // 1.4499999999999999556
    assert_eq!(round_half_up_1(0.25), 0.3); // exact half
    assert_eq!(round_half_up_1(1.4499999999999993 + 1e-6), 1.5);
    assert_eq!(round_half_up_1(9.95), 9.9); // 9.9499999999999992895
    assert_eq!(round_half_up_1(10.0), 10.0);
    assert_eq!(round_half_up_1(0.0), 0.0);
    assert_eq!(round_half_up_1(-1.0), 0.0);
    assert_eq!(round_half_up_1(f64::NAN), 0.0);
    assert_eq!(round_half_up_1(f64::MIN_POSITIVE), 0.0);
    assert_eq!(round_half_up_1(5e-324), 0.0);
}

#[test]
fn v2_temporal_and_environmental() {
    // The worked examples of the CVSS v2 guide, section 3.3.
    let cvss = score("AV:N/AC:L/Au:N/C:N/I:N/A:C/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:H");
    assert_eq!(
        (
            cvss.base_score,
            cvss.temporal_score,
            cvss.environmental_score
        ),
        (7.8, Some(6.4), Some(9.2))
    );
    let cvss = score("AV:L/AC:H/Au:N/C:C/I:C/A:C/E:POC/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:M");
    assert_eq!(
        (
            cvss.base_score,
            cvss.temporal_score,
            cvss.environmental_score
        ),
        (6.2, Some(4.9), Some(7.5))
    );
    // Not Defined everywhere is no temporal or environmental score at all.
    let cvss = score(&format!(
        "{V2}/E:ND/RL:ND/RC:ND/CDP:ND/TD:ND/CR:ND/IR:ND/AR:ND"
    ));
    assert_eq!(
        (cvss.temporal_score, cvss.environmental_score),
        (None, None)
    );
    assert_eq!(cvss.vector, V2);
    // An optional CVSS:2.0 prefix.
    let cvss = score(&format!("CVSS:2.0/{V2}"));
    assert_eq!((cvss.version, cvss.vector.as_str()), (CvssVersion::V2, V2));
}

#[test]
fn v3_temporal_and_environmental() {
    let cvss = score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:U");
    assert_eq!(cvss.base_score, 9.8);
    assert_eq!(cvss.temporal_score, Some(7.8));
    assert_eq!(cvss.environmental_score, None);
    assert_eq!(cvss.score(), 7.8);
    let cvss = score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/MAV:L/CR:L/IR:L/AR:L");
    assert_eq!(cvss.temporal_score, None);
    assert_eq!(cvss.environmental_score, Some(6.6));
    assert_eq!(cvss.score_rating(), Rating::Medium);
    assert_eq!(cvss.nomenclature(), None);
}

#[test]
fn v4_threat_environmental_and_supplemental() {
    let cvss = score(&format!("{V40}/E:U"));
    assert_eq!(cvss.base_score, 9.3);
    assert_eq!(cvss.temporal_score, Some(8.1));
    assert_eq!(cvss.nomenclature(), Some("CVSS-BT"));
    let cvss = score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N/AR:L");
    assert_eq!(cvss.base_score, 8.7);
    assert_eq!(cvss.environmental_score, Some(7.9));
    assert_eq!(cvss.nomenclature(), Some("CVSS-BE"));
    let cvss = score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/MSI:H");
    assert_eq!(cvss.base_score, 0.0);
    assert_eq!(cvss.environmental_score, Some(7.7));
    let cvss = score(&format!("{V40}/E:P/MSI:S/CR:L"));
    assert_eq!(cvss.nomenclature(), Some("CVSS-BTE"));
    assert_eq!(cvss.score(), cvss.environmental_score.unwrap_or_default());
    // Supplemental metrics are validated and kept but never change the score.
    let cvss = score(&format!("{V40}/U:Red/S:P/AU:Y/R:I/V:C/RE:H"));
    assert_eq!(cvss.base_score, 9.3);
    assert_eq!(cvss.nomenclature(), Some("CVSS-B"));
    assert_eq!(cvss.vector, format!("{V40}/S:P/AU:Y/R:I/V:C/RE:H/U:Red"));
}

#[test]
fn canonical_vectors() {
    assert_eq!(
        score(" CVSS:3.1/S:U/AV:N/AC:L/PR:H/UI:N/C:L/I:L/A:N/E:F/RL:X ").vector,
        "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:N/E:F"
    );
    assert_eq!(
        score("CVSS:4.0/SA:N/SI:N/SC:N/VA:H/VI:H/VC:H/UI:N/PR:N/AT:N/AC:L/AV:N/CR:X/E:A").vector,
        format!("{V40}/E:A")
    );
    assert_eq!(score("A:P/I:P/C:P/Au:N/AC:L/AV:N").vector, V2);
    let cvss: Cvss = V31.parse().expect("valid");
    assert_eq!(cvss.vector, V31);
}

#[test]
fn ratings() {
    use CvssVersion::*;
    let cases = [
        (V3_1, 0.0, Rating::None),
        (V3_1, 0.1, Rating::Low),
        (V3_1, 3.9, Rating::Low),
        (V3_1, 4.0, Rating::Medium),
        (V3_1, 6.9, Rating::Medium),
        (V3_1, 7.0, Rating::High),
        (V3_1, 8.9, Rating::High),
        (V3_1, 9.0, Rating::Critical),
        (V4_0, 10.0, Rating::Critical),
        (V2, 0.0, Rating::Low),
        (V2, 3.9, Rating::Low),
        (V2, 4.0, Rating::Medium),
        (V2, 7.0, Rating::High),
        (V2, 10.0, Rating::High),
    ];
    for (version, score, rating) in cases {
        assert_eq!(
            Rating::from_score(version, score),
            rating,
            "{version} {score}"
        );
    }
    assert_eq!(
        gatehouse_core::Severity::from(Rating::None),
        gatehouse_core::Severity::Info
    );
    assert_eq!(
        gatehouse_core::Severity::from(Rating::Critical),
        gatehouse_core::Severity::Critical
    );
}

/// Mangled vectors (cut, bytes dropped or replaced, fields repeated, odd characters) must give
/// an error or a score, never a panic.
#[test]
fn never_panics() {
    let seeds = [
        V2,
        V31,
        V40,
        "AV:N/AC:L/Au:N/C:N/I:N/A:C/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:H",
        "CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:N/E:H/RL:O/RC:C/CR:H/IR:H/AR:H/MAV:N/MAC:L/MPR:L/MUI:N/MS:C/MC:H/MI:H/MA:H",
        "CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:A/VC:H/VI:H/VA:N/SC:H/SI:N/AU:Y/SA:N/S:N/R:I/V:C/RE:L/U:Green/MAV:L/MAC:L/MAT:N/MPR:H/MUI:P/MVC:L/MVI:L/MVA:N/MSC:H/MSI:H/MSA:S/CR:H/IR:H/AR:H/E:P",
    ];
    let odd = [
        "",
        "/",
        ":",
        "é",
        "\u{0}",
        "CVSS:",
        "X",
        "::",
        "//",
        "\u{1F600}",
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = |bound: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % bound as u64) as usize
    };
    for seed in seeds {
        for end in 0..=seed.len() {
            let _ = parse(&seed[..end]);
            let _ = parse(&seed[end..]);
        }
        for _ in 0..2000 {
            let mut s: Vec<char> = seed.chars().collect();
            for _ in 0..1 + next(4) {
                let at = next(s.len() + 1);
                match next(3) {
                    0 if at < s.len() => {
                        s.remove(at);
                    }
                    1 => {
                        for (k, c) in odd[next(odd.len())].chars().enumerate() {
                            s.insert(at + k, c);
                        }
                    }
                    _ => {
                        let from = next(s.len() + 1);
                        let to = (from + next(8)).min(s.len());
                        let piece: Vec<char> = s[from..to].to_vec();
                        for (k, c) in piece.into_iter().enumerate() {
                            s.insert(at.min(s.len()) + k, c);
                        }
                    }
                }
            }
            let mangled: String = s.into_iter().collect();
            if let Ok(cvss) = parse(&mangled) {
                assert!((0.0..=10.0).contains(&cvss.base_score), "{mangled}");
                assert!((0.0..=10.0).contains(&cvss.score()), "{mangled}");
            }
        }
    }
}
