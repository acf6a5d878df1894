//! File rotation for `-w` with `-C` (size), `-G` (seconds), `-W` (file
//! count) and `-e` (events per file), naming files the way sysdig 0.29.3's
//! cycle writer does:
//!
//! - `-G` with a `%` in the name: the name is an `strftime` pattern applied to
//!   the local time of the rotation; with `-W` the file that falls out of the
//!   window is deleted. Reading a file (not live), the very first file is
//!   called `first_dump.scap` (a quirk sysdig has).
//! - `-G` without `%`: base name + file index (`cap0`, `cap1`, ...).
//! - `-C`: an index zero-padded to the number of digits of `-W` is appended
//!   (`cap0`, `cap1`, ... or `cap00`.. with `-W 10..99`).
//! - `-e`: base name + index.
//! - With `-W` the index wraps to 0 after `-W` files (older files are overwritten).
//!
//! `-M` (stop after N seconds) needs no rotation and is left to the caller.

/// Rotation settings.
#[derive(Clone, Debug, Default)]
pub struct CycleConfig {
    /// The `-w` file name (or strftime pattern).
    pub base: String,
    /// `-C`: megabytes (10^6 bytes) per file, 0 = no limit.
    pub rollover_mb: u64,
    /// `-G`: seconds per file, 0 = no limit.
    pub duration_secs: u64,
    /// `-W`: number of files kept, 0 = unlimited.
    pub file_limit: u32,
    /// `-e`: events per file, 0 = no limit.
    pub event_limit: u64,
    /// Live capture (true) or reading a file (false).
    pub live: bool,
}

/// What to do with the event being considered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Keep writing to the current file.
    Same,
    /// Close the current file and continue in the named one.
    NewFile(String),
}

/// Rotation state machine; feed it every event before writing it.
#[derive(Debug)]
pub struct Cycle {
    cfg: CycleConfig,
    last_time: i64,
    file_index: u32,
    event_count: u64,
    past_names: Vec<String>,
    current: String,
    /// Why the last rotation happened (sysdig's wording).
    pub last_reason: &'static str,
}

impl Cycle {
    /// Starts rotation; [`Cycle::current_file`] names the first file.
    pub fn new(cfg: CycleConfig) -> Cycle {
        let past = if cfg.duration_secs > 0 && cfg.file_limit > 0 {
            vec![String::new(); cfg.file_limit as usize]
        } else {
            Vec::new()
        };
        let mut c = Cycle {
            cfg,
            last_time: 0,
            file_index: 0,
            event_count: 0,
            past_names: past,
            current: String::new(),
            last_reason: "",
        };
        if !c.cfg.live && c.cfg.duration_secs > 0 && c.cfg.base.contains('%') {
            c.current = "first_dump.scap".to_string();
        } else {
            if c.cfg.live {
                c.last_time = now_secs();
            }
            c.next_file();
        }
        c
    }

    /// Name of the file being written.
    pub fn current_file(&self) -> &str {
        &self.current
    }

    /// Considers one event (timestamp in ns) given the bytes written to the
    /// current file so far.
    pub fn consider(&mut self, ts_ns: u64, bytes_written: u64) -> Decision {
        self.event_count += 1;
        if self.cfg.duration_secs > 0 {
            let t = (ts_ns / 1_000_000_000) as i64;
            if self.last_time == 0 {
                self.last_time = t;
            }
            if t - self.last_time >= self.cfg.duration_secs as i64 {
                self.last_time = t;
                self.last_reason = "Maximum Time Reached";
                return self.next_file();
            }
        }
        if self.cfg.rollover_mb > 0 && bytes_written > self.cfg.rollover_mb * 1_000_000 {
            self.last_reason = "Maximum File Size Reached";
            return self.next_file();
        }
        if self.cfg.event_limit > 0 && self.event_count >= self.cfg.event_limit {
            self.event_count = 0;
            self.last_reason = "Maximum Event Number Reached";
            return self.next_file();
        }
        Decision::Same
    }

