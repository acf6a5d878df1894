//! Service name to port lookup (`getservbyname(name, NULL)`), read from
//! /etc/services once.

use std::sync::OnceLock;

fn table() -> &'static Vec<(String, u16)> {
    static T: OnceLock<Vec<(String, u16)>> = OnceLock::new();
    T.get_or_init(|| {
        let text = std::fs::read_to_string("/etc/services").unwrap_or_default();
        let mut v = Vec::new();
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("");
            let mut words = line.split_whitespace();
            let (Some(name), Some(portproto)) = (words.next(), words.next()) else { continue };
            let Some(port) = portproto.split('/').next().and_then(|p| p.parse::<u16>().ok())
            else {
                continue;
            };
            v.push((name.to_string(), port));
            for alias in words {
                v.push((alias.to_string(), port));
            }
        }
        v
    })
}

/// The port of a service name or alias, first match in /etc/services.
pub fn port_by_name(name: &str) -> Option<u16> {
    table().iter().find(|(n, _)| n == name).map(|&(_, p)| p)
}

/// Primary service names by port and protocol, in /etc/services order.
fn by_port() -> &'static Vec<(u16, String, String)> {
    static T: OnceLock<Vec<(u16, String, String)>> = OnceLock::new();
    T.get_or_init(|| {
        let text = std::fs::read_to_string("/etc/services").unwrap_or_default();
        let mut v = Vec::new();
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("");
            let mut words = line.split_whitespace();
            let (Some(name), Some(portproto)) = (words.next(), words.next()) else { continue };
            let mut pp = portproto.splitn(2, '/');
            let (Some(port), Some(proto)) = (pp.next().and_then(|p| p.parse::<u16>().ok()), pp.next()) else {
                continue;
            };
            v.push((port, proto.to_string(), name.to_string()));
        }
        v
    })
}

/// `getservbyport(port, proto)`: the first service on `port` (with that
/// protocol, when given).
pub fn name_by_port(port: u16, proto: Option<&str>) -> Option<&'static str> {
    by_port()
        .iter()
        .find(|(p, pr, _)| *p == port && proto.is_none_or(|x| x == pr))
        .map(|(_, _, n)| n.as_str())
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
    if RESOLVE_PORTS.load(std::sync::atomic::Ordering::Relaxed) {
        if let Some(n) = name_by_port(port, l4) {
            out.extend_from_slice(n.as_bytes());
            return;
        }
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
