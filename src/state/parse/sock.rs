//! Socket details of fds: sysdig keeps them in a C union whose members
//! overlap, and its parsers switch an fd between members while keeping the
//! bytes. [`Raw`] reproduces that union so conversions behave the same; the
//! public [`SockInfo`] is rebuilt from it after every change. Also the
//! socket name formats (`ip:port->ip:port`, inet_ntop-style IPv6).

use std::fmt::Write;

use super::super::types::{Fd, FdType, SockInfo};

/// Layer-4 protocol numbers (SCAP_L4_*).
pub const L4_UNKNOWN: u8 = 0;
pub const L4_TCP: u8 = 2;
pub const L4_UDP: u8 = 3;
pub const L4_ICMP: u8 = 4;
pub const L4_RAW: u8 = 5;

/// Address families (PPM_AF_*).
pub const AF_UNIX: u8 = 1;
pub const AF_INET: u8 = 2;
pub const AF_INET6: u8 = 10;

/// sysdig's `sinsp_sockinfo` union as bytes.
#[derive(Clone, Copy)]
pub struct Raw(pub [u8; 40]);

impl Raw {
    #[inline]
    pub fn u16_at(&self, o: usize) -> u16 {
        u16::from_le_bytes([self.0[o], self.0[o + 1]])
    }
    #[inline]
    pub fn set_u16(&mut self, o: usize, v: u16) {
        self.0[o..o + 2].copy_from_slice(&v.to_le_bytes());
    }
    #[inline]
    pub fn u64_at(&self, o: usize) -> u64 {
        let mut b = [0u8; 8];
        b.copy_from_slice(&self.0[o..o + 8]);
        u64::from_le_bytes(b)
    }
    #[inline]
    pub fn ip4(&self, o: usize) -> [u8; 4] {
        [self.0[o], self.0[o + 1], self.0[o + 2], self.0[o + 3]]
    }
    #[inline]
    pub fn ip6(&self, o: usize) -> [u8; 16] {
        let mut b = [0u8; 16];
        b.copy_from_slice(&self.0[o..o + 16]);
        b
    }
    // ipv4 tuple: sip@0 dip@4 sport@8 dport@10 l4@12
    // ipv6 tuple: sip@0 dip@16 sport@32 dport@34 l4@36
    // ipv4 server: ip@0 port@4 l4@6; ipv6 server: ip@0 port@16 l4@18
    // unix: source@0 dest@8
}

/// Reads an fd's socket union.
pub fn raw_of(fd: &Fd) -> Raw {
    let mut r = Raw([0u8; 40]);
    match fd.sock {
        SockInfo::None => {}
        SockInfo::Ipv4 { sip, dip, sport, dport, l4proto } => {
            r.0[0..4].copy_from_slice(&sip);
            r.0[4..8].copy_from_slice(&dip);
            r.set_u16(8, sport);
            r.set_u16(10, dport);
            r.0[12] = l4proto;
        }
        SockInfo::Ipv6 { sip, dip, sport, dport, l4proto } => {
            r.0[0..16].copy_from_slice(&sip);
            r.0[16..32].copy_from_slice(&dip);
            r.set_u16(32, sport);
            r.set_u16(34, dport);
            r.0[36] = l4proto;
        }
        SockInfo::Ipv4Server { ip, port, l4proto } => {
            r.0[0..4].copy_from_slice(&ip);
            r.set_u16(4, port);
            r.0[6] = l4proto;
        }
        SockInfo::Ipv6Server { ip, port, l4proto } => {
            r.0[0..16].copy_from_slice(&ip);
            r.set_u16(16, port);
            r.0[18] = l4proto;
        }
        SockInfo::Unix { source, dest } => {
            r.0[0..8].copy_from_slice(&source.to_le_bytes());
            r.0[8..16].copy_from_slice(&dest.to_le_bytes());
        }
    }
    r
}

