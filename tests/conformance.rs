//! Runs ../shared/conformance/check (sysdig 0.29.3's recorded output on real
//! captures) against this build's rchisel binary.
//!
//! Every case must pass except the ones listed in tests/conformance_gaps.txt
//! (each with the reason it still differs). A listed case that passes makes
//! the test fail too, so the list can only shrink.

use std::path::PathBuf;
use std::process::Command;

mod common;
use common::shared;

fn known_gaps() -> Vec<String> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/conformance_gaps.txt");
    std::fs::read_to_string(p)
        .unwrap_or_default()
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn conformance_against_sysdig_golden_outputs() {
    let Some(shared) = shared() else {
        eprintln!("SKIP: ../shared/conformance not present in this clone");
        return;
    };
    let out = Command::new("python3")
        .arg(shared.join("conformance/check"))
        .arg("--bin")
        .arg(env!("CARGO_BIN_EXE_rchisel"))
        .output()
        .expect("python3 runs the checker");
    let text = String::from_utf8_lossy(&out.stdout);
    print!("{text}");
    let gaps = known_gaps();
    let mut unexpected = Vec::new();
    let mut fixed = Vec::new();
    let mut passed = 0;
    for line in text.lines() {
        if let Some(id) = line.strip_prefix("PASS ") {
            passed += 1;
            if gaps.iter().any(|g| g == id.trim()) {
                fixed.push(id.trim().to_string());
            }
        } else if let Some(rest) = line.strip_prefix("FAIL ") {
            let id = rest.split([' ', ':']).next().unwrap_or("").to_string();
            if !gaps.contains(&id) {
                unexpected.push(id);
            }
        }
    }
    assert!(passed > 0, "the checker ran no case:\n{text}");
    assert!(unexpected.is_empty(), "conformance regressions: {unexpected:?}");
    assert!(fixed.is_empty(), "cases now pass, remove them from tests/conformance_gaps.txt: {fixed:?}");
}
