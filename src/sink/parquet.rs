//! The Parquet sink: each matched event becomes one row of a Parquet file,
//! written with the Apache Arrow crates (`arrow-array`, `parquet`).
//!
//! Columns are fields of the one field registry, so a value is exactly what
//! `-p %field` prints for the same event (the same state engine computes it);
//! only the type changes:
//!
//! | field | Arrow type |
//! |---|---|
//! | `evt.time` | `Timestamp(µs, "UTC")`: the event's timestamp to the microsecond, which every engine reads (Spark refuses nanosecond timestamps); `evt.rawtime` (a default column) keeps the nanoseconds |
//! | booleans (`evt.failed`...) | `Boolean` |
//! | integers printed in decimal (`evt.num`, `proc.pid`, `evt.rawres`, `fd.sport`, `evt.latency`...) | `Int64` |
//! | `DOUBLE` fields | `Float64` |
//! | everything else (names, paths, addresses, `evt.info`...) | `Utf8`: the `-p` text, dictionary-encoded in the file |
//!
//! `capture` and `hostname` are `Dictionary(Int32, Utf8)` (one value per
//! file). `evt.num`, `evt.time` and `evt.rawtime` are stored with delta
//! encoding (they grow with every row), other columns with dictionaries
//! (Parquet falls back to plain pages past 1 MiB of dictionary); pages are
//! snappy-compressed.
//!
//! A field that does not apply to an event (`<NA>` in `-p`) is null. Two
//! more columns say where the row comes from: `capture` (the capture file's
//! name) and `hostname` (from its machine-info block). Column names are the
//! field names with `.` and brackets turned into `_` (`proc.name` →
//! `proc_name`), so SQL engines take them unquoted; each Arrow field keeps
//! the original name in its `rchisel.field` metadata.
//!
//! The file's key-value metadata holds `rchisel.capture`, `rchisel.hostname`,
//! `rchisel.machine` (JSON: CPUs, memory, max pid, boot time),
//! `rchisel.filter` and `rchisel.fields`.
//!
//! Rows are buffered in Arrow builders and handed to the Parquet writer every
//! [`ParquetOpts::batch_rows`] rows; the writer closes a row group every
//! [`ParquetOpts::row_group_rows`] rows (or [`ParquetOpts::row_group_bytes`]),
//! so memory stays flat whatever the capture's size.

use std::fs::File;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Float64Builder, Int64Builder, StringBuilder, StringDictionaryBuilder, TimestampMicrosecondBuilder,
};
use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field as ArrowField, Schema, SchemaRef, TimeUnit};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, Encoding};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;

use super::{Flow, Sink, SinkError};
use crate::event::render::RenderOpts;
use crate::fields::{EvalCtx, FType, Fid, Field, PFmt, Registry, TimeType, Val as Value};
use crate::state::State;

/// The default columns: the fields people filter on most (`fd.num` and
/// `evt.is_io` included, so per-fd and I/O questions need no re-export).
pub const DEFAULT_FIELDS: &[&str] = &[
    "evt.num",
    "evt.time",
    "evt.rawtime",
    "evt.type",
    "evt.dir",
    "evt.res",
    "evt.rawres",
    "evt.failed",
    "evt.latency",
    "evt.is_io",
    "proc.name",
    "proc.pid",
    "thread.tid",
    "proc.exe",
    "proc.cmdline",
    "user.name",
    "fd.num",
    "fd.name",
    "fd.type",
    "fd.sip",
    "fd.cip",
    "fd.sport",
    "fd.cport",
    "container.id",
    "evt.info",
];

/// How a column is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `Timestamp(µs, UTC)` of the event (`evt.time`).
    Time,
    /// `Int64` from the field's integer value.
    Int,
    /// `Boolean`.
    Bool,
    /// `Float64`.
    Float,
    /// UTF-8: the `-p` text.
    Text,
}

impl Kind {
    /// The Arrow type of a field, as the table in the module docs says.
    pub fn of(f: &Field) -> Kind {
        use FType::*;
        if f.id == Fid::EvtTime {
            return Kind::Time;
        }
        match f.def.ftype {
            Bool => Kind::Bool,
            Double => Kind::Float,
            Int8 | Int16 | Int32 | Int64 | Uint8 | Uint16 | Uint32 | Uint64 | Errno | Fd | Pid | RelTime
            | AbsTime | Port | Uid | Gid
                if matches!(f.def.pfmt, PFmt::Dec | PFmt::Id) =>
            {
                Kind::Int
            }
            _ => Kind::Text,
        }
    }

