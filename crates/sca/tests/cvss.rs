//! Scores every vector of `tests/data/cvss/vectors.tsv` and compares them with the reference
//! implementation's (see `generate.py` there). Every mismatch is reported, not just the first.

use gatehouse_sca::cvss::{self, Cvss, CvssVersion, Rating};

const DATA: &str = include_str!("data/cvss/vectors.tsv");

fn parse_score(field: &str) -> Option<f64> {
    if field == "-" {
        None
    } else {
        Some(field.parse().expect("score column"))
    }
}

fn parse_rating(field: &str) -> Rating {
    match field {
        "None" => Rating::None,
        "Low" => Rating::Low,
        "Medium" => Rating::Medium,
        "High" => Rating::High,
        "Critical" => Rating::Critical,
        other => panic!("unknown rating {other}"),
    }
}

/// The differences between `got` and one line's expectations.
fn compare(got: &Cvss, fields: &[&str]) -> Vec<String> {
    let [vector, canonical, base, rating, temporal, environmental] = fields else {
        return vec![format!("expected 6 columns, found {}", fields.len())];
    };
    let canonical = if *canonical == "=" { vector } else { canonical };
    let mut diffs = Vec::new();
    if got.vector != *canonical {
        diffs.push(format!("canonical {} != {}", got.vector, canonical));
    }
    if Some(got.base_score) != parse_score(base) {
        diffs.push(format!("base {} != {}", got.base_score, base));
    }
    if got.severity != parse_rating(rating) {
        diffs.push(format!("rating {} != {}", got.severity, rating));
    }
    if got.temporal_score != parse_score(temporal) {
        diffs.push(format!("temporal {:?} != {}", got.temporal_score, temporal));
    }
    if got.environmental_score != parse_score(environmental) {
        diffs.push(format!(
            "environmental {:?} != {}",
            got.environmental_score, environmental
        ));
    }
    diffs
}

#[test]
fn scores_agree_with_the_reference_implementation() {
    let mut checked = 0usize;
    let mut per_version = std::collections::BTreeMap::<CvssVersion, usize>::new();
    let mut mismatches = Vec::new();
    for (number, line) in DATA.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        checked += 1;
        match cvss::parse(fields[0]) {
            Ok(got) => {
                *per_version.entry(got.version).or_default() += 1;
                let diffs = compare(&got, &fields);
                if !diffs.is_empty() {
                    mismatches.push(format!(
                        "line {}: {}: {}",
                        number + 1,
                        fields[0],
                        diffs.join("; ")
                    ));
                }
            }
            Err(error) => mismatches.push(format!("line {}: {}: {error}", number + 1, fields[0])),
        }
    }
    assert!(checked > 10_000, "only {checked} vectors in the data file");
    for version in [
        CvssVersion::V2,
        CvssVersion::V3_0,
        CvssVersion::V3_1,
        CvssVersion::V4_0,
    ] {
        assert!(
            per_version.get(&version).copied().unwrap_or(0) > 1000,
            "too few v{version} vectors: {per_version:?}"
        );
    }
    assert!(
        mismatches.is_empty(),
        "{} of {checked} vectors disagree with the reference:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

#[test]
fn scoring_a_canonical_vector_gives_the_same_result() {
    for line in DATA.lines().filter(|l| !l.starts_with('#')) {
        let vector = line.split('\t').next().unwrap_or_default();
        let first = cvss::parse(vector).expect("valid vector");
        let again = cvss::parse(&first.vector).expect("canonical vector parses");
        assert_eq!(first, again, "{vector}");
    }
}