/// Writes the union back, choosing the member from the fd type.
pub fn set_raw(fd: &mut Fd, r: &Raw) {
    fd.sock = match fd.ftype {
        FdType::Ipv4Sock => SockInfo::Ipv4 {
            sip: r.ip4(0),
            dip: r.ip4(4),
            sport: r.u16_at(8),
            dport: r.u16_at(10),
            l4proto: r.0[12],
        },
        FdType::Ipv6Sock => SockInfo::Ipv6 {
            sip: r.ip6(0),
            dip: r.ip6(16),
            sport: r.u16_at(32),
            dport: r.u16_at(34),
            l4proto: r.0[36],
        },
        FdType::Ipv4ServSock => {
            SockInfo::Ipv4Server { ip: r.ip4(0), port: r.u16_at(4), l4proto: r.0[6] }
        }
        FdType::Ipv6ServSock => {
            SockInfo::Ipv6Server { ip: r.ip6(0), port: r.u16_at(16), l4proto: r.0[18] }
        }
        FdType::UnixSock => SockInfo::Unix { source: r.u64_at(0), dest: r.u64_at(8) },
        _ => SockInfo::None,
    };
}

/// sysdig's `is_ipv4_mapped_ipv6`: `::ffff:a.b.c.d` or the all-zero address.
pub fn is_v4_mapped(a: &[u8]) -> bool {
    a.len() >= 16
        && a[..10].iter().all(|&b| b == 0)
        && ((a[10] == 0xff && a[11] == 0xff) || a[10..16].iter().all(|&b| b == 0))
}

/// `a.b.c.d:port`.
pub fn v4_addr(out: &mut String, ip: [u8; 4], port: u16) {
    let _ = write!(out, "{}.{}.{}.{}:{}", ip[0], ip[1], ip[2], ip[3], crate::filter::services::port_text(port, None));
}

/// `sip:sport->dip:dport`.
pub fn v4_tuple(sip: [u8; 4], sport: u16, dip: [u8; 4], dport: u16) -> String {
    let mut s = String::with_capacity(48);
    v4_addr(&mut s, sip, sport);
    s.push_str("->");
    v4_addr(&mut s, dip, dport);
    s
}

/// glibc `inet_ntop(AF_INET6)` formatting (the event renderer's, into a String).
pub fn ntop6(out: &mut String, a: &[u8; 16]) {
    let mut b = Vec::with_capacity(40);
    crate::event::render::push_ipv6(&mut b, a);
    out.push_str(&String::from_utf8_lossy(&b));
}

/// `ipv6:port`.
pub fn v6_addr(out: &mut String, ip: &[u8; 16], port: u16) {
    ntop6(out, ip);
    let _ = write!(out, ":{}", crate::filter::services::port_text(port, None));
}

/// `sip:sport->dip:dport` for IPv6.
pub fn v6_tuple(sip: &[u8; 16], sport: u16, dip: &[u8; 16], dport: u16) -> String {
    let mut s = String::with_capacity(96);
    v6_addr(&mut s, sip, sport);
    s.push_str("->");
    v6_addr(&mut s, dip, dport);
    s
}

/// sysdig's `sockinfo_to_str` for an IPv4/IPv6 socket fd.
pub fn sock_name(fd: &Fd) -> String {
    let r = raw_of(fd);
    match fd.ftype {
        FdType::Ipv4Sock => {
            let l4 = r.0[12];
            if l4 == L4_TCP || l4 == L4_UDP {
                v4_tuple(r.ip4(0), r.u16_at(8), r.ip4(4), r.u16_at(10))
            } else if l4 == L4_ICMP || l4 == L4_RAW {
                let (s, d) = (r.ip4(0), r.ip4(4));
                format!("{}.{}.{}.{}->{}.{}.{}.{}", s[0], s[1], s[2], s[3], d[0], d[1], d[2], d[3])
            } else {
                "<unknown>".to_string()
            }
        }
        FdType::Ipv6Sock => {
            let l4 = r.0[36];
            let (s6, d6) = (r.ip6(0), r.ip6(16));
            let mapped = is_v4_mapped(&s6) && is_v4_mapped(&d6);
            let s4 = [s6[12], s6[13], s6[14], s6[15]];
            let d4 = [d6[12], d6[13], d6[14], d6[15]];
            if l4 == L4_TCP || l4 == L4_UDP {
                if mapped {
                    // sysdig reads the ports through the IPv4 member here.
                    v4_tuple(s4, r.u16_at(8), d4, r.u16_at(10))
                } else {
                    v6_tuple(&s6, r.u16_at(32), &d6, r.u16_at(34))
                }
            } else if l4 == L4_ICMP {
                if mapped {
                    format!(
                        "{}.{}.{}.{}->{}.{}.{}.{}",
                        s4[0], s4[1], s4[2], s4[3], d4[0], d4[1], d4[2], d4[3]
                    )
                } else {
                    let mut s = String::new();
                    ntop6(&mut s, &s6);
                    s.push_str("->");
                    ntop6(&mut s, &d6);
                    s
                }
            } else {
                "<unknown>".to_string()
            }
        }
        _ => String::new(),
    }
}

