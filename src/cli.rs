//! Command-line front end: turns sysdig-style arguments into [`Options`] and
//! runs the pipeline. This is the only module that knows about clap.
//!
//! sysdig parses its flags with GNU getopt, and its chisel arguments depend on
//! where `-c NAME` stands: the argument right after the chisel name may be
//! taken as the chisel's arguments. clap gives us each value's position on the
//! command line, which is all that rule needs.

use std::io::Write;

use clap::{Arg, ArgAction, ArgMatches, Command};

use crate::event::render::BufFormat;
use crate::runner::{self, ChiselRequest, Options, TimeType};

/// The `Output format` and `Examples` sections of `-h` (and of the man page).
const AFTER_HELP: &str = "\
Output format:
  By default each event is printed on one line:
    %evt.num %evt.outputtime %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.info
  -p FORMAT prints any fields listed by -l instead (%NNfield pads to NN columns;
  a leading * prints <NA> for missing fields instead of skipping the event).
  -pc/-pcontainer, -pk/-pkubernetes and -pm/-pmesos select the container,
  Kubernetes and Mesos presets; -pp prints the default format.
  -j prints JSON; -A, -b, -x, -X choose how data buffers are shown.

Examples:
  Read a capture file and print every event
    $ rchisel -r trace.scap
  Print the files opened by cat (modern kernels use openat)
    $ rchisel -r trace.scap -p \"%evt.arg.name\" \"proc.name=cat and evt.type in (open, openat)\"
  Capture live to a file (created 0600), rotating every 100 MB, keeping 5 files
    $ rchisel -w dump.scap -C 100 -W 5
  Count events by type
    $ rchisel -r trace.scap -S -q
  Run a chisel; list the chisels with -cl
    $ rchisel -r trace.scap -c topprocs_cpu
  Shell completions and the man page
    $ rchisel --completions bash > /etc/bash_completion.d/rchisel
    $ rchisel --man > rchisel.1

Environment:
  NO_COLOR            no colours in the default terminal output or in chisels
  RCHISEL_FILE_MODE   mode (octal) of capture files, default 0600 (see --file-mode)
  RCHISEL_CHISEL_DIR, SYSDIG_CHISEL_DIR   extra chisel folders (';'-separated)";

/// The order `-h`, the man page and the completions list the flags in:
/// sysdig 0.29.3's `-h` order, rchisel's own flags after it. The flags are
/// defined by group below; this list alone decides where each is shown.
const HELP_ORDER: [&str; 58] = [
    "help", "version", "print-ascii", "print-base64", "bpf", "chisel", "list-chisels", "file-size", "cri",
    "cri-timeout", "displayflt", "debug", "exclude-users", "event-limit", "fatfile", "filter-proclist", "seconds",
    "plugin", "input", "chisel-info", "json", "export", "k8s-api", "k8s-api-cert", "node-name", "list",
    "list-events", "libs-version", "large-environment", "list-markdown", "mesos-api", "duration", "numevents",
    "page-faults", "plugin-config-file", "progress", "print", "quiet", "resolve-ports", "readfile", "summary",
    "snaplen", "timetype", "force-tracers-capture", "unbuffered", "suppress-comm", "udig", "verbose", "writefile",
    "limit", "print-hex", "print-hex-ascii", "compress", "lz4", "file-mode", "completions", "man", "args",
];

/// The command-line definition: every flag of sysdig 0.29.3's `-h`, plus
/// rchisel's own (`--lz4`, `--file-mode`, `--completions`, `--man`).
pub fn command() -> Command {
    let mut args = [
        info_args(),
        input_args(),
        service_args(),
        output_args(),
        capture_file_args(),
        chisel_args(),
        export_args(),
    ]
    .concat();
    // Stable: flags missing from HELP_ORDER (a test forbids them) would keep
    // their group's order, at the end.
    args.sort_by_key(|a| HELP_ORDER.iter().position(|n| a.get_id() == *n).unwrap_or(HELP_ORDER.len()));
    Command::new("rchisel")
        .about("System exploration and troubleshooting: sysdig's core, in Rust")
        .version(env!("CARGO_PKG_VERSION"))
        .override_usage("rchisel [options] [-p <output_format>] [filter]")
        .after_help(AFTER_HELP)
        .disable_version_flag(true)
        .disable_help_flag(true)
        .args(args)
}