    fn data_type(self) -> DataType {
        match self {
            Kind::Time => DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
            Kind::Int => DataType::Int64,
            Kind::Bool => DataType::Boolean,
            Kind::Float => DataType::Float64,
            Kind::Text => DataType::Utf8,
        }
    }
}

/// One requested column.
#[derive(Clone, Debug)]
pub struct Column {
    /// The field as written (`proc.name`, `evt.arg.fd`).
    pub name: String,
    /// The resolved field.
    pub field: Field,
    /// Its storage.
    pub kind: Kind,
}

impl Column {
    /// The SQL-friendly column name: `.`, `[`, `]` and other punctuation
    /// become `_` (`proc.aname[2]` → `proc_aname_2`).
    pub fn sql_name(&self) -> String {
        let mut s: String = self.name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
        while s.ends_with('_') {
            s.pop();
        }
        s
    }
}

/// Resolves the columns of an export: `spec` is a `-p` format (`%evt.num
/// %proc.name`: its fields, in order) or a list of field names separated by
/// commas or spaces; `None` gives [`DEFAULT_FIELDS`]. Duplicates are dropped.
pub fn parse_columns(spec: Option<&str>, reg: &Registry) -> Result<Vec<Column>, String> {
    let mut names: Vec<String> = Vec::new();
    match spec {
        None => names.extend(DEFAULT_FIELDS.iter().map(|s| s.to_string())),
        Some(s) if s.contains('%') => {
            let body = s.strip_prefix('*').unwrap_or(s);
            let mut rest = body;
            while let Some(i) = rest.find('%') {
                let after = rest[i + 1..].trim_start_matches(|c: char| c.is_ascii_digit());
                let (_, used) = reg.parse_prefix(after).map_err(|e| format!("-p {s}: {e}"))?;
                names.push(after[..used].to_string());
                rest = &after[used..];
            }
        }
        Some(s) => names.extend(s.split(|c: char| c == ',' || c.is_whitespace()).filter(|w| !w.is_empty()).map(String::from)),
    }
    let mut cols: Vec<Column> = Vec::new();
    for name in names {
        if cols.iter().any(|c| c.name == name) {
            continue;
        }
        let field = reg.lookup(&name).map_err(|e| format!("export field {name}: {e}"))?;
        if field.filter_only() {
            return Err(format!("export field {name}: usable in filters only"));
        }
        let kind = Kind::of(&field);
        cols.push(Column { name, field, kind });
    }
    if cols.is_empty() {
        return Err("no field to export".into());
    }
    for (i, c) in cols.iter().enumerate() {
        let n = c.sql_name();
        if n == "capture" || n == "hostname" || cols[..i].iter().any(|o| o.sql_name() == n) {
            return Err(format!("export field {}: column name {n} is already taken", c.name));
        }
    }
    Ok(cols)
}

/// Settings of one Parquet file.
#[derive(Clone, Debug)]
pub struct ParquetOpts {
    /// The columns (see [`parse_columns`]).
    pub columns: Vec<Column>,
    /// The file written.
    pub path: PathBuf,
    /// The capture's name (the `capture` column and metadata).
    pub capture: String,
    /// The filter text, recorded in the metadata.
    pub filter: String,
    /// Rows per Arrow record batch handed to the writer.
    pub batch_rows: usize,
    /// Rows per row group at most.
    pub row_group_rows: usize,
    /// Estimated encoded bytes per row group at most.
    pub row_group_bytes: usize,
}

impl ParquetOpts {
    /// Defaults sized for query engines: row groups of up to 512Ki rows or
    /// 64 MiB, batches of 8Ki rows.
    pub fn new(columns: Vec<Column>, path: PathBuf, capture: String, filter: String) -> ParquetOpts {
        ParquetOpts { columns, path, capture, filter, batch_rows: 8192, row_group_rows: 512 * 1024, row_group_bytes: 64 << 20 }
    }
}

enum Builder {
    Time(TimestampMicrosecondBuilder),
    Int(Int64Builder),
    Bool(BooleanBuilder),
    Float(Float64Builder),
    Text(StringBuilder),
}

