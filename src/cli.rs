//! Command-line front end: turns sysdig-style arguments into [`Options`] and
//! runs the pipeline. This is the only module that knows about clap.
//!
//! sysdig parses its flags with GNU getopt, and its chisel arguments depend on
//! where `-c NAME` stands: the argument right after the chisel name may be
//! taken as the chisel's arguments. clap gives us each value's position on the
//! command line, which is all that rule needs.

use clap::{Arg, ArgAction, ArgMatches, Command};

use crate::event::render::BufFormat;
use crate::runner::{self, ChiselRequest, Options, TimeType};

fn command() -> Command {
    let flag = |name: &'static str, short: char, help: &'static str| {
        Arg::new(name).short(short).long(name).action(ArgAction::SetTrue).help(help)
    };
    let value = |name: &'static str, short: char, help: &'static str| {
        Arg::new(name).short(short).long(name).num_args(1).help(help)
    };
    Command::new("rchisel")
        .about("System exploration and troubleshooting: sysdig's core, in Rust")
        .version(env!("CARGO_PKG_VERSION"))
        .disable_version_flag(true)
        .disable_help_flag(true)
        .arg(Arg::new("help").short('h').long("help").action(ArgAction::Help).help("Print this help"))
        .arg(Arg::new("version").long("version").action(ArgAction::Version).help("Print version"))
        .arg(flag("print-ascii", 'A', "Only print the text portion of data buffers"))
        .arg(flag("print-base64", 'b', "Print data buffers in base64"))
        .arg(
            Arg::new("chisel")
                .short('c')
                .long("chisel")
                .num_args(1)
                .action(ArgAction::Append)
                .help("Run the specified chisel; -cl lists the available chisels"),
        )
        .arg(Arg::new("list-chisels").long("list-chisels").action(ArgAction::SetTrue).help("List chisels"))
        .arg(value("file-size", 'C', "Start a new capture file every N million bytes (with -w)"))
        .arg(flag("displayflt", 'd', "Make the filter a display filter: applied after state parsing"))
        .arg(flag("debug", 'D', "Print internal events and debug messages"))
        .arg(flag("exclude-users", 'E', "Don't write the user list into the capture"))
        .arg(value("event-limit", 'e', "Start a new capture file every N events (with -w)"))
        .arg(flag("fatfile", 'F', "Accepted for sysdig compatibility (sysdig.run_app second runs pass it); no effect"))
        .arg(value("seconds", 'G', "Start a new capture file every N seconds (with -w)"))
        .arg(value("chisel-info", 'i', "Describe the specified chisel and its arguments"))
        .arg(flag("json", 'j', "Print events in JSON"))
        .arg(
            Arg::new("export")
                .long("export")
                .num_args(2)
                .value_names(["FORMAT", "DIR"])
                .help("Export the events of the -r captures (a path or a quoted pattern) to DIR: one parquet file per capture; -p picks the fields"),
        )
        .arg(flag("list", 'l', "List the fields usable in filters and -p"))
        .arg(flag("list-events", 'L', "List the events the engine supports"))
        .arg(Arg::new("list-markdown").long("list-markdown").action(ArgAction::SetTrue).help("List fields in markdown"))
        .arg(value("duration", 'M', "Stop collecting after N seconds"))
        .arg(value("numevents", 'n', "Stop after N events"))
        .arg(flag("progress", 'P', "Print progress on stderr while reading a file"))
        .arg(value("print", 'p', "Format events with this format string (-pc/-pk for containers)"))
        .arg(flag("quiet", 'q', "Don't print events on screen"))
        .arg(flag("resolve-ports", 'R', "Resolve port numbers to names"))
        .arg(value("readfile", 'r', "Read events from a capture file"))
        .arg(value("snaplen", 's', "Capture the first N bytes of each I/O buffer (default 80)"))
        .arg(flag("summary", 'S', "Print the event summary"))
        .arg(value("timetype", 't', "Timestamp type: h, a, r, d, D"))
        .arg(Arg::new("unbuffered").long("unbuffered").action(ArgAction::SetTrue).help("Flush after every event"))
        .arg(Arg::new("page-faults").long("page-faults").action(ArgAction::SetTrue).help("Capture user/kernel major/minor page faults"))
        .arg(flag("verbose", 'v', "Verbose output: full buffers, driver statistics at the end"))
        .arg(value("writefile", 'w', "Write the captured events to a file"))
        .arg(value("limit", 'W', "Keep at most N rotated capture files"))
        .arg(flag("print-hex", 'x', "Print data buffers in hex"))
        .arg(flag("print-hex-ascii", 'X', "Print data buffers in hex and ASCII"))
        .arg(flag("compress", 'z', "Compress the capture file with gzip"))
        .arg(Arg::new("lz4").long("lz4").action(ArgAction::SetTrue).help("Compress the capture file with lz4"))
        .arg(
            Arg::new("args")
                .num_args(0..)
                .action(ArgAction::Append)
                .allow_hyphen_values(false)
                .help("Filter expression (and chisel arguments)"),
        )
}

