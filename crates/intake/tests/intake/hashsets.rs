//! The hash-set readers on small generated sets with the quirks of real files, and the fuzz corpus replayed as
//! ordinary tests (no nightly here for `cargo fuzz`): no input may panic.

use intake::hashsets::{
    self, HashEntry, HashKind, HashSetError, RawCategory, SetFormat, VicsVersion,
};

const MD5_A: &str = "0123456789abcdef0123456789abcdef";
const SHA1_A: &str = "0123456789abcdef0123456789abcdef01234567";
const PDQ_A: &str = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";

fn read(input: &[u8], kind: Option<HashKind>) -> Result<(SetFormat, Vec<HashEntry>), HashSetError> {
    let mut entries = Vec::new();
    let (format, n) = hashsets::read_any(input, kind, |e| entries.push(e))?;
    assert_eq!(n as usize, entries.len());
    Ok((format, entries))
}

#[test]
fn a_vics_1_3_set_with_a_bom_string_booleans_and_odd_dates_is_read_in_full() {
    let json = format!(
        "\u{feff}{{\"odata.metadata\":\"http://github.com/ICMEC/ProjectVic/DataModels/1.3.xml#Media\",\"value\":[\
         {{\"MediaID\":1,\"Category\":1,\"MD5\":\"{MD5_A}\",\"SHA1\":\"{SHA1_A}\",\"IsPrecategorized\":\"true\",\
           \"DateUpdated\":\"/Date(1546300800000)/\",\"Tags\":[\"x\"],\"AlternativeHashes\":[\
           {{\"HashName\":\"PhotoDNA\",\"HashValue\":\"AAEC\"}},{{\"HashName\":\"PDQ\",\"HashValue\":\"{PDQ_A}\"}}]}},\
         {{\"MediaID\":2,\"Category\":null,\"MD5\":\"{}\",\"DateUpdated\":\"2019-01-01T00:00:00Z\"}},\
         {{\"MediaID\":3,\"Category\":\"3\",\"MD5\":\"{MD5_A}\",\"VictimIdentified\":\"false\"}},\
         {{\"MediaID\":4,\"Category\":2}}]}}",
        MD5_A.to_uppercase()
    );
    let (format, entries) = read(json.as_bytes(), None).unwrap();
    assert_eq!(format, SetFormat::Vics(VicsVersion::V1_3));
    assert_eq!(entries.len(), 3, "the entry without any hash is left out");
    assert_eq!(entries[0].category, Some(RawCategory::Number(1)));
    assert!(entries[0].sha1.is_some() && entries[0].pdq.is_some());
    assert_eq!(entries[1].category, None);
    assert_eq!(entries[1].md5, entries[0].md5, "hex case does not matter");
    assert_eq!(entries[2].category, Some(RawCategory::Number(3)));
}

#[test]
fn a_vics_2_0_case_export_yields_the_media_of_every_case() {
    let json = format!(
        "{{\"@odata.context\":\"http://github.com/ICMEC/ProjectVic/DataModels/2.0.xml/UK/$metadata#Cases\",\
         \"value\":[{{\"CaseID\":\"c1\",\"TotalMediaFiles\":\"7\",\"Media\":[\
           {{\"MediaID\":1,\"MD5\":\"{MD5_A}\",\"Category\":4,\"MediaFiles\":[{{\"FileName\":\"a.jpg\",\"Deleted\":\"false\"}}]}},\
           {{\"MediaID\":2,\"SHA1\":\"{SHA1_A}\"}}]}},{{\"CaseID\":\"c2\",\"Media\":[{{\"MD5\":\"{MD5_A}\"}}]}}]}}"
    );
    let (format, entries) = read(json.as_bytes(), None).unwrap();
    assert_eq!(format, SetFormat::Vics(VicsVersion::V2_0));
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[0].category, Some(RawCategory::Number(4)));
    assert!(entries[1].md5.is_none() && entries[1].sha1.is_some());
}

#[test]
fn a_malformed_md5_in_vics_names_the_element_and_line() {
    let json = "{\"value\":[\n{\"MD5\":\"0123\"}\n]}";
    let err = read(json.as_bytes(), None).unwrap_err().to_string();
    assert!(
        err.contains("line 2") && err.contains("element 0 of `value`") && err.contains("MD5"),
        "{err}"
    );
}

#[test]
fn vics_json_that_is_cut_short_is_an_error_with_its_line() {
    let json = format!("{{\"value\":[\n{{\"MD5\":\"{MD5_A}\"}},\n{{\"MD5\":");
    let err = read(json.as_bytes(), None).unwrap_err().to_string();
    assert!(err.contains("line 3"), "{err}");
}

#[test]
fn a_plain_list_takes_each_hash_kind_from_its_length() {
    let list = format!("# known files\n{MD5_A}\n\n{SHA1_A}  some/file.jpg\n{PDQ_A},2\n");
    let (format, entries) = read(list.as_bytes(), None).unwrap();
    assert_eq!(format, SetFormat::List);
    assert_eq!(entries.len(), 3);
    assert!(entries[0].md5.is_some() && entries[1].sha1.is_some() && entries[2].pdq.is_some());
    assert_eq!(entries[2].category, Some(RawCategory::Number(2)));
}

#[test]
fn kind_overrides_the_length_rule_and_a_wrong_length_names_the_line() {
    let list = format!("{PDQ_A}\n{MD5_A}\n");
    let err = read(list.as_bytes(), Some(HashKind::Pdq))
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("line 2:") && err.contains("PDQ"), "{err}");
}

#[test]
fn a_csv_with_a_header_reads_its_named_columns() {
    let csv =
        format!("\u{feff}Category,MD5,SHA1\nA,{MD5_A},{SHA1_A}\n\"not indecent\",,{SHA1_A}\n");
    let (_, entries) = read(csv.as_bytes(), None).unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].category, Some(RawCategory::Label("A".into())));
    assert!(entries[1].md5.is_none());
    assert_eq!(
        entries[1].category,
        Some(RawCategory::Label("not indecent".into()))
    );
}

#[test]
fn a_line_that_is_not_a_hash_is_an_error_naming_the_line() {
    let list = format!("{MD5_A}\n{MD5_A}\nnot-a-hash\n");
    let err = read(list.as_bytes(), None).unwrap_err().to_string();
    assert!(err.starts_with("line 3:"), "{err}");
}

#[test]
fn every_fuzz_corpus_input_is_read_or_refused_without_panicking() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus");
    let mut seen = 0;
    for sub in ["vics", "list"] {
        let Ok(dir) = std::fs::read_dir(root.join(sub)) else {
            continue;
        };
        for file in dir.flatten() {
            let bytes = std::fs::read(file.path()).unwrap();
            let _ = hashsets::read_vics(&bytes[..], |_| {});
            let _ = hashsets::read_list(&bytes[..], None, |_| {});
            let _ = hashsets::read_any(&bytes[..], Some(HashKind::Md5), |_| {});
            seen += 1;
        }
    }
    assert!(seen > 0, "no fuzz corpus found under {}", root.display());
}
