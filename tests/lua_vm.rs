//! The vendored Lua's rchisel changes keep Lua 5.4's results: two batteries
//! run as chisels (their `on_init` prints, then returns false so that no
//! event is read) and compared with the output the engine gave before those
//! changes (main 7216e46, stored in tests/data/*.out).
//!
//! - lua_format_battery: `string.format`'s `%d`/`%i` (flags, widths,
//!   precisions, invalid specs, floats, strings, NaN, huge values) and `%s`
//!   (strings with and without modifiers, embedded zeros, numbers, tables
//!   with `__tostring`), plain text runs, results past the stack buffer.
//! - lua_vm_battery: C calls and their result counts (OP_CALL's inline C
//!   call), globals set to and read as nil with and without a metatable on
//!   `_G`, float and mixed comparisons (NaN, -0.0), `tostring` of numbers,
//!   integer text, thousands of globals added and removed (the sparse
//!   globals table), interned strings of every short length, errors raised
//!   by C functions, coroutines.

use std::path::PathBuf;
use std::process::Command;

mod common;
use common::shared;

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `hay` with every `needle` taken out.
fn strip(hay: &[u8], needle: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(hay.len());
    let mut i = 0;
    while i < hay.len() {
        if hay[i..].starts_with(needle) {
            i += needle.len();
        } else {
            out.push(hay[i]);
            i += 1;
        }
    }
    out
}

/// Runs the battery chisel `name` of tests/data and returns its output (bytes:
/// `%c` items are not UTF-8), with the chisel directory taken out of error
/// messages (chunk names).
fn run_battery(name: &str) -> Option<Vec<u8>> {
    let trace = shared()?.join("traces").join("curl_google.scap");
    if !trace.is_file() {
        return None;
    }
    let data = crate_dir().join("tests/data");
    let out = Command::new(env!("CARGO_BIN_EXE_rchisel"))
        .args(["-r", trace.to_str().unwrap(), "-c", name])
        .env("TZ", "UTC")
        .env("SYSDIG_CHISEL_DIR", &data)
        .env_remove("RCHISEL_CHISEL_DIR")
        .current_dir(crate_dir())
        .output()
        .expect("run rchisel");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("init() for chisel {name} failed.")), "stderr: {err}");
    let prefix = format!("{}/", data.display());
    Some(strip(&out.stdout, prefix.as_bytes()))
}

fn check(name: &str) {
    let Some(got) = run_battery(name) else {
        eprintln!("skipped: traces not found");
        return;
    };
    let want = std::fs::read(crate_dir().join("tests/data").join(format!("{name}.out"))).unwrap();
    let (want_lines, got_lines): (Vec<&[u8]>, Vec<&[u8]>) = (want.split(|&b| b == b'\n').collect(), got.split(|&b| b == b'\n').collect());
    for (i, (a, b)) in want_lines.iter().zip(got_lines.iter()).enumerate() {
        assert_eq!(
            a,
            b,
            "{name}: line {} differs:\nwant {}\ngot  {}",
            i + 1,
            String::from_utf8_lossy(a),
            String::from_utf8_lossy(b)
        );
    }
    assert_eq!(want_lines.len(), got_lines.len(), "{name}: line count differs");
}

#[test]
fn string_format_battery_matches_the_stock_engine() {
    check("lua_format_battery");
}

#[test]
fn vm_battery_matches_the_stock_engine() {
    check("lua_vm_battery");
}
