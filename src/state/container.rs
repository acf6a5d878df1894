//! Containers recognized from a thread's cgroups, as sysdig 0.29.3's
//! container engines recognize them (libsinsp container_engine/*, tried in
//! its order: podman, docker, cri, lxc, libvirt-lxc, mesos, bpm), plus what
//! a runtime's own files tell without asking its daemon (docker's
//! `config.v2.json`, podman's `containers.json`).

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;

use super::types::{NulList, Thread};

/// The containers seen so far, by id.
#[derive(Default)]
pub struct Containers {
    /// Every container a thread was found in.
    pub by_id: HashMap<String, Arc<ContainerInfo>>,
    /// Where to read runtime files for names (`/` when live; None when
    /// reading a capture, where the local machine's files say nothing).
    pub runtime_root: Option<PathBuf>,
    /// Container id by cgroups list, for lists that do not mention mesos
    /// (only mesos looks at the environment): forks and execs repeat a few
    /// lists, and matching every engine's layout costs far more than a
    /// lookup.
    by_cgroups: HashMap<NulList, Option<String>>,
}

impl Containers {
    /// Sets `t`'s container from its cgroups (sysdig's resolve_container,
    /// run when a thread's cgroups are set).
    pub fn resolve_thread(&mut self, t: &mut Thread) {
        if let Some(id) = self.by_cgroups.get(&t.cgroups) {
            match id {
                None => t.container_id.clear(),
                Some(id) => t.container_id.clone_from(id),
            }
            return;
        }
        self.resolve_uncached(t);
        let mesos = t.cgroups.raw().any(|c| c.windows(7).any(|w| w == b"/mesos/"));
        if !mesos && self.by_cgroups.len() < 4096 {
            let id = (!t.container_id.is_empty()).then(|| t.container_id.clone());
            self.by_cgroups.insert(t.cgroups.clone(), id);
        }
    }

    fn resolve_uncached(&mut self, t: &mut Thread) {
        match resolve(&t.cgroups, &t.env) {
            None => t.container_id.clear(),
            Some(c) => {
                let root = &self.runtime_root;
                let e = self.by_id.entry(c.id.clone()).or_insert_with(|| {
                    let mut c = c;
                    if let Some(r) = root {
                        read_runtime_files(&mut c, r);
                    }
                    Arc::new(c)
                });
                t.container_id.clone_from(&e.id);
            }
        }
    }

    /// Records the container a container JSON event describes (it replaces
    /// what the cgroups told); returns its id.
    pub fn add_json(&mut self, text: &str) -> Option<String> {
        let c = from_json(text)?;
        let id = c.id.clone();
        self.by_id.insert(c.id.clone(), Arc::new(c));
        Some(id)
    }

    /// The container `id`, if known.
    pub fn get(&self, id: &str) -> Option<&ContainerInfo> {
        self.by_id.get(id).map(|c| &**c)
    }
}

/// A container runtime, named as `container.type` prints it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContainerType {
    Docker,
    Podman,
    /// A CRI runtime not told apart (sysdig's "cri").
    Cri,
    Containerd,
    CriO,
    Lxc,
    LibvirtLxc,
    Mesos,
    Rkt,
    Bpm,
}

