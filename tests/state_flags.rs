//! The state engine's compact flag table (sysdig 0.29.3's event table, libs
//! e5c53d648) agrees with the crate's event table (today's libs) except
//! where libs changed flags after 0.29.3 — there the state keeps 0.29.3's
//! behaviour (e.g. mmap has no fd in sysdig 0.29.3: `fd.name` is `<NA>`).

#[test]
fn flags_agree_with_event_table() {
    let mut diffs = Vec::new();
    for (t, info) in rchisel::event::table::all_events().iter().enumerate() {
        let ours = rchisel::state::event_flags(t as u16);
        let mask = 0x11f; // CREATES, DESTROYS, USES, READS, WRITES, SKIPPARSERESET
        let theirs = (info.flags & mask) as u16;
        let first_res = info.params.first().map(|p| p.name == "res" || p.name == "fd").unwrap_or(false);
        let ours_res = ours & 0x8000 != 0;
        if ours & mask as u16 != theirs || first_res != ours_res {
            diffs.push(format!("{t} {}: ours {:#x} res={ours_res}, table {:#x} res={first_res}", info.name, ours & mask as u16, theirs));
        }
    }
    // Types whose flags changed in libs after 0.29.3.
    const CHANGED: &[usize] = &[51, 55, 77, 147, 160, 161, 162, 163, 181, 303, 305, 313, 317];
    diffs.retain(|d| {
        let t: usize = d.split(' ').next().and_then(|n| n.parse().ok()).unwrap_or(usize::MAX);
        !CHANGED.contains(&t)
    });
    assert!(diffs.is_empty(), "{} differences:\n{}", diffs.len(), diffs.join("\n"));
}
