//! Grades, areas and the reproducible stratified draw.

use super::*;

fn candidates(n: usize, bcus: &[BcuId]) -> Vec<Candidate> {
    (0..n)
        .map(|i| Candidate {
            id: ReferralId::new(),
            bcu: bcus[i % bcus.len()],
            stratum: Stratum {
                closed: i % 3 == 0,
                level: [None, Some(RiskLevel::High), Some(RiskLevel::Low)][i % 3 / 2 + i % 2],
            },
        })
        .collect()
}

#[test]
fn the_same_seed_and_date_draw_the_same_sample_in_any_order() {
    let bcus = [BcuId::new(), BcuId::new()];
    let mut c = candidates(200, &bcus);
    let first = draw(&c, "2026-q4", "2026-11-30", 10);
    c.reverse();
    let mut again = draw(&c, "2026-q4", "2026-11-30", 10);
    let mut sorted = first.clone();
    sorted.sort_by_key(|id| id.to_string());
    again.sort_by_key(|id| id.to_string());
    assert_eq!(sorted, again);
    assert_eq!(first.len(), 20, "ten from each BCU");
    let other = draw(&c, "another seed", "2026-11-30", 10);
    assert_ne!(
        sorted.iter().collect::<std::collections::BTreeSet<_>>(),
        other.iter().collect::<std::collections::BTreeSet<_>>()
    );
}

#[test]
fn every_stratum_is_represented_when_the_draw_allows_and_shares_follow_size() {
    assert_eq!(allocate(&[90, 9, 1], 10), vec![8, 1, 1]);
    assert_eq!(allocate(&[50, 50], 10), vec![5, 5]);
    assert_eq!(
        allocate(&[3, 1], 10),
        vec![3, 1],
        "never more than a stratum holds"
    );
    assert_eq!(allocate(&[5, 5, 5], 2).iter().sum::<usize>(), 2);
    assert_eq!(allocate(&[], 5), Vec::<usize>::new());
}

#[test]
fn grades_must_cover_every_area_and_nothing_else() {
    let areas = QualityAreas::default();
    let mut grades: Vec<(String, Grade)> = areas
        .areas
        .iter()
        .map(|a| (a.key.clone(), Grade::Good))
        .collect();
    assert!(check_grades(&areas, &grades).is_ok());
    grades.pop();
    assert_eq!(
        check_grades(&areas, &grades),
        Err(GradingError::Missing("Safeguarding".into()))
    );
    grades.push(("tea".into(), Grade::Good));
    assert_eq!(
        check_grades(&areas, &grades),
        Err(GradingError::UnknownArea("tea".into()))
    );
}

#[test]
fn an_area_list_is_read_from_toml_and_checked() {
    let ok = QualityAreas::from_toml("[[areas]]\nkey = \"victim_care\"\nlabel = \"Victim care\"\n")
        .unwrap();
    assert_eq!(ok.areas[0].label, "Victim care");
    assert!(
        QualityAreas::from_toml("areas = []")
            .unwrap_err()
            .contains("at least one")
    );
    assert!(
        QualityAreas::from_toml("[[areas]]\nkey = \"overall\"\nlabel = \"x\"\n")
            .unwrap_err()
            .contains("overall")
    );
    assert!(
        QualityAreas::from_toml("[[areas]]\nkey = \"Bad Key\"\nlabel = \"x\"\n")
            .unwrap_err()
            .contains("lowercase")
    );
}

#[test]
fn the_shipped_area_file_is_the_inspectorates_default_list() {
    let shipped = include_str!("../../../../config/quality-areas.toml");
    assert_eq!(
        QualityAreas::from_toml(shipped).unwrap(),
        QualityAreas::default()
    );
}