impl Builder {
    fn new(kind: Kind, rows: usize) -> Builder {
        match kind {
            Kind::Time => Builder::Time(TimestampMicrosecondBuilder::with_capacity(rows).with_timezone("UTC")),
            Kind::Int => Builder::Int(Int64Builder::with_capacity(rows)),
            Kind::Bool => Builder::Bool(BooleanBuilder::with_capacity(rows)),
            Kind::Float => Builder::Float(Float64Builder::with_capacity(rows)),
            Kind::Text => Builder::Text(StringBuilder::with_capacity(rows, rows * 32)),
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::Time(b) => Arc::new(b.finish()),
            Builder::Int(b) => Arc::new(b.finish()),
            Builder::Bool(b) => Arc::new(b.finish()),
            Builder::Float(b) => Arc::new(b.finish()),
            Builder::Text(b) => Arc::new(b.finish()),
        }
    }
}

fn int_of(v: Option<Value<'_>>) -> Option<i64> {
    v.and_then(|v| v.as_i64())
}

/// Writes the matched events of one capture to one Parquet file.
pub struct ParquetSink {
    opts: ParquetOpts,
    schema: SchemaRef,
    builders: Vec<Builder>,
    capture: StringDictionaryBuilder<Int32Type>,
    host: StringDictionaryBuilder<Int32Type>,
    hostname: String,
    rows: usize,
    writer: Option<ArrowWriter<File>>,
    text: Vec<u8>,
    render: RenderOpts,
    last_ts: u64,
    written: u64,
    /// Rows written so far, shared with a progress display.
    counter: Option<Arc<AtomicU64>>,
}

impl ParquetSink {
    /// A sink writing `opts.path` (created at [`Sink::begin`]); `counter`,
    /// when given, follows the number of rows.
    pub fn new(opts: ParquetOpts, counter: Option<Arc<AtomicU64>>) -> ParquetSink {
        let text_type = DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
        let mut fields: Vec<ArrowField> = opts
            .columns
            .iter()
            .map(|c| {
                let md: std::collections::HashMap<String, String> = [("rchisel.field".to_string(), c.name.clone())].into_iter().collect();
                ArrowField::new(c.sql_name(), c.kind.data_type(), true).with_metadata(md)
            })
            .collect();
        fields.push(ArrowField::new("capture", text_type.clone(), false));
        fields.push(ArrowField::new("hostname", text_type, false));
        let schema = Arc::new(Schema::new(fields));
        let builders = opts.columns.iter().map(|c| Builder::new(c.kind, opts.batch_rows)).collect();
        ParquetSink {
            opts,
            schema,
            builders,
            capture: StringDictionaryBuilder::new(),
            host: StringDictionaryBuilder::new(),
            hostname: String::new(),
            rows: 0,
            writer: None,
            text: Vec::with_capacity(256),
            render: RenderOpts::default(),
            last_ts: 0,
            written: 0,
            counter,
        }
    }

    /// Rows written (including those still buffered).
    pub fn rows(&self) -> u64 {
        self.written + self.rows as u64
    }

    fn err(&self, e: impl std::fmt::Display) -> SinkError {
        SinkError::Failed(format!("{}: {e}", self.opts.path.display()))
    }

    fn metadata(&self, st: &State) -> Vec<KeyValue> {
        let mut kv = vec![
            KeyValue::new("rchisel.capture".to_string(), self.opts.capture.clone()),
            KeyValue::new("rchisel.hostname".to_string(), self.hostname.clone()),
            KeyValue::new("rchisel.filter".to_string(), self.opts.filter.clone()),
            KeyValue::new(
                "rchisel.fields".to_string(),
                self.opts.columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(","),
            ),
            KeyValue::new("rchisel.version".to_string(), env!("CARGO_PKG_VERSION").to_string()),
        ];
        if let Some(m) = &st.machine {
            let mut js = Vec::new();
            js.extend_from_slice(b"{\"hostname\":");
            crate::fields::json_string(&mut js, m.hostname.as_bytes());
            js.extend_from_slice(
                format!(
                    ",\"num_cpus\":{},\"memory_size_bytes\":{},\"max_pid\":{},\"boot_ts_epoch_ns\":{},\"flags\":{}}}",
                    m.num_cpus, m.memory_size_bytes, m.max_pid, m.boot_ts_epoch, m.flags
                )
                .as_bytes(),
            );
            kv.push(KeyValue::new("rchisel.machine".to_string(), String::from_utf8_lossy(&js).into_owned()));
        }
        kv
    }