/// Entry point used by the binary; returns the process exit code.
pub fn main() -> i32 {
    let argv: Vec<String> = std::env::args().collect();
    let matches = match command().try_get_matches_from(&argv) {
        Ok(m) => m,
        Err(e) => {
            let code = if e.use_stderr() { 1 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    match options_from(&matches) {
        Ok(mut opts) => {
            set_chisel_next_words(&argv, &mut opts);
            runner::run(opts)
        }
        Err(msg) => {
            eprintln!("{msg}");
            1
        }
    }
}

fn parse_num<T: std::str::FromStr>(m: &ArgMatches, name: &str, what: &str) -> Result<Option<T>, String> {
    match m.get_one::<String>(name) {
        None => Ok(None),
        Some(s) => s.trim().parse::<T>().map(Some).map_err(|_| format!("invalid {what} {s}")),
    }
}

fn options_from(m: &ArgMatches) -> Result<Options, String> {
    let mut o = Options::default();
    let mut formats = 0;
    for (flag, fmt) in [
        ("print-ascii", BufFormat::Ascii),
        ("print-base64", BufFormat::Base64),
        ("print-hex", BufFormat::Hex),
        ("print-hex-ascii", BufFormat::HexAscii),
    ] {
        if m.get_flag(flag) {
            formats += 1;
            o.buf_format = fmt;
        }
    }
    if formats > 1 {
        return Err("you cannot specify more than one output format".into());
    }
    o.read_file = m.get_one::<String>("readfile").map(Into::into);
    o.write_file = m.get_one::<String>("writefile").map(Into::into);
    o.compress = m.get_flag("compress");
    o.lz4 = m.get_flag("lz4");
    o.json = m.get_flag("json");
    o.verbose = m.get_flag("verbose");
    o.quiet = m.get_flag("quiet") || o.write_file.is_some();
    o.debug = m.get_flag("debug");
    o.display_filter = m.get_flag("displayflt");
    o.unbuffered = m.get_flag("unbuffered");
    o.page_faults = m.get_flag("page-faults");
    o.progress = m.get_flag("progress");
    o.summary = m.get_flag("summary");
    o.exclude_users = m.get_flag("exclude-users");
    o.resolve_ports = m.get_flag("resolve-ports");
    o.list_fields = m.get_flag("list") || m.get_flag("list-markdown");
    o.list_markdown = m.get_flag("list-markdown");
    o.verbose_list = o.list_fields && o.verbose;
    o.list_events = m.get_flag("list-events");
    o.snaplen = parse_num(m, "snaplen", "snaplen")?;
    o.num_events = parse_num(m, "numevents", "number of events")?;
    o.duration_s = parse_num(m, "duration", "duration")?;
    o.rollover_mb = parse_num(m, "file-size", "file size")?;
    o.rollover_s = parse_num(m, "seconds", "duration")?;
    o.rollover_events = parse_num(m, "event-limit", "parameter 'number of events'")?;
    o.file_limit = parse_num(m, "limit", "file limit")?;
    if let Some(t) = m.get_one::<String>("timetype") {
        o.time_type = match t.as_str() {
            "h" => TimeType::Human,
            "a" => TimeType::Absolute,
            "r" => TimeType::Relative,
            "d" => TimeType::Delta,
            "D" => TimeType::DeltaSameThread,
            _ => return Err(format!("invalid modifier for flag -t: {t}")),
        };
    }
    if let Some(p) = m.get_one::<String>("print") {
        o.format = Some(p.clone());
    }
    if let Some(mut v) = m.get_many::<String>("export") {
        if let (Some(f), Some(d)) = (v.next(), v.next()) {
            o.export = Some((f.clone(), d.into()));
        }
    }
    o.chisel_info = m.get_one::<String>("chisel-info").cloned();
    o.list_chisels = m.get_flag("list-chisels");

    // Positional arguments with their command-line positions.
    let positional: Vec<(usize, String)> = match (m.indices_of("args"), m.get_many::<String>("args")) {
        (Some(ix), Some(vals)) => ix.zip(vals.cloned()).collect(),
        _ => Vec::new(),
    };
    // Chisels: the positional right after `-c NAME` is a candidate for its arguments.
    if let (Some(ix), Some(vals)) = (m.indices_of("chisel"), m.get_many::<String>("chisel")) {
        for (i, name) in ix.zip(vals) {
            if name == "l" {
                o.list_chisels = true;
                continue;
            }
            let next = positional.iter().position(|(p, _)| *p == i + 1);
            o.chisels.push(ChiselRequest {
                name: name.clone(),
                next_arg: next,
                next_word: None,
            });
        }
    }
    o.positional = positional.into_iter().map(|(_, s)| s).collect();
    Ok(o)
}

/// Records the raw word after each `-c NAME` / `--chisel NAME` (in order).
fn set_chisel_next_words(argv: &[String], o: &mut Options) {
    let mut words = Vec::new();
    let mut k = 1;
    while k < argv.len() {
        let a = argv[k].as_str();
        if a == "--" {
            break;
        }
        if a == "-c" || a == "--chisel" {
            if argv.get(k + 1).map(|s| s.as_str()) != Some("l") {
                words.push(argv.get(k + 2).cloned());
            }
            k += 2;
            continue;
        }
        if let Some(name) = a.strip_prefix("--chisel=").or_else(|| a.strip_prefix("-c").filter(|n| !n.is_empty())) {
            if name != "l" {
                words.push(argv.get(k + 1).cloned());
            }
        }
        k += 1;
    }
    if words.len() == o.chisels.len() {
        for (c, w) in o.chisels.iter_mut().zip(words) {
            c.next_word = w;
        }
    }
}
