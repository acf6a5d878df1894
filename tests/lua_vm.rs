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
//!
//! And one check in-process: a C function that leaves a to-be-closed slot
//! open has it closed as it returns, whether OP_CALL calls it inline or
//! through pcall (it fails without the inline call's luaD_poscall fallback).

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

/// `mark(v)`: marks its argument to be closed (`lua_toclose`) and returns,
/// leaving the slot open: Lua closes it as the function returns.
unsafe extern "C-unwind" fn mark_to_be_closed(l: *mut mlua::ffi::lua_State) -> std::ffi::c_int {
    // SAFETY: called by Lua with its argument at index 1, a value with a
    // `__close` metamethod (the script below); no Rust value is alive.
    unsafe {
        mlua::ffi::lua_settop(l, 1);
        mlua::ffi::lua_toclose(l, 1);
    }
    0
}

/// A C function that leaves a to-be-closed slot open returns through
/// luaD_poscall, which closes it, also when the interpreter calls C functions
/// inline (OP_CALL's fast path): `__close` runs at the return, with every
/// result count, and the to-be-closed list is left clean for the next one.
#[test]
fn c_function_to_be_closed_slots_close_at_its_return() {
    let lua = mlua::Lua::new();
    // SAFETY: mark_to_be_closed follows the lua_CFunction contract.
    let mark = unsafe { lua.create_c_function(mark_to_be_closed) }.unwrap();
    lua.globals().set("mark", mark).unwrap();
    let n: i64 = lua
        .load(
            r#"
            local closed = 0
            local mt = {__close = function() closed = closed + 1 end}
            local function f()
                local c = closed
                mark(setmetatable({}, mt))              -- no result wanted
                assert(closed == c + 1, "closed at the return (0 results)")
                local a = mark(setmetatable({}, mt))    -- one result
                assert(closed == c + 2 and a == nil, "closed at the return (1 result)")
                local t = {mark(setmetatable({}, mt))}  -- all results
                assert(closed == c + 3 and #t == 0, "closed at the return (multret)")
                assert(pcall(mark, setmetatable({}, mt)) and closed == c + 4, "closed under pcall")
                return closed
            end
            for _ = 1, 100 do f() end
            return closed
            "#,
        )
        .eval()
        .unwrap();
    assert_eq!(n, 400);
}
