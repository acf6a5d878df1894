//! `-m URL[,MARATHON_URL]`: sysdig 0.29.3 asks the Mesos master at URL for
//! its state before reading any event, and stops (exit code 1) when that
//! fails: the URL does not parse, the host does not resolve, nothing
//! answers, or what answers is not a Mesos master. This build does not talk
//! to Mesos: it checks the URL and reaches for the server as sysdig does,
//! says so with sysdig's messages when that fails, and otherwise says that it
//! cannot read Mesos state. Either way the run stops, as sysdig's does
//! against anything but a Mesos master.

use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

/// How long a connection attempt may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The parts of a URL sysdig's uri class keeps.
#[derive(Debug, PartialEq)]
struct Uri {
    scheme: String,
    /// Whether the URL had `user:password@` (printed masked).
    credentials: bool,
    host: String,
    /// 0 when the URL had none.
    port: u16,
    /// Path and `?query`, as written.
    rest: String,
    /// The host was an IPv6 literal in brackets.
    ipv6: bool,
}

/// Parses `text` as sysdig does; the error is sysdig's message.
fn parse(text: &str) -> Result<Uri, String> {
    let invalid = || format!("Invalid URI: [{text}]");
    let (scheme, after) = text.split_once("://").ok_or_else(invalid)?;
    if scheme.is_empty() || !scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) {
        return Err(invalid());
    }
    let end = after.find(['/', '?']).unwrap_or(after.len());
    let (mut authority, rest) = after.split_at(end);
    let mut credentials = false;
    if let Some(at) = authority.rfind('@') {
        if !authority[..at].contains(':') {
            return Err("Invalid credentials format.".into());
        }
        credentials = true;
        authority = &authority[at + 1..];
    }
    let (host, port, ipv6) = if let Some(v6) = authority.strip_prefix('[') {
        let (h, p) = v6.split_once(']').ok_or_else(invalid)?;
        (h, p.strip_prefix(':'), true)
    } else {
        match authority.split_once(':') {
            Some((h, p)) => (h, Some(p), false),
            None => (authority, None, false),
        }
    };
    let host_ok = !host.is_empty()
        && host.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || (ipv6 && c == ':'));
    if !host_ok {
        return Err(invalid());
    }
    let port = match port {
        None => 0,
        Some(p) => p.parse::<u16>().map_err(|_| invalid())?,
    };
    Ok(Uri { scheme: scheme.to_ascii_lowercase(), credentials, host: host.to_string(), port, rest: rest.to_string(), ipv6 })
}

impl Uri {
    /// The URL of the master's state, as sysdig prints it (credentials
    /// masked, no brackets around an IPv6 host).
    fn state_url(&self) -> String {
        let cred = if self.credentials { "***:***@" } else { "" };
        let port = if self.port != 0 { format!(":{}", self.port) } else { String::new() };
        format!("{}://{cred}{}{port}{}/master/state.json", self.scheme, self.host, self.rest)
    }

    fn default_port(&self) -> u16 {
        match self.port {
            0 if self.scheme == "https" => 443,
            0 => 80,
            p => p,
        }
    }
}

/// What `-m ARG` leads to: `Err(message)` to print on stderr before exiting
/// with code 1. An empty ARG asks for nothing.
pub fn check(arg: &str) -> Result<(), String> {
    let first = arg.split(',').next().unwrap_or("");
    if first.is_empty() {
        return Ok(());
    }
    let uri = parse(first)?;
    let state = uri.state_url();
    if uri.ipv6 {
        // sysdig parses the URL it built again, without the brackets.
        return Err(format!("Invalid URI: [{state}]"));
    }
    let failed = |why: &str| format!("mesos_http: Mesos master leader [{state}] detection failed: {why}");
    let addrs: Vec<_> = match (uri.host.as_str(), uri.default_port()).to_socket_addrs() {
        Ok(a) => a.collect(),
        Err(_) => return Err(failed("Couldn't resolve host name")),
    };
    if addrs.is_empty() {
        return Err(failed("Couldn't resolve host name"));
    }
    if !addrs.iter().any(|a| TcpStream::connect_timeout(a, CONNECT_TIMEOUT).is_ok()) {
        return Err(failed("Couldn't connect to server"));
    }
    Err(format!("rchisel: {state} answers, but this build does not read Mesos state (-m is not supported)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(u: &str) -> String {
        parse(u).map(|u| u.state_url()).unwrap_or_else(|e| e)
    }

    #[test]
    fn urls_as_sysdig_prints_them() {
        assert_eq!(state("http://localhost:5050"), "http://localhost:5050/master/state.json");
        assert_eq!(state("http://localhost:5050/"), "http://localhost:5050//master/state.json");
        assert_eq!(state("HTTP://localhost"), "http://localhost/master/state.json");
        assert_eq!(state("http://localhost:0"), "http://localhost/master/state.json");
        assert_eq!(state("http://u:p@localhost:5050/x"), "http://***:***@localhost:5050/x/master/state.json");
        assert_eq!(state("http://localhost:5050/a/b?x=1"), "http://localhost:5050/a/b?x=1/master/state.json");
        assert_eq!(state("http://u@localhost:5050"), "Invalid credentials format.");
        for bad in ["localhost:5050", "http://localhost:99999", "http://localhost:", "http://:5050", "http:///x", "http://a_b:5050"] {
            assert_eq!(state(bad), format!("Invalid URI: [{bad}]"));
        }
        assert_eq!(check("http://[::1]:5050"), Err("Invalid URI: [http://::1:5050/master/state.json]".into()));
        assert_eq!(check(""), Ok(()));
    }

    #[test]
    fn unreachable_and_unresolvable() {
        // A port nobody listens on: bind one, note it, close it.
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let url = format!("http://127.0.0.1:{port}");
        assert_eq!(
            check(&format!("{url},http://127.0.0.1:1")),
            Err(format!("mesos_http: Mesos master leader [{url}/master/state.json] detection failed: Couldn't connect to server"))
        );
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let up = format!("http://127.0.0.1:{}", l.local_addr().unwrap().port());
        assert!(check(&up).unwrap_err().contains("does not read Mesos state"));
    }
}
