//! `--export parquet`: the Parquet files hold exactly what `-p` prints for
//! the same fields (same state engine), and DuckDB reading them back
//! reproduces, number for number, the bundled `topscalls`, `topprocs_net` and
//! `fdcount_by proc.name` chisels on the same captures.

mod common;

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;

use arrow_array::cast::AsArray;
use arrow_array::types::{Int32Type, Int64Type, TimestampMicrosecondType};
use arrow_array::{Array, ArrayAccessor, ArrayRef, RecordBatch, StringArray};
use arrow_schema::DataType;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_rchisel"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The capture folders: `traces/` always, `../shared/traces` when present.
fn trace_dirs() -> Vec<PathBuf> {
    let mut v = vec![root().join("traces")];
    match common::shared() {
        Some(s) => v.push(s.join("traces")),
        None => println!("note: ../shared absent; only traces/ is exported"),
    }
    v
}

fn scaps(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().map(|e| e == "scap").unwrap_or(false))
        .collect();
    v.sort();
    v
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("rchisel-export-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// Exports `dir/*.scap` into `out` (one run: the pattern, the workers).
fn export(dir: &Path, out: &Path, extra: &[&str]) {
    let pattern = format!("{}/*.scap", dir.display());
    let o = Command::new(bin()).args(["-r", &pattern, "--export", "parquet"]).arg(out).args(extra).output().unwrap();
    assert!(o.status.success(), "export of {pattern} failed: {}", String::from_utf8_lossy(&o.stderr));
    assert!(o.stderr.is_empty(), "no progress bar off a terminal: {}", String::from_utf8_lossy(&o.stderr));
}

fn read_parquet(path: &Path) -> (Vec<String>, Vec<RecordBatch>) {
    let b = ParquetRecordBatchReaderBuilder::try_new(File::open(path).unwrap()).unwrap();
    let names = b.schema().fields().iter().map(|f| f.name().clone()).collect();
    let batches = b.build().unwrap().map(|r| r.unwrap()).collect();
    (names, batches)
}

/// A cell as `-p` prints it: `<NA>` for null, decimal integers, `true`/`false`,
/// and microseconds for timestamps (compared with `%evt.rawtime` / 1000).
fn cell(a: &ArrayRef, i: usize) -> String {
    if a.is_null(i) {
        return "<NA>".into();
    }
    match a.data_type() {
        DataType::Int64 => a.as_primitive::<Int64Type>().value(i).to_string(),
        DataType::Boolean => a.as_boolean().value(i).to_string(),
        DataType::Timestamp(..) => a.as_primitive::<TimestampMicrosecondType>().value(i).to_string(),
        DataType::Utf8 => a.as_string::<i32>().value(i).to_string(),
        DataType::Dictionary(..) => {
            let d = a.as_dictionary::<Int32Type>();
            d.downcast_dict::<StringArray>().unwrap().value(i).to_string()
        }
        t => panic!("unexpected column type {t}"),
    }
}

/// Checks every exported value of `capture` against `rchisel -D -p` on the
/// same capture with the same fields and filter.
fn check_against_p(capture: &Path, parquet: &Path, filter: &[&str]) {
    let (names, batches) = read_parquet(parquet);
    let file_name = capture.file_name().unwrap().to_string_lossy().into_owned();
    let kv = parquet::file::reader::FileReader::metadata(
        &parquet::file::serialized_reader::SerializedFileReader::new(File::open(parquet).unwrap()).unwrap(),
    )
    .file_metadata()
    .key_value_metadata()
    .cloned()
    .unwrap_or_default();
    let get = |k: &str| kv.iter().find(|e| e.key == k).and_then(|e| e.value.clone()).unwrap_or_default();
    assert_eq!(get("rchisel.capture"), file_name);
    let fields: Vec<String> = get("rchisel.fields").split(',').map(String::from).collect();
    assert_eq!(fields.len() + 2, names.len(), "{parquet:?}: the fields, then capture and hostname");
    assert_eq!(names[names.len() - 2..], ["capture", "hostname"]);
    let fmt: Vec<String> = fields
        .iter()
        .map(|f| if f == "evt.time" { "%evt.rawtime".to_string() } else { format!("%{f}") })
        .collect();
    let fmt = format!("*{}", fmt.join("\u{1f}"));
    let o = Command::new(bin()).arg("-r").arg(capture).args(["-D", "-p", &fmt]).args(filter).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    let lines: Vec<&str> = text.lines().collect();
    let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
    assert_eq!(rows, lines.len(), "{file_name}: one row per printed event");
    assert!(rows > 0, "{file_name}: the filter {filter:?} matches events");
    let mut line = 0;
    let mut checked = 0;
    for b in &batches {
        for i in 0..b.num_rows() {
            let printed: Vec<&str> = lines[line].split('\u{1f}').collect();
            assert_eq!(printed.len(), fields.len(), "{file_name} line {line}: {}", lines[line]);
            for (c, f) in fields.iter().enumerate() {
                let want = match f.as_str() {
                    "evt.time" => (printed[c].parse::<u64>().unwrap() / 1000).to_string(),
                    _ => printed[c].to_string(),
                };
                assert_eq!(cell(b.column(c), i), want, "{file_name}: event line {line}, field {f}");
                checked += 1;
            }
            assert_eq!(cell(b.column(fields.len()), i), file_name);
            line += 1;
        }
    }
    println!("{file_name}: {rows} rows, {checked} values equal to -p");
}

#[test]
fn exported_values_equal_p_output() {
    for (k, dir) in trace_dirs().iter().enumerate() {
        let out = tmp(&format!("p{k}"));
        export(dir, &out, &[]);
        let out_f = tmp(&format!("f{k}"));
        let list = "evt.num,evt.time,evt.rawtime,evt.cpu,evt.deltatime,fd.num,fd.l4proto,thread.vtid,evt.arg.fd,proc.aname[1],evt.is_io_read,user.uid,proc.ppid";
        let filter = "evt.type in (openat, open, connect, read, write, sendto, recvfrom, close) or proc.name=curl";
        export(dir, &out_f, &["-p", list, filter]);
        for cap in scaps(dir) {
            let name = format!("{}.parquet", cap.file_name().unwrap().to_string_lossy());
            check_against_p(&cap, &out.join(&name), &[]);
            check_against_p(&cap, &out_f.join(&name), &[filter]);
        }
        let _ = std::fs::remove_dir_all(&out);
        let _ = std::fs::remove_dir_all(&out_f);
    }
}

fn have_duckdb() -> bool {
    let ok = Command::new("python3").args(["-c", "import duckdb"]).status().map(|s| s.success()).unwrap_or(false);
    if !ok {
        println!("skipping: python3 with duckdb is not installed (scripts/setup.sh installs it)");
    }
    ok
}

/// Rows of a DuckDB query, tab-separated columns.
fn duck(sql: &str) -> Vec<Vec<String>> {
    let py = "import duckdb,sys\nfor r in duckdb.sql(sys.argv[1]).fetchall(): print('\\t'.join(str(x) for x in r))";
    let o = Command::new("python3").args(["-c", py, sql]).output().unwrap();
    assert!(o.status.success(), "duckdb: {}\n{sql}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).lines().map(|l| l.split('\t').map(String::from).collect()).collect()
}

fn chisel(cap: &Path, args: &[&str]) -> String {
    let o = Command::new(bin()).arg("-r").arg(cap).args(args).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A top-N table's rows (value, key columns) below its dashed line.
fn table_rows(out: &str) -> Vec<(String, Vec<String>)> {
    out.lines()
        .skip_while(|l| !l.starts_with("----"))
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut w = l.split_whitespace().map(String::from);
            (w.next().unwrap(), w.collect())
        })
        .collect()
}

/// sysdig's byte formatting (the chisels' `format_bytes`).
fn format_bytes(v: f64) -> String {
    let kb = 1024f64;
    for (unit, name) in [(kb.powi(5), "P"), (kb.powi(4), "T"), (kb.powi(3), "G"), (kb.powi(2), "M"), (kb, "KB")] {
        if v > unit {
            return format!("{:.2}{name}", v / unit);
        }
    }
    format!("{}B", v as i64)
}

/// Compares a chisel's top-N (cut at `top`) with the full ranking from SQL:
/// equal values per key; on ties at the cut any tied key may be shown.
fn same_top(what: &str, chisel: &[(String, Vec<String>)], sql: &[(String, Vec<String>)], top: usize, value_of: impl Fn(&str) -> i64) {
    let shown: BTreeMap<&Vec<String>, &String> = chisel.iter().map(|(v, k)| (k, v)).collect();
    let all: BTreeMap<&Vec<String>, &String> = sql.iter().map(|(v, k)| (k, v)).collect();
    assert_eq!(chisel.len(), sql.len().min(top), "{what}: row count\nchisel: {chisel:?}\nsql: {sql:?}");
    for (k, v) in &shown {
        assert_eq!(all.get(k), Some(v), "{what}: key {k:?}");
    }
    let cut = chisel.iter().map(|(v, _)| value_of(v)).min().unwrap_or(i64::MIN);
    for (v, k) in sql {
        if value_of(v) > cut {
            assert!(shown.contains_key(k), "{what}: {k:?} ({v}) ranks above the cut but is not shown");
        }
    }
}

#[test]
fn duckdb_reproduces_the_chisels() {
    if !have_duckdb() {
        return;
    }
    let mut compared = 0;
    let mut net_rows = 0;
    for (k, dir) in trace_dirs().iter().enumerate() {
        let out = tmp(&format!("duck{k}"));
        export(dir, &out, &[]);
        for cap in scaps(dir) {
            let pq = out.join(format!("{}.parquet", cap.file_name().unwrap().to_string_lossy()));
            let t = format!("read_parquet('{}')", pq.display());
            let name = cap.display().to_string();

            // topscalls: events per type (both directions), switch excluded, top 30.
            let sql = duck(&format!(
                "SELECT count(*), evt_type FROM {t} WHERE evt_type <> 'switch' GROUP BY evt_type ORDER BY 1 DESC"
            ));
            let sql: Vec<(String, Vec<String>)> = sql.into_iter().map(|r| (r[0].clone(), vec![r[1].clone()])).collect();
            let ch = table_rows(&chisel(&cap, &["-c", "topscalls"]));
            same_top(&format!("{name} topscalls"), &ch, &sql, 30, |v| v.parse().unwrap());

            // topprocs_net: bytes of network I/O per process, top 100.
            let sql = duck(&format!(
                "SELECT sum(evt_rawres), proc_name, proc_pid FROM {t} WHERE fd_type IN ('ipv4', 'ipv6') AND evt_is_io \
                 AND evt_rawres > 0 AND proc_name IS NOT NULL AND proc_pid IS NOT NULL \
                 GROUP BY proc_name, proc_pid ORDER BY 1 DESC"
            ));
            let sql: Vec<(String, Vec<String>)> = sql
                .into_iter()
                .map(|r| (format!("{}\t{}", format_bytes(r[0].parse::<f64>().unwrap()), r[0]), vec![r[1].clone(), r[2].clone()]))
                .collect();
            let raw: BTreeMap<String, i64> = sql.iter().map(|(v, _)| (v.split('\t').next().unwrap().to_string(), v.split('\t').nth(1).unwrap().parse().unwrap())).collect();
            let sql_shown: Vec<(String, Vec<String>)> = sql.iter().map(|(v, k)| (v.split('\t').next().unwrap().to_string(), k.clone())).collect();
            let ch = table_rows(&chisel(&cap, &["-c", "topprocs_net"]));
            same_top(&format!("{name} topprocs_net"), &ch, &sql_shown, 100, |v| raw.get(v).copied().unwrap_or(0));
            net_rows += ch.len();

            // fdcount_by proc.name: distinct (fd.num, fd.name) with fd.num > 0 per key.
            let sql = duck(&format!(
                "SELECT proc_name, count(DISTINCT (fd_num, fd_name)) FROM {t} WHERE proc_name IS NOT NULL \
                 AND fd_num > 0 AND fd_name IS NOT NULL AND fd_name <> '' GROUP BY proc_name"
            ));
            let sql: BTreeMap<String, String> = sql.into_iter().map(|r| (r[0].clone(), r[1].clone())).collect();
            let text = chisel(&cap, &["-c", "fdcount_by", "proc.name"]);
            let ch: BTreeMap<String, String> = text
                .lines()
                .map(|l| {
                    let (k, v) = l.rsplit_once('\t').unwrap();
                    (k.to_string(), v.to_string())
                })
                .collect();
            assert_eq!(ch, sql, "{name} fdcount_by proc.name");
            assert!(!ch.is_empty(), "{name}: fdcount_by found fds");
            compared += 1;
        }
        let _ = std::fs::remove_dir_all(&out);
    }
    assert!(net_rows > 0, "some capture has network I/O to compare");
    println!("{compared} captures ({net_rows} topprocs_net rows): DuckDB over the export = topscalls, topprocs_net, fdcount_by proc.name");
}

#[test]
fn bad_input_is_reported_and_nothing_is_lost() {
    let src = root().join("traces/password.scap");
    let dir = tmp("bad");
    std::fs::create_dir_all(&dir).unwrap();
    let full = std::fs::read(&src).unwrap();
    std::fs::write(dir.join("cut.scap"), &full[..full.len() * 2 / 3]).unwrap();
    std::fs::write(dir.join("good.scap"), &full).unwrap();
    std::fs::write(dir.join("junk.scap"), b"not a capture at all").unwrap();
    let out = dir.join("out");
    let o = Command::new(bin())
        .args(["-r", &format!("{}/*.scap", dir.display()), "--export", "parquet"])
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("cut.scap") && err.contains("rows before it"), "{err}");
    assert!(err.contains("junk.scap"), "{err}");
    // The good capture is complete; the cut one keeps the events read before the cut.
    let rows = |n: &str| -> usize { read_parquet(&out.join(n)).1.iter().map(|b| b.num_rows()).sum() };
    let all = rows("good.scap.parquet");
    let cut = rows("cut.scap.parquet");
    assert!(cut > 0 && cut < all, "cut {cut} of {all}");
    assert!(!out.join("junk.scap.parquet").exists());
    let leftovers: Vec<_> = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 2, "no partial file left: {leftovers:?}");
    for args in [&["--export", "csv"][..], &["--export", "parquet", "-p", "no.such.field"][..]] {
        let o = Command::new(bin()).arg("-r").arg(&src).args(args).arg(&out).output().unwrap();
        assert_eq!(o.status.code(), Some(1));
        assert!(!o.stderr.is_empty());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn single_capture_with_progress_bar() {
    let src = root().join("traces/fd_leak.scap");
    let out = tmp("single");
    let o = Command::new(bin()).arg("-r").arg(&src).args(["--export", "parquet"]).arg(&out).args(["-P", "-p", "%evt.num %proc.name", "proc.name=leaky"]).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("100.0%") && err.contains("1/1 captures"), "-P draws the bar: {err}");
    let (names, batches) = read_parquet(&out.join("fd_leak.scap.parquet"));
    assert_eq!(names, ["evt_num", "proc_name", "capture", "hostname"]);
    let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
    assert!(rows > 0);
    for b in &batches {
        for i in 0..b.num_rows() {
            assert_eq!(cell(b.column(1), i), "leaky");
        }
    }
    let _ = std::fs::remove_dir_all(&out);
}
