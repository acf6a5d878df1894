//! Rendering of event parameters as sysdig prints them (`evt.info`, `evt.arg.*`).

use super::Event;

/// State lookups the renderer needs (implemented by the state engine).
pub trait Resolve {
    /// Writes sysdig's fd description for `fd` of thread `tid`, e.g. `<f>/etc/passwd`
    /// or `<4t>10.0.0.1:22->10.0.0.2:5000`; returns false when the fd is unknown.
    fn fd_desc(&self, tid: i64, fd: i64, out: &mut Vec<u8>) -> bool;
    /// The command name of thread `tid`, for PT_PID parameters (`17497(curl)`).
    fn thread_comm(&self, tid: i64) -> Option<&str>;
}

/// How byte buffers are shown (`-A`, `-x`, `-X`, `-b`, default).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum BufFormat {
    #[default]
    Normal,
    Ascii,
    Hex,
    HexAscii,
    Base64,
    JsonNormal,
}

/// Options for rendering parameters.
#[derive(Clone, Copy, Debug)]
pub struct RenderOpts {
    pub buf_format: BufFormat,
    /// Print buffers in full (`-v`) instead of cutting at `print_len`.
    pub full_bufs: bool,
    /// Maximum bytes of a buffer shown when not `full_bufs`.
    pub print_len: usize,
}

impl Default for RenderOpts {
    fn default() -> Self {
        RenderOpts { buf_format: BufFormat::Normal, full_bufs: false, print_len: 80 }
    }
}

/// Appends sysdig's `evt.info` text (`name=value name=value ...`) for `ev`.
pub fn render_info(_ev: &Event, _res: &dyn Resolve, _opts: &RenderOpts, _out: &mut Vec<u8>) {}

/// Appends parameter `idx` rendered as sysdig's `evt.arg` shows it; false when absent.
pub fn render_param(_ev: &Event, _idx: usize, _res: &dyn Resolve, _opts: &RenderOpts, _out: &mut Vec<u8>) -> bool {
    false
}

/// Prints the event list as `sysdig -L` does.
pub fn list_events(_out: &mut dyn std::io::Write) -> std::io::Result<()> {
    Ok(())
}