/// A `-X`/`--name` switch.
fn flag(name: &'static str, short: char, help: &'static str) -> Arg {
    Arg::new(name).short(short).long(name).action(ArgAction::SetTrue).help(help)
}

/// A `--name` switch without a short form.
fn long_flag(name: &'static str, help: &'static str) -> Arg {
    Arg::new(name).long(name).action(ArgAction::SetTrue).help(help)
}

/// A `-X VALUE`/`--name VALUE` option.
fn value(name: &'static str, short: char, help: &'static str) -> Arg {
    Arg::new(name).short(short).long(name).num_args(1).help(help)
}

/// A `--name VALUE` option without a short form.
fn long_value(name: &'static str, help: &'static str) -> Arg {
    Arg::new(name).long(name).num_args(1).help(help)
}

/// Flags that print something about rchisel itself and stop: help, version,
/// the field and event lists, the libs version, completions, the man page.
fn info_args() -> Vec<Arg> {
    vec![
        Arg::new("help").short('h').long("help").action(ArgAction::Help).help("Print this help"),
        Arg::new("version").long("version").action(ArgAction::Version).help("Print version"),
        flag("list", 'l', "List the fields usable in filters and -p"),
        flag("list-events", 'L', "List the events the engine supports"),
        long_flag("libs-version", "Print the falcosecurity/libs version this build follows"),
        long_flag("list-markdown", "List fields in markdown"),
        Arg::new("completions")
            .long("completions")
            .num_args(1)
            .value_parser(["bash", "zsh", "fish"])
            .help("Print a shell completion script"),
        long_flag("man", "Print the man page (roff)"),
    ]
}

/// Where events come from and which are kept: the capture file or the live
/// probe's settings, `-U`, `-E`, the stop conditions, plugins, and the
/// filter (positional).
fn input_args() -> Vec<Arg> {
    vec![
        value("readfile", 'r', "Read events from a capture file"),
        Arg::new("bpf")
            .short('B')
            .long("bpf")
            .num_args(0..=1)
            .require_equals(true)
            .value_name("bpf_probe")
            .help("Live capture with eBPF (always the case here; a probe path is not loaded)"),
        flag("udig", 'u', "udig capture (not available: the eBPF probe is used)"),
        value("snaplen", 's', "Capture the first N bytes of each I/O buffer (live; default 80)"),
        long_flag("page-faults", "Capture user/kernel major/minor page faults"),
        long_flag("large-environment", "Read environments larger than 4 KiB from /proc (live)"),
        flag("force-tracers-capture", 'T', "Capture full tracer buffers written to /dev/null"),
        flag("exclude-users", 'E', "Don't load the user/group tables (nor write them with -w)"),
        Arg::new("suppress-comm")
            .short('U')
            .long("suppress-comm")
            .num_args(1)
            .action(ArgAction::Append)
            .help("Ignore all events of processes with this comm (and their children)"),
        value("numevents", 'n', "Stop after N events"),
        value("duration", 'M', "Stop collecting after N seconds"),
        Arg::new("plugin")
            .short('H')
            .long("plugin")
            .num_args(1)
            .action(ArgAction::Append)
            .help("Register a plugin (plugins are not supported by this build)"),
        Arg::new("input").short('I').long("input").num_args(1).help("Use a plugin as input; -Il lists plugins"),
        long_value("plugin-config-file", "Plugin configuration (plugins are not supported by this build)"),
        Arg::new("args")
            .num_args(0..)
            .action(ArgAction::Append)
            .allow_hyphen_values(false)
            .help("Filter expression (and chisel arguments)"),
    ]
}

/// Container and orchestrator metadata services, which this build accepts
/// but does not query.
fn service_args() -> Vec<Arg> {
    vec![
        long_value("cri", "Path to a CRI socket for container metadata (not queried by this build)"),
        long_value("cri-timeout", "Wait at most N ms for the CRI (not queried by this build)"),
        value("k8s-api", 'k', "Kubernetes API server (not queried by this build)"),
        value("k8s-api-cert", 'K', "Kubernetes API credentials (not used by this build)"),
        long_value("node-name", "Kubernetes node name (not used by this build)"),
        value("mesos-api", 'm', "Mesos API server (not queried by this build)"),
    ]
}

