//! Event category (EC_*) and flag (EF_*) bits, as the scap format defines them.

pub const EC_UNKNOWN: u32 = 0;
pub const EC_OTHER: u32 = 1;
pub const EC_FILE: u32 = 2;
pub const EC_NET: u32 = 3;
pub const EC_IPC: u32 = 4;
pub const EC_MEMORY: u32 = 5;
pub const EC_PROCESS: u32 = 6;
pub const EC_SLEEP: u32 = 7;
pub const EC_SYSTEM: u32 = 8;
pub const EC_SIGNAL: u32 = 9;
pub const EC_USER: u32 = 10;
pub const EC_TIME: u32 = 11;
pub const EC_PROCESSING: u32 = 12;
pub const EC_IO_READ: u32 = 32;
pub const EC_IO_WRITE: u32 = 33;
pub const EC_IO_OTHER: u32 = 34;
pub const EC_WAIT: u32 = 1 << 6;
pub const EC_SCHEDULER: u32 = 1 << 7;
pub const EC_INTERNAL: u32 = 1 << 8;
pub const EC_SYSCALL: u32 = 1 << 9;
pub const EC_TRACEPOINT: u32 = 1 << 10;
pub const EC_PLUGIN: u32 = 1 << 11;
pub const EC_METAEVENT: u32 = 1 << 12;

pub const EF_CREATES_FD: u32 = 1 << 0;
pub const EF_DESTROYS_FD: u32 = 1 << 1;
pub const EF_USES_FD: u32 = 1 << 2;
pub const EF_READS_FROM_FD: u32 = 1 << 3;
pub const EF_WRITES_TO_FD: u32 = 1 << 4;
pub const EF_MODIFIES_STATE: u32 = 1 << 5;
pub const EF_UNUSED: u32 = 1 << 6;
pub const EF_WAITS: u32 = 1 << 7;
pub const EF_SKIPPARSERESET: u32 = 1 << 8;
pub const EF_OLD_VERSION: u32 = 1 << 9;
pub const EF_LARGE_PAYLOAD: u32 = 1 << 11;
pub const EF_CONVERTER_MANAGED: u32 = 1 << 12;

/// Category name as `evt.category` shows it.
pub fn category_name(cat: u32) -> &'static str {
    let base = cat & !(EC_SYSCALL | EC_TRACEPOINT | EC_PLUGIN | EC_METAEVENT);
    match base {
        EC_UNKNOWN => "unknown",
        EC_OTHER => "other",
        EC_FILE => "file",
        EC_NET => "net",
        EC_IPC => "IPC",
        EC_MEMORY => "memory",
        EC_PROCESS => "process",
        EC_SLEEP => "sleep",
        EC_SYSTEM => "system",
        EC_SIGNAL => "signal",
        EC_USER => "user",
        EC_TIME => "time",
        EC_PROCESSING => "processing",
        EC_IO_READ => "I/O read",
        EC_IO_WRITE => "I/O write",
        EC_IO_OTHER => "I/O other",
        EC_WAIT => "wait",
        EC_SCHEDULER => "scheduler",
        EC_INTERNAL => "internal",
        _ => "unknown",
    }
}