    fn append(&mut self, ctx: &mut EvalCtx<'_>) {
        ctx.scratch.render = self.render;
        ctx.scratch.time_type = TimeType::Human;
        ctx.scratch.prev_ts = self.last_ts;
        for (col, b) in self.opts.columns.iter().zip(self.builders.iter_mut()) {
            match b {
                Builder::Time(b) => b.append_value((ctx.ev.ts / 1000) as i64),
                Builder::Int(b) => b.append_option(int_of(ctx.extract(&col.field))),
                Builder::Bool(b) => b.append_option(ctx.extract(&col.field).and_then(|v| v.as_u64()).map(|v| v != 0)),
                Builder::Float(b) => b.append_option(ctx.extract(&col.field).and_then(|v| match v {
                    Value::F64(f) => Some(f),
                    v => v.as_i64().map(|i| i as f64),
                })),
                Builder::Text(b) => {
                    self.text.clear();
                    if ctx.format(&col.field, &mut self.text) {
                        match std::str::from_utf8(&self.text) {
                            Ok(s) => b.append_value(s),
                            Err(_) => b.append_value(String::from_utf8_lossy(&self.text)),
                        }
                    } else {
                        b.append_null();
                    }
                }
            }
        }
        self.last_ts = ctx.ev.ts;
        self.rows += 1;
    }

    /// Hands the buffered rows to the writer as one record batch.
    fn flush_batch(&mut self) -> Result<(), SinkError> {
        if self.rows == 0 {
            return Ok(());
        }
        let mut cols: Vec<ArrayRef> = self.builders.iter_mut().map(Builder::finish).collect();
        self.capture.append_values(&self.opts.capture, self.rows);
        self.host.append_values(&self.hostname, self.rows);
        cols.push(Arc::new(self.capture.finish()));
        cols.push(Arc::new(self.host.finish()));
        let batch = RecordBatch::try_new(self.schema.clone(), cols).map_err(|e| self.err(e))?;
        let w = self.writer.as_mut().ok_or_else(|| SinkError::Failed("parquet writer not open".into()))?;
        if let Err(e) = w.write(&batch) {
            return Err(self.err(e));
        }
        self.written += self.rows as u64;
        if let Some(c) = &self.counter {
            c.fetch_add(self.rows as u64, Ordering::Relaxed);
        }
        self.rows = 0;
        Ok(())
    }
}

impl Sink for ParquetSink {
    fn begin(&mut self, st: &State) -> Result<(), SinkError> {
        self.hostname = st.machine.as_ref().map(|m| m.hostname.clone()).unwrap_or_default();
        let mut props = WriterProperties::builder();
        for c in &self.opts.columns {
            if matches!(c.field.id, Fid::EvtNum | Fid::EvtTime | Fid::EvtRawtime) {
                // Monotonic: deltas take ~1 bit per row where a dictionary takes ~4 bytes.
                props = props
                    .set_column_dictionary_enabled(c.sql_name().into(), false)
                    .set_column_encoding(c.sql_name().into(), Encoding::DELTA_BINARY_PACKED);
            }
        }
        let props = props
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(self.opts.row_group_rows.max(1)))
            .set_max_row_group_bytes(Some(self.opts.row_group_bytes.max(1)))
            .set_created_by(format!("rchisel {}", env!("CARGO_PKG_VERSION")))
            .set_key_value_metadata(Some(self.metadata(st)))
            .build();
        let file = File::create(&self.opts.path).map_err(|e| self.err(e))?;
        let w = ArrowWriter::try_new(file, self.schema.clone(), Some(props)).map_err(|e| self.err(e))?;
        self.writer = Some(w);
        Ok(())
    }

    fn matched(&mut self, ctx: &mut EvalCtx<'_>) -> Result<Flow, SinkError> {
        self.append(ctx);
        if self.rows >= self.opts.batch_rows {
            self.flush_batch()?;
        }
        Ok(Flow::Continue)
    }

    fn finish(&mut self, _st: &State) -> Result<(), SinkError> {
        self.flush_batch()?;
        match self.writer.take() {
            Some(w) => w.close().map(|_| ()).map_err(|e| self.err(e)),
            None => Ok(()),
        }
    }
}
