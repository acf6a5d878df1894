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
