//! The archive reader never panics, whatever bytes it is given.

use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = chartkit_chart::archive::load_archive_files(&data);
    }

    #[test]
    fn random_gzip_payloads_never_panic(payload in proptest::collection::vec(any::<u8>(), 0..4096)) {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&payload).unwrap();
        let data = gz.finish().unwrap();
        let _ = chartkit_chart::archive::load_archive_files(&data);
    }

    #[test]
    fn strvals_never_panic(s in "[a-z0-9.,=\\[\\]{}\\\\-]{0,40}") {
        let _ = chartkit_chart::strvals::parse(&s);
        let mut m = chartkit_chart::Mapping::new();
        let _ = chartkit_chart::strvals::parse_literal_into(&s, &mut m);
        let _ = chartkit_chart::strvals::parse_json(&s, &mut m);
    }
}