impl ContainerType {
    /// The `container.type` text.
    pub fn name(self) -> &'static str {
        match self {
            ContainerType::Docker => "docker",
            ContainerType::Podman => "podman",
            ContainerType::Cri => "cri",
            ContainerType::Containerd => "containerd",
            ContainerType::CriO => "cri-o",
            ContainerType::Lxc => "lxc",
            ContainerType::LibvirtLxc => "libvirt-lxc",
            ContainerType::Mesos => "mesos",
            ContainerType::Rkt => "rkt",
            ContainerType::Bpm => "bpm",
        }
    }

    /// libsinsp's sinsp_container_type number (container JSON events);
    /// None for types `container.type` does not name (custom, static).
    pub fn from_number(n: u64) -> Option<ContainerType> {
        Some(match n {
            0 => ContainerType::Docker,
            1 => ContainerType::Lxc,
            2 => ContainerType::LibvirtLxc,
            3 => ContainerType::Mesos,
            4 => ContainerType::Rkt,
            6 => ContainerType::Cri,
            7 => ContainerType::Containerd,
            8 => ContainerType::CriO,
            9 => ContainerType::Bpm,
            11 => ContainerType::Podman,
            _ => return None,
        })
    }

    /// libsinsp's sinsp_container_type number (the inverse of
    /// [`ContainerType::from_number`]).
    pub fn number(self) -> u64 {
        match self {
            ContainerType::Docker => 0,
            ContainerType::Lxc => 1,
            ContainerType::LibvirtLxc => 2,
            ContainerType::Mesos => 3,
            ContainerType::Rkt => 4,
            ContainerType::Cri => 6,
            ContainerType::Containerd => 7,
            ContainerType::CriO => 8,
            ContainerType::Bpm => 9,
            ContainerType::Podman => 11,
        }
    }

    /// Docker-compatible runtimes (sysdig knows their privileged flag).
    pub fn docker_compatible(self) -> bool {
        matches!(self, ContainerType::Docker | ContainerType::Podman)
    }
}

/// What is known of one container.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ContainerInfo {
    /// The id as `container.id` shows it (12 hex digits for runc runtimes).
    pub id: String,
    /// The full id, when the cgroup path had it (64 hex digits).
    pub full_id: String,
    /// The runtime; None when a container event named one `container.type`
    /// does not print.
    pub ctype: Option<ContainerType>,
    /// Name, when known ("" = unknown).
    pub name: String,
    /// Image, when known ("" = unknown).
    pub image: String,
    /// Image id, repository, tag and digest, when known.
    pub image_id: String,
    pub image_repo: String,
    pub image_tag: String,
    pub image_digest: String,
    /// Whether the runtime said the container is privileged.
    pub privileged: bool,
}

const ID_LEN: usize = 64;
const SHORT_ID_LEN: usize = 12;

/// Where `needle` first occurs in `hay` (memchr's one-shot search: no
/// searcher is built per call, which cost more than the search on the short
/// cgroup paths every process record brings).
fn find(hay: &str, needle: &str) -> Option<usize> {
    memchr::memmem::find(hay.as_bytes(), needle.as_bytes())
}

/// Where `needle` last occurs in `hay`.
fn rfind(hay: &str, needle: &str) -> Option<usize> {
    memchr::memmem::rfind(hay.as_bytes(), needle.as_bytes())
}

/// libsinsp's match_one_container_id: the path holds `prefix<64 hex>suffix`
/// with the id between the last `prefix` and the last `suffix`. Returns the
/// full id.
fn match_one<'a>(cgroup: &'a str, prefix: &str, suffix: &str) -> Option<&'a str> {
    // Too short to hold the id: no search (most host cgroups).
    if cgroup.len() < prefix.len() + ID_LEN + suffix.len() {
        return None;
    }
    let start = rfind(cgroup, prefix)? + prefix.len();
    let end = if suffix.is_empty() { cgroup.len() } else { rfind(cgroup, suffix)? };
    if end < start || end - start != ID_LEN {
        return None;
    }
    let id = &cgroup[start..end];
    id.bytes().all(|c| c.is_ascii_hexdigit()).then_some(id)
}

fn match_layout<'a>(cgroups: &'a [(Cow<'a, str>, Cow<'a, str>)], layout: &[(&str, &str)]) -> Option<(&'a str, &'a str)> {
    for (_, path) in cgroups {
        for (p, s) in layout {
            if let Some(id) = match_one(path, p, s) {
                return Some((id, path));
            }
        }
    }
    None
}

/// podman: `libpod-<id>.scope` (root), or a rootless container's systemd
/// cgroup `.../podman-<pid>.scope/<id>`.
fn podman<'a>(cg: &'a [(Cow<'a, str>, Cow<'a, str>)]) -> Option<&'a str> {
    if let Some((id, _)) = match_layout(cg, &[("/libpod-", ".scope")]) {
        return Some(id);
    }
    let (_, sd) = cg.iter().find(|(k, _)| k == "name=systemd")?;
    let at = find(sd, "podman-")?;
    let rest = &sd[at + 7..];
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let after = rest[digits..].strip_prefix(".scope/")?;
    if digits == 0 || after.is_empty() {
        return None;
    }
    match_one(sd, ".scope/", "")
}