/// How events are shown: the format, data buffers, JSON, timestamps, what
/// else is printed (debug, progress, summary, statistics).
fn output_args() -> Vec<Arg> {
    vec![
        value("print", 'p', "Format events with this format string (-pc, -pk, -pm presets; -pp shows the default)"),
        flag("json", 'j', "Print events in JSON"),
        flag("print-ascii", 'A', "Only print the text portion of data buffers"),
        flag("print-base64", 'b', "Print data buffers in base64"),
        flag("print-hex", 'x', "Print data buffers in hex"),
        flag("print-hex-ascii", 'X', "Print data buffers in hex and ASCII"),
        value("timetype", 't', "Timestamp type: h, a, r, d (enter/exit delta), D (delta from previous)"),
        flag("resolve-ports", 'R', "Resolve port numbers to names"),
        flag("displayflt", 'd', "Make the filter a display filter: applied after state parsing"),
        flag("quiet", 'q', "Don't print events on screen"),
        flag("debug", 'D', "Print internal events and debug messages"),
        long_flag("unbuffered", "Flush after every event"),
        flag("progress", 'P', "Print progress on stderr while reading a file"),
        flag("summary", 'S', "Print the event summary (top events) at the end"),
        flag("verbose", 'v', "Verbose output: full buffers, driver statistics at the end"),
    ]
}

/// Writing a capture file (`-w`): rotation, compression, file mode, and
/// what the filter leaves in it.
fn capture_file_args() -> Vec<Arg> {
    vec![
        value("writefile", 'w', "Write the captured events to a file (mode 0600, see --file-mode)"),
        value("file-size", 'C', "Start a new capture file every N million bytes (with -w)"),
        value("seconds", 'G', "Start a new capture file every N seconds (with -w)"),
        value("event-limit", 'e', "Start a new capture file every N events (with -w)"),
        value("limit", 'W', "Keep at most N rotated capture files"),
        flag("compress", 'z', "Compress the capture file with gzip"),
        long_flag("lz4", "Compress the capture file with lz4"),
        long_value("file-mode", "Mode (octal) of created capture files, default 0600 (env RCHISEL_FILE_MODE)"),
        flag("fatfile", 'F', "Fatfile mode: with -w and a filter, also write the state-changing events the filter drops, hidden when read"),
        long_flag("filter-proclist", "Apply the filter to the process table written with -w"),
    ]
}

/// Chisels: running them, listing and describing them.
fn chisel_args() -> Vec<Arg> {
    vec![
        Arg::new("chisel")
            .short('c')
            .long("chisel")
            .num_args(1)
            .action(ArgAction::Append)
            .help("Run the specified chisel; -cl lists the available chisels"),
        long_flag("list-chisels", "List chisels"),
        value("chisel-info", 'i', "Describe the specified chisel and its arguments"),
    ]
}

/// `--export`: captures to Parquet files.
fn export_args() -> Vec<Arg> {
    vec![Arg::new("export")
        .long("export")
        .num_args(2)
        .value_names(["FORMAT", "DIR"])
        .help("Export the events of the -r captures (a path or a quoted pattern) to DIR: one parquet file per capture; -p picks the fields")]
}

