//! The capture writer (`-w`, with `-C`/`-G`/`-W`/`-E` rotation) as a [`Sink`].
//!
//! The file is opened at the first matched event, with the header records
//! read until then; a capture with no matching event still gets a file with
//! its header tables.
//!
//! Containers travel as container JSON events (PPME_CONTAINER_JSON_2_E, tid
//! -1), as libsinsp's dumper writes them: every container known when the
//! file opens right after the tables, and each container met later just
//! before the first written event of a thread in it. Both rchisel and
//! sysdig 0.29.3 read `container.name`, `container.image`... back from them.

use super::writer::cycle::{CycleConfig, RotatingWriter};
use super::writer::Compression;
use super::{Flow, Sink, SinkError};
use crate::fields::EvalCtx;
use crate::source::Record;
use crate::state::State;

/// libs' PPME_CONTAINER_JSON_2_E (one large-payload string parameter).
const CONTAINER_JSON_2_E: u16 = 324;
/// libs' PPME_CONTAINER_JSON_E (the same with a 16-bit length).
const CONTAINER_JSON_E: u16 = 272;

/// Writes every matched event to a scap file.
pub struct CaptureSink {
    cfg: CycleConfig,
    compression: Compression,
    header: Vec<Record>,
    writer: Option<RotatingWriter>,
    fatfile: bool,
    /// Containers whose JSON event is in the file (by `container.id`).
    containers: rustc_hash::FxHashSet<String>,
    /// `--filter-proclist`: the filter the thread table is cut down with.
    proclist_filter: Option<crate::filter::Filter>,
}


impl CaptureSink {
    /// Writes to the files named by `cfg` (its `base` is the `-w` path).
    pub fn new(cfg: CycleConfig, compression: Compression) -> CaptureSink {
        CaptureSink {
            cfg,
            compression,
            header: Vec::new(),
            writer: None,
            fatfile: false,
            containers: Default::default(),
            proclist_filter: None,
        }
    }

    /// sysdig's fatfile mode (`-F`): events the filter rejected that change
    /// the state (`EF_MODIFIES_STATE`: clone, execve, open, close...) are
    /// written too, flagged state-only, so that a reader rebuilds the same
    /// threads and fds but shows only the matched events.
    pub fn fatfile(mut self, on: bool) -> CaptureSink {
        self.fatfile = on;
        self
    }

    /// sysdig's `--filter-proclist`: only the threads with an fd the filter
    /// matches, and only those fds, go into the file's tables.
    pub fn proclist_filter(mut self, filter: Option<crate::filter::Filter>) -> CaptureSink {
        self.proclist_filter = filter;
        self
    }

    fn write(&mut self, ev: &crate::event::Event<'_>, st: &State) -> Result<(), SinkError> {
        if self.writer.is_none() {
            self.writer = Some(self.open()?);
            // libsinsp's dump_containers: every container known at the start.
            let mut known: Vec<&str> = st.containers.by_id.keys().map(String::as_str).collect();
            known.sort_unstable();
            for id in known {
                self.write_container(id, ev.ts, st)?;
            }
        }
        if ev.etype == CONTAINER_JSON_E || ev.etype == CONTAINER_JSON_2_E {
            // Passed on from the input: that container is described, in this
            // file and at the start of the next ones.
            if let Some(c) = ev.param(0).and_then(|j| crate::state::container::from_json(&String::from_utf8_lossy(j))) {
                self.containers.insert(c.id);
            }
            if let Some(w) = self.writer.as_mut() {
                w.write_preamble_event(ev).map_err(|e| SinkError::Failed(format!("error writing {}: {e}", self.cfg.base)))?;
            }
            return Ok(());
        } else if let Some(t) = st.thread(ev.tid)
            && !t.container_id.is_empty() && !self.containers.contains(&t.container_id)
        {
            let id = t.container_id.clone();
            self.write_container(&id, ev.ts, st)?;
        }
        if let Some(w) = self.writer.as_mut() {
            w.write_event(ev).map_err(|e| SinkError::Failed(format!("error writing {}: {e}", self.cfg.base)))?;
        }
        Ok(())
    }