/// lxc: `/lxc/<id>` or `/lxc.payload/<id>` (up to the next `/`).
fn lxc(cg: &[(Cow<'_, str>, Cow<'_, str>)]) -> Option<String> {
    for (_, path) in cg {
        for key in ["/lxc/", "/lxc.payload/"] {
            if let Some(p) = find(path, key) {
                let rest = &path[p + key.len()..];
                return Some(rest.split('/').next().unwrap_or("").to_string());
            }
        }
    }
    None
}

/// libvirt-lxc: `/<id>.libvirt-lxc`, systemd `machine-lxc\x2d<id>.scope`,
/// or legacy `/libvirt/lxc/<id>`.
fn libvirt_lxc(cg: &[(Cow<'_, str>, Cow<'_, str>)]) -> Option<String> {
    for (_, path) in cg {
        if let Some(stem) = path.strip_suffix(".libvirt-lxc") && let Some(slash) = stem.rfind('/') {
            return Some(stem[slash + 1..].to_string());
        }
        // libsinsp skips "-lxc\x2" plus one more byte (its sizeof counts the NUL).
        if let Some(p) = find(path, "-lxc\\x2") && let Some(stem) = path.strip_suffix(".scope") {
            let from = p + "-lxc\\x2".len() + 1;
            if from <= stem.len() {
                return Some(stem[from..].to_string());
            }
        }
        if let Some(p) = find(path, "/libvirt/lxc/") {
            return Some(path[p + 13..].to_string());
        }
    }
    None
}

/// mesos: `/mesos/<uuid>`, for a process that has a Mesos task id.
fn mesos(cg: &[(Cow<'_, str>, Cow<'_, str>)], env: &NulList) -> Option<String> {
    for (_, path) in cg {
        if let Some(p) = find(path, "/mesos/") {
            let id = &path[p + 7..];
            if id.len() == 36 && id.bytes().all(|c| c.is_ascii_hexdigit() || c == b'-') {
                let has_task = env.iter().any(|e| {
                    ["MESOS_TASK_ID=", "mesos_task_id=", "MESOS_EXECUTOR_ID="].iter().any(|k| e.starts_with(k) && e.len() > k.len())
                });
                return has_task.then(|| id.to_string());
            }
        }
    }
    None
}

/// bpm: `bpm-<id>` (up to `.scope`), id of `[A-Za-z0-9._-]`.
fn bpm(cg: &[(Cow<'_, str>, Cow<'_, str>)]) -> Option<String> {
    for (_, path) in cg {
        if let Some(p) = find(path, "bpm-") {
            let rest = &path[p + 4..];
            let id = &rest[..rest.find(".scope").unwrap_or(rest.len())];
            if !id.is_empty() && id.bytes().all(|c| c.is_ascii_alphanumeric() || b"._-".contains(&c)) {
                return Some(id.to_string());
            }
        }
    }
    None
}

fn runc(full: &str, ctype: ContainerType) -> ContainerInfo {
    ContainerInfo {
        id: full[..SHORT_ID_LEN].to_string(),
        full_id: full.to_string(),
        ctype: Some(ctype),
        ..ContainerInfo::default()
    }
}

fn named(id: String, ctype: ContainerType) -> ContainerInfo {
    // lxc, libvirt-lxc, mesos and bpm containers are named after their id.
    ContainerInfo { name: id.clone(), full_id: id.clone(), id, ctype: Some(ctype), ..ContainerInfo::default() }
}

/// The container described by a container JSON event (libsinsp's
/// `{"container": {"id": ..., "type": N, "name": ..., ...}}`), if it has an id.
pub fn from_json(text: &str) -> Option<ContainerInfo> {
    let at = text.find("\"container\"")?;
    let get = |k: &str| json_str(text, at, k).map(|(v, _)| v).unwrap_or_default();
    let id = get("id");
    if id.is_empty() {
        return None;
    }
    Some(ContainerInfo {
        full_id: get("full_id"),
        ctype: json_num(text, at, "type").and_then(ContainerType::from_number),
        name: get("name"),
        image: get("image"),
        image_id: get("imageid"),
        image_repo: get("imagerepo"),
        image_tag: get("imagetag"),
        image_digest: get("imagedigest"),
        privileged: json_lit(text, at, "privileged") == Some("true"),
        id,
    })
}