    fn next_file(&mut self) -> Decision {
        if self.cfg.file_limit > 0 && self.file_index >= self.cfg.file_limit {
            self.file_index = 0;
        }
        let mut name;
        if self.cfg.duration_secs > 0 {
            if self.cfg.base.contains('%') {
                name = strftime_local(&self.cfg.base, self.last_time);
                if self.cfg.file_limit > 0 {
                    let slot = &mut self.past_names[self.file_index as usize];
                    if !slot.is_empty() {
                        let _ = std::fs::remove_file(&*slot);
                    }
                    *slot = name.clone();
                }
            } else {
                name = format!("{}{}", self.cfg.base, self.file_index);
            }
        } else {
            name = self.cfg.base.clone();
        }
        if self.cfg.rollover_mb > 0 {
            let digits = digit_count(self.cfg.file_limit);
            if digits == 0 {
                name.push_str(&self.file_index.to_string());
            } else {
                name.push_str(&format!("{:0width$}", self.file_index, width = digits));
            }
        }
        if self.cfg.event_limit > 0 {
            name = format!("{}{}", self.cfg.base, self.file_index);
        }
        self.file_index += 1;
        self.current = name.clone();
        Decision::NewFile(name)
    }
}

fn digit_count(mut n: u32) -> usize {
    let mut d = 0;
    while n > 0 {
        d += 1;
        n /= 10;
    }
    d
}

fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// `strftime(pattern, localtime(t))` through the C library.
fn strftime_local(pattern: &str, t: i64) -> String {
    let Ok(fmt) = std::ffi::CString::new(pattern) else {
        return pattern.to_string();
    };
    let mut out = vec![0u8; 4096];
    // SAFETY: `tm` is fully written by localtime_r before use; `out` is a
    // writable buffer of the size passed, and `fmt` is NUL-terminated.
    unsafe {
        let tt: libc::time_t = t as libc::time_t;
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&tt, &mut tm).is_null() {
            return pattern.to_string();
        }
        let n = libc::strftime(out.as_mut_ptr() as *mut libc::c_char, out.len(), fmt.as_ptr(), &tm);
        out.truncate(n);
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A [`super::ScapWriter`] that follows a [`Cycle`]: before each event it asks
/// the policy, and on rotation finishes the current file and starts the next
/// one with the header tables set by [`RotatingWriter::set_header`] (the
/// caller keeps them current, as sysdig dumps its live state into each file).
pub struct RotatingWriter {
    cycle: Cycle,
    compression: super::Compression,
    header: Vec<crate::source::Record>,
    /// Events every file starts with, after the tables (container events).
    preamble: Vec<OwnedEvent>,
    current: Option<super::ScapWriter>,
    files: Vec<String>,
}

/// An event kept by the writer to start each new file with.
struct OwnedEvent {
    cpu: u16,
    ts: u64,
    tid: i64,
    etype: u16,
    nparams: u32,
    flags: u32,
    large: bool,
    body: Vec<u8>,
}

impl OwnedEvent {
    fn of(e: &crate::event::Event<'_>) -> OwnedEvent {
        OwnedEvent {
            cpu: e.cpu,
            ts: e.ts,
            tid: e.tid,
            etype: e.etype,
            nparams: e.nparams,
            flags: e.flags,
            large: e.large,
            body: e.body.to_vec(),
        }
    }

    fn event(&self) -> crate::event::Event<'_> {
        crate::event::Event {
            num: 0,
            cpu: self.cpu,
            ts: self.ts,
            tid: self.tid,
            etype: self.etype,
            nparams: self.nparams,
            flags: self.flags,
            large: self.large,
            body: &self.body,
        }
    }
}

impl RotatingWriter {
    /// Opens the first file named by the policy.
    pub fn new(
        cfg: CycleConfig,
        compression: super::Compression,
        header: Vec<crate::source::Record>,
    ) -> std::io::Result<RotatingWriter> {
        let cycle = Cycle::new(cfg);
        let mut w =
            RotatingWriter { cycle, compression, header, preamble: Vec::new(), current: None, files: Vec::new() };
        let first = w.cycle.current_file().to_string();
        w.open(&first)?;
        Ok(w)
    }

