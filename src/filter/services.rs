//! Service name to port lookup (`getservbyname(name, NULL)`), read from
//! /etc/services once.

use std::sync::OnceLock;

/// One line of /etc/services: primary name, port, protocol, aliases.
struct Service {
    name: String,
    port: u16,
    proto: String,
    aliases: Vec<String>,
}

/// Every service line, in file order.
fn table() -> &'static [Service] {
    static T: OnceLock<Vec<Service>> = OnceLock::new();
    T.get_or_init(|| {
        let text = std::fs::read_to_string("/etc/services").unwrap_or_default();
        text.lines()
            .filter_map(|line| {
                let mut words = line.split('#').next().unwrap_or("").split_whitespace();
                let name = words.next()?;
                let (port, proto) = words.next()?.split_once('/').unwrap_or((line, ""));
                let port = port.parse::<u16>().ok()?;
                let aliases = words.map(str::to_string).collect();
                Some(Service { name: name.to_string(), port, proto: proto.to_string(), aliases })
            })
            .collect()
    })
}

/// The port of a service name or alias, first match in /etc/services.
pub fn port_by_name(name: &str) -> Option<u16> {
    table().iter().find(|s| s.name == name || s.aliases.iter().any(|a| a == name)).map(|s| s.port)
}

/// `getservbyport(port, proto)`: the first service on `port` (with that
/// protocol, when given).
pub fn name_by_port(port: u16, proto: Option<&str>) -> Option<&'static str> {
    table().iter().find(|s| s.port == port && proto.is_none_or(|x| x == s.proto)).map(|s| s.name.as_str())
}

static RESOLVE_PORTS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// `-R`: ports are shown by service name from now on (sysdig's
/// hostname-and-port resolution; only ports are resolved).
pub fn set_port_names(on: bool) {
    RESOLVE_PORTS.store(on, std::sync::atomic::Ordering::Relaxed);
}

/// Appends a port as sysdig's `port_to_string` does: the service name with
/// `-R` when /etc/services has one (for `l4` "tcp"/"udp" if known), else the
/// number.
pub fn push_port(out: &mut Vec<u8>, port: u16, l4: Option<&str>) {
    if RESOLVE_PORTS.load(std::sync::atomic::Ordering::Relaxed) && let Some(n) = name_by_port(port, l4) {
        out.extend_from_slice(n.as_bytes());
        return;
    }
    let mut b = itoa_u16(port);
    out.append(&mut b);
}

/// [`push_port`] into a `String`.
pub fn port_text(port: u16, l4: Option<&str>) -> String {
    let mut v = Vec::new();
    push_port(&mut v, port, l4);
    String::from_utf8(v).unwrap_or_default()
}

fn itoa_u16(p: u16) -> Vec<u8> {
    p.to_string().into_bytes()
}