/// The container JSON event text libsinsp writes for `c` (its
/// container_to_json: the keys its parser reads back, lookup state
/// "successful"), or None when `c` has no type `container.type` names.
pub fn to_json(c: &ContainerInfo) -> Option<String> {
    let ctype = c.ctype?;
    let mut o = String::with_capacity(512);
    o.push_str(r#"{"container":{"Mounts":[],"cpu_period":100000,"cpu_quota":0,"cpu_shares":1024,"cpuset_cpu_count":0,"created_time":0,"env":[],"full_id":"#);
    json_quote(&mut o, &c.full_id);
    o.push_str(r#","id":"#);
    json_quote(&mut o, &c.id);
    for (k, v) in [
        ("image", &c.image),
        ("imagedigest", &c.image_digest),
        ("imageid", &c.image_id),
        ("imagerepo", &c.image_repo),
        ("imagetag", &c.image_tag),
    ] {
        o.push_str(&format!(r#","{k}":"#));
        json_quote(&mut o, v);
    }
    o.push_str(r#","ip":"0.0.0.0","is_pod_sandbox":false,"labels":null,"lookup_state":1,"memory_limit":0,"metadata_deadline":0,"name":"#);
    json_quote(&mut o, &c.name);
    o.push_str(&format!(r#","port_mappings":[],"privileged":{},"swap_limit":0,"type":{}}}}}"#, c.privileged, ctype.number()));
    Some(o)
}

/// Appends `s` as a JSON string.
fn json_quote(o: &mut String, s: &str) {
    o.push('"');
    for ch in s.chars() {
        match ch {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04x}", c as u32)),
            c => o.push(c),
        }
    }
    o.push('"');
}

/// The raw token after `"key":` (a number or literal), at or after `from`.
fn json_lit<'a>(text: &'a str, from: usize, key: &str) -> Option<&'a str> {
    let pat = format!("\"{key}\"");
    let at = from + text.get(from..)?.find(&pat)? + pat.len();
    let rest = text[at..].trim_start().strip_prefix(':')?.trim_start();
    let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '.')).unwrap_or(rest.len());
    Some(&rest[..end])
}

fn json_num(text: &str, from: usize, key: &str) -> Option<u64> {
    json_lit(text, from, key)?.parse().ok()
}

/// The container a thread with these cgroups (and environment) runs in, or
/// None for the host.
///
/// docker's plain layout (`/<64 hex>` at the end of a path) also covers
/// containerd without systemd, as in sysdig: docker is tried first. CRI-O
/// and containerd's own systemd layouts name their runtime.
pub fn resolve(cgroups: &NulList, env: &NulList) -> Option<ContainerInfo> {
    let cg: Vec<(Cow<'_, str>, Cow<'_, str>)> = cgroups.cgroups().collect();
    if cg.is_empty() {
        return None;
    }
    if let Some(id) = podman(&cg) {
        return Some(runc(id, ContainerType::Podman));
    }
    if let Some((id, _)) = match_layout(&cg, &[("/", ""), ("/docker-", ".scope")]) {
        return Some(runc(id, ContainerType::Docker));
    }
    if let Some((id, _)) = match_layout(&cg, &[("/crio-", ""), ("/crio-", ".scope")]) {
        return Some(runc(id, ContainerType::CriO));
    }
    if let Some((id, _)) = match_layout(&cg, &[("/cri-containerd-", ".scope"), (":cri-containerd:", "")]) {
        return Some(runc(id, ContainerType::Containerd));
    }
    if let Some(id) = lxc(&cg) {
        return Some(named(id, ContainerType::Lxc));
    }
    if let Some(id) = libvirt_lxc(&cg) {
        return Some(named(id, ContainerType::LibvirtLxc));
    }
    if let Some(id) = mesos(&cg, env) {
        return Some(named(id, ContainerType::Mesos));
    }
    bpm(&cg).map(|id| named(id, ContainerType::Bpm))
}

/// The JSON string value of the first `"key":` at or after `from` (escapes
/// `\"`, `\\`, `\/` undone; others kept), with where it ends.
fn json_str(text: &str, from: usize, key: &str) -> Option<(String, usize)> {
    let pat = format!("\"{key}\"");
    let at = from + text.get(from..)?.find(&pat)? + pat.len();
    let rest = text[at..].trim_start();
    let rest = rest.strip_prefix(':')?.trim_start();
    let rest = rest.strip_prefix('[').map(str::trim_start).unwrap_or(rest);
    let body = rest.strip_prefix('"')?;
    let mut out = String::new();
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, text.len() - body.len() + i)),
            '\\' => match chars.next() {
                Some((_, e @ ('"' | '\\' | '/'))) => out.push(e),
                Some((_, e)) => {
                    out.push('\\');
                    out.push(e);
                }
                None => return None,
            },
            c => out.push(c),
        }
    }
    None
}