    fn open(&mut self, name: &str) -> std::io::Result<()> {
        if let Some(old) = self.current.take() {
            old.finish()?;
        }
        // Live captures write on a thread that flushes every second.
        let mut w = if self.cycle.cfg.live {
            super::ScapWriter::new_background(super::create_private(std::path::Path::new(name))?, self.compression)?
        } else {
            super::ScapWriter::create(name, self.compression)?
        };
        w.write_records(&self.header)?;
        for e in &self.preamble {
            w.write_event(&e.event())?;
        }
        self.current = Some(w);
        self.files.push(name.to_string());
        Ok(())
    }

    /// Replaces the tables written at the start of the next file.
    pub fn set_header(&mut self, header: Vec<crate::source::Record>) {
        self.header = header;
    }

    /// Writes `e` into the current file now and at the start of every later
    /// file, after the tables (as libsinsp dumps its containers into each
    /// file it opens).
    /// An event already kept (same type and parameters) is not kept twice.
    pub fn write_preamble_event(&mut self, e: &crate::event::Event<'_>) -> std::io::Result<()> {
        if !self.preamble.iter().any(|p| p.etype == e.etype && p.body == e.body) {
            self.preamble.push(OwnedEvent::of(e));
        }
        match self.current.as_mut() {
            Some(w) => w.write_event(e),
            None => Err(std::io::Error::other("writer closed")),
        }
    }

    /// Writes one event, rotating first when the policy says so.
    pub fn write_event(&mut self, e: &crate::event::Event<'_>) -> std::io::Result<()> {
        let written = self.current.as_ref().map(|w| w.bytes_written()).unwrap_or(0);
        if let Decision::NewFile(name) = self.cycle.consider(e.ts, written) {
            self.open(&name)?;
        }
        match self.current.as_mut() {
            Some(w) => w.write_event(e),
            None => Err(std::io::Error::other("writer closed")),
        }
    }

    /// Every file opened so far, in order (names repeat when `-W` wraps).
    pub fn files(&self) -> &[String] {
        &self.files
    }

    /// Finishes the current file.
    pub fn finish(mut self) -> std::io::Result<()> {
        match self.current.take() {
            Some(w) => w.finish(),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_rotation_pads_to_file_limit_digits() {
        let mut c = Cycle::new(CycleConfig {
            base: "cap".into(),
            rollover_mb: 1,
            file_limit: 12,
            ..Default::default()
        });
        assert_eq!(c.current_file(), "cap00");
        assert_eq!(c.consider(1, 10), Decision::Same);
        assert_eq!(c.consider(1, 1_000_001), Decision::NewFile("cap01".into()));
    }

    #[test]
    fn file_limit_wraps_index() {
        let mut c = Cycle::new(CycleConfig {
            base: "x".into(),
            rollover_mb: 1,
            file_limit: 2,
            ..Default::default()
        });
        assert_eq!(c.current_file(), "x0");
        assert_eq!(c.consider(1, 2_000_000), Decision::NewFile("x1".into()));
        assert_eq!(c.consider(1, 2_000_000), Decision::NewFile("x0".into()));
    }

    #[test]
    fn time_rotation_without_pattern_counts() {
        let mut c = Cycle::new(CycleConfig { base: "t".into(), duration_secs: 5, ..Default::default() });
        assert_eq!(c.current_file(), "t0");
        assert_eq!(c.consider(100_000_000_000, 0), Decision::Same);
        assert_eq!(c.consider(104_000_000_000, 0), Decision::Same);
        assert_eq!(c.consider(105_000_000_000, 0), Decision::NewFile("t1".into()));
    }

    #[test]
    fn time_pattern_reading_file_starts_with_first_dump() {
        let c = Cycle::new(CycleConfig { base: "c-%H".into(), duration_secs: 5, ..Default::default() });
        assert_eq!(c.current_file(), "first_dump.scap");
    }

    #[test]
    fn event_limit_names() {
        let mut c = Cycle::new(CycleConfig { base: "e".into(), event_limit: 2, ..Default::default() });
        assert_eq!(c.current_file(), "e0");
        assert_eq!(c.consider(1, 0), Decision::Same);
        assert_eq!(c.consider(1, 0), Decision::NewFile("e1".into()));
    }
}