    /// Writes the container JSON event of container `id` (once per capture).
    fn write_container(&mut self, id: &str, ts: u64, st: &State) -> Result<(), SinkError> {
        self.containers.insert(id.to_string());
        let Some(json) = st.containers.get(id).and_then(crate::state::container::to_json) else { return Ok(()) };
        let mut body = Vec::with_capacity(json.len() + 5);
        body.extend_from_slice(&(json.len() as u32 + 1).to_le_bytes());
        body.extend_from_slice(json.as_bytes());
        body.push(0);
        let ev = crate::event::Event {
            num: 0,
            cpu: 0,
            ts,
            tid: -1,
            etype: CONTAINER_JSON_2_E,
            nparams: 1,
            flags: 0,
            large: true,
            body: &body,
        };
        if let Some(w) = self.writer.as_mut() {
            w.write_preamble_event(&ev).map_err(|e| SinkError::Failed(format!("error writing {}: {e}", self.cfg.base)))?;
        }
        Ok(())
    }

    fn open(&mut self) -> Result<RotatingWriter, SinkError> {
        RotatingWriter::new(self.cfg.clone(), self.compression, std::mem::take(&mut self.header))
            .map_err(|e| SinkError::Failed(format!("{}: {e}", self.cfg.base)))
    }
}

/// The header tables as libsinsp writes them with `--filter-proclist`: each
/// fd of the tables is tried as a read exit event of its thread on that fd
/// (no parameters, time 0); a thread is kept when one of its fds matches,
/// with the fds that match. Other tables stay whole.
fn filter_proclist(header: Vec<Record>, filter: &crate::filter::Filter, st: &State) -> Vec<Record> {
    const READ_X: u16 = 7;
    let mut scratch = crate::fields::Scratch::default();
    let mut fds = rustc_hash::FxHashSet::default();
    let mut tids = rustc_hash::FxHashSet::default();
    for r in &header {
        let Record::Fd(fd) = r else { continue };
        let ev = crate::event::Event { num: 0, cpu: 0, ts: 0, tid: fd.tid, etype: READ_X, nparams: 0, flags: 0, large: false, body: &[] };
        let meta = crate::state::EventMeta {
            fd: fd.fd,
            fdinfo_fd: fd.fd,
            has_thread: st.thread(fd.tid).is_some(),
            ..Default::default()
        };
        if filter.matches(&mut EvalCtx::new(&ev, &meta, st, &mut scratch, 0)) {
            fds.insert((fd.tid, fd.fd));
            tids.insert(fd.tid);
        }
    }
    header
        .into_iter()
        .filter(|r| match r {
            Record::Process(p) => tids.contains(&p.tid),
            Record::Fd(fd) => fds.contains(&(fd.tid, fd.fd)),
            _ => true,
        })
        .collect()
}

impl Sink for CaptureSink {
    fn begin(&mut self, st: &State) -> Result<(), SinkError> {
        // The tables as they are before the first event.
        if let Some(f) = self.proclist_filter.take() {
            self.header = filter_proclist(std::mem::take(&mut self.header), &f, st);
        }
        Ok(())
    }

    fn record(&mut self, rec: &Record) {
        // Records met after the file is open are not written (as before).
        if self.writer.is_none() {
            self.header.push(rec.clone());
        }
    }

    fn matched(&mut self, ctx: &mut EvalCtx<'_>) -> Result<Flow, SinkError> {
        self.write(ctx.ev, ctx.state)?;
        Ok(Flow::Continue)
    }

    fn unmatched(&mut self, ctx: &mut EvalCtx<'_>) -> Result<(), SinkError> {
        if !self.fatfile {
            return Ok(());
        }
        let modifies = ctx.ev.info().map(|i| i.flags & crate::event::consts::EF_MODIFIES_STATE != 0).unwrap_or(false);
        if !modifies {
            return Ok(());
        }
        let hidden = crate::event::Event { flags: ctx.ev.flags | crate::event::Event::DF_STATE_ONLY, ..*ctx.ev };
        self.write(&hidden, ctx.state)
    }

    fn finish(&mut self, st: &State) -> Result<(), SinkError> {
        self.begin(st)?;
        let w = match self.writer.take() {
            Some(w) => w,
            None => self.open()?,
        };
        w.finish().map_err(|e| SinkError::Failed(format!("error closing {}: {e}", self.cfg.base)))
    }
}
