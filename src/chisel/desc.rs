//! `-cl` (list chisels) and `-i NAME` (chisel info), formatted as sysdig does.

use std::io::Write;

use std::path::Path;

use mlua::{Lua, Value};

use super::args::ArgDesc;
use super::loaded::parse_args_table;

const DESCRIPTION_TEXT_START: usize = 16;
const CONSOLE_LINE_LEN: usize = 79;

/// What `-cl` shows about a chisel.
#[derive(Clone, Debug, Default)]
pub struct ChiselDesc {
    pub name: String,
    pub description: String,
    pub shortdesc: String,
    pub category: String,
    pub args: Vec<ArgDesc>,
}

/// Loads the description of one chisel file; None when it is not a listable chisel.
fn describe_file(path: &str, name: &str, package_path: &str, out: &mut Vec<u8>) -> Option<ChiselDesc> {
    let lua = Lua::new();
    let g = lua.globals();
    // Same libraries as a running chisel, so that top-level code works; the
    // state is thrown away.
    let gl = std::rc::Rc::new(super::shared::Global::default());
    let sh = std::rc::Rc::new(super::shared::Shared::new(name, gl.clone()));
    super::api::install(&lua, &sh, package_path).ok()?;
    let src = std::fs::read(path).ok()?;
    let loaded = lua.load(&src[..]).set_name(format!("@{path}")).exec();
    out.extend_from_slice(&gl.out.borrow());
    loaded.ok()?;
    let description = match g.get::<Value>("description").ok()? {
        Value::String(s) => s.to_string_lossy(),
        Value::Integer(_) | Value::Number(_) => super::loaded::value_text(&g.get::<Value>("description").ok()?),
        // No description: a csysdig view (never listed).
        _ => return None,
    };
    let shortdesc = match g.get::<Value>("short_description").ok()? {
        v @ (Value::String(_) | Value::Integer(_) | Value::Number(_)) => super::loaded::value_text(&v),
        _ => return None,
    };
    let category = match g.get::<Value>("category").ok()? {
        v @ (Value::String(_) | Value::Integer(_) | Value::Number(_)) => super::loaded::value_text(&v),
        _ => String::new(),
    };
    if let Ok(Value::Boolean(true)) = g.get::<Value>("hidden") {
        return None;
    }
    let at = match g.get::<Value>("args").ok()? {
        Value::Table(t) => t,
        Value::Nil => return None,
        _ => return None,
    };
    let mut printed = Vec::new();
    let (args, desc_override) = parse_args_table(&at, &mut |s| printed.extend_from_slice(s.as_bytes())).ok()?;
    out.extend_from_slice(&printed);
    Some(ChiselDesc {
        name: name.to_string(),
        description: desc_override.unwrap_or(description),
        shortdesc,
        category,
        args,
    })
}

/// Every chisel found in the chisel directories (first directory wins for a name).
pub fn chisel_list(out: &mut Vec<u8>) -> Vec<ChiselDesc> {
    let dirs = super::dirs::chisel_dirs();
    let ppath = super::dirs::package_path(&dirs);
    let mut list: Vec<ChiselDesc> = Vec::new();
    for d in &dirs {
        if d.is_empty() {
            continue;
        }
        // Describing a chisel runs it: skip folders others can write.
        if let Err(e) = super::dirs::check_trusted(Path::new(d.as_str())) {
            if Path::new(d.as_str()).is_dir() {
                eprintln!("warning: {e}");
            }
            continue;
        }
        let Ok(rd) = std::fs::read_dir(d) else { continue };
        for ent in rd.flatten() {
            let fname = ent.file_name().to_string_lossy().into_owned();
            let (stem, ext) = match fname.rfind('.') {
                Some(i) => (&fname[..i], &fname[i + 1..]),
                None => (fname.as_str(), ""),
            };
            if ext != "lua" && ext != "sc" {
                continue;
            }
            if list.iter().any(|c| c.name == stem) {
                continue;
            }
            if ext != "lua" {
                continue;
            }
            let path = format!("{d}{fname}");
            if let Err(e) = super::dirs::check_trusted(Path::new(&path)) {
                eprintln!("warning: {e}");
                continue;
            }
            if let Some(cd) = describe_file(&path, stem, &ppath, out) {
                list.push(cd);
            }
        }
    }
    list
}

fn wrap_short(out: &mut Vec<u8>, desc: &[u8]) {
    for (l, &c) in desc.iter().enumerate() {
        if l % (CONSOLE_LINE_LEN - DESCRIPTION_TEXT_START) == 0 && l != 0 {
            out.push(b'\n');
            out.extend(std::iter::repeat_n(b' ', DESCRIPTION_TEXT_START));
        }
        out.push(c);
    }
}

/// sysdig's list_chisels.
pub fn list_chisels(list: &mut [ChiselDesc], verbose: bool, out: &mut Vec<u8>) {
    list.sort_by(|a, b| {
        if a.category == b.category { a.name.as_bytes().cmp(b.name.as_bytes()) } else { a.category.as_bytes().cmp(b.category.as_bytes()) }
    });
    let mut last: Option<&str> = None;
    for cd in list.iter() {
        // sysdig starts with an empty "last category", so an empty category prints no header.
        if cd.category != last.unwrap_or("") {
            let full = format!("Category: {}", cd.category);
            out.push(b'\n');
            out.extend_from_slice(full.as_bytes());
            out.push(b'\n');
            out.extend(std::iter::repeat_n(b'-', full.len()));
            out.push(b'\n');
        }
        last = Some(&cd.category);
        out.extend_from_slice(cd.name.as_bytes());
        let mut namelen = cd.name.len();
        if namelen >= DESCRIPTION_TEXT_START {
            out.push(b'\n');
            namelen = 0;
        }
        out.extend(std::iter::repeat_n(b' ', DESCRIPTION_TEXT_START - namelen));
        wrap_short(out, cd.shortdesc.as_bytes());
        out.push(b'\n');
    }
    if verbose {
        out.extend_from_slice(b"\nUse the -i flag to get detailed information about a specific chisel\n");
    }
}

/// sysdig's print_chisel_info.
pub fn print_chisel_info(cd: &ChiselDesc, out: &mut Vec<u8>) {
    list_chisels(&mut [cd.clone()], false, out);
    out.push(b'\n');
    for (l, &c) in cd.description.as_bytes().iter().enumerate() {
        if l % CONSOLE_LINE_LEN == 0 && l != 0 {
            out.push(b'\n');
        }
        out.push(c);
    }
    out.push(b'\n');
    let mut astr = String::from("Args:\n");
    if cd.args.is_empty() {
        astr.push_str("(None)");
    } else {
        for a in &cd.args {
            astr.push_str(&format!("[{}] {} - {}\n", a.argtype, a.name, a.description));
        }
    }
    let mut linepos: i64 = 0;
    for &c in astr.as_bytes() {
        if c == b'\n' {
            linepos = -1;
        } else if linepos % (CONSOLE_LINE_LEN - DESCRIPTION_TEXT_START) as i64 == 0 && linepos != 0 {
            out.push(b'\n');
            out.extend(std::iter::repeat_n(b' ', DESCRIPTION_TEXT_START));
        }
        out.push(c);
        linepos += 1;
    }
    out.push(b'\n');
}

/// Writes `buf` to `out`.
pub fn emit(out: &mut dyn Write, buf: &[u8]) -> Result<(), String> {
    out.write_all(buf).map_err(|e| e.to_string())
}