/// Renders a PT_SOCKADDR parameter as sysdig's PF_SIMPLE text.
pub fn sockaddr_str(p: &[u8]) -> String {
    if p.is_empty() {
        return "NULL".to_string();
    }
    match p[0] {
        AF_UNIX => super::path::sanitize(super::path::cstr(&p[1..])),
        AF_INET => {
            if p.len() == 7 {
                let mut s = String::new();
                v4_addr(&mut s, [p[1], p[2], p[3], p[4]], u16::from_le_bytes([p[5], p[6]]));
                s
            } else {
                "INVALID IPv4".to_string()
            }
        }
        AF_INET6 => {
            if p.len() == 19 {
                let mut ip = [0u8; 16];
                ip.copy_from_slice(&p[1..17]);
                let mut s = String::new();
                v6_addr(&mut s, &ip, u16::from_le_bytes([p[17], p[18]]));
                s
            } else {
                "INVALID IPv6".to_string()
            }
        }
        f => format!("family {}", f),
    }
}

/// Renders a PT_SOCKTUPLE parameter as sysdig's PF_SIMPLE text.
pub fn socktuple_str(p: &[u8]) -> String {
    if p.is_empty() {
        return "NULL".to_string();
    }
    match p[0] {
        AF_INET => {
            if p.len() == 13 {
                v4_tuple(
                    [p[1], p[2], p[3], p[4]],
                    u16::from_le_bytes([p[5], p[6]]),
                    [p[7], p[8], p[9], p[10]],
                    u16::from_le_bytes([p[11], p[12]]),
                )
            } else {
                "INVALID IPv4".to_string()
            }
        }
        AF_INET6 => {
            if p.len() == 37 {
                let mut s6 = [0u8; 16];
                let mut d6 = [0u8; 16];
                s6.copy_from_slice(&p[1..17]);
                d6.copy_from_slice(&p[19..35]);
                let sport = u16::from_le_bytes([p[17], p[18]]);
                let dport = u16::from_le_bytes([p[35], p[36]]);
                if is_v4_mapped(&s6) && is_v4_mapped(&d6) {
                    v4_tuple([p[13], p[14], p[15], p[16]], sport, [p[31], p[32], p[33], p[34]], dport)
                } else {
                    v6_tuple(&s6, sport, &d6, dport)
                }
            } else {
                "INVALID IPv6".to_string()
            }
        }
        AF_UNIX => {
            if p.len() < 17 {
                return String::new();
            }
            let src = u64::from_le_bytes(p[1..9].try_into().unwrap_or([0; 8]));
            let dst = u64::from_le_bytes(p[9..17].try_into().unwrap_or([0; 8]));
            format!("{:x}->{:x} {}", src, dst, super::path::sanitize(super::path::cstr(&p[17..])))
        }
        f => format!("family {}", f),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ntop6_like_glibc() {
        let mut s = String::new();
        let mut a = [0u8; 16];
        a[15] = 1;
        ntop6(&mut s, &a);
        assert_eq!(s, "::1");
        s.clear();
        ntop6(&mut s, &[0u8; 16]);
        assert_eq!(s, "::");
        s.clear();
        let b = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1];
        ntop6(&mut s, &b);
        assert_eq!(s, "2001:db8::1:0:0:1");
        s.clear();
        let m = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1];
        ntop6(&mut s, &m);
        assert_eq!(s, "::ffff:10.0.0.1");
    }
}