/// Entry point used by the binary; returns the process exit code.
pub fn main() -> i32 {
    let argv: Vec<String> = std::env::args().collect();
    // getopt's optional argument `B::` is attached (`-B/path/probe.o`); clap
    // takes it as `--bpf=PATH` (a separate word stays a filter word).
    let parse_argv: Vec<String> = argv
        .iter()
        .map(|a| match a.strip_prefix("-B") {
            Some(p) if !p.is_empty() && !a.starts_with("--") => format!("--bpf={p}"),
            _ => a.clone(),
        })
        .collect();
    let matches = match command().try_get_matches_from(&parse_argv) {
        Ok(m) => m,
        Err(e) => {
            let code = if e.use_stderr() { 1 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    if let Some(code) = early_exit(&matches) {
        return code;
    }
    match options_from(&matches) {
        Ok(mut opts) => {
            set_chisel_next_words(&argv, &mut opts);
            if let Err(msg) = check_services(&matches, &opts) {
                eprintln!("{msg}");
                return 1;
            }
            if let Err(msg) = set_file_mode(&matches) {
                eprintln!("{msg}");
                return 1;
            }
            runner::run(opts)
        }
        Err(msg) => {
            eprintln!("{msg}");
            1
        }
    }
}

/// Flags that print something and end the run before any capture:
/// `--completions`, `--man`, `--libs-version`, `-pp`, `-Il`, plugins.
fn early_exit(m: &ArgMatches) -> Option<i32> {
    let mut out = std::io::stdout();
    if let Some(shell) = m.get_one::<String>("completions") {
        let shell = match shell.as_str() {
            "bash" => clap_complete::Shell::Bash,
            "zsh" => clap_complete::Shell::Zsh,
            _ => clap_complete::Shell::Fish,
        };
        clap_complete::generate(shell, &mut command(), "rchisel", &mut out);
        return Some(0);
    }
    if m.get_flag("man") {
        return Some(match clap_mangen::Man::new(command()).render(&mut out) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("error writing the man page: {e}");
                1
            }
        });
    }
    if m.get_flag("libs-version") {
        // sysdig prints this without a newline; rchisel contains no libs
        // code, it follows the behaviour of this libs version.
        print!("falcosecurity/libs version 0.1.1dev+git20220316.e5c53d64");
        let _ = out.flush();
        return Some(0);
    }
    if m.get_one::<String>("print").map(String::as_str) == Some("p") {
        println!("{}", crate::sink::printer::default_format());
        return Some(0);
    }
    plugins(m)
}

/// sysdig's plugin flags: none can be loaded by this build; the messages for
/// a missing plugin are sysdig's.
fn plugins(m: &ArgMatches) -> Option<i32> {
    const PLUGIN_DIR: &str = "/usr/share/sysdig/plugins/";
    let find = |name: &str| -> Option<std::path::PathBuf> {
        let p = std::path::Path::new(name);
        if name.contains('/') {
            return p.is_file().then(|| p.to_path_buf());
        }
        [format!("{PLUGIN_DIR}lib{name}.so"), format!("{PLUGIN_DIR}{name}.so")]
            .into_iter()
            .map(std::path::PathBuf::from)
            .find(|p| p.is_file())
    };
    let unsupported = |what: &str| {
        eprintln!("rchisel: {what}: plugins are not supported by this build (it reads syscall captures only)");
        Some(1)
    };
    if let Some(file) = m.get_one::<String>("plugin-config-file") {
        if std::fs::metadata(file).is_err() {
            eprintln!("could not read or find configuration file {file}: bad file: {file}");
            return Some(1);
        }
        return unsupported(file);
    }
    // The first -H decides: not found, or found but unsupported.
    if let Some(spec) = m.get_many::<String>("plugin").and_then(|mut l| l.next()) {
        let name = spec.split(':').next().unwrap_or("");
        if find(name).is_none() {
            eprintln!("plugin {name} not found. Use -Il to list all installed plugins.");
            return Some(1);
        }
        return unsupported(name);
    }
    if let Some(spec) = m.get_one::<String>("input") {
        if spec == "l" {
            print!("Plugin search paths are: {PLUGIN_DIR} \n0 Plugins Loaded:\n\n\n");
            return Some(0);
        }
        let name = spec.split(':').next().unwrap_or("");
        if find(name).is_none() {
            eprintln!("plugin {name} not loaded. Use -H to load it.");
            return Some(1);
        }
        return unsupported(name);
    }
    None
}

/// Flags that need a service this build does not talk to: they parse, and
/// the run says on stderr what is not available. Also sysdig's own checks
/// of `--filter-proclist` and `-P`.
fn check_services(m: &ArgMatches, o: &Options) -> Result<(), String> {
    let live = o.read_file.is_none();
    let note = |s: String| eprintln!("rchisel: {s}");
    if live {
        if m.contains_id("k8s-api") || std::env::var_os("SYSDIG_K8S_API").is_some() {
            note("Kubernetes metadata (-k) is not fetched by this build: k8s.* fields stay <NA>".into());
        }
        if let Some(p) = m.get_one::<String>("cri") {
            note(format!("the CRI socket {p} is not queried by this build: container metadata comes from cgroups only"));
        }
        if let Some(p) = m.get_one::<String>("bpf") {
            note(format!("live capture uses rchisel's own eBPF probe; {p} is not loaded"));
        }
        if m.get_flag("udig") {
            note("udig capture is not available: the eBPF probe is used".into());
        }
        if o.progress {
            return Err("the -P flag cannot be used with live captures.".into());
        }
    }
    if !m.contains_id("mesos-api") && std::env::var_os("SYSDIG_MESOS_API").is_some() {
        note("Mesos metadata (-m) is not fetched by this build: mesos.* fields stay <NA>".into());
    }
    if m.get_flag("filter-proclist") {
        let has_filter = o.positional.len() > o.chisels.iter().filter(|c| c.next_arg.is_some()).count();
        if !has_filter {
            return Err("you must specify a filter if you use --filter-proclist.".into());
        }
        if live {
            return Err("--filter-proclist not supported with live captures.".into());
        }
    }
    Ok(())
}

/// The mode of created capture files: `--file-mode`, else
/// `RCHISEL_FILE_MODE`, else 0600. With the default, the umask also gains
/// 077, so that files chisels write are private too.
fn set_file_mode(m: &ArgMatches) -> Result<(), String> {
    let asked = m.get_one::<String>("file-mode").cloned().or_else(|| std::env::var("RCHISEL_FILE_MODE").ok());
    match asked {
        Some(s) => {
            let mode = u32::from_str_radix(s.trim().trim_start_matches("0o"), 8)
                .ok()
                .filter(|m| *m <= 0o777)
                .ok_or_else(|| format!("invalid file mode {s} (expected octal, like 0640)"))?;
            crate::sink::writer::set_create_mode(mode);
        }
        None => {
            // SAFETY: umask only changes this process's file creation mask.
            unsafe {
                let old = libc::umask(0o077);
                libc::umask(old | 0o077);
            }
        }
    }
    Ok(())
}

/// The number given to flag `name`, if any; `invalid WHAT VALUE` when it is not one.
fn parse_num<T: std::str::FromStr>(m: &ArgMatches, name: &str, what: &str) -> Result<Option<T>, String> {
    match m.get_one::<String>(name) {
        None => Ok(None),
        Some(s) => s.trim().parse::<T>().map(Some).map_err(|_| format!("invalid {what} {s}")),
    }
}

/// [`Options`] from the parsed flags, group by group; the first invalid
/// value stops it with its message.
fn options_from(m: &ArgMatches) -> Result<Options, String> {
    let mut o = Options { buf_format: buf_format(m)?, ..Options::default() };
    input_options(m, &mut o)?;
    capture_file_options(m, &mut o)?;
    output_options(m, &mut o)?;
    list_options(m, &mut o);
    chisel_options(m, &mut o);
    Ok(o)
}

/// `-A`, `-b`, `-x`, `-X`: how data buffers are shown; at most one of them.
fn buf_format(m: &ArgMatches) -> Result<BufFormat, String> {
    let mut chosen = BufFormat::default();
    let mut formats = 0;
    for (flag, fmt) in [
        ("print-ascii", BufFormat::Ascii),
        ("print-base64", BufFormat::Base64),
        ("print-hex", BufFormat::Hex),
        ("print-hex-ascii", BufFormat::HexAscii),
    ] {
        if m.get_flag(flag) {
            formats += 1;
            chosen = fmt;
        }
    }
    if formats > 1 {
        return Err("you cannot specify more than one output format".into());
    }
    Ok(chosen)
}

/// The input's options: the capture file or the live probe's settings,
/// what is dropped (`-E`, `-U`), the Mesos master, and when to stop.
fn input_options(m: &ArgMatches, o: &mut Options) -> Result<(), String> {
    o.read_file = m.get_one::<String>("readfile").map(Into::into);
    o.exclude_users = m.get_flag("exclude-users");
    // sysdig sets the snaplen on the driver only: reading a file ignores it.
    o.snaplen = parse_num(m, "snaplen", "snaplen")?.filter(|_| o.read_file.is_none());
    o.suppress_comms = m.get_many::<String>("suppress-comm").map(|v| v.cloned().collect()).unwrap_or_default();
    o.page_faults = m.get_flag("page-faults");
    o.large_environment = m.get_flag("large-environment");
    o.mesos_api = m.get_one::<String>("mesos-api").cloned();
    o.force_tracers = m.get_flag("force-tracers-capture");
    o.num_events = parse_num(m, "numevents", "number of events")?;
    o.duration_s = parse_num(m, "duration", "duration")?;
    Ok(())
}

/// `-w` and what shapes its files: compression, rotation, `-F`,
/// `--filter-proclist`; and `--export`.
fn capture_file_options(m: &ArgMatches, o: &mut Options) -> Result<(), String> {
    o.write_file = m.get_one::<String>("writefile").map(Into::into);
    o.compress = m.get_flag("compress");
    o.lz4 = m.get_flag("lz4");
    o.fatfile = m.get_flag("fatfile");
    o.filter_proclist = m.get_flag("filter-proclist");
    o.rollover_mb = parse_num(m, "file-size", "file size")?;
    o.rollover_s = parse_num(m, "seconds", "duration")?;
    o.rollover_events = parse_num(m, "event-limit", "parameter 'number of events'")?;
    o.file_limit = parse_num(m, "limit", "file limit")?;
    if let Some(mut v) = m.get_many::<String>("export") && let (Some(f), Some(d)) = (v.next(), v.next()) {
        o.export = Some((f.clone(), d.into()));
    }
    Ok(())
}

/// What is printed and how: the event format, JSON, timestamps, `-q` (also
/// with `-w`), `-d`, and what is reported besides the events.
fn output_options(m: &ArgMatches, o: &mut Options) -> Result<(), String> {
    o.json = m.get_flag("json");
    o.verbose = m.get_flag("verbose");
    o.quiet = m.get_flag("quiet") || o.write_file.is_some();
    o.debug = m.get_flag("debug");
    o.display_filter = m.get_flag("displayflt");
    o.unbuffered = m.get_flag("unbuffered");
    o.progress = m.get_flag("progress");
    // sysdig shows its progress when it copies a file (-r with -w).
    o.progress |= o.write_file.is_some() && o.read_file.is_some();
    o.summary = m.get_flag("summary");
    o.resolve_ports = m.get_flag("resolve-ports");
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
    Ok(())
}

/// `-l`, `--list-markdown` (`-v` with them: verbose), `-L`.
fn list_options(m: &ArgMatches, o: &mut Options) {
    o.list_fields = m.get_flag("list") || m.get_flag("list-markdown");
    o.list_markdown = m.get_flag("list-markdown");
    o.verbose_list = o.list_fields && o.verbose;
    o.list_events = m.get_flag("list-events");
}

/// The `-c` chisels with the positional each may take as its arguments,
/// `-cl`/`--list-chisels`, `-i`, and the positionals themselves.
fn chisel_options(m: &ArgMatches, o: &mut Options) {
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
        if let Some(name) = a.strip_prefix("--chisel=").or_else(|| a.strip_prefix("-c").filter(|n| !n.is_empty()))
            && name != "l"
        {
            words.push(argv.get(k + 1).cloned());
        }
        k += 1;
    }
    if words.len() == o.chisels.len() {
        for (c, w) in o.chisels.iter_mut().zip(words) {
            c.next_word = w;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every flag has its place in HELP_ORDER, and every name there is a flag.
    #[test]
    fn help_order_names_every_flag_once() {
        let cmd = command();
        cmd.clone().debug_assert();
        let ids: Vec<&str> = cmd.get_arguments().map(|a| a.get_id().as_str()).collect();
        assert_eq!(ids, HELP_ORDER, "flags missing from HELP_ORDER, or HELP_ORDER naming no flag");
    }
}