/// Fills in name and image from the runtime's files under `root` (`/` on a
/// live system), when they exist: docker's
/// `var/lib/docker/containers/<id>/config.v2.json` (`Name`, `Config.Image`),
/// podman's `var/lib/containers/storage/overlay-containers/containers.json`
/// (the entry's first name).
pub fn read_runtime_files(c: &mut ContainerInfo, root: &std::path::Path) {
    match c.ctype {
        Some(ContainerType::Docker) => {
            let p = root.join("var/lib/docker/containers").join(&c.full_id).join("config.v2.json");
            let Ok(text) = std::fs::read_to_string(p) else { return };
            if let Some((n, _)) = json_str(&text, 0, "Name") {
                c.name = n.strip_prefix('/').unwrap_or(&n).to_string();
            }
            if let Some(cfg) = text.find("\"Config\"") && let Some((i, _)) = json_str(&text, cfg, "Image") {
                c.image = i;
            }
        }
        Some(ContainerType::Podman) => {
            let p = root.join("var/lib/containers/storage/overlay-containers/containers.json");
            let Ok(text) = std::fs::read_to_string(p) else { return };
            let mut from = 0;
            while let Some((id, end)) = json_str(&text, from, "id") {
                if id == c.full_id {
                    if let Some((n, _)) = json_str(&text, end, "names") {
                        c.name = n;
                    }
                    return;
                }
                from = end;
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "3ad7b26ded6d8e7b23da7d48fe889434573036c27ae5a74837233de441c3601e";

    fn res(cg: &str) -> Option<(String, &'static str, String)> {
        resolve(&NulList::new(cg.as_bytes()), &NulList::default()).map(|c| (c.id, c.ctype.unwrap().name(), c.name))
    }

    #[test]
    fn runc_layouts() {
        let short = ID[..12].to_string();
        assert_eq!(res(&format!("cpu=/docker/{ID}\0")), Some((short.clone(), "docker", String::new())));
        assert_eq!(res(&format!("cpu=/system.slice/docker-{ID}.scope\0")), Some((short.clone(), "docker", String::new())));
        assert_eq!(res(&format!("memory=/machine.slice/libpod-{ID}.scope/container\0")), Some((short.clone(), "podman", String::new())));
        assert_eq!(res(&format!("cpu=/kubepods/burstable/pod1/crio-{ID}.scope\0")), Some((short.clone(), "cri-o", String::new())));
        assert_eq!(res(&format!("cpu=/system.slice/cri-containerd-{ID}.scope\0")), Some((short.clone(), "containerd", String::new())));
        // containerd without systemd looks like docker, as in sysdig.
        assert_eq!(res(&format!("cpu=/kubepods/pod1/{ID}\0")), Some((short, "docker", String::new())));
        assert_eq!(res("cpu=/user.slice\0memory=/\0"), None);
        assert_eq!(res(&format!("cpu=/docker/{}\0", &ID[1..])), None);
        assert_eq!(res(&format!("cpu=/docker/{}x\0", &ID[1..])), None);
    }

    #[test]
    fn named_engines() {
        assert_eq!(res("cpu=/lxc/web1/init.scope\0"), Some(("web1".into(), "lxc", "web1".into())));
        assert_eq!(res("cpu=/lxc.payload/web2\0"), Some(("web2".into(), "lxc", "web2".into())));
        assert_eq!(res("cpu=/machine/vm1.libvirt-lxc\0"), Some(("vm1".into(), "libvirt-lxc", "vm1".into())));
        assert_eq!(res("cpu=/system.slice/bpm-job_1.scope\0"), Some(("job_1".into(), "bpm", "job_1".into())));
        let mesos = "cpu=/mesos/a9f41620-b165-4d24-abe0-af0af92e7b20\0";
        assert_eq!(res(mesos), None, "no task id in the environment");
        let env = NulList::new(b"MESOS_TASK_ID=t1\0");
        let c = resolve(&NulList::new(mesos.as_bytes()), &env).unwrap();
        assert_eq!((c.id.as_str(), c.ctype.map(|t| t.name())), ("a9f41620-b165-4d24-abe0-af0af92e7b20", Some("mesos")));
    }

    #[test]
    fn container_json_events() {
        let j = r#"{"container":{"Mounts":[],"full_id":"","id":"3ad7b26ded6d","image":"busybox","imagedigest":"","imageid":"e72ac664f4f0","imagerepo":"busybox","imagetag":"latest","ip":"172.17.0.2","is_pod_sandbox":false,"labels":null,"lookup_state":1,"name":"sharp_poincare","privileged":true,"type":0}}"#;
        let c = from_json(j).unwrap();
        assert_eq!((c.id.as_str(), c.name.as_str(), c.image.as_str()), ("3ad7b26ded6d", "sharp_poincare", "busybox"));
        assert_eq!((c.image_id.as_str(), c.image_repo.as_str(), c.image_tag.as_str()), ("e72ac664f4f0", "busybox", "latest"));
        assert_eq!((c.ctype, c.privileged), (Some(ContainerType::Docker), true));
        assert_eq!(from_json(r#"{"container":{"type":11,"id":"x"}}"#).unwrap().ctype, Some(ContainerType::Podman));
        assert!(from_json("{}").is_none());
        assert!(from_json("not json").is_none());
    }

    #[test]
    fn container_json_written_reads_back() {
        let c = ContainerInfo {
            id: ID[..12].into(),
            full_id: ID.into(),
            ctype: Some(ContainerType::Podman),
            name: "we\"ird\\name".into(),
            image: "nginx:1.25".into(),
            image_id: "4f0a".into(),
            image_repo: "nginx".into(),
            image_tag: "1.25".into(),
            image_digest: "sha256:00".into(),
            privileged: true,
        };
        assert_eq!(from_json(&to_json(&c).unwrap()), Some(c.clone()));
        for t in [ContainerType::Docker, ContainerType::CriO, ContainerType::Lxc, ContainerType::Bpm] {
            assert_eq!(ContainerType::from_number(t.number()), Some(t));
        }
        assert_eq!(to_json(&ContainerInfo { ctype: None, ..c }), None);
    }

    #[test]
    fn docker_name_from_its_files() {
        let dir = std::env::temp_dir().join(format!("rchisel-ct-{}", std::process::id()));
        let cdir = dir.join("var/lib/docker/containers").join(ID);
        std::fs::create_dir_all(&cdir).unwrap();
        std::fs::write(cdir.join("config.v2.json"), r#"{"Name":"/web","Config":{"Image":"nginx:1.25"}}"#).unwrap();
        let mut c = resolve(&NulList::new(format!("cpu=/docker/{ID}\0").as_bytes()), &NulList::default()).unwrap();
        read_runtime_files(&mut c, &dir);
        assert_eq!((c.name.as_str(), c.image.as_str()), ("web", "nginx:1.25"));
        let pdir = dir.join("var/lib/containers/storage/overlay-containers");
        std::fs::create_dir_all(&pdir).unwrap();
        let other = "1".repeat(64);
        std::fs::write(
            pdir.join("containers.json"),
            format!(r#"[{{"id":"{other}","names":["a"]}},{{"id": "{ID}", "names": [ "db\"1" ], "image":"x"}}]"#),
        )
        .unwrap();
        let mut c = resolve(&NulList::new(format!("cpu=/machine.slice/libpod-{ID}.scope\0").as_bytes()), &NulList::default()).unwrap();
        read_runtime_files(&mut c, &dir);
        assert_eq!(c.name, "db\"1");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
